"""Reactions by country: the governments, officials and institutions among a brief's perspectives,
grouped by the country they speak for, each with one source sentence that reports the reaction.

Code does it, from what the truth layer has already checked: a perspective's actor and role (the
articles' own title for them) say whether it speaks for a state ("Foreign Minister", "intelligence
agency", "Kremlin": the ``[government]`` word list and ``data/gazetteer_institutions.txt``) and
which one (an institution, a country or a demonym, the first one named). The reaction is the
perspective's reported-speech sentence, else the article sentence holding its first quote, and it
must name the actor or the country (:func:`names_reactor`, which :mod:`summarizer.truth.reactions`
applies again to a loaded brief). A story whose reacting actors are all of one country gets none:
its perspectives already say it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..schema.article import Article
from ..schema.parts import Perspective, Reaction, SentenceRef
from ..text.lexicons import COUNTRIES, demonyms, gazetteer, gazetteer_pattern, words
from ..text.names import name_tokens
from ..text.sentences import sentence_spans
from ..text.words import strip_possessive

__all__ = ["INSTITUTIONS", "MIN_COUNTRIES", "country_of", "find_reactions", "names_reactor", "speaks_for_a_state"]

INSTITUTIONS = "gazetteer_institutions.txt"
MIN_COUNTRIES = 2  # one country's officials are the story's perspectives, not reactions by country
_WORD = re.compile(r"[^\W\d_][\w’'.-]*")


def _countries(text: str) -> list[tuple[int, str]]:
    """(where, which country) of every institution, country or demonym ``text`` names."""
    hits = [(m.start(), gazetteer(name)[m.group()]) for name in (INSTITUTIONS, COUNTRIES)
            for m in gazetteer_pattern(name).finditer(text)]
    return hits + [(m.start(), demonyms()[w]) for m in _WORD.finditer(text)
                   if (w := strip_possessive(m.group())) in demonyms()]


def country_of(actor: str, role: str = "") -> str | None:
    """The country an actor speaks for: the first institution ("Kremlin"), country ("South Korea's")
    or demonym ("Russian President") named in its role, then in its name."""
    for text in (role, actor):
        if hits := _countries(text):
            return min(hits)[1]
    return None


def speaks_for_a_state(actor: str, role: str = "") -> bool:
    """Whether the actor is a government, an official or an institution: a word of government in its
    role or name ("minister", "intelligence", "embassy"), or it is a country or institution itself."""
    said = {m.group().lower().rstrip(".") for m in _WORD.finditer(f"{role} {actor}")}
    bare = strip_possessive(actor.strip())
    return bool(said & words("government")) or bare in gazetteer(COUNTRIES) or bare in gazetteer(INSTITUTIONS)


def names_reactor(sentence: str, actor: str, country: str) -> bool:
    """Whether a sentence names the actor (a word of its name), or, for an actor that is a country or
    an institution itself ("Kremlin", "South Korea"), that country in any spelling or its demonym: what
    makes the sentence that actor's reaction and not another's."""
    found = {strip_possessive(m.group()) for m in _WORD.finditer(sentence)}
    if any(len(t) > 2 and strip_possessive(t) in found for t in name_tokens(actor)):
        return True
    if country_of(actor) is None:
        return False  # a person: named, or not this sentence's reactor
    return any(c == country for _, c in _countries(sentence))


def _sentences(p: Perspective, by_id: dict[str, Article]) -> Iterator[SentenceRef]:
    """The perspective's reported-speech sentences, then the sentences holding its quotes."""
    yield from p.evidence
    for statement in p.statements:
        for q in statement.renderings:
            article = by_id.get(q.article_id)
            if article is None or q.start is None:
                continue
            for start, end in sentence_spans(article.text):
                if start <= q.start < end:
                    yield SentenceRef(article_id=article.id, start=start, end=end, text=article.text[start:end])
                    break


def find_reactions(perspectives: Sequence[Perspective], articles: Sequence[Article]) -> list[Reaction]:
    """Reactions by country from ``perspectives`` (in their order, grouped by country in order of first
    appearance); ``[]`` unless actors of :data:`MIN_COUNTRIES` countries react."""
    by_id = {a.id: a for a in articles}
    found: list[Reaction] = []
    for p in perspectives:
        country = country_of(p.actor, p.role) if speaks_for_a_state(p.actor, p.role) else None
        if country is None:
            continue
        ref = next((r for r in _sentences(p, by_id) if names_reactor(r.text, p.actor, country)), None)
        if ref is not None:
            found.append(Reaction(country=country, actor=p.actor, role=p.role, sentence=ref))
    countries = list(dict.fromkeys(r.country for r in found))
    if len(countries) < MIN_COUNTRIES:
        return []
    return sorted(found, key=lambda r: countries.index(r.country))

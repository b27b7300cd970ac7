"""People introduced at first mention: a reader meets "Matthew Bernstein" before "Bernstein".

Full articles name a person in full once, then by surname; a summary built from their sentences can
open with the surname ("said Bernstein"), and the reader never learns who that is. Code fixes the
summary's first mention of each such person, with the name as the articles write it most often
(:attr:`~summarizer.schema.parts.Entities.persons`): "said Bernstein" becomes "said Matthew
Bernstein". A surname two people of the articles share is left alone (which of them is it?), as is a
mention with a title or honorific ("Sen. Durbin", "Mr. Durbin"), a name used as a modifier ("the
Biden administration"), a person the summary already names in full, and any rewrite the meaning
rules would doubt more than the original. Nothing else changes; the truth layer then checks the
sentence like any other (the full name is a spelling of the same person).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.parts import Summary
from ..text.lexicons import demonyms
from ..text.names import name_tokens
from ..truth.meaning import findings

__all__ = ["first_mentions", "introduce"]


def _people(brief: StoryBrief, articles: Sequence[Article]) -> dict[str, str]:
    """``{surname: full name}`` for the story's people the articles name with two or more words (the
    name as they write it, with no title or demonym before it), for surnames no one else of the
    articles holds ("Amber Pasztor" and "Rene Pasztor": which is "Pasztor"?)."""
    full: dict[str, set[str]] = {}
    for e in brief.entities.persons:
        words = e.name.split()
        if len(words) < 2 or len(words[-1]) < 3 or words[0] in demonyms() or len(name_tokens(e.name)) < len(words):
            continue  # "Ukrainian Vitalii Sediuk", "President Biden": not a name as a reader is introduced by
        full.setdefault(words[-1], set()).add(e.name)
    given: dict[str, set[str]] = {last: set() for last in full}  # the capitalised words before each surname
    for a in articles:  # one pass over the articles, however many people
        for m in _PAIR.finditer(a.text):
            if m.group(2) in given:
                given[m.group(2)].add(m.group(1))
    out = {}
    for last, names in full.items():
        others = {g for g in given[last] if name_tokens(g) and not any(g in n.split() for n in names)}
        if len(names) == 1 and not others:
            out[last] = next(iter(names))
    return out


_PAIR = re.compile(r"\b([A-Z][\w’'-]+)\s+(?=([A-Z][\w’'-]+)\b)")  # two capitalised words, overlapping
_DETERMINERS = frozenset(["the", "a", "an", "this", "that"])
_PREVIOUS = re.compile(r"([\w’'.-]+)\s+$")


def _occurrences(text: str, surname: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text))


def _bare(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the surname at ``m`` when it stands alone, else None: a capitalised word right before
    it means the name is given in full ("Vitalii Sediuk"), by title ("Sen. Durbin") or by the outlet's
    honorific ("Mr. Durbin", its house style); after "the" it is a modifier ("the Biden
    administration"); a sentence's first word is alone."""
    before = _PREVIOUS.search(text, 0, m.start())
    if before is not None and before.group(1)[:1].isupper() and not re.search(r"[!?]$", before.group(1)):
        return None
    if before is not None and before.group(1).lower() in _DETERMINERS:
        return None  # "the Biden administration": a name used as a modifier, not a person met
    return m.start(), m.end()


def first_mentions(brief: StoryBrief, articles: Sequence[Article]) -> Iterator[tuple[int, tuple[int, int], str]]:
    """(summary sentence, the span to name in full, full name) for each person the summary first
    names by surname alone."""
    people = _people(brief, articles)
    named: set[str] = set()
    for i, sentence in enumerate(brief.summary):
        for surname, full in people.items():
            found = _occurrences(sentence.text, surname)
            if surname in named or not found:
                continue
            named.add(surname)
            span = _bare(sentence.text, found[0])
            if span is not None and full not in sentence.text:
                yield i, span, full


def introduce(brief: StoryBrief, articles: Sequence[Article]) -> StoryBrief:
    """``brief`` with each person its summary first names by surname alone named in full there."""
    found = list(first_mentions(brief, articles))
    if not found:
        return brief
    summary = list(brief.summary)
    for i, (a, b), full in sorted(found, key=lambda f: (f[0], -f[1][0])):  # right to left within a sentence
        sentence = summary[i]
        text = sentence.text[:a] + full + sentence.text[b:]
        sources = [r.text for r in sentence.evidence]
        if len(findings(text, sources)) <= len(findings(sentence.text, sources)):  # no new doubt about it
            summary[i] = sentence.model_copy(update={"text": text})
    return brief.model_copy(update={"summary": Summary(summary)})

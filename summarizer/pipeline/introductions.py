"""People introduced at first mention: a reader meets "Matthew Bernstein" before "Bernstein".

Full articles name a person in full once, then by surname; a summary built from their sentences can
open with the surname ("said Bernstein"), and the reader never learns who that is. Code fixes the
summary's first mention of each such person, with the name as the articles write it most often
(:attr:`~summarizer.schema.parts.Entities.persons`): "said Bernstein" becomes "said Matthew
Bernstein". A surname two people of the articles share is left alone (which of them is it?), as is a
mention with a title or honorific ("Sen. Durbin", "Mr. Durbin"), a name used as a modifier ("the
Biden administration"), a person the summary already names in full, and any rewrite the meaning
rules would doubt more than the original. The first mention also gets the person's role where an
article writes it right before the name, inside a sentence, in five words or fewer ("against Rep.
Devin Nunes", "from Senate Minority Leader Mitch McConnell"), and the summary gives the name no title or
description of its own ("Trump attorney Michael Cohen", "lawyer, Michael Avenatti,"). Nothing else
changes; the truth layer then checks the sentence like any other (the full name is a spelling of the
same person, and the role is the articles' words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.parts import Summary
from ..text.lexicons import demonyms
from ..text.names import name_tokens
from ..text.roles import roles_of
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


def _first_named(brief: StoryBrief, people: dict[str, str]) -> Iterator[tuple[int, str, str, re.Match[str]]]:
    """(summary sentence, its text, full name, the surname's match) for each person's first mention."""
    named: set[str] = set()
    for i, sentence in enumerate(brief.summary):
        for surname, full in people.items():
            found = _occurrences(sentence.text, surname)
            if surname in named or not found:
                continue
            named.add(surname)
            yield i, sentence.text, full, found[0]


def first_mentions(brief: StoryBrief, articles: Sequence[Article]) -> Iterator[tuple[int, tuple[int, int], str]]:
    """(summary sentence, the span to name in full, full name) for each person the summary first
    names by surname alone."""
    for i, text, full, m in _first_named(brief, _people(brief, articles)):
        span = _bare(text, m)
        if span is not None and full not in text:
            yield i, span, full


MAX_ROLE_WORDS = 5  # "Senate Majority Leader", "Swiss mountaineer": longer descriptions cost a summary too much


def _titled(full: str, articles: Sequence[Article], first: bool = False) -> str:
    """The person named with the role an article writes right before the name, inside a sentence
    ("Senate Majority Leader Mitch McConnell", the article's own words and casing), or the name alone
    when no article does (:func:`~summarizer.text.roles.roles_of` ranks the roles). ``first``: the name
    opens the sentence, where only a capitalised title reads well."""
    texts = [a.text for a in articles]
    for role in roles_of(full, texts):
        if len(role.split()) > MAX_ROLE_WORDS or (first and not role[0].isupper()):
            continue  # too long; or "Author Anthony Maltese and his team": a common noun opening a sentence
        titled = f"{role} {full}"
        if any(re.search(rf"[a-z,]\s+{re.escape(titled)}\b", t) for t in texts):  # not a sentence's first words
            return titled
    return full


def _introductions(brief: StoryBrief, articles: Sequence[Article]) -> Iterator[tuple[int, tuple[int, int], str]]:
    """(summary sentence, span, replacement) for each person's first mention in the summary: a bare
    surname named in full, and a name with no title before it given the role the articles give
    (both at once for "said McConnell": "said Senate Majority Leader Mitch McConnell")."""
    for i, text, full, m in _first_named(brief, _people(brief, articles)):
        span = _bare(text, m)
        if span is not None and full not in text:  # named by surname alone
            yield i, span, _titled(full, articles, span[0] == 0) if _untitled(text, *span) else full
            continue
        start = m.end() - len(full)  # the full name ending at this surname
        if start >= 0 and text[start:m.end()] == full and _untitled(text, start, m.end()):
            titled = _titled(full, articles, start == 0)
            if titled != full:
                yield i, (start, m.end()), titled


# The words a role may follow: the name opens its clause ("said", "and"), so no title or description
# of the text's own stands before it ("Trump attorney Michael Cohen", "his costar Michael Peña").
_OPENS = frozenset(["said", "says", "told", "by", "and", "with", "against", "from", "to", "that", "as", "when"])
_DESCRIBED_AFTER = re.compile(r"^,\s+(?:the|a|an|who|whose)\b")


def _untitled(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start``:``end`` of ``text`` stands with no title or description: at the
    sentence's start or after a word that opens a clause, and with no ", the ..." after it."""
    if text[:start].strip():
        before = _PREVIOUS.search(text, 0, start)  # none after a comma or a dash: "lawyer, Michael Avenatti,"
        if before is None or before.group(1).lower() not in _OPENS:
            return False
    return not _DESCRIBED_AFTER.match(text[end:])


def introduce(brief: StoryBrief, articles: Sequence[Article]) -> StoryBrief:
    """``brief`` with each person its summary first names by surname alone named in full there, and
    with the role the articles write before the name where no title precedes it."""
    found = list(_introductions(brief, articles))
    if not found:
        return brief
    summary = list(brief.summary)
    for i, (a, b), full in sorted(found, key=lambda f: (f[0], -f[1][0])):  # right to left within a sentence
        sentence = summary[i]
        if a == 0:
            full = full[0].upper() + full[1:]
        text = sentence.text[:a] + full + sentence.text[b:]
        sources = [r.text for r in sentence.evidence]
        if len(findings(text, sources)) <= len(findings(sentence.text, sources)):  # no new doubt about it
            summary[i] = sentence.model_copy(update={"text": text})
    return brief.model_copy(update={"summary": Summary(summary)})

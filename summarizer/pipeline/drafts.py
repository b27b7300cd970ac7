"""Drafts that code writes: from the model's prose, or with no model at all.

The model writes only what a model can write (``draft="prose"``): a headline, and a paragraph that
fuses the fact sheet's top facts. Code does the rest. Each sentence of the paragraph is cited by
aligning it to the facts whose source sentences support it
(:func:`~summarizer.truth.support.supporting_facts`, the alignment the truth layer repairs with).
Key points come from the ranked facts the summary leaves out, and perspectives from the actors'
quotes and reported speech (:mod:`summarizer.pipeline.coverage`, :mod:`summarizer.pipeline.assembly`).
Topics are the entities most of the cluster's articles name. The extractive backend's draft has no
summary at all, so that coverage states the top facts in their sources' words.

Both are :class:`CodeDraft`, which :func:`~summarizer.pipeline.assembly.assemble` reads as it reads
the model's JSON draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..evidence import Fact
from ..schema.parts import Entities
from ..text.sentences import sentence_spans
from ..text.words import letter_words
from ..truth.support import support, supporting_facts
from .prepare import Prepared

MAX_TOPICS = 3
MAX_TITLE_WORDS = 16  # the prompt asks for 12; a headline a few words over it still reads as one
MIN_TITLE_WORDS = 4
_FINISHED = re.compile(r"[.!?…][\"”’')\]]*$")
_NOT_PROSE = re.compile(r"[{}\[\]<>]")
_CLAUSE_END = re.compile(r"\s*(?:[,;:]|\s[–—-]\s)\s*")
# How a small model labels what it writes, though asked not to ("Headline:", "**Summary**", "# ").
_LABEL = re.compile(r"^\s*(?:[#*>\-]+\s*)*(?:\*\*)?(?:title|headline|summary|brief|paragraph)\s*(?:\*\*)?\s*:\s*(?:\*\*)?\s*",
                    re.IGNORECASE)
_MARKUP = re.compile(r"^\s*(?:[#>*]+\s*)+|\*\*|__")
_WRAPPING_QUOTES = re.compile(r'^["“](.*)["”]$')
# Tags a small model wraps its paragraph in, echoing the prompt's <facts> block ("<paragraph>", "</news brief>").
_TAG = re.compile(r"\s*</?[A-Za-z][\w -]{0,30}>\s*")


@dataclass(frozen=True)
class DraftLine:
    """A draft's sentence: its text and the sheet facts (numbers from 1) that state it."""

    text: str
    facts: tuple[int, ...]


@dataclass(frozen=True)
class CodeDraft:
    """What :func:`~summarizer.pipeline.assembly.assemble` reads, when code wrote it."""

    title: str
    summary: list[DraftLine] = field(default_factory=list)
    key_points: list[DraftLine] = field(default_factory=list)
    perspectives: list[object] = field(default_factory=list)  # code tops them up from the evidence
    topics: list[str] = field(default_factory=list)


def entity_topics(entities: Entities, n_articles: int) -> list[str]:
    """The countries, organisations and people that most articles name, most widely named first
    (ties: most mentioned): a story's lenses, from the evidence alone. A name with no word of three
    letters ("U.S.") is no lens (the topic check agrees)."""
    every = [e for e in (*entities.countries, *entities.organizations, *entities.persons) if letter_words(e.name, 3)]
    wide = [e for e in every if len(e.sources) * 2 >= n_articles] or every
    ranked = sorted(wide, key=lambda e: (-len(e.sources), -e.mentions))
    return list(dict.fromkeys(e.name for e in ranked))[:MAX_TOPICS]


def lead_title(prep: Prepared) -> str:
    """The headline of the article that reports the lead fact (the truth layer screens it like any title)."""
    ids = prep.sheet.facts[0].articles if prep.sheet and prep.sheet.facts else []
    ranked = sorted(prep.articles, key=lambda a: (a.id not in ids, ids.index(a.id) if a.id in ids else 0))
    return next((" ".join(a.title.split()) for a in ranked if a.title.strip()), "")


def extractive_draft(prep: Prepared) -> CodeDraft:
    """The draft of the extractive backend: a headline and no sentence of its own."""
    return CodeDraft(title=lead_title(prep), topics=entity_topics(prep.evidence.entities, len(prep.articles)))


def _clean_line(line: str) -> str:
    line = _TAG.sub(" ", line)
    line = _MARKUP.sub("", _LABEL.sub("", line)).strip()
    quoted = _WRAPPING_QUOTES.match(line)
    return quoted.group(1).strip() if quoted else line


def headline(line: str) -> str:
    """The model's first line as a headline: as written when it is short enough, else its first clause
    when that is ("Putin addresses the troop deployment, marking his first remarks ..." -> "Putin
    addresses the troop deployment"), else nothing (the lead article's headline stands in)."""
    line = line.strip().rstrip(".")
    if _NOT_PROSE.search(line):
        return ""  # JSON, a list or markup: not a headline
    if len(line.split()) <= MAX_TITLE_WORDS:
        return line
    first = _CLAUSE_END.split(line, maxsplit=1)[0].strip()
    return first if MIN_TITLE_WORDS <= len(first.split()) <= MAX_TITLE_WORDS else ""


def usable_prose(text: str) -> bool:
    """Whether an answer reads as the prose asked for: a headline and at least one sentence."""
    title, sentences = parse_prose(text)
    return bool(title) and bool(sentences)


def parse_prose(text: str) -> tuple[str, list[str]]:
    """(headline, sentences) of the model's answer: the first line, then the paragraph(s) after it.

    A small model sometimes writes no headline line, only the paragraph: a first line of two or more
    sentences, or the answer's only line, is the paragraph, and its first sentence gives the headline
    (:func:`headline`)."""
    lines = [c for raw in text.strip().splitlines() if (c := _clean_line(raw))]
    if not lines:
        return "", []
    first = [lines[0][s:e] for s, e in sentence_spans(lines[0]) if lines[0][s:e].strip()]
    if len(first) > 1 or (len(lines) == 1 and _FINISHED.search(lines[0]) and len(lines[0].split()) > MAX_TITLE_WORDS):
        title, body = headline(first[0]), " ".join(lines)
    else:
        title, body = headline(lines[0]), " ".join(lines[1:])
    return title, [" ".join(body[s:e].split()) for s, e in sentence_spans(body) if body[s:e].strip()]


def prose_draft(prep: Prepared, text: str, cut_off: bool = False) -> CodeDraft:
    """The draft the model's prose describes: each sentence cited to the sheet facts that support it.

    A sentence no fact supports is cited to the fact that holds most of its words; the truth layer
    then repairs it (that fact's source sentence stands in) or drops it, and says so. ``cut_off``: the
    answer stopped at its token bound, so a last sentence with no closing punctuation was never
    finished and is left out (coverage states the facts it would have)."""
    assert prep.sheet is not None
    facts = prep.sheet.facts
    number = {id(f): n for n, f in enumerate(facts, 1)}
    by_id = {a.id: a for a in prep.all_articles}
    title, sentences = parse_prose(text)
    if cut_off and sentences and not _FINISHED.search(sentences[-1]):
        sentences = sentences[:-1]
    lines = []
    for sentence in sentences:
        found = supporting_facts(sentence, facts, by_id) or _closest(sentence, facts)
        lines.append(DraftLine(sentence, tuple(number[id(f)] for f in found)))
    return CodeDraft(title=title or lead_title(prep), summary=lines,
                     topics=entity_topics(prep.evidence.entities, len(prep.articles)))


def _closest(sentence: str, facts: Sequence[Fact]) -> list[Fact]:
    best = max(facts, key=lambda f: support(sentence, [s.ref() for s in f.sentences])[1], default=None)
    return [best] if best is not None else []

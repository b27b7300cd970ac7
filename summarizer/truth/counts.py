"""Figures bound to what they count: the meaning check's ``figure`` rule (:mod:`.contradiction`).

A number of the sentence must stand in its cited sentences counting the same thing ("3,000 troops",
not "3,000" beside "hours"); sources may be whole articles, so each is read once and indexed by value.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from ..evidence.figures import unit_class
from ..text.clauses import tokens
from ..text.numbers import NUMBER_RE, SPELLED_RE, number_kind, spelled_counts, value

__all__ = ["figure_mismatches"]

NEAR = 5  # tokens either side of a source figure in which the sentence's words about it must stand
_FIGURE_WORDS = frozenset(["year", "years", "old", "percent", "cent", "per", "time", "times"])


@functools.lru_cache(maxsize=64)
def _starts(text: str) -> list[int]:
    return [t.start for t in tokens(text)]


def _at(text: str, offset: int) -> int:
    """The index of the first token of ``text`` at or after ``offset`` (by bisection: whole articles
    are scanned when a sentence cites no source sentence)."""
    return bisect.bisect_left(_starts(text), offset)


def _near(text: str, start: int, before: bool) -> str | None:
    """The content word next to the figure at ``start`` ("3,000 [troops]", "[age] of 84"), in its clause."""
    toks = tokens(text)
    k = _at(text, start)
    if k >= len(toks):
        return None
    here = toks[max(0, k - 3) : k][::-1] if before else toks[k + 1 : k + 4]
    for t in here:
        if t.clause != toks[k].clause:
            return None
        if t.content and not t.text[0].isdigit() and t.low not in _FIGURE_WORDS:
            return unit_class(t.low) or t.stem
    return None


def _window(text: str, start: int, end: int) -> set[str]:
    """Stems and unit classes ("troops" for "soldiers") of the words around a source figure."""
    toks = tokens(text)
    k, k_end = _at(text, start), _at(text, end)
    near = toks[max(0, k - NEAR) : k_end + NEAR]
    return {t.stem for t in near} | {c for t in near if (c := unit_class(t.low))}


_SCALED_AGAIN = re.compile(r"\s+(?:million|billion|trillion|thousand|bn)\b")
_RANGE_ON = re.compile(r"\s*(?:to|and|or|-|–|—)\s*[$€£]?\d")


def _about(sentence: str, m: re.Match[str]) -> str | None:
    """What a figure of the sentence counts: the word after it ("3,000 [troops]"), else the word
    before it ("[age] of 84", "[rose] 5%")."""
    after = _near(sentence, m.start(), False)
    if after or number_kind(sentence, m) in ("percent", "money", "date"):
        return after  # "5.9%", "$3 million", "Nov. 8": the kind says what it is
    if _RANGE_ON.match(sentence, m.end()):
        return None  # "spoke of 10,000 to 12,000.": a range counts what follows it, here unsaid
    return _near(sentence, m.start(), True)


@functools.lru_cache(maxsize=1024)  # a coverage sentence may cite hundreds of articles
def _source_figures(text: str) -> dict[float, list[tuple[str, int, int]]]:
    """Each value a figure of a source text can mean (digits and words), with that figure's (kind,
    start, end). Cached and keyed by value: when a sentence cites no source sentence its whole
    articles are the sources, and a check then costs one scan of each article, not one per sentence."""
    out: dict[float, list[tuple[str, int, int]]] = {}
    found = [({float(m.group("num").replace(",", "")), value(m)}, kind, m.start(), m.end())
             for m in NUMBER_RE.finditer(text) if (kind := number_kind(text, m)) != "other"]
    found += [(set(values), "count", m.start(), m.end())
              for m, (_raw, values) in zip(SPELLED_RE.finditer(text), spelled_counts(text), strict=True)]
    for values, kind, start, end in found:
        for v in values:
            out.setdefault(v, []).append((kind, start, end))
    return out


def figure_mismatches(sentence: str, sources: Sequence[str]) -> list[str]:
    """What is wrong with each figure of ``sentence`` against ``sources`` (``[]`` when nothing is)."""
    indexes = [(text, _source_figures(text)) for text in sources]
    out = []
    for m in NUMBER_RE.finditer(sentence):
        kind = number_kind(sentence, m)
        if kind == "other":
            continue
        twice = _SCALED_AGAIN.match(sentence, m.end()) if m.group("scale") else None
        if twice and not any(sentence[m.start() : twice.end()] in text for text in sources):
            out.append(f"gives {sentence[m.start() : twice.end()]!r}, which the sentences it cites do not")
            continue  # "12 million million" is not the "12 million" of its source
        mine = {float(m.group("num").replace(",", "")), value(m)}
        hits = {(text, hit) for text, index in indexes for v in mine for hit in index.get(v, ())}
        same = [(k, _window(text, start, end)) for text, (k, start, end) in hits]
        if not same:
            out.append(f"gives {m.group().strip()!r}, which the sentences it cites do not")
            continue
        about = _about(sentence, m)
        if not any((about is None or about in window) and (k == kind or "count" in (k, kind)) for k, window in same):
            out.append(f"gives {m.group().strip()!r} about something else than its source does")
    return out

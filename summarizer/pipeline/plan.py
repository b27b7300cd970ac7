"""Plan how a cluster reaches the model within its context budget.

If every article fits in one call, the plan is ``single``: one synthesis call.
Otherwise it is ``map-reduce``: one extraction call per article, or per chunk of
an article too long on its own (split at paragraph, then sentence boundaries),
then one synthesis call over the extracted notes. Text is never truncated: a
sentence longer than the budget becomes a chunk of its own, split on whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..schema.article import Article
from ..text.sentences import sentence_spans

TokenCounter = Callable[[str], int]

_PARAGRAPHS = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Unit:
    """A piece of one article that goes to the model in one call."""

    article_id: str
    part: int  # 1-based
    part_count: int
    text: str
    tokens: int


@dataclass(frozen=True)
class Plan:
    mode: Literal["single", "map-reduce", "fact-sheet"]
    units: tuple[Unit, ...]
    budget: int

    @property
    def total_tokens(self) -> int:
        return sum(u.tokens for u in self.units)


Piece = tuple[str, int]  # a piece of text and its token count


def split_text(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Split ``text`` into pieces of at most ``budget`` tokens at natural boundaries.

    Joining the pieces with single spaces/newlines loses no words. Linear in the text: each
    level (paragraphs, sentences, words) counts its own pieces once, packing adds those counts
    instead of re-counting a growing chunk, and each packed chunk is checked once.
    """
    if count(text) <= budget:
        return [text]
    pieces: list[Piece] = []
    for para in _PARAGRAPHS.split(text):
        para = para.strip()
        if not para:
            continue
        n = count(para)
        if n <= budget:
            pieces.append((para, n))
            continue
        for s, e in sentence_spans(para):
            sent = para[s:e]
            n = count(sent)
            pieces.extend([(sent, n)] if n <= budget else _split_words(sent, budget, count))
    return _pack(pieces, budget, count, count("\n\n"))


def _split_words(text: str, budget: int, count: TokenCounter) -> list[Piece]:
    """Words joined while their summed counts fit; a word longer than the budget is cut into slices."""
    out: list[Piece] = []
    cur: list[Piece] = []
    total = 0
    for w in text.split():
        n = count(" " + w)
        if cur and (n > budget or total + n > budget):
            out.extend(_joined(cur, " ", budget, count))
            cur, total = [], 0
        if n > budget:
            out.extend(_split_chars(w, budget, count))
            continue
        cur.append((w, n))
        total += n
    if cur:
        out.extend(_joined(cur, " ", budget, count))
    return out


def _split_chars(word: str, budget: int, count: TokenCounter) -> list[Piece]:
    """Text with no whitespace at all, in slices that fit (halving the slice where one does not)."""
    out: list[Piece] = []
    step, i = max(1, budget), 0
    while i < len(word):
        piece = word[i : i + step]
        n = count(piece)
        if n > budget and step > 1:
            step = max(1, step // 2)  # a character can be several tokens (emoji, rare scripts)
            continue
        out.append((piece, n))
        i += len(piece)
    return out


def _pack(pieces: list[Piece], budget: int, count: TokenCounter, sep: int) -> list[str]:
    """Greedily merge consecutive pieces while their summed counts (plus separators) still fit."""
    groups: list[list[Piece]] = []
    total = 0
    for p in pieces:
        if groups and total + sep + p[1] <= budget:
            groups[-1].append(p)
            total += sep + p[1]
        else:
            groups.append([p])
            total = p[1]
    return [text for g in groups for text, _ in _joined(g, "\n\n", budget, count)]


def _joined(group: list[Piece], sep: str, budget: int, count: TokenCounter) -> list[Piece]:
    # Token counts are not quite additive (tokens merge or split at a seam): count the joined
    # text once, and in the rare case it is over, split the group in halves.
    text = sep.join(t for t, _ in group)
    n = group[0][1] if len(group) == 1 else count(text)
    if n <= budget or len(group) == 1:
        return [(text, n)]
    mid = len(group) // 2
    return _joined(group[:mid], sep, budget, count) + _joined(group[mid:], sep, budget, count)


def plan(articles: Sequence[Article], budget: int, count: TokenCounter, overhead_per_article: int = 30) -> Plan:
    """Decide between one synthesis call and per-article extraction.

    ``budget`` is the number of tokens of article text one call may carry.
    """
    if budget <= 50:
        raise ValueError(f"context budget of {budget} tokens is too small to summarize anything")
    sizes = {a.id: count(a.title + "\n" + a.text) + overhead_per_article for a in articles}
    if sum(sizes.values()) <= budget:
        units = tuple(Unit(a.id, 1, 1, a.text, sizes[a.id]) for a in articles)
        return Plan("single", units, budget)
    units_list: list[Unit] = []
    for a in articles:
        parts = split_text(a.text, budget - overhead_per_article, count)
        for i, part in enumerate(parts, 1):
            units_list.append(Unit(a.id, i, len(parts), part, count(part)))
    return Plan("map-reduce", tuple(units_list), budget)

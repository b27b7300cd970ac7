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

from ..schema import Article
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
    mode: Literal["single", "map-reduce"]
    units: tuple[Unit, ...]
    budget: int

    @property
    def total_tokens(self) -> int:
        return sum(u.tokens for u in self.units)


def split_text(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Split ``text`` into pieces of at most ``budget`` tokens at natural boundaries.

    Joining the pieces with single spaces/newlines loses no words.
    """
    if count(text) <= budget:
        return [text]
    pieces: list[str] = []
    for para in _PARAGRAPHS.split(text):
        para = para.strip()
        if not para:
            continue
        if count(para) <= budget:
            pieces.append(para)
            continue
        for sent in (para[s:e] for s, e in sentence_spans(para)):
            if count(sent) <= budget:
                pieces.append(sent)
            else:
                pieces.extend(_split_words(sent, budget, count))
    return _pack(pieces, budget, count)


def _split_words(text: str, budget: int, count: TokenCounter) -> list[str]:
    words = text.split()
    out: list[str] = []
    cur: list[str] = []
    for w in words:
        if cur and count(" ".join([*cur, w])) > budget:
            out.append(" ".join(cur))
            cur = []
        cur.append(w)
    if cur:
        out.append(" ".join(cur))
    return out


def _pack(pieces: list[str], budget: int, count: TokenCounter) -> list[str]:
    """Greedily merge consecutive pieces while they still fit."""
    out: list[str] = []
    for p in pieces:
        if out and count(out[-1] + "\n\n" + p) <= budget:
            out[-1] = out[-1] + "\n\n" + p
        else:
            out.append(p)
    return out


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

"""Grouping quotes into statements: one thing said, rendered (translated) by several outlets."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..text.names import names_match
from ..text.words import remark_words

if TYPE_CHECKING:
    from .model import QuoteCandidate


def similar_remarks(a: str, b: str) -> bool:
    """Whether two quoted texts say the same thing: two content words in common, and a quarter of
    the shorter one (renderings and translations of one remark by different outlets)."""
    ca, cb = remark_words(a), remark_words(b)
    if not ca or not cb:
        return False
    shared = len(ca & cb)
    return shared >= 2 and shared / min(len(ca), len(cb)) >= 0.25


def same_statement(q: QuoteCandidate, other: QuoteCandidate, speaker: str | None) -> bool:
    if other.article_id == q.article_id:
        return False
    who_q = q.speaker or speaker
    if not who_q or not other.speaker or not names_match(who_q, other.speaker):
        return False
    return similar_remarks(q.text, other.text)


def one_per_article(group: list[QuoteCandidate], chosen: list[QuoteCandidate]) -> list[QuoteCandidate]:
    """One rendering per article: the chosen one, else the longest."""
    best: dict[str, QuoteCandidate] = {}
    for c in group:
        cur = best.get(c.article_id)
        if (
            cur is None
            or (c in chosen and cur not in chosen)
            or ((c in chosen) == (cur in chosen) and len(c.text) > len(cur.text))
        ):
            best[c.article_id] = c
    return sorted(best.values(), key=lambda c: c.id)


def group_speaker(group: list[QuoteCandidate], speaker: str | None) -> str | None:
    names = Counter(c.speaker for c in group if c.speaker)
    if names:
        # The fullest spelling of the most common speaker ("Vladimir Putin" over "Putin").
        top = names.most_common(1)[0][0]
        return max((n for n in names if names_match(n, top)), key=len)
    return speaker


def rendering_speaker(c: QuoteCandidate, who: str) -> str:
    return c.speaker if c.speaker and names_match(c.speaker, who) else who

"""Provenance: text in the brief's voice must be made of the articles' words and writing systems.

This catches sentences that name nothing checkable yet come from nowhere: a leaked system
prompt, boilerplate a model invents, instructions, or a small model slipping into another
language mid-sentence ("global领导").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, ClassVar

from ..schema.article import Article
from ..text.scripts import mostly_latin, scripts
from ..text.words import content_stems, stems
from .base import ARTICLE_CACHE, Context, Issue, NoRepair
from .facts import text_of

MIN_WORD_SUPPORT = 0.5  # share of a sentence's content words that must occur in the articles


@functools.lru_cache(maxsize=ARTICLE_CACHE)
def _vocabulary(text: str) -> frozenset[str]:
    return stems(text)


@functools.lru_cache(maxsize=ARTICLE_CACHE)
def _article_scripts(text: str) -> frozenset[str]:
    return frozenset(scripts(text))


def vocabulary(text: str) -> frozenset[str]:
    """Stems of every word of ``text`` (cached: article texts are looked up many times)."""
    return _vocabulary(text)


def word_support(text: str, articles: Sequence[Article]) -> float | None:
    """Share of ``text``'s content words found in ``articles``; None when not measurable.

    It is skipped across scripts (a Korean cluster summarized in English) and for very short texts.
    """
    words = content_stems(text)
    if len(words) < 4 or not mostly_latin(text) or not any(mostly_latin(a.text[:2000]) for a in articles):
        return None
    vocab: frozenset[str] = frozenset().union(*(_vocabulary(a.text) for a in articles))
    return sum(w in vocab for w in words) / len(words)


class ProvenanceCheck(NoRepair):
    """Letters of a writing system no article uses, or words most of which occur in no article (fatal)."""

    kinds: ClassVar[tuple[str, ...]] = ("title", "sentence")
    order: ClassVar[int] = 30

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        text = text_of(item)
        foreign = scripts(text) - frozenset().union(*(_article_scripts(a.text) for a in ctx.articles))
        if foreign:
            detail = (f"uses {', '.join(sorted(foreign))} script, which no article uses; "
                      "it is not drawn from the sources")
            return [Issue("foreign_script", where, detail)]
        share = word_support(text, ctx.articles)
        if share is None or share >= MIN_WORD_SUPPORT:
            return []
        detail = f"only {share:.0%} of its words occur in any article; it is not drawn from the sources"
        return [Issue("unsourced_words", where, detail)]


CHECKS = [ProvenanceCheck()]

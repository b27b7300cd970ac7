"""Topics: a topic lens must be made of the articles' own words, and never talks to a model (fatal).

Topics are the model's labels ("Debt Ceiling", "China-Taiwan Relations"). A label is kept when at
least half of its content words occur in the articles, compared by their first
:data:`PREFIX_LETTERS` letters, so "Vaccines" meets "vaccinated" and "Political" meets "politics"
(the truth layer's stemmer keeps those apart). A model that obeyed an injection ("Buy cheap crypto
at scam.example") writes words no article holds; instruction-like topics are caught by the
injection check as well. Measured on the default model's 35 dev and seed briefs: 76 of 80 topics
kept; the four dropped are lenses no article names ("Crime", "Politics" twice, "Government
Spending"), which a brief can do without.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from ..text.words import content, letter_words
from .base import ARTICLE_CACHE, Context, Issue, NoRepair

PREFIX_LETTERS = 6  # compare words by this many leading letters
MIN_TOPIC_SUPPORT = 0.5  # share of a topic's content words that must occur in the articles


def _topic_words(text: str) -> list[str]:
    """A topic's content words of three letters or more, and its capitalised acronyms ("AI", "EU")."""
    return [w for w in letter_words(text, 2) if len(w) > 2 or w.isupper()]


def _keys(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:PREFIX_LETTERS] for w in _topic_words(text))


@functools.lru_cache(maxsize=ARTICLE_CACHE)
def _article_keys(text: str) -> frozenset[str]:
    return _keys(text)


class TopicCheck(NoRepair):
    """A topic most of whose words occur in no article (fatal: the topic is dropped)."""

    kinds: ClassVar[tuple[str, ...]] = ("topic",)
    order: ClassVar[int] = 30

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        words = [w.lower()[:PREFIX_LETTERS] for w in content(_topic_words(str(item)))]
        if not words:
            return [Issue("topic_unsourced", where, "names nothing: no word of three letters or more, nor an acronym")]
        found: frozenset[str] = frozenset().union(*(_article_keys(a.title + "\n" + a.text) for a in ctx.articles))
        share = sum(w in found for w in words) / len(words)
        if share >= MIN_TOPIC_SUPPORT:
            return []
        return [Issue("topic_unsourced", where, f"only {share:.0%} of its words occur in any article")]


CHECKS = [TopicCheck()]

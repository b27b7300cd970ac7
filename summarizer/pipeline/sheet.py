"""The fact sheet: the top-ranked facts a brief should say, within a token budget, in the order a
summary should say them.

The model fuses these into prose instead of reading whole articles, so the prompt stays small
whatever the cluster's size (a cluster of 500 articles still needs one synthesis call), and what
the brief says is chosen by code. The summary's length follows the cluster's size.

The order is the lead (the top-ranked fact), then by what each fact adds: the concepts (content
words, and pairs of adjacent content words) that two or more articles share, weighted by how many
articles hold them, that the facts before it have not said, per square root of its length. What
several outlets report is what a reader needs first, and a fact that repeats the lead adds nothing.
This is concept coverage (Gillick & Favre 2009; Lin & Bilmes 2011), read greedily.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..evidence import Fact
from ..schema.article import Article
from ..text.words import content_stems

SHEET_TOKENS = 1200  # fact text per synthesis call
MAX_FACTS = 18
SMALL_CLUSTER_WORDS = 600  # three short excerpts, as in the dev set
FULL_CLUSTER_WORDS = 2500  # several full-length articles


@dataclass(frozen=True)
class Sheet:
    facts: list[Fact]  # in sheet order; the model cites them as 1..n
    words: tuple[int, int]  # target length of the summary, in words
    sentences: tuple[int, int]  # bounds on the number of summary sentences

    @property
    def prose_words(self) -> int:
        """The words the model's paragraph (``draft="prose"``) may take: the lede, two thirds of the
        shortest summary; coverage adds the facts it leaves out, in their sources' words."""
        return self.words[0] * 2 // 3

    @property
    def prose_sentences(self) -> tuple[int, int]:
        return (2, max(3, self.sentences[0]))

    def fact(self, number: int) -> Fact:
        return self.facts[number - 1]


def build_sheet(facts: Sequence[Fact], articles: Sequence[Article], count: Callable[[str], int]) -> Sheet | None:
    """The best facts that fit the budget, or None when the articles yield no facts at all."""
    chosen: list[Fact] = []
    used = 0
    for fact in facts:
        cost = count(fact.text) + 12  # the number and outlet names around it
        if chosen and (used + cost > SHEET_TOKENS or len(chosen) >= MAX_FACTS):
            break
        chosen.append(fact)
        used += cost
    if not chosen:
        return None
    return Sheet(coverage_order(chosen, articles), *summary_length(sum(len(a.text.split()) for a in articles)))


SHARED_BY = 2  # a concept counts when this many articles hold it (every article's, in a cluster of one)
LENGTH_EXPONENT = 0.5  # a fact's gain is divided by its length in words to this power


def concepts(text: str) -> set[str | tuple[str, str]]:
    """The content-word stems of ``text`` and its pairs of adjacent content-word stems."""
    words = content_stems(text)
    return set(words) | set(itertools.pairwise(words))


def coverage_order(facts: Sequence[Fact], articles: Sequence[Article]) -> list[Fact]:
    """``facts`` with the first kept first, then each next the one that adds the most weight of shared
    concepts not said yet per √words (ties to the better rank); facts that add nothing follow in rank order."""
    if len(facts) < 3:
        return list(facts)
    held: Counter[str | tuple[str, str]] = Counter()
    for a in articles:
        held.update(concepts(a.text))
    least = min(SHARED_BY, len(articles))
    weight = {c: n for c, n in held.items() if n >= least}
    said = concepts(facts[0].text)
    order, left = [facts[0]], list(facts[1:])
    own = {id(f): concepts(f.text) for f in left}

    def gain(f: Fact) -> float:
        return sum(weight.get(c, 0) for c in own[id(f)] - said) / max(1, len(f.text.split())) ** LENGTH_EXPONENT

    while left:
        best = max(left, key=gain)  # max keeps the first of equals: the better-ranked
        if gain(best) <= 0:
            break
        order.append(best)
        left.remove(best)
        said |= own[id(best)]
    return order + left


def summary_length(source_words: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(words, sentences) bounds of the summary of a cluster of ``source_words`` words: the first tier
    whose size the cluster is under (:data:`LENGTHS`)."""
    return next((words, sentences) for limit, words, sentences in LENGTHS if source_words < limit)


# The summary's length follows the cluster: (cluster words under, summary words, summary sentences).
# Human summaries run about 100 words for three 90-word excerpts (AllSides) and about 215 for three
# or more full articles (Multi-News, median 1,928 words).
LENGTHS: tuple[tuple[float, tuple[int, int], tuple[int, int]], ...] = (
    (SMALL_CLUSTER_WORDS, (100, 150), (4, 7)),
    (FULL_CLUSTER_WORDS, (150, 220), (5, 9)),
    (float("inf"), (200, 260), (6, 10)),
)

"""The fact sheet: the top-ranked facts a brief should say, within a token budget.

The model fuses these into prose instead of reading whole articles, so the prompt stays small
whatever the cluster's size (a cluster of 500 articles still needs one synthesis call), and what
the brief says is chosen by code. The summary's length follows the cluster's size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..evidence import Fact
from ..schema.article import Article

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
    return Sheet(chosen, *summary_length(sum(len(a.text.split()) for a in articles)))


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

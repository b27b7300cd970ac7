"""The evidence step's data: quote candidates, figures, persons, and the Evidence of a cluster."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..schema.article import Article
from ..schema.parts import Disagreement, Entities, Quote, SentenceRef, Statement, TimelineEvent
from ..text.names import names_match

if TYPE_CHECKING:
    from .facts import Fact
    from .speech import Reported

from .statements import group_speaker, one_per_article, rendering_speaker, same_statement

# Quotes shorter than this are scare quotes or labels (“co-belligerents”, “fake news”):
# kept apart as ``Evidence.fragments`` so that prompts offer only real statements.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class QuoteCandidate:
    """A quoted span of one article, with the speaker named near it (if any)."""

    id: int
    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    context: str
    fragment: bool = False  # fewer than MIN_QUOTE_WORDS words: a scare quote or label
    # Why ``speaker`` said it: the attribution cue ("Putin said", "according to X") as a span of the
    # article; None when the quote has no speaker. See :mod:`summarizer.evidence.attribution`.
    cue: SentenceRef | None = None

    def to_quote(self, speaker: str | None = None) -> Quote:
        """This span as a schema :class:`Quote`."""
        return Quote(
            text=self.text,
            speaker=speaker or self.speaker or "",
            article_id=self.article_id,
            start=self.start,
            end=self.end,
        )


@dataclass(frozen=True)
class NumberMention:
    """A figure in an article, with what it counts and who states it."""

    article_id: str
    raw: str
    value: float
    unit: str | None
    sentence: str
    claimant: str | None
    start: int
    end: int
    kind: str = "count"  # count, percent, money, year, date, ordinal, time
    qualifier: str = ""  # "about", "at least", "as many as", ...


@dataclass(frozen=True)
class Person:
    name: str  # the full name as written, e.g. "Vladimir Putin"
    keys: frozenset[str]  # tokens that refer to this person alone (usually the surname)


@dataclass
class Evidence:
    """Everything checkable in a cluster, for prompts and for grounding."""

    articles: list[Article]
    quotes: list[QuoteCandidate]
    numbers: list[NumberMention]
    entities: Entities
    disagreements: list[Disagreement]
    fragments: list[QuoteCandidate] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # best first; see evidence.facts
    reported: list[Reported] = field(default_factory=list)  # attributed statements (reported speech)
    timeline: list[TimelineEvent] = field(default_factory=list)  # dated events; see evidence.timeline

    def quote(self, quote_id: int) -> QuoteCandidate | None:
        """The candidate (quote or fragment) with this id, or None."""
        for q in self.quotes + self.fragments:
            if q.id == quote_id:
                return q
        return None

    def statements(self, quote_ids: Iterable[int], speaker: str | None = None) -> list[Statement]:
        """Turn chosen quote ids into Statements, one per thing said.

        Renderings of one statement (same speaker, similar content, different articles:
        translations) become one Statement; other articles' renderings are added even if
        only one id was chosen. With ``speaker`` (the perspective's actor), quotes whose
        detected speaker is someone else, or who have none, are left out.
        """
        pool = self.quotes + self.fragments
        chosen = [q for qid in dict.fromkeys(quote_ids) if (q := self.quote(qid)) is not None]
        if speaker:
            # A quote without a speaker is no one's words: it never enters a named perspective.
            chosen = [q for q in chosen if q.speaker is not None and names_match(q.speaker, speaker)]
        groups: list[list[QuoteCandidate]] = []
        for q in chosen:
            if any(q in g for g in groups):
                continue
            group = [q]
            for other in pool:
                if other is q or other.fragment != q.fragment or any(other in g for g in groups):
                    continue
                if same_statement(q, other, speaker):
                    group.append(other)
            groups.append(one_per_article(group, chosen))
        out: list[Statement] = []
        for group in groups:
            who = group_speaker(group, speaker)
            if not who:
                continue  # nobody is named near the quote: it cannot be attributed
            renderings = [c.to_quote(rendering_speaker(c, who)) for c in group]
            out.append(Statement(speaker=who, renderings=renderings))
        return out

"""The truth layer's vocabulary: an Issue, the Check interface, and the Context checks share."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..schema.article import Article
from ..schema.meta import GroundingIssue
from ..text.normalize import folded
from ..text.numbers import figures
from .policy import POLICY

# Per-article caches (words, numbers, vocabulary, scripts of each article text) must hold a whole
# cluster: checks look every article up once per sentence, and past the cache's size every look-up
# recomputes, so a 257-article cluster cost ~30x a 256-article one. Bounded, so a long batch of
# clusters does not keep every article it has seen.
ARTICLE_CACHE = 4096

if TYPE_CHECKING:
    from ..evidence import Evidence
    from ..schema.brief import StoryBrief


@dataclass(frozen=True)
class Issue:
    """One problem a check found: a stable ``code`` (a row of :data:`~summarizer.truth.policy.POLICY`),
    where in the brief, and a human-readable detail. ``fix`` optionally carries the repaired value."""

    code: str
    where: str
    detail: str
    fix: Any = None

    @property
    def kind(self) -> str:
        """The public category the report shows (``GroundingIssue.kind``)."""
        return POLICY[self.code].kind

    @property
    def fatal(self) -> bool:
        return POLICY[self.code].fatal

    def record(self, action: str) -> GroundingIssue:
        return GroundingIssue(kind=self.kind, where=self.where, detail=self.detail, action=action)  # type: ignore[arg-type]


class Check(Protocol):
    """A small check of one kind of brief item (see :mod:`summarizer.truth.walk` for the kinds).

    ``check`` lists what is wrong and never changes anything; ``repair`` gets the issues its own
    ``check`` found and returns the repaired item, or None to drop it. Checks run in ``order``.
    """

    kinds: ClassVar[tuple[str, ...]]
    order: ClassVar[int]

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]: ...

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any: ...


class NoRepair:
    """Mixin for checks that only report: the item is kept as it is (fatal issues still drop it)."""

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        return item


@dataclass
class Tally:
    """What was checked, repaired and dropped: the counters of the GroundingReport."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@functools.lru_cache(maxsize=ARTICLE_CACHE)
def _folded_text(text: str) -> str:
    # Only the folded string, kept across briefs and contexts (a pipeline run builds five):
    # ``folded`` also returns a per-character offset list, too big to keep for thousands of articles.
    return folded(text)[0]


@dataclass
class Context:
    """Everything a check may consult, built once per brief: the articles, their index by id,
    the evidence (when the pipeline has it), the mode, and what repairs record."""

    articles: list[Article]
    evidence: Evidence | None = None
    strict: bool = False
    disputed: frozenset[float] = frozenset()
    records: list[GroundingIssue] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    repaired: set[str] = field(default_factory=set)
    brief: StoryBrief | None = None  # the brief being walked, as it was given (for checks across fields)

    @functools.cached_property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @functools.cached_property
    def order(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.articles)}

    @functools.cached_property
    def folded_texts(self) -> list[str]:
        """Each article's text normalized and case-folded, once per brief. ``folded``'s own cache
        holds 256 texts: a check that reads every article of a larger cluster, once per item,
        would otherwise fold every article again for every item."""
        return [_folded_text(a.text) for a in self.articles]

    def record(self, issue: Issue, action: str) -> None:
        self.records.append(issue.record(action))

    def note(self, code: str, where: str, detail: str, action: str) -> None:
        self.record(Issue(code, where, detail), action)

    def mark_repaired(self, where: str) -> None:
        self.repaired.add(where)

    @classmethod
    def for_brief(
        cls, brief: StoryBrief, articles: Sequence[Article], evidence: Evidence | None = None, *, strict: bool = False
    ) -> Context:
        """A context whose disputed figures come from the brief's and the evidence's disagreements."""
        disagreements = list(brief.disagreements) + (list(evidence.disagreements) if evidence else [])
        disputed = frozenset(
            v for d in disagreements for c in d.claims for _, vals in figures(c.value) for v in vals if v >= 2
        )
        return cls(list(articles), evidence, strict, disputed, brief=brief)

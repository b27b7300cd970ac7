"""Timeline events: each rests on exact source sentences, and each date is one those sentences give.

An event's evidence must be verbatim spans of the cited articles (``text == article.text[start:end]``)
and cite only articles of the cluster. Its date must be written in the sentence that gives it, and
re-resolving that sentence's article (:func:`summarizer.text.dates.find_dates`, the resolver that
built it) must give the same date: a forged or mistyped date cannot pass. Repair drops the event.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..schema.parts import SentenceRef, TimelineEvent
from ..text.dates import article_dates, mentions_in
from .base import Context, Issue
from .support import verbatim


def _date_given(ref: SentenceRef, date_text: str, iso: str, ctx: Context) -> bool:
    """``date_text`` occurs in the sentence, and the resolver dates it ``iso`` there."""
    art = ctx.by_id.get(ref.article_id)
    if art is None or not date_text or date_text not in ref.text:
        return False
    return any(m.text == date_text and m.iso == iso and ref.start <= m.start < ref.end
               for m in mentions_in(art.text, *article_dates(ctx.articles)[art.id]))


class TimelineCheck:
    """Fatal issues only (the walker drops the event): there is nothing to repair a date with."""

    kinds: ClassVar[tuple[str, ...]] = ("event",)
    order: ClassVar[int] = 10

    def check(self, item: TimelineEvent, where: str, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        refs = list(item.evidence) + [c.evidence for c in item.disputed]
        for ref in refs:
            if not verbatim(ref, ctx):
                issues.append(Issue("event_not_verbatim", where,
                                    f"sentence {ref.text[:60]!r} is not verbatim in article {ref.article_id}"))
        unknown = [s for s in item.sources if s not in ctx.by_id]
        if unknown:
            issues.append(Issue("event_not_verbatim", where, f"cites unknown articles {unknown}"))
        dates: list[tuple[SentenceRef, str, str]] = [(c.evidence, c.date_text, c.date) for c in item.disputed]
        if not item.disputed:
            dates.append((item.evidence[0], item.date_text, item.date))
        elif len({c.date for c in item.disputed}) < 2:
            issues.append(Issue("event_date_unsupported", where, "a disputed date needs two different dates"))
        for ref, text, iso in dates:
            if not _date_given(ref, text, iso, ctx):
                issues.append(Issue("event_date_unsupported", where,
                                    f"{text!r} as {iso} is not a date that article {ref.article_id} gives there"))
        return issues

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        return None if issues else item


CHECKS = [TimelineCheck()]

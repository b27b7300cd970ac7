"""An update's "what's new" items must rest on the articles the update added.

Every sentence, claim, actor and quote under ``whats_new`` cites at least one of
``whats_new.articles``; an item that does not is not news of this update and is dropped.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..schema.parts import CitedSentence, Claim, Perspective, Quote
from .base import Context, Issue, NoRepair


def _cited(item: Any) -> set[str]:
    if isinstance(item, Quote):
        return {item.article_id}
    if isinstance(item, (CitedSentence, Claim, Perspective)):
        return set(item.sources)
    return set()


class NoveltyCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("sentence", "claim", "actor", "quote")
    order: ClassVar[int] = 5

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        if not where.startswith("whats_new") or ctx.brief is None or ctx.brief.whats_new is None:
            return []
        if _cited(item) & set(ctx.brief.whats_new.articles):
            return []
        return [Issue("not_new", where, "cites none of the articles this update added")]


CHECKS = [NoveltyCheck()]

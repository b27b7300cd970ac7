"""Entities: every country, organisation and person listed occurs in some article."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ..schema import Article, Entity
from ..text.normalize import folded, normalize
from ..text.search import occurs_bounded
from .base import Context, Issue, NoRepair


def entity_in_sources(name: str, articles: Sequence[Article]) -> bool:
    needle = normalize(name, casefold=True)
    return any(occurs_bounded(needle, folded(a.text)[0]) for a in articles)


class EntityCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("entity",)
    order: ClassVar[int] = 40

    def check(self, item: Entity, where: str, ctx: Context) -> list[Issue]:
        if entity_in_sources(item.name, ctx.articles):
            return []
        return [Issue("entity_unsupported", where, f"{item.name!r} occurs in no article")]


CHECKS = [EntityCheck()]

"""Entities: every country, organisation and person listed occurs in some article."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import ClassVar

from ..schema.article import Article
from ..schema.parts import Entity
from ..text.normalize import folded, normalize
from ..text.search import occurs_bounded
from .base import Context, Issue, NoRepair


def entity_in_sources(name: str, articles: Sequence[Article], folded_texts: Sequence[str] | None = None) -> bool:
    """True when ``name`` occurs as a whole word in some article (normalized, case-folded).
    ``folded_texts`` are the articles' folded texts when the caller already has them."""
    needle = normalize(name, casefold=True)
    # Callers that check many names pass the context's folded texts (folded once per brief).
    texts = folded_texts if folded_texts is not None else (folded(a.text)[0] for a in articles)
    return any(_occurs(needle, text) for text in texts)


@functools.lru_cache(maxsize=4096)
def _occurs(needle: str, text: str) -> bool:
    # One brief's entities are checked by every pass of the truth layer (check, repair, the final
    # validation): against a multi-megabyte article each search is a scan, so each is made once.
    return occurs_bounded(needle, text)


class EntityCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("entity",)
    order: ClassVar[int] = 40

    def check(self, item: Entity, where: str, ctx: Context) -> list[Issue]:
        # The entity's own sources first: scanning every article for every entity grew with
        # entities x articles, and both grow with the cluster. The answer is the same.
        texts = ctx.folded_texts
        first = [texts[ctx.order[s]] for s in item.sources if s in ctx.order]
        if entity_in_sources(item.name, ctx.articles, first) or entity_in_sources(item.name, ctx.articles, texts):
            return []
        return [Issue("entity_unsupported", where, f"{item.name!r} occurs in no article")]


CHECKS = [EntityCheck()]

"""Reactions by country rest on their articles: each is an exact sentence of its article that names
the actor or the country it speaks for (:func:`summarizer.evidence.reactions.names_reactor`), and
the actor speaks for a state. Otherwise the reaction is dropped, and strict validation refuses it.
"""

from __future__ import annotations

from typing import ClassVar

from ..evidence.reactions import country_of, names_reactor, speaks_for_a_state
from ..schema.parts import Reaction
from .base import Context, Issue, NoRepair
from .support import verbatim


class ReactionCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("reaction",)
    order: ClassVar[int] = 40

    def check(self, item: Reaction, where: str, ctx: Context) -> list[Issue]:
        if not verbatim(item.sentence, ctx):
            return [Issue("reaction_not_verbatim", where,
                          f"sentence {item.sentence.text[:60]!r} is not verbatim in article {item.sentence.article_id}")]
        if not speaks_for_a_state(item.actor, item.role) or country_of(item.actor, item.role) != item.country:
            return [Issue("reaction_unsupported", where,
                          f"{item.actor!r} ({item.role or 'no role'}) does not speak for {item.country}")]
        if not names_reactor(item.sentence.text, item.actor, item.country):
            return [Issue("reaction_unsupported", where,
                          f"its sentence names neither {item.actor!r} nor {item.country}")]
        return []


CHECKS = [ReactionCheck()]

"""Injection: text in the brief's voice that talks to a model is data, not the brief (fatal)."""

from __future__ import annotations

from typing import Any, ClassVar

from ..schema.parts import Perspective
from ..text.injection import injection_markers
from .base import Context, Issue, NoRepair
from .facts import text_of

# The matched words are not repeated in the report: a brief must not carry the injection on.
DETAIL = "contains instruction-like text (prompt injection), treated as data"


class InjectionCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("title", "sentence", "stance", "actor", "topic")
    order: ClassVar[int] = 0

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        if isinstance(item, Perspective):
            if injection_markers(item.actor + " " + item.role):
                return [Issue("injection", where, "instruction-like text in the actor or role")]
            return []
        return [Issue("injection", where, DETAIL)] if injection_markers(text_of(item)) else []


CHECKS = [InjectionCheck()]

"""Neutrality: the brief's own voice uses no loaded words, and disputed figures are attributed.

Policy for loaded language that survives the re-asks: ``intensifier``/``hedge`` words ("brutal",
"so-called") are deleted where that is grammatical; other loaded terms ("regime", "murderer")
are kept and flagged, never rewritten, because a rewrite by rule could change meaning. Quoted
text is the speaker's and is never flagged (:mod:`summarizer.text.loaded`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..schema import CitedSentence
from ..text.loaded import LoadedHit, find_loaded, remove_intensifiers
from ..text.numbers import figures
from ..text.sentences import unquoted
from .base import Context, Issue
from .facts import text_of

_ATTRIBUTION_RE = re.compile(
    r"\b(?:according\s+to|said|says|say|saying|estimated|estimates?|estimating|claimed|claims?|claiming|"
    r"reported|reports?|reporting|stated|states|told|announced|warned|confirmed|alleged|alleges|believes?|"
    r"believed|assessed|assesses|suggested|suggests|indicated|projected|projects|cited|citing|per|"
    r"put\s+the|puts\s+the|figures?|range|ranging|vary|varying|differ|differing|disputed)\b",
    re.IGNORECASE,
)


def _uses(hits: list[LoadedHit]) -> str:
    return "uses " + ", ".join(repr(h.text) for h in hits) + " in the brief's own voice"


class LoadedLanguageCheck:
    """Loaded or evaluative terms in the brief's own voice."""

    kinds: ClassVar[tuple[str, ...]] = ("title", "sentence", "stance")
    order: ClassVar[int] = 50

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        hits = find_loaded(text_of(item))
        return [Issue("loaded_language", where, _uses(hits))] if hits else []

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        if not issues:
            return item
        text, removed = remove_intensifiers(text_of(item))
        remaining = find_loaded(text)
        ctx.tally.add("loaded_terms", len(removed) + len(remaining))
        if removed:
            ctx.note("loaded_language", where, "removed " + ", ".join(map(repr, removed)), "repaired")
            ctx.mark_repaired(where)
        if remaining:
            ctx.note("loaded_language", where, _uses(remaining), "flagged")
        return item.model_copy(update={"text": text}) if isinstance(item, CitedSentence) else text


class AttributionCheck:
    """A figure the sources dispute, stated without saying who claims it (flagged)."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 60

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if not ctx.disputed or _ATTRIBUTION_RE.search(item.text):
            return []
        for raw, values in figures(unquoted(item.text)):  # a quoted figure is the speaker's
            if any(v in ctx.disputed for v in values):
                return [Issue("unattributed_claim", where, f"states the disputed figure {raw!r} without saying who claims it")]
        return []

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence:
        for i in issues:
            ctx.record(i, "flagged")
        return item


CHECKS = [LoadedLanguageCheck(), AttributionCheck()]

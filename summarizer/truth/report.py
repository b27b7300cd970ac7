"""The GroundingReport of a repaired brief, counted from the walk's tally and records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..schema.meta import GroundingReport
from .base import Context

if TYPE_CHECKING:
    from ..schema.brief import StoryBrief

COUNTERS = (
    "quotes_checked", "quotes_repaired", "quotes_dropped", "sentences_checked", "sentences_repaired",
    "sentences_dropped", "numbers_checked", "numbers_unsupported", "names_checked", "names_unsupported",
    "loaded_terms",
)


def build(brief: StoryBrief, ctx: Context) -> GroundingReport:
    """Counts from ``ctx.tally``; the issues already on the brief (and its re-ask count) are kept."""
    counts = {name: ctx.tally.counts.get(name, 0) for name in COUNTERS}
    return GroundingReport(**counts, reasks=brief.grounding.reasks,
                           issues=list(brief.grounding.issues) + ctx.records)

"""Redundancy: a key point that only repeats a summary sentence adds nothing for the reader (dropped).

The example of how small a check is: this module plus its row in :data:`~summarizer.truth.policy.POLICY`.
"""

from __future__ import annotations

from typing import ClassVar

from ..schema.parts import CitedSentence
from ..text.words import content_words
from .base import Context, Issue, NoRepair

MIN_OVERLAP = 0.8  # share of the key point's content words that one summary sentence already says
CUT = 6  # content words are cut to six letters, so that "deployed" meets "deployment"


class RedundantKeyPointCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("key_point",)
    order: ClassVar[int] = 70

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if ctx.brief is None:
            return []
        point = content_words(item.text, cut=CUT)
        if len(point) < 3:
            return []
        for i, s in enumerate(ctx.brief.summary):
            shared = len(point & content_words(s.text, cut=CUT)) / len(point)
            if shared >= MIN_OVERLAP:
                return [Issue("redundant_key_point", where, f"repeats summary[{i}] ({shared:.0%} of its words)")]
        return []


CHECKS = [RedundantKeyPointCheck()]

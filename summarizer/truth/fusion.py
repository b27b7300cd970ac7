"""A model's sentence that fuses several source sentences is kept only where its meaning can be checked.

The meaning rules (:mod:`summarizer.truth.meaning`) read a sentence against the source sentence it
copies: a changed name, figure, weekday, opposite or negation stands out there. A sentence that mixes
two or three source sentences holds all their words and may still say what none of them says, and the
rules cannot see it. On the AllSides dev set the embedded 1.5B model fused "Merck asked the FDA for
emergency approval" into "has been approved by the Food and Drug Administration", and CNN's medical
correspondent's title into the podcaster's name, with every word found in the cited sentences.

So a model's sentence must rest on one of its source sentences: that sentence holds its names and
numbers and at least :data:`ONE_SOURCE_SHARE` of its content words (a copy, a compression by deletion,
light rewording). Otherwise the source sentence that supports it best stands in for it, unless an
entailment judge plugged in with :func:`summarizer.truth.meaning.use_judge` finds the fused sentence
entailed by its sources. Code's own merges (:mod:`summarizer.text.merging`) are not the model's and
are not read here: they add nothing but "and".
"""

from __future__ import annotations

from typing import ClassVar

from ..schema.parts import CitedSentence, SentenceRef
from . import meaning
from .base import Context, Issue
from .support import support

ONE_SOURCE_SHARE = 0.8  # of a model sentence's content words, in the one source sentence that holds most


def _best(item: CitedSentence) -> tuple[SentenceRef, bool]:
    """The cited source sentence that supports ``item`` best (it cites one at least), and whether it holds it alone."""
    scored = [(support(item.text, [r]), r) for r in item.evidence]
    (missing, share), ref = max(scored, key=lambda x: (not x[0][0], x[0][1]))
    return ref, not missing and share >= ONE_SOURCE_SHARE


class FusionCheck:
    """A model sentence that no one source sentence holds (see the module docstring)."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 64  # before the meaning check, which then judges the sentence that stands in

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if item.origin != "model" or len(item.evidence) < 2:
            return []
        ref, alone = _best(item)
        if alone:
            return []
        judge = meaning.second_judge()
        if judge is not None and judge.judge(item.text, [r.text for r in item.evidence]).label == "entailed":
            return []
        return [Issue("fusion_unverified", where, "fuses source sentences none of which holds it alone", fix=ref)]

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence:
        if not issues:
            return item
        now = self.check(item, where, ctx)  # an earlier check may have put a source sentence in its place
        if not now:
            return item
        ref: SentenceRef = now[0].fix
        for i in issues:
            ctx.record(i, "repaired")
        ctx.mark_repaired(where)
        return CitedSentence(text=" ".join(ref.text.split()), sources=[ref.article_id], evidence=[ref], origin="fact")


CHECKS = [FusionCheck()]

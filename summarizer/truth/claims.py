"""Claims of a disagreement: each figure occurs in some article, and each claim cites one; the
summary's line for a disagreement is that disagreement's own rendering."""

from __future__ import annotations

from typing import ClassVar

from ..schema.parts import CitedSentence, Claim, Disagreement
from ..text.numbers import figures
from .base import Context, Issue, NoRepair
from .facts import number_supported


class ClaimCheck(NoRepair):
    kinds: ClassVar[tuple[str, ...]] = ("claim",)
    order: ClassVar[int] = 40

    def check(self, item: Claim, where: str, ctx: Context) -> list[Issue]:
        found = figures(item.value)
        bad = [raw for raw, vals in found if not any(number_supported(vals, a) for a in ctx.articles)]
        ctx.tally.add("numbers_checked", len(found))
        ctx.tally.add("numbers_unsupported", len(bad))
        issues = [Issue("number_unsupported", where, f"says {raw!r} but no article contains that number") for raw in bad]
        if not any(s in ctx.by_id for s in item.sources):
            issues.append(Issue("claim_uncited", where, "cites no article of the cluster"))
        return issues


DIFFER = "Sources differ on the"  # how the attributed line of a disagreement opens (disagreement_sentence)


def disagreement_sentence(d: Disagreement) -> CitedSentence:
    """One attributed sentence listing each side's figure (``origin="disagreement"``)."""
    parts = [f"{c.value} according to {' and '.join(x.strip() for x in c.claimant.split(';'))}" for c in d.claims]
    sources = list(dict.fromkeys(s for c in d.claims for s in c.sources))
    return CitedSentence(text=f"{DIFFER} {d.subject}: {'; '.join(parts)}.", sources=sources, origin="disagreement")


class DisagreementLineCheck(NoRepair):
    """A summary sentence of origin ``disagreement`` is code's rendering of one of the brief's disagreements,
    word for word: its figures and claimants are checked there, so a line that says anything else (another
    subject, a figure moved to the other side) rests on nothing."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 41

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if item.origin != "disagreement" or ctx.brief is None:
            return []
        if item.text in {disagreement_sentence(d).text for d in ctx.brief.disagreements}:
            return []
        return [Issue("disagreement_line", where, "is not the line of any of the brief's disagreements")]


CHECKS = [ClaimCheck(), DisagreementLineCheck()]

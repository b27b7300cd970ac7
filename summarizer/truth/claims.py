"""Claims of a disagreement: each figure occurs in some article, and each claim cites one."""

from __future__ import annotations

from typing import ClassVar

from ..schema.parts import Claim
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


CHECKS = [ClaimCheck()]

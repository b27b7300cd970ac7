"""Citations: every cited article exists, and the cited articles hold what the sentence says.

A citation must support its sentence, not just share a word with it: each cited article has
to hold at least half of the sentence's names and numbers ("cite everything" fails), and a
fact no cited article holds is re-cited to an article that has it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..schema.parts import CitedSentence
from .base import Context, Issue
from .facts import fact_holders, sentence_facts

_CITES = {"sentence", "sources", "claim", "entity"}  # item kinds that carry a list of article ids


def _sources(item: Any) -> list[str]:
    return list(item) if isinstance(item, list) else list(item.sources)


def _with_sources(item: Any, sources: list[str]) -> Any:
    return sources if isinstance(item, list) else item.model_copy(update={"sources": sources})


class DanglingCheck:
    """Citations of articles that are not in the cluster are removed."""

    kinds: ClassVar[tuple[str, ...]] = tuple(sorted(_CITES))
    order: ClassVar[int] = 20

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        return [
            Issue("citation_dangling", where, f"cites article {s!r}, which is not in the cluster")
            for s in _sources(item)
            if s not in ctx.by_id
        ]

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        for i in issues:
            ctx.record(i, "repaired")
            ctx.mark_repaired(where)
        return _with_sources(item, [s for s in dict.fromkeys(_sources(item)) if s in ctx.by_id])


class SourceCheck:
    """An entry of the brief's source list must be an article of the cluster."""

    kinds: ClassVar[tuple[str, ...]] = ("source",)
    order: ClassVar[int] = 20

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        if item.article_id in ctx.by_id:
            return []
        return [Issue("source_unknown", where, f"article {item.article_id!r} is not in the cluster")]

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        return item


class SupportCheck:
    """Facts of a sentence that its cited articles do not hold (they are re-cited in repair)."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 45

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        cited = [ctx.by_id[s] for s in item.sources if s in ctx.by_id]
        facts = sentence_facts(item.text, cited, ctx.articles)
        issues = [
            Issue(
                "citation_uncited",
                where,
                f"{fact!r} is not in the cited article(s) {', '.join(item.sources) or '(none)'} "
                f"but is in {', '.join(others)}",
            )
            for fact, others in facts.uncited_facts.items()
        ]
        if not cited and not facts.uncited_facts:
            issues.append(Issue("citation_none", where, "cites no article of the cluster"))
        return issues

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        sources = self._narrow(item, where, ctx)
        sources = self._recite(item.text, sources, where, ctx)
        if not sources:
            ctx.note("citation_none", where, "cites no article of the cluster", "dropped")
            return None
        return item.model_copy(update={"sources": sources})

    @staticmethod
    def _narrow(item: CitedSentence, where: str, ctx: Context) -> list[str]:
        """Keep the cited articles that hold at least half of the sentence's names and numbers."""
        sources = list(item.sources)
        holders = fact_holders(item.text, ctx.articles)
        checkable = len(holders)
        if not checkable or len(sources) < 2:
            return sources
        # A fact an article lacks counts against it only when some article has it (as sentence_facts).
        held = {s: checkable - len({f for f, ids in holders if ids and s not in ids}) for s in sources}
        keep = [s for s in sources if 2 * held[s] >= checkable] or [max(sources, key=lambda s: held[s])]
        if keep != sources:
            dropped = [s for s in sources if s not in keep]
            ctx.note("citation_repaired", where, "removed citation(s) to " + ", ".join(dropped)
                     + ", which hold fewer than half of the sentence's names and numbers", "repaired")
            ctx.mark_repaired(where)
        return keep

    @staticmethod
    def _recite(text: str, sources: list[str], where: str, ctx: Context) -> list[str]:
        """Add, per fact no cited article holds, an article that has it (preferring one that covers most)."""
        uncited = sentence_facts(text, [ctx.by_id[s] for s in sources], ctx.articles).uncited_facts
        pending = dict(uncited)
        sources = list(sources)
        while pending:
            counts: dict[str, int] = {}
            for others in pending.values():
                for aid in others:
                    counts[aid] = counts.get(aid, 0) + 1
            best = max(counts, key=lambda a: (counts[a], -ctx.order[a]))
            sources.append(best)
            pending = {f: o for f, o in pending.items() if best not in o}
        if uncited:
            detail = ("re-cited to " + ", ".join(sources) + " ("
                      + ", ".join(map(repr, uncited)) + " were not in the cited articles)")
            ctx.note("citation_repaired", where, detail, "repaired")
            ctx.mark_repaired(where)
        return sources


CHECKS = [DanglingCheck(), SourceCheck(), SupportCheck()]

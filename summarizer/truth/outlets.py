"""Coverage, location and key players: every entry rests on its articles.

* an outlet's entry names an article of the cluster, shows that article's own headline, and each of
  its sentences (angle, leads, only-here) is that article's own: a sentence of another article is
  dropped; each sentence is then checked verbatim like any source sentence (``reference`` kind,
  :class:`~summarizer.truth.support.ReferenceCheck`);
* a stance's sentences must come from that stance's articles; its one sentence in the brief's voice
  is checked like any summary sentence (``sentence`` kind);
* a place and a key player must be named in some article; a player's role must be drawn from them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..schema.parts import KeyPlayer, OutletCoverage, SentenceRef, StanceCoverage
from .base import Context, Issue, NoRepair
from .entities import entity_in_sources
from .facts import sentence_facts

OUTLET_FIELDS = ("angle", "leads", "only_here")
SIDE_FIELDS = ("emphasis", "only_this_side")


def _foreign(refs: list[SentenceRef], allowed: set[str], where: str, field: str) -> list[Issue]:
    return [
        Issue("coverage_foreign_sentence", f"{where}.{field}[{k}]",
              f"sentence {r.text[:60]!r} is from article {r.article_id}, not from {', '.join(sorted(allowed))}")
        for k, r in enumerate(refs) if r.article_id not in allowed
    ]


def _drop_foreign(item: Any, fields: tuple[str, ...], allowed: set[str], issues: list[Issue], ctx: Context) -> Any:
    for i in issues:
        ctx.record(i, "dropped" if i.code == "coverage_foreign_sentence" else "repaired")
    update = {f: [r for r in getattr(item, f) if r.article_id in allowed] for f in fields}
    return item.model_copy(update=update)


class OutletEntryCheck:
    """An outlet's entry: a real article, its real headline, and only that article's sentences."""

    kinds: ClassVar[tuple[str, ...]] = ("outlet",)
    order: ClassVar[int] = 20

    def check(self, item: OutletCoverage, where: str, ctx: Context) -> list[Issue]:
        art = ctx.by_id.get(item.article_id)
        if art is None:
            return [Issue("coverage_unknown_article", where, f"article {item.article_id!r} is not in the cluster")]
        issues = [i for f in OUTLET_FIELDS for i in _foreign(getattr(item, f), {art.id}, where, f)]
        if item.headline and item.headline != " ".join(art.title.split()):
            issues.append(Issue("coverage_headline", where, f"headline {item.headline[:60]!r} is not article "
                                f"{art.id}'s headline"))
        return issues

    def repair(self, item: OutletCoverage, issues: list[Issue], where: str, ctx: Context) -> OutletCoverage:
        fixed = _drop_foreign(item, OUTLET_FIELDS, {item.article_id}, issues, ctx)
        art = ctx.by_id[item.article_id]
        if any(i.code == "coverage_headline" for i in issues):
            fixed = fixed.model_copy(update={"headline": " ".join(art.title.split())})
        return fixed


class SideCheck:
    """A stance's sentences come from that stance's articles (its article ids are checked as citations)."""

    kinds: ClassVar[tuple[str, ...]] = ("side",)
    order: ClassVar[int] = 20

    def check(self, item: StanceCoverage, where: str, ctx: Context) -> list[Issue]:
        allowed = {a for a in item.articles if a in ctx.by_id}
        return [i for f in SIDE_FIELDS for i in _foreign(getattr(item, f), allowed, where, f)]

    def repair(self, item: StanceCoverage, issues: list[Issue], where: str, ctx: Context) -> StanceCoverage:
        return _drop_foreign(item, SIDE_FIELDS, {a for a in item.articles if a in ctx.by_id}, issues, ctx)


class PlaceCheck(NoRepair):
    """A place of the story must be named in some article (otherwise it is dropped)."""

    kinds: ClassVar[tuple[str, ...]] = ("place",)
    order: ClassVar[int] = 40

    def check(self, item: str, where: str, ctx: Context) -> list[Issue]:
        if entity_in_sources(item, ctx.articles, ctx.folded_texts):
            return []
        return [Issue("place_unsupported", where, f"{item!r} occurs in no article")]


class PlayerCheck(NoRepair):
    """A key player must be named in some article (otherwise it is dropped)."""

    kinds: ClassVar[tuple[str, ...]] = ("player",)
    order: ClassVar[int] = 40

    def check(self, item: KeyPlayer, where: str, ctx: Context) -> list[Issue]:
        if entity_in_sources(item.name, ctx.articles, ctx.folded_texts) or not sentence_facts(item.name, ctx.articles,
                                                                             ctx.articles).missing_names:
            return []
        return [Issue("player_unsupported", where, f"{item.name!r} appears in no article")]


CHECKS = [OutletEntryCheck(), SideCheck(), PlaceCheck(), PlayerCheck()]

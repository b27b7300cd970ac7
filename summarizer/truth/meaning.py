"""Meaning: a sentence the model writes must not say the opposite of the source sentences it cites.

Word overlap (:mod:`summarizer.truth.support`) lets through a sentence built from its source's own
words that reverses it: "did not issue" for "issued", "for" for "against", a figure or a weekday
swapped for another the source gives, the accuser and the accused swapped. This check aligns each
sentence (summary, key points, what's new, each side's coverage sentence) with the source
sentences it cites and applies the rules of :mod:`summarizer.truth.contradiction`; a perspective's
stance is held to the same rules against its actor's quotes and reported speech.

Each rule has its own issue code (``meaning_negation``, ``meaning_antonym``, ``meaning_figure``,
``meaning_date``, ``meaning_role``, ``meaning_name``, ``meaning_quote``). Repair lets the cited source sentence that
best supports the sentence stand in for it (as :mod:`~summarizer.truth.support` does); a stance
that contradicts its actor's words is cleared. Strict validation
(``StoryBrief.model_validate(..., context={"articles": ...})``) rejects a brief with any of them.

Entailment seam: the rules are one :class:`Entailment`. A sharper judge (an NLI cross-encoder
loaded from a local folder, or the local LLM asked "does the source say this? yes/no") plugs in
with :func:`use_judge`; it is asked only about the sentences the rules flag, so it costs nothing on
a sentence that passes, and a flagged sentence it judges ``entailed`` is kept. The default needs
nothing beyond this package and works offline::

    class MyNLI:
        def judge(self, sentence: str, sources: Sequence[str]) -> Verdict:
            p = my_cross_encoder.predict([(" ".join(sources), sentence)])  # a local model folder
            return Verdict("entailed" if p[0] > 0.9 else "contradicted")

    summarizer.truth.meaning.use_judge(MyNLI())
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

from ..schema.parts import CitedSentence, SentenceRef
from .base import Context, Issue
from .contradiction import RULES, Finding, contradictions
from .quotes import find_normalized
from .support import support, verbatim

# one code per kind of finding (the substitution rule finds figures and names put for others)
CODES = {rule: f"meaning_{rule}" for rule in RULES if rule != "substitution"}
STANCE_RULES = ("negation", "antonym", "figure")  # a stance paraphrases several remarks: names and roles vary
_PERSPECTIVE = re.compile(r"^(perspectives|whats_new\.actors)\[(\d+)\]\.stance$")


@dataclass(frozen=True)
class Verdict:
    """What a judge says of a sentence against its sources; ``findings`` say why when it contradicts."""

    label: Literal["entailed", "contradicted", "unknown"]
    findings: tuple[Finding, ...] = field(default=())


class Entailment(Protocol):
    """Judges whether ``sentence`` is borne out by ``sources`` (the source sentences it cites)."""

    def judge(self, sentence: str, sources: Sequence[str]) -> Verdict: ...


class Rules:
    """The default judge: the token rules of :mod:`summarizer.truth.contradiction`."""

    def __init__(self, rules: Sequence[str] = RULES) -> None:
        self.rules = tuple(rules)

    def judge(self, sentence: str, sources: Sequence[str], articles: Sequence[str] = ()) -> Verdict:
        found = tuple(contradictions(sentence, sources, articles, self.rules))
        return Verdict("contradicted", found) if found else Verdict("unknown")


_second: list[Entailment] = []


def use_judge(judge: Entailment | None) -> None:
    """Ask ``judge`` about every sentence the rules flag (None: the rules alone decide)."""
    _second[:] = [judge] if judge is not None else []


def second_judge() -> Entailment | None:
    """The judge plugged in with :func:`use_judge`, or None."""
    return _second[0] if _second else None


def findings(
    sentence: str, sources: Sequence[str], articles: Sequence[str] = (), rules: Sequence[str] = RULES
) -> list[Finding]:
    """How ``sentence`` contradicts ``sources``, after the plugged-in judge's second opinion."""
    verdict = Rules(rules).judge(sentence, sources, articles)
    if verdict.label != "contradicted":
        return []
    if _second and _second[0].judge(sentence, sources).label == "entailed":
        return []
    return list(verdict.findings)


def _issues(found: Sequence[Finding], where: str, rules: Sequence[str] = tuple(CODES)) -> list[Issue]:
    details = dict.fromkeys((f.rule, f.detail) for f in found if f.rule in rules)  # a name met twice: once
    return [Issue(CODES[rule], where, f"contradicts the source sentences it cites: it {detail}")
            for rule, detail in details]


def _cited(item: CitedSentence, ctx: Context) -> tuple[list[SentenceRef], list[str]]:
    refs = [r for r in item.evidence if verbatim(r, ctx)]
    ids = dict.fromkeys([*item.sources, *(r.article_id for r in refs)])
    return refs, [ctx.by_id[a].text for a in ids if a in ctx.by_id]


def _recited(item: CitedSentence, ctx: Context) -> CitedSentence | None:
    """``item`` cited to the first article of the cluster that holds it word for word, if one does."""
    for article in ctx.articles:
        span = find_normalized(item.text, article, None)
        if span is not None:
            ref = SentenceRef(article_id=article.id, start=span[0], end=span[1], text=article.text[span[0] : span[1]])
            return item.model_copy(update={"sources": [article.id], "evidence": [ref]})
    return None


class MeaningCheck:
    """A sentence against the source sentences it cites, by meaning (see the module docstring)."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 65  # repairs last of those that rewrite a sentence, so it judges the final text

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        refs, articles = _cited(item, ctx)
        if not refs:  # a sentence code wrote from the claims (no source sentence): its figures, in its articles
            return _issues(findings(item.text, articles, articles, ("figure",)), where)
        return _issues(findings(item.text, [r.text for r in refs], articles), where)

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        if not issues and where not in ctx.repaired:
            return item
        # The item as the checks before this one left it: another source sentence may stand in, or
        # its citations may have been re-pointed to other source sentences, which it must not reverse.
        now = self.check(item, where, ctx)
        if now and {i.code for i in now} == {"meaning_quote"} and (found := _recited(item, ctx)) is not None:
            for i in issues + [i for i in now if i not in issues]:
                ctx.record(i, "repaired")
            ctx.mark_repaired(where)
            return found  # the sentence stands word for word in another article: cited to it
        refs, _ = _cited(item, ctx)
        best = max(refs, key=lambda r: support(item.text, [r])[1], default=None) if now else None
        for i in issues + [i for i in now if i not in issues]:
            ctx.record(i, "repaired" if best is not None or not now else "dropped")
        if not now:
            return item
        if best is None:
            return None
        ctx.mark_repaired(where)
        return CitedSentence(text=" ".join(best.text.split()), sources=[best.article_id], evidence=[best], origin="fact")


class StanceMeaningCheck:
    """A perspective's stance must not reverse what its actor is quoted or reported as saying."""

    kinds: ClassVar[tuple[str, ...]] = ("stance",)
    order: ClassVar[int] = 45

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        sources = self._sources(where, ctx)
        if not item or not sources:
            return []
        return _issues(findings(str(item), sources), where, STANCE_RULES)

    def repair(self, item: Any, issues: list[Issue], where: str, ctx: Context) -> Any:
        for i in issues:
            ctx.record(i, "dropped")
        return "" if issues else item

    @staticmethod
    def _sources(where: str, ctx: Context) -> list[str]:
        m = _PERSPECTIVE.match(where)
        brief = ctx.brief
        if m is None or brief is None:
            return []
        group = brief.perspectives if m.group(1) == "perspectives" else (brief.whats_new.actors if brief.whats_new else [])
        k = int(m.group(2))
        if k >= len(group):
            return []
        p = group[k]
        return [r.text for r in p.evidence] + [q.text for st in p.statements for q in st.renderings]


CHECKS = [MeaningCheck(), StanceMeaningCheck()]

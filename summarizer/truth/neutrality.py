"""Neutrality: the brief's own voice uses no loaded words, disputed figures are attributed, and
a speaker's words keep their quotation marks and their speaker.

Policy for loaded language that survives the re-asks: ``intensifier``/``hedge`` words ("brutal",
"so-called") are deleted where that is grammatical. A sentence that copied another loaded term
from the outlet it cites is replaced by another outlet's neutral rendering of the same fact, and
a key point with none is dropped. Other loaded terms ("regime", "murderer") are kept and flagged,
never rewritten, because a rewrite by rule could change meaning. Quoted
text is the speaker's and is never flagged (:mod:`summarizer.text.loaded`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..evidence.facts import neutral_rendering
from ..schema.parts import CitedSentence
from ..text.loaded import LoadedHit, find_loaded, remove_intensifiers
from ..text.numbers import figures
from ..text.sentences import first_person, unquoted
from .base import Context, Issue
from .facts import text_of
from .policy import section
from .support import MIN_SUPPORT, support, verbatim

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
        if remaining and isinstance(item, CitedSentence):
            return self._outlet_word(item.model_copy(update={"text": text}), remaining, where, ctx)
        if remaining:
            ctx.note("loaded_language", where, _uses(remaining), "flagged")
        return item.model_copy(update={"text": text}) if isinstance(item, CitedSentence) else text

    @staticmethod
    def _outlet_word(item: CitedSentence, hits: list[LoadedHit], where: str, ctx: Context) -> CitedSentence | None:
        """A loaded word the sentence took from the outlet it cites ("offered an evasive response").

        Another outlet's neutral rendering of the same fact says it without the word; a key point with
        none is dropped (key points are optional, and coverage offers the next fact); a summary
        sentence with none keeps the word, flagged, since a rewrite by rule could change its meaning.
        """
        words = {h.text.lower() for h in hits}
        copied = {(r.article_id, r.start) for r in item.evidence if any(w in r.text.lower() for w in words)}
        for fact in ctx.evidence.facts if ctx.evidence is not None and copied else []:
            if copied.isdisjoint((x.article_id, x.start) for x in fact.sentences):
                continue
            neutral = next((x for x in fact.sentences if neutral_rendering(x.text)), None)
            if neutral is None:
                continue
            ctx.note("loaded_language", where, _uses(hits) + ", copied from its source; replaced by the "
                     f"neutral rendering of article {neutral.article_id}", "repaired")
            ctx.mark_repaired(where)
            refs = [neutral.ref()] + [x.ref() for x in fact.sentences if x is not neutral]
            return CitedSentence(text=" ".join(neutral.text.split()), sources=fact.articles, evidence=refs,
                                  origin="fact")
        if copied and section(where) == "key_points":
            ctx.note("loaded_language", where, _uses(hits) + ", copied from its source, which no outlet states neutrally", "dropped")
            return None
        ctx.note("loaded_language", where, _uses(hits), "flagged")
        return item


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


class SpeakerVoiceCheck:
    """Someone's words in the brief's own voice: a sentence in the first person outside quotation
    marks ("By the way, I'm glad you're better") is a remark that lost its quotation marks and its
    speaker. It is replaced by the cited source sentence that quotes it and names who spoke, or
    dropped when no cited sentence does."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 46  # after the evidence check, which may already have replaced it

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if not first_person(item.text):
            return []
        return [Issue("unattributed_quote", where, "speaks in the first person outside quotation marks, "
                      "so it reads as the brief's voice instead of the speaker's")]

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        if not issues:
            return item
        quoting = [r for r in item.evidence if verbatim(r, ctx) and not first_person(r.text)]
        best = max(quoting, key=lambda r: support(item.text, [r])[1], default=None)
        if best is None or support(item.text, [best])[1] < MIN_SUPPORT:
            ctx.record(issues[0], "dropped")
            return None
        ctx.record(issues[0], "repaired")
        ctx.mark_repaired(where)
        return CitedSentence(text=" ".join(best.text.split()), sources=[best.article_id], evidence=[best],
                              origin="fact")


CHECKS = [LoadedLanguageCheck(), AttributionCheck(), SpeakerVoiceCheck()]

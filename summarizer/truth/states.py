"""States that a later report ended: "The girl is still missing" when an article says "The girl was
located Tuesday".

Full articles are updated in place ("UPDATE: The girl was located ..."), and a cluster holds reports
from before and after. A brief that says the earlier state as current misleads, and two sentences
that say both read as a contradiction. Some states end one way only: a missing person is found, a
detainee released, a fugitive caught. So when a sentence of the brief says such a state as current
(:data:`STATES`: "is missing", "remains in custody"), and an article says the same actor's state
ended (:data:`ENDINGS`: "was found", "were released"), the brief's sentence is replaced by that
article's sentence, cited to it (dropped when the brief already says it).

The actor must be the same words on both sides, less "the" or "a" ("The girl", "Smith"): "Two hikers
are missing" and "One hiker was found" are two actors, and the brief keeps what it said.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ..schema.parts import CitedSentence, SentenceRef
from ..text.sentences import sentence_spans
from .base import Context, Issue

# A state and the words that end it: (what the sentence says is current, the ending's verbs).
TRANSITIONS: tuple[tuple[str, str], ...] = (
    (r"missing|unaccounted for|lost", r"found|located|rescued|recovered"),
    (r"held(?: captive| hostage)?|being held|detained|in custody|jailed|imprisoned|a hostage", r"released|freed"),
    (r"at large|on the run", r"arrested|captured|caught|apprehended"),
    (r"hospitali[sz]ed|in (?:critical|serious|stable) condition", r"discharged|released"),
)
_ACTOR = r"(?P<actor>[A-Z][\w.’'-]*(?: [\w.’'-]+){0,5}?)"
STATES = [re.compile(rf"{_ACTOR},? (?:is|are|remains?)(?: still)? (?:{state})\b") for state, _ in TRANSITIONS]
ENDINGS = [re.compile(rf"(?:UPDATE\S*:?\s*(?:[—–-]\s*)?)?{_ACTOR},? (?:was|were|has been|have been|had been)"
                      rf"(?: \w+ly)? (?:{end})\b") for _, end in TRANSITIONS]
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _actor(m: re.Match[str]) -> str:
    return _DETERMINER.sub("", m.group("actor")).lower()


def ending_of(text: str, ctx: Context) -> SentenceRef | None:
    """The first article sentence that says the state ``text`` gives as current has ended for the same
    actor, or None (also when ``text`` gives no such state)."""
    for state, ending in zip(STATES, ENDINGS):
        m = state.match(text)
        if m is None:
            continue
        actor = _actor(m)
        for article in ctx.articles:
            for start, end in sentence_spans(article.text):
                e = ending.match(article.text, start, end)
                if e is not None and _actor(e) == actor:  # the sentence from its actor on, without an "UPDATE:" label
                    a = e.start("actor")
                    return SentenceRef(article_id=article.id, start=a, end=end, text=article.text[a:end])
    return None


class SupersededStateCheck:
    """A sentence that gives as current a state an article says has ended (see the module docstring)."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 66  # after the meaning check: it judges the sentence the brief will keep

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        ref = ending_of(item.text, ctx)
        if ref is None:
            return []
        return [Issue("superseded_state", where, f"an article says this ended: {ref.text!r}", fix=ref)]

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        if not issues:
            return item
        ref: SentenceRef = issues[0].fix
        text = " ".join(ref.text.split())
        said = ctx.brief is not None and any(
            text == " ".join(s.text.split()) for s in [*ctx.brief.summary, *ctx.brief.key_points])
        for i in issues:
            ctx.record(i, "dropped" if said else "repaired")
        if said:
            return None
        ctx.mark_repaired(where)
        return CitedSentence(text=text, sources=[ref.article_id], evidence=[ref], origin="fact")


CHECKS = [SupersededStateCheck()]

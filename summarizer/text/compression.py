"""Compression by deletion: a source sentence said in fewer words, with nothing added.

A human summary is shorter per fact than its sources: it drops where a statement was made ("..., his
family said in a statement posted to Facebook"), parenthetical asides ("(local time)", "(HUR)") and the
connectives that tied a sentence to its article ("Meanwhile, "). Code can do that much with no model,
so more facts fit in the same words.

Every rule only deletes, and never what carries the claim: a negation cue, a figure with its unit,
a date, or who says it. The rules are the table :data:`RULES`; a rule's deletion is undone when what
it would remove holds any of those (:func:`_keeps_meaning`). The result is still a span-by-span
subsequence of the source sentence, so the truth layer checks it as it checks the source.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .lexicons import MONTHS, SPEECH_VERBS, WEEKDAYS
from .numbers import SPELLED_RE
from .opposites import lexicon

__all__ = ["RULES", "Rule", "compress"]


class Rule(NamedTuple):
    """One deletion: ``pattern`` finds what may go (its group ``drop`` when it has one, else the whole
    match); ``why`` says why a reader loses nothing."""

    name: str
    pattern: re.Pattern[str]
    why: str


_SPEAKER = (r"(?:he|she|they|it|(?:the |a |an |his |her |their |its )?(?:[A-Z][\w.'’-]*|[a-z]+)"
            r"(?: [A-Z][\w.'’-]*){0,3})")  # "his family", "a spokesman", "Police Chief John Smith"
RULES: tuple[Rule, ...] = (
    Rule("aside", re.compile(r" \((?![^()]*\d)[^()]{1,60}\)(?=[\s,.;:!?]|$)"),
         "a parenthetical aside ('(local time)', an acronym) restates or qualifies in passing"),
    Rule("where_said", re.compile(
        rf", {_SPEAKER} (?:{SPEECH_VERBS})(?: reporters| journalists)?"
        r"(?P<drop> (?:in|on|at|during|to|via|through|over) (?:a |an |the |his |her |their )?[^,.;:!?\"“”]{3,80}?)"
        r"(?=[.!?]$)"),
         "where a statement was made ('in a statement posted to Facebook'); who made it stays"),
    Rule("connective", re.compile(
        r"^(?:Meanwhile|However|In addition|Additionally|Moreover|Furthermore|Also|Still|Separately|"
        r"In the meantime|At the same time|On the same day|That same day),\s+(?=[A-Za-z“\"])"),
         "a connective ties the sentence to its article, not to the story"),
)

_KEEP = re.compile(rf"\d|\b(?:{MONTHS}|{WEEKDAYS}|today|yesterday|tomorrow)\b", re.IGNORECASE)


def _keeps_meaning(removed: str) -> bool:
    """True when deleting ``removed`` loses no claim: no figure (in digits or words), date or negation cue."""
    if _KEEP.search(removed) or SPELLED_RE.search(removed):
        return False
    negation = lexicon().negation | set(lexicon().denial)
    return not any(w.lower().strip("“”\"'’,.()") in negation for w in removed.split())


def _apply(rule: Rule, text: str) -> str:
    out, last = [], 0
    for m in rule.pattern.finditer(text):
        start, end = m.span("drop") if "drop" in rule.pattern.groupindex else m.span()
        if _keeps_meaning(text[start:end]):
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    result = "".join(out)
    if rule.name == "connective" and result != text and result[:1].islower():
        result = result[0].upper() + result[1:]
    return result


def compress(text: str, rules: tuple[Rule, ...] = RULES) -> str:
    """``text`` less what :data:`RULES` may delete; ``text`` itself when nothing may go."""
    for rule in rules:
        text = _apply(rule, text)
    return text

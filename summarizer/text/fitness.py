"""Whether a sentence is fit for a reader of the brief: a statement of the story, not the page's furniture.

Full-length articles carry lines that are sentences to a splitter but not to a reader: photo captions
and credits, credit lines ("X contributed to this report"), newsletter and social prompts, correction
notes, police appeals with a phone number. Ingest removes such lines when they stand alone
(:mod:`summarizer.ingest.boilerplate`); this table catches them where they survive, inside a paragraph
or in text that came without its page. None of them may become a fact, an outlet's lead, a timeline
event or a key point, and the eval counts any that reach a brief (``unfit_sentences``).

The rules are the table :data:`RULES`: a name (reported by the eval), a test, and why a story sentence
cannot match it. A rule that could remove a story sentence is worse than furniture left in, so each
test is narrow; the first that matches decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .lexicons import MONTHS, PARTICIPLES, SPEECH_VERBS, WEEKDAYS

__all__ = ["FINITE_VERB", "RULES", "Rule", "has_finite_verb", "unfit"]

FINITE_VERB = re.compile(
    rf"(?<![\w-])(?:(?:co|re|un|pre|over|under|out|mis)-)?(?:{SPEECH_VERBS}|[a-z]{{2,}}ed|"
    r"(?i:is|was|were|are|am|has|have|had|did|does|do|will|would|could|can|may|might|must|should|shall)|"
    r"arose|awoke|bore|beat|became|began|bent|bet|bit|bled|blew|bred|brought|built|burnt|burst|bought|cast|"
    r"caught|chose|clung|came|cost|crept|cut|dealt|dug|drew|dreamt|drank|drove|ate|fell|fed|felt|fought|found|"
    r"fled|flung|flew|forbade|forgot|forgave|froze|got|gave|went|grew|hung|heard|hid|hit|held|hurt|kept|knelt|"
    r"knew|laid|led|leapt|learnt|left|lent|let|lay|lit|lost|made|meant|met|paid|put|quit|rode|rang|rose|ran|"
    r"sought|sold|sent|set|shook|shed|shone|shot|shut|sang|sank|sat|slept|slid|slung|spoke|sped|spent|spun|spat|"
    r"split|spread|sprang|stood|stole|stuck|stung|struck|strove|swore|swept|swam|swung|took|taught|tore|thought|"
    r"threw|thrust|understood|underwent|overcame|withdrew|woke|wore|wove|wept|won|wound|wrote|seen|told|passed|"
    r"arrived|"
    r"say|face|agree|disagree|come|go|want|need|remain|continue|believe|include|show|expect|plan|hope|live|"
    r"work|tend|seem|appear|know|think|get|make|take|give|keep|call|urge|argue|claim|deny|fear|hold|oppose|"
    r"support|warn|(?:I|[Ww]e|[Yy]ou|[Tt]hey|He|She|It)\s+[a-z]{2,})\b"
    r"|(?:n't|n’t|'s|’s|'re|’re|'ve|’ve|'ll|’ll|'m|’m|'d|’d)\b"  # a contraction, or a possessive: a verb is likely
)
"""A finite verb, roughly: past tenses, auxiliaries and speech verbs. Without one a line is a caption or a
label ("Soldiers receiving gear at a base in Russia, October 2024."); present-tense captions are the
``caption`` rule's."""


_AGENT = re.compile(r"\s+by\b")
_PRESENT = re.compile(r"(?<![\w'’-])[a-z]{2,}(?<![su])s\b")  # "says", "plans"; plural nouns too, so only a guard


def has_finite_verb(text: str) -> bool:
    """True when ``text`` has a word :data:`FINITE_VERB` reads as a finite verb. A participle before
    "by" ("the assessment made by officials") is not one: a passive clause has its auxiliary too."""
    return any(not (m.group().endswith("ed") or m.group() in PARTICIPLES) or not _AGENT.match(text, m.end())
               for m in FINITE_VERB.finditer(text))


_MONTH = rf"(?:{MONTHS})\.?"
_CREDIT = re.compile(
    r"Getty Images|\bAP Photo\b|\bAFP Photo\b|\bREUTERS/|/REUTERS\b|/AFP\b|/AP\b|\bFILE PHOTO\b|\bFile Photo\b|"
    r"\b(?:Photo|Photograph|Image|Picture|Video) (?:by|courtesy of|credit)\b|\b(?:Photo|Image|Credit)s?:|"
    r"\btoggle caption\b|\bImage caption\b|^In this\b[^.]{0,60}\b(?:file )?(?:photo|image|picture)\b|"
    r"^(?:A|An)\s+(?:photo|photograph|image|picture|screenshot|rendering|illustration)\s+(?:from|of|taken|shows)\b|"
    r"^\(AP\)\s*[—–-]\s*The Latest\b|^The Latest on\b|\bcaption\b.{0,40}\bhide\b|\[h/t\b|\bvia Getty\b|/Shutterstock\b",
    re.IGNORECASE,
)
# A caption describes a picture in the present tense and ends with when it was taken:
# "President Trump speaks at a rally in Tampa, Florida, July 31, 2018." A story sentence
# that ends with a bare date is written in the past ("... was signed on March 15, 2016.").
_CAPTION_DATE = re.compile(rf"(?:,|\bon|\bin)\s+(?:(?:{WEEKDAYS}),?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|"
                           rf"{_MONTH}\s+\d{{4}}|\d{{4}})\s*\.?$")
_PRESENT_CAPTION = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,6}(?:speaks|talks|walks|arrives|waves|gestures|looks|"
                              r"listens|stands|sits|addresses|attends|leaves|poses|holds|smiles|reacts|delivers|"
                              r"answers|departs|greets|shakes|points|testifies|celebrates|pauses|appears)\b")
_PAST_OR_AUX = re.compile(r"(?<![\w-])(?:[a-z]{3,}ed|was|were|had|has|have|said|told|will|would)\b")
_CREDIT_LINE = re.compile(
    r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b|\bcontributed reporting\b|"
    r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} reported from [A-Z]|"
    r"^(?:Additional )?(?:reporting|writing|editing) by\b|"
    r"\bis an? (?:(?:staff|senior|political|national|contributing|freelance|investigative|[a-z]+) )?"
    r"(?:reporter|writer|correspondent|editor|columnist) (?:for|at|with) (?:the |The )?[A-Z]|"
    r"\b(?:[Ff]ollow|[Cc]ontact) (?:him|her|them|us|me|[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:on|at|via) "
    r"(?:Twitter|Facebook|Instagram|X\b|@|[\w.+-]+@)|"
    r"\b[\w.+-]+@[\w-]+\.(?:com|org|net|co\.uk)\b"
)
_PROMPT = re.compile(
    r"\b(?:[Cc]lick here|CLICK HERE|[Ss]ign up (?:here|for|now|today)|SIGN UP|[Ss]ubscribe (?:to|now|here|today)|"
    r"[Rr]ead (?:more|the full|or [Ss]hare this)|READ MORE|[Ww]atch (?:the video|below|here)|WATCH:|Watch:|"
    r"[Ss]hare this (?:story|article)|Like us on|[Ff]ollow us\b|[Dd]ownload (?:the|our) app|"
    r"in your inbox|email newsletters?|[Ss]tory continues below|ADVERTISEMENT|Advertisement\b|"
    r"[Rr]elated (?:coverage|stories|articles?):|Listen to (?:this|the) (?:story|article|podcast)|"
    r"[Ss]ubscribers? only)"
)
_CORRECTION = re.compile(
    r"^(?:CORRECTION|Correction|Clarification|CLARIFICATION|Editor'?’?s [Nn]ote)\b"
    r"\s*(?:\([^)]{0,40}\))?\s*[:—–-]|"
    r"\b[Aa]n earlier version of this (?:story|article|report|post)\b|"
    r"\bThis (?:story|article|report|post) (?:has been|was) (?:updated|corrected|amended)\b"
)
_APPEAL = re.compile(
    r"\b[Aa]nyone with (?:any )?information\b|\bCrime ?Stoppers\b|"
    r"\b(?i:call|contact|text|reach)\b[^.]{0,80}?(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b|"
    r"\b1-800-[\dA-Z]{3}-[\dA-Z]{4}\b"
)


class Rule(NamedTuple):
    """One kind of furniture: ``name`` is what the eval reports, ``why`` why a story sentence cannot match."""

    name: str
    matches: Callable[[str], bool]
    why: str


# "North Korean soldiers receiving gear at a base in Russia, October 2024.": a noun phrase and a participle.
_PARTICIPLE_CAPTION = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,5}(?:[a-z][\w'’-]*\s+){0,2}[a-z]{3,}ing\b")


def _caption(text: str) -> bool:
    t = text.strip().rstrip("”\"’'")
    if _CAPTION_DATE.search(t) is None or _PAST_OR_AUX.search(t) is not None:
        return False
    return _PRESENT_CAPTION.match(t) is not None or (_PARTICIPLE_CAPTION.match(t) is not None
                                                      and not has_finite_verb(t))


def _verbless(text: str) -> bool:
    return not has_finite_verb(text) and _PRESENT.search(text) is None


RULES: tuple[Rule, ...] = (
    Rule("credit", lambda t: _CREDIT.search(t) is not None,
         "a photo agency, a photographer's credit or a caption toggle names the picture, not the story"),
    Rule("credit_line", lambda t: _CREDIT_LINE.search(t) is not None,
         "who reported, wrote or can be followed or mailed is about the article, not its story"),
    Rule("prompt", lambda t: _PROMPT.search(t) is not None,
         "an instruction to the reader (read, sign up, share, watch) is the page's, not a statement"),
    Rule("correction", lambda t: _CORRECTION.search(t) is not None,
         "a correction or update note speaks about the article itself"),
    Rule("appeal", lambda t: _APPEAL.search(t) is not None,
         "a request to call a number is addressed to the reader; the story is what happened"),
    Rule("question", lambda t: t.rstrip().endswith("?"),
         "a question asks; a brief states what happened (a question someone asked is reported, not posed)"),
    Rule("caption", _caption,
         "a named subject in the present tense closed by a date describes a picture; stories are told in the past"),
    Rule("verbless", _verbless,
         "with no finite verb a line states nothing: a caption, a label or a headline fragment"),
)


def unfit(text: str) -> str | None:
    """The name of the first :data:`RULES` entry ``text`` matches, or None when a reader can take it as a
    statement of the story."""
    for rule in RULES:
        if rule.matches(text):
            return rule.name
    return None

"""Figures in the articles: what each counts, how it is hedged, and who states it."""

from __future__ import annotations

import bisect
import re

from ..text.lexicons import NOT_NAME, words
from ..text.numbers import NUMBER_RE, QUALIFIER_RE, number_kind, value
from .index import ArticleIndex
from .model import NumberMention

_UNIT_SKIP = words("unit_skip")
_UNIT_STOP = words("unit_stop")

# Units whose counts are typically contested; other units are listed but never compared.
UNIT_CLASSES: dict[str, frozenset[str]] = {
    "troops": frozenset(
        ["troops", "troop", "soldiers", "soldier", "infantry", "infantrymen", "personnel", "servicemen", "servicemembers", "fighters", "forces", "men"]
    ),
    "deaths": frozenset(["dead", "deaths", "death", "killed", "fatalities", "casualties", "lives", "bodies"]),
    "injured": frozenset(["injured", "wounded", "injuries"]),
    "protesters": frozenset(["protesters", "protestors", "demonstrators", "marchers", "rioters"]),
    "migrants": frozenset(["migrants", "refugees", "asylum-seekers", "immigrants", "crossings"]),
    "arrests": frozenset(["arrests", "arrested", "detained", "detainees"]),
    "hostages": frozenset(["hostages", "captives", "prisoners"]),
}


def unit_class(unit: str | None) -> str | None:
    """The comparable class of a unit noun ("soldiers" -> "troops"), or None."""
    if not unit:
        return None
    for name, members in UNIT_CLASSES.items():
        if unit.lower() in members:
            return name
    return None


def unit_after(text: str, pos: int) -> str | None:
    toks = re.findall(r"[\w’'\-]+|[^\w\s]", text[pos : pos + 80])
    for tok in toks[:5]:
        low = tok.lower()
        if not re.match(r"[^\W\d_]", tok):
            return None  # punctuation: no noun follows
        if tok[0].isupper() or low in _UNIT_SKIP:
            continue  # "3,000 North Korean soldiers", "500 more troops"
        return None if low in _UNIT_STOP else low
    return None


CLAIM_VERBS = (
    r"said|says|say|claimed|claims|claim|estimated|estimates|estimate|reported|reports|report|warned|"
    r"confirmed|confirms|announced|announces|indicated|indicate|indicates|suggested|suggesting|suggests|"
    r"stated|states|noted|told|believes|believe|assessed|assesses|projected|projects|puts|put|"
    r"alleged|alleges|added|cited|showed|shows|show"
)
_CLAIMANT_NOUNS = words("claimant_nouns")
_GENERIC_CLAIMANTS = frozenset(
    {"projections", "estimates", "estimate", "data", "figures", "reports", "report"}
)


_ACCORDING_TO = re.compile(
    r"[Aa]ccording to (?P<who>(?:[\w’'.\-]+\s+){0,5}?[\w’'.\-]+?)(?=[,.;]|\s+(?:and|that|which|who)\b|$)"
)
_CLAIM_VERB = re.compile(r"\b(?:" + CLAIM_VERBS + r")\b")
_NOT_CLAIMANTS = frozenset({"it", "he", "she", "they", "this", "that", "which", "who"})
SUBJECT_WINDOW = 300
"""Characters before a claim verb searched for its subject: a noun phrase, never this long in news,
and a bound that keeps a sentence of thousands of capitalised words linear."""


class _Claimants:
    """Who states each figure of one sentence: the nearest "according to X", else the subject of the
    nearest claim verb before it. Each verb's subject is found once per sentence and each figure
    looks its claimant up by bisection, so a sentence with many figures and verbs stays linear."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.according = [(m.start(), m.group("who").strip()) for m in _ACCORDING_TO.finditer(sentence)]
        self._verbs: tuple[list[int], list[str]] | None = None

    def _claim_verbs(self) -> tuple[list[int], list[str]]:
        """(end, subject) of each claim verb with a usable subject, in text order."""
        if self._verbs is None:
            ends: list[int] = []
            subjects: list[str] = []
            for m in _CLAIM_VERB.finditer(self.sentence):
                subj = subject_ending_at(self.sentence, m.start())
                # "with projections suggesting ...": generic nouns are not the source; look further left.
                if subj and subj.lower() not in _NOT_CLAIMANTS and subj.lower() not in _GENERIC_CLAIMANTS:
                    ends.append(m.end())
                    subjects.append(subj)
            self._verbs = (ends, subjects)
        return self._verbs

    def before(self, pos: int) -> str | None:
        """The claimant of a figure at ``pos`` ('South Korea’s intelligence agency estimated')."""
        if self.according:
            i = bisect.bisect_left(self.according, pos, key=lambda a: a[0])
            near = [a for a in self.according[max(0, i - 1) : i + 1]]
            return min(near, key=lambda a: abs(a[0] - pos))[1]  # a tie goes to the earlier, as min() did
        ends, subjects = self._claim_verbs()
        i = bisect.bisect_right(ends, pos)  # verbs ending by pos lie wholly before the figure
        return subjects[i - 1] if i else None


def subject_ending_at(text: str, end: int) -> str | None:
    """:func:`subject_before` the claim verb at ``end`` of ``text``, read within ``SUBJECT_WINDOW``."""
    return subject_before(text[max(0, end - SUBJECT_WINDOW) : end])


def subject_before(prefix: str) -> str | None:
    """The noun phrase that ends ``prefix``: the subject of a claim verb that follows it."""
    toks = list(re.finditer(r"[\w’'.\-]+", prefix))
    # Skip auxiliaries and adverbs directly before the verb ("has previously warned").
    i = len(toks) - 1
    while i >= 0 and (
        toks[i].group().lower()
        in {
            "has",
            "have",
            "had",
            "also",
            "previously",
            "already",
            "was",
            "were",
            "is",
            "are",
            "once",
            "again",
        }
        or toks[i].group().lower().endswith("ly")
    ):
        i -= 1
    j = i
    while j >= 0:
        tok = toks[j].group()
        low = tok.lower()
        gap = prefix[toks[j].end() : toks[j + 1].start()] if j < i else ""
        if gap.strip():
            break  # punctuation between words ends the noun phrase
        adjective = j < i and re.search(r"(?:al|ic|ian|ese|ary|ish|ern|ed)$", low) is not None
        if (
            tok[0].isupper()
            or low in _CLAIMANT_NOUNS
            or adjective
            or low.endswith(("’s", "'s"))
            or (low in {"of", "the"} and j < i)
        ):
            j -= 1
            continue
        break
    words = [t.group() for t in toks[j + 1 : i + 1]]
    while words and words[0].lower() in {"of", "the", "this", "that", "and"}:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in NOT_NAME and words[0].lower() not in _CLAIMANT_NOUNS:
        return None
    return prefix[toks[i - len(words) + 1].start() : toks[i].end()]


def extract_numbers(ix: ArticleIndex) -> list[NumberMention]:
    out: list[NumberMention] = []
    text = ix.text
    for s, e in ix.sentences:
        sentence = text[s:e]
        flat = re.sub(r"\s+", " ", sentence)  # one copy per sentence, shared by its figures
        claimants = _Claimants(sentence)
        last_unit: str | None = None
        for m in NUMBER_RE.finditer(sentence):
            kind = number_kind(sentence, m)
            if kind == "other":
                continue
            amount = value(m)
            unit = unit_after(sentence, m.end()) if kind == "count" else kind
            if (
                kind == "count"
                and unit is None
                and last_unit
                and re.search(r"\b(?:to|from)\s+$", sentence[max(0, m.start() - 12) : m.start()])
            ):
                unit = last_unit  # "3,000 soldiers ... could rise to 10,000 by December"
            if kind == "count" and unit:
                last_unit = unit
            q = QUALIFIER_RE.search(sentence[max(0, m.start() - 20) : m.start()])
            claimant = claimants.before(m.start())
            if claimant and re.search(
                r"(?:rise|grow|increase|climb|reach)\w*\s+(?:to\s+)?$",
                sentence[max(0, m.start() - 20) : m.start()],
            ):
                claimant += " (projection)"  # a forecast, not a count of today
            out.append(
                NumberMention(
                    article_id=ix.article.id,
                    raw=m.group().strip(),
                    value=amount,
                    unit=unit,
                    sentence=flat,
                    claimant=claimant,
                    start=s + m.start(),
                    end=s + m.end(),
                    kind=kind,
                    qualifier=q.group().strip().lower() if q else "",
                )
            )
    return out

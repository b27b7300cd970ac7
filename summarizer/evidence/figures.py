"""Figures in the articles: what each counts, how it is hedged, and who states it."""

from __future__ import annotations

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


def _claimant_before(sentence: str, pos: int) -> str | None:
    """Subject of the nearest claim verb before ``pos`` ('South Korea’s intelligence agency estimated')."""
    prefix = sentence[:pos]
    m_acc = list(
        re.finditer(
            r"[Aa]ccording to (?P<who>(?:[\w’'.\-]+\s+){0,5}?[\w’'.\-]+?)(?=[,.;]|\s+(?:and|that|which|who)\b|$)",
            sentence,
        )
    )
    if m_acc:
        best = min(m_acc, key=lambda m: abs(m.start() - pos))
        return best.group("who").strip()
    for m in reversed(list(re.finditer(r"\b(?:" + CLAIM_VERBS + r")\b", prefix))):
        subj = subject_before(prefix[: m.start()])
        if subj and subj.lower() not in {"it", "he", "she", "they", "this", "that", "which", "who"}:
            if subj.lower() in _GENERIC_CLAIMANTS:
                continue  # "with projections suggesting ..." -- look for the real source further left
            return subj
    return None


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
            claimant = _claimant_before(sentence, m.start())
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
                    sentence=re.sub(r"\s+", " ", sentence),
                    claimant=claimant,
                    start=s + m.start(),
                    end=s + m.end(),
                    kind=kind,
                    qualifier=q.group().strip().lower() if q else "",
                )
            )
    return out

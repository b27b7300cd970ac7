"""Figures in text: one pattern for numbers, what kind each is, and its value."""

from __future__ import annotations

import re

from .lexicons import MONTHS

NUMBER_RE = re.compile(
    r"(?<![\w.,$€£\-])(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>%|st\b|nd\b|rd\b|th\b)?(?:\s?(?P<scale>million|billion|trillion|thousand|bn)\b)?"
)
"""A figure: optional currency, the number (with thousands separators), an ordinal or % suffix, a scale word."""

SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
QUALIFIER_RE = re.compile(
    r"(?:about|around|approximately|roughly|some|nearly|almost|at least|as many as|up to|more than|over|"
    r"fewer than|less than|an estimated|estimated|at most|close to|just over|just under)\s+$",
    re.IGNORECASE,
)
"""A hedge right before a figure ("about 3,000")."""


def number_kind(text: str, m: re.Match[str]) -> str:
    """What a :data:`NUMBER_RE` match in ``text`` is: count, percent, money, year, date, ordinal,
    time, or "other" (part of a name such as "G20" or "F-16")."""
    before, after = text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 14]
    num, suffix = m.group("num"), m.group("suffix")
    if re.match(r"[^\W\d_]", after) or re.search(r"[^\W\d_]-?$", before):
        return "other"  # "G20", "F-16", "5G"
    if re.match(r":\d", after) or re.search(r"\d:$", before):
        return "time"
    if re.search(r"(?:" + MONTHS + r")\.?\s+$", before) or re.match(r",?\s*(?:" + MONTHS + r")\b", after):
        return "date"
    if suffix == "%" or re.match(r"\s*(?:percent|per cent|percentage points?)\b", after):
        return "percent"
    if m.group("cur") or re.match(r"\s*(?:dollars|euros|pounds|yuan|rubles|roubles|won|yen)\b", after):
        return "money"
    if suffix:
        return "date" if re.search(r"the\s+$", before) else "ordinal"
    if re.fullmatch(r"1[89]\d\d|20\d\d", num) and not m.group("scale"):
        return "year"
    return "count"


def value(m: re.Match[str]) -> float:
    """The scaled value of a :data:`NUMBER_RE` match ("3.5 million" -> 3500000.0)."""
    return float(m.group("num").replace(",", "")) * SCALE.get(m.group("scale") or "", 1.0)


def figures(text: str) -> list[tuple[str, tuple[float, ...]]]:
    """``(raw, values)`` of each figure in ``text`` (names like "G20" left out).

    ``values`` holds the plain and the scaled number, so "3 million" matches both "3" and
    "3,000,000" in a source.
    """
    out: list[tuple[str, tuple[float, ...]]] = []
    for m in NUMBER_RE.finditer(text):
        if number_kind(text, m) == "other":
            continue
        plain = float(m.group("num").replace(",", ""))
        out.append((m.group().strip(), (plain, value(m))))
    return out


_UNITS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
          "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_TENS = ("thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# From two: "one" ("one of", "no one") is a pronoun far more often than a count.
_COUNT_WORDS = {w: float(i) for i, w in enumerate(_UNITS, 2)} | {w: float(10 * i) for i, w in enumerate(_TENS, 3)}
SPELLED_RE = re.compile(r"\b(" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
                        + r")\b(?:\s+(thousand|million|billion|trillion)\b)?", re.IGNORECASE)
"""A count written in words ("two", "three million"): two to twenty and the tens."""


def spelled_counts(text: str) -> list[tuple[str, tuple[float, ...]]]:
    """``(raw, values)`` of each count written in words, as :func:`figures` gives them for digits:
    "two outlets" -> ("two", (2.0, 2.0)), "three million" -> (3.0, 3000000.0)."""
    out: list[tuple[str, tuple[float, ...]]] = []
    for m in SPELLED_RE.finditer(text):
        plain = _COUNT_WORDS[m.group(1).lower()]
        out.append((m.group().strip(), (plain, plain * SCALE.get((m.group(2) or "").lower(), 1.0))))
    return out

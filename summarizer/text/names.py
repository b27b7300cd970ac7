"""Names in text: significant name tokens, whether two spellings name one actor, and runs
of capitalised words (the candidates for names)."""

from __future__ import annotations

import re

from .lexicons import COUNTRIES, NOT_NAME, ORG_KEYWORDS, ORGS, TITLE_WORDS, demonyms, gazetteer
from .sentences import TOKEN_RE

Run = list[tuple[int, int, str]]
"""A run of capitalised tokens: ``(start, end, token)`` each."""


def name_tokens(name: str) -> list[str]:
    """The significant tokens of a name: titles (President, Mr, ...) and possessives removed."""
    return [
        t
        for t in re.split(r"[\s\-]+", re.sub(r"['’]s\b", "", name))
        if t and t.lower().strip(".") not in TITLE_WORDS
    ]


def names_match(a: str, b: str) -> bool:
    """Whether two spellings name the same actor ("Putin" / "Vladimir Putin" / "President Putin")."""
    ta = {t.lower() for t in name_tokens(a)}
    tb = {t.lower() for t in name_tokens(b)}
    if not ta or not tb:
        return False
    if ta <= tb or tb <= ta:
        return True
    la, lb = name_tokens(a)[-1].lower(), name_tokens(b)[-1].lower()
    return la == lb and len(la) > 2


def capital_runs(text: str) -> list[Run]:
    """Runs of capitalised tokens separated only by spaces (or the dot of an initial)."""
    runs: list[Run] = []
    current: Run = []
    for m in TOKEN_RE.finditer(text):
        tok = m.group()
        if not tok[0].isupper():
            if current:
                runs.append(current)
            current = []
            continue
        if current:
            gap = text[current[-1][1] : m.start()]
            prev = current[-1][2]
            joined = re.fullmatch(r"[ \t]+", gap) or (len(prev) == 1 and re.fullmatch(r"\.[ \t]*", gap))
            possessive = re.search(r"['’]s$", prev)
            if not joined or possessive:
                runs.append(current)
                current = []
        current.append((m.start(), m.end(), tok))
    if current:
        runs.append(current)
    return runs


def is_name_token(tok: str) -> bool:
    """Whether a capitalised token can be part of a person's name (not a title, place, label or acronym)."""
    base = re.sub(r"['’]s$", "", tok)
    low = base.lower()
    if low in NOT_NAME or low.strip(".") in TITLE_WORDS or low in ORG_KEYWORDS:
        return False
    if base in gazetteer(COUNTRIES) or base in demonyms() or base in gazetteer(ORGS):
        return False
    if len(base) > 1 and base.isupper():
        return False  # an acronym
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’\-]*(?:[\-'’][^\W\d_]+)*\.?", base))


def name_terms(sentence: str) -> set[str]:
    """Capitalised names in a sentence, folded so that 'North Korean' meets 'North Korea'."""
    terms = set()
    for run in capital_runs(sentence):
        words = [re.sub(r"['’]s$", "", t[2]) for t in run]
        phrase = " ".join(words)
        phrase = demonyms().get(phrase, phrase)
        terms.add(gazetteer(COUNTRIES).get(phrase, phrase).lower())
        for w in words:
            w = demonyms().get(w, w)
            if w.lower() not in NOT_NAME:
                terms.add(w.lower())
    return terms

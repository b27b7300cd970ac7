"""Names in text: significant name tokens, whether two spellings name one actor, runs of
capitalised words (the candidates for names), and which of them to take for names: the names a
sentence states (:func:`names_in`, with :func:`known_caps` and :func:`title_case`), a sentence's
name terms and name words."""

from __future__ import annotations

import functools
import re

from .lexicons import (
    COUNTRIES,
    MONTHS,
    NOT_NAME,
    ORG_KEYWORDS,
    ORGS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLE_WORDS,
    WEEKDAYS,
    demonyms,
    gazetteer,
)
from .lexicons import words as wordlist
from .sentences import TOKEN_RE
from .words import is_possessive, letter_words, strip_possessive, strip_possessives, words

_FUNCTION_CAPS = wordlist("function_caps")
_TITLE_MARKERS = wordlist("title_markers")

Run = list[tuple[int, int, str]]
"""A run of capitalised tokens: ``(start, end, token)`` each."""


def name_tokens(name: str) -> list[str]:
    """The significant tokens of a name: titles (President, Mr, ...) and possessives removed."""
    return [
        t
        for t in re.split(r"[\s\-]+", strip_possessives(name))
        if t and t.lower().strip(".") not in TITLE_WORDS
    ]


# A compass word makes another place of a name, not another spelling of it: North and South Korea,
# Virginia and West Virginia, Sudan and South Sudan.
COMPASS = frozenset(["north", "south", "east", "west", "northern", "southern", "eastern", "western",
                      "northeast", "northwest", "southeast", "southwest"])


def names_match(a: str, b: str) -> bool:
    """Whether two spellings name the same actor ("Putin" / "Vladimir Putin" / "President Putin"); never two
    names whose compass words differ ("North Korea" / "South Korea" / "Korea")."""
    ta = {t.lower() for t in name_tokens(a)}
    tb = {t.lower() for t in name_tokens(b)}
    if not ta or not tb:
        return False
    if len(ta) <= 3 and len(tb) <= 3 and ta & COMPASS != tb & COMPASS:
        return False  # places ("South Sudan"), not a title before a person ("North Korean leader Kim Jong Un")
    if ta <= tb or tb <= ta:
        return True
    la, lb = name_tokens(a)[-1].lower(), name_tokens(b)[-1].lower()
    return la == lb and len(la) > 2


ROOT = 5  # letters two words of one root share at least ("Democrats" / "Democratic", "Senate" / "senators")
ROOT_SHARE = 0.7  # and the share of the shorter word they share ("Minneapolis" / "Minnesota" is under it)


def same_root(a: str, b: str) -> bool:
    """Whether two words are forms of one root or a country and its demonym ("Democratic" / "Democrats",
    "Chinese" / "China"); never two countries ("Austria" / "Australia")."""
    a, b = (demonyms().get(strip_possessive(w), strip_possessive(w)) for w in (a, b))
    if a.lower() == b.lower():
        return True
    countries = gazetteer(COUNTRIES)
    if a in countries and b in countries:
        return False
    a, b = a.lower(), b.lower()
    shared = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return shared >= ROOT and shared >= ROOT_SHARE * min(len(a), len(b))


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
            possessive = is_possessive(prev)
            if not joined or possessive:
                runs.append(current)
                current = []
        current.append((m.start(), m.end(), tok))
    if current:
        runs.append(current)
    return runs


def is_name_token(tok: str) -> bool:
    """Whether a capitalised token can be part of a person's name (not a title, place, label or acronym)."""
    base = strip_possessive(tok)
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
        words = [strip_possessive(t[2]) for t in run]
        phrase = " ".join(words)
        phrase = demonyms().get(phrase, phrase)
        terms.add(gazetteer(COUNTRIES).get(phrase, phrase).lower())
        for w in words:
            w = demonyms().get(w, w)
            if w.lower() not in NOT_NAME:
                terms.add(w.lower())
    return terms


_DATE_WORDS = frozenset(w.lower() for w in (MONTHS + "|" + WEEKDAYS).split("|"))
_INNER_CAP = re.compile(r"(?<=[\w,;:)’'] )[A-Z][\w’'-]+")
NAME_CUT = 5  # name words are cut to five letters, so that "Korean" meets "Korea"


def name_words(text: str) -> set[str]:
    """The words of capitalised names, lowercased and cut to NAME_CUT letters ('Korean' meets
    'Korea'), without dates' own words ('Tuesday') and function words ('On', 'This')."""
    out = set()
    for term in name_terms(text):
        for w in words(term):
            if len(w) >= 3 and not {w, w.lower()} & (_DATE_WORDS | STOPWORDS | NOT_NAME | TITLE_WORDS):
                out.add(w[:NAME_CUT])
    return out


def inner_name_words(text: str) -> set[str]:
    """Capitalised words written inside a sentence (after a word, a comma, a colon or a bracket),
    lowercased and cut like :func:`name_words`: names, not a sentence's capitalised first word."""
    return {w.lower()[:NAME_CUT] for w in _INNER_CAP.findall(text)}


def names_in(sentence: str, known: frozenset[str]) -> list[tuple[str, list[str]]]:
    """Names to check in a sentence: ``(phrase, tokens)`` per capitalised run; ``known`` is
    :func:`known_caps` of the texts it is checked against."""
    out: list[tuple[str, list[str]]] = []
    if title_case(sentence):
        return out  # Title Case: capitals say nothing about names
    for run in capital_runs(sentence):
        start = run[0][0]
        initial = not sentence[:start].strip() or re.search(r"(?:[.!?:;]|[\"“‘(—-])\s*$", sentence[:start])
        toks = [strip_possessive(t[2]) for t in run]
        if initial and len(toks) == 1:
            # A lone capitalised first word is usually an ordinary word ("Officials", "Fighting"):
            # check it only if it looks like a name (written capitalised mid-sentence in the
            # articles, possessive, or followed by a speech verb).
            after = sentence[run[0][1] : run[0][1] + 30]
            if not (
                toks[0] in known
                or is_possessive(run[0][2])
                or re.match(r"\s+(?:" + SPEECH_VERBS + r")\b", after)
            ):
                continue
        check = [
            part
            for t in toks
            for part in re.split(r"-", t)
            if part
            and part.lower() not in _FUNCTION_CAPS
            and part.lower().strip(".") not in TITLE_WORDS
            and len(part) > 1
        ]
        if check:
            out.append((" ".join(toks), check))
    return out


def title_case(text: str) -> bool:
    """Headline style ("Putin Does Not Deny North Korean Troops")."""
    long = letter_words(text, 4)
    caps = [w for w in long[1:] if w[0].isupper()]
    if sum(w.lower() in _TITLE_MARKERS for w in caps) >= 2:
        return True
    return len(long) >= 6 and len(caps) / (len(long) - 1) > 0.8


@functools.lru_cache(maxsize=64)
def known_caps(texts: tuple[str, ...]) -> frozenset[str]:
    """Capitalised words the texts write inside a sentence (after a lower-case letter, a comma or a
    semicolon), possessives dropped: names, where a sentence's first word may be an ordinary word."""
    caps: set[str] = set()
    for text in texts:
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w’'\-]+)", text):
            caps.add(strip_possessive(m.group(1)))
    return frozenset(caps)

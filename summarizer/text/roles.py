"""The roles the articles themselves give a person.

A news report introduces a person by a title before the name ("U.S. Secretary of Defense Lloyd
Austin", "Russian Foreign Ministry spokesperson Maria Zakharova") or a description after it
("Yulia Navalnaya, the widow of ... Alexei Navalny."). Those words are the sources', so a role
taken from them is grounded and belongs to that person, which a model's guess need not be.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .lexicons import MONTHS, TITLE_WORDS, WEEKDAYS, words
from .loaded import find_loaded
from .names import name_tokens
from .words import strip_possessive

MAX_ROLE_WORDS = 12
_CONNECTORS = frozenset({"of", "for"})
# Capitalised words that open a sentence or a clause ("On Thursday President ...") but are no part of a title.
_NOT_TITLE = words("function_caps") | {w.lower() for w in f"{MONTHS}|{WEEKDAYS}".split("|")}
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "lady", "lord"})
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+$|^(?:Sen|Rep|Gov|Gen|Lt|Col|Adm|Capt|Sgt|Maj|Dr|Mr|Mrs|Ms|Prof|St)\.$")
_DESCRIBED = re.compile(r"^,\s+(?:the|a|an)\s+([^,.;:()“”\"]{3,120}?)(?=[,.;])")


def _is_title(words: list[str]) -> bool:
    bare = [strip_possessive(w.lower()).rstrip(".") for w in words]
    titles = [w for w in bare if w in TITLE_WORDS or w.rstrip("s") in TITLE_WORDS]
    return bool(titles) and not set(titles) <= _HONORIFICS


def _before(text: str, start: int) -> str | None:
    """The title right before a mention: capitalised words, abbreviations, lower-case title words
    ("spokesperson"), and "of"/"for" between them, back to the clause's start."""
    taken: list[str] = []
    for tok in reversed(text[max(0, start - 160) : start].split()):
        if tok[-1] in ",;:—–()“”\"" or (tok.endswith(".") and not _ABBREVIATION.match(tok)):
            break
        if tok[0].isupper() or tok.lower() in TITLE_WORDS or (taken and tok in _CONNECTORS):
            taken.append(tok)
        else:
            break
    words = taken[::-1]
    while words and (words[0].lower() in _NOT_TITLE or words[0] in _CONNECTORS):
        words.pop(0)
    while words and words[-1] in _CONNECTORS:
        words.pop()
    # "Joint Chiefs of Staff Chair Gen. Mark Milley": the rank abbreviation goes with the name
    while len(words) > 1 and words[-1].endswith(".") and not re.match(r"^(?:[A-Z]\.)+$", words[-1]) and _is_title(words[:-1]):
        words.pop()
    if not words or len(words) > MAX_ROLE_WORDS or not _is_title(words):
        return None
    return " ".join(words)


def _after(text: str, end: int) -> str | None:
    """A description right after a mention: ", the widow of ... ," (with a title word in it)."""
    m = _DESCRIBED.match(text[end : end + 160])
    if m is None:
        return None
    words = m.group(1).split()
    if len(words) > MAX_ROLE_WORDS or len(words[-1]) == 1 or not _is_title(words):  # "... Donald J." is cut short
        return None
    return " ".join(words)


def roles_of(name: str, texts: Iterable[str]) -> list[str]:
    """The roles ``texts`` give the person ``name``, best first: a title of two or more words that
    two or more texts use ("Russian President"), then by how many texts use it, then longer before
    shorter. One outlet's own label ("Democrat President") does not outrank what the others share
    ("President"). Mentions by the full name count, and by the surname alone; a role with loaded
    words ("far-left") is left out."""
    tokens = name_tokens(name)
    if not tokens:
        return []
    full = re.compile(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b")
    surname = re.compile(rf"\b{re.escape(tokens[-1])}\b")
    found: Counter[str] = Counter()
    used_by: Counter[str] = Counter()
    first: dict[str, int] = {}
    for text in texts:
        spans = {(m.start(), m.end()) for pattern in (full, surname) for m in pattern.finditer(text)}
        here: set[str] = set()
        for s, e in sorted(spans):
            if any(o < s and e <= c for o, c in spans):  # the surname inside a full-name mention
                continue
            for role in (_before(text, s), _after(text, e)):
                if role and not find_loaded(role) and not set(name_tokens(role)) & set(tokens):
                    found[role] += 1
                    here.add(role)
                    first.setdefault(role, len(first))
        used_by.update(here)

    def rank(role: str) -> tuple[bool, int, bool, int, int]:
        long = len(role.split()) >= 2
        return (not (long and used_by[role] >= 2), -used_by[role], not long, -found[role], first[role])

    return sorted(found, key=rank)


def role_of(name: str, texts: Iterable[str]) -> str:
    """The articles' most used role for ``name``, or "" when they give none."""
    return next(iter(roles_of(name, texts)), "")

"""The meaning lexicon (``data/antonyms.txt``): negation cues, denial verbs and opposites.

The file holds sections ``[negation]``, ``[denial]`` (one verb a line, every form), ``[opposites]``
and ``[aligned]`` (one pair a line, ``forms of one | forms of the other``); its header says what each
is for. Extend it there: no code changes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .lexicons import data_lines

LEXICON = "antonyms.txt"


@dataclass(frozen=True)
class Lexicon:
    negation: frozenset[str]
    denial: dict[str, str]  # form -> the verb's first form ("denied" -> "deny")
    opposites: dict[str, frozenset[str]]  # form -> the forms of its opposites
    aligned: dict[str, frozenset[str]]  # function-word opposites, compared only at the aligned place
    forms: dict[str, frozenset[str]]  # form -> every form of the same word
    verbs: frozenset[str]  # the forms of the pairs' verbs (a side listing an "-ing" form), not "new" or "over"


@functools.cache
def lexicon() -> Lexicon:
    """``data/antonyms.txt``, read once."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in data_lines(LEXICON):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.append(line)
    negation = frozenset(w for line in sections.get("negation", []) for w in line.split())
    denial = {w: line.split()[0] for line in sections.get("denial", []) for w in line.split()}
    forms: dict[str, frozenset[str]] = {}
    verbs: set[str] = set()

    def pairs(name: str) -> dict[str, frozenset[str]]:
        table: dict[str, set[str]] = {}
        for line in sections.get(name, []):
            left, right = (frozenset(side.split()) for side in line.split("|", 1))
            verbs.update(*(side for side in (left, right) if any(w.endswith("ing") for w in side)))
            for a, b in ((left, right), (right, left)):
                for w in a:
                    table.setdefault(w, set()).update(b)
                    forms[w] = forms.get(w, frozenset()) | a
        return {w: frozenset(v) for w, v in table.items()}

    opposites, aligned = pairs("opposites"), pairs("aligned")
    return Lexicon(negation, denial, opposites, aligned, forms, frozenset(verbs))

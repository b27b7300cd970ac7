"""Sentences as tokens in clauses: the units the meaning rules align and compare.

A token carries its lower-cased form, its stem (:func:`summarizer.text.words.align_stem`, so
"issued" meets "issue"), whether it is a content word, and the clause it stands in. Clauses end at
punctuation and at the words that join or begin another statement ("but", "and", "that", "which",
"after"), so "Abbott issued an order, but did not say why" is two clauses with opposite polarity,
each aligned on its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .lexicons import MONTHS, STOPWORDS, WEEKDAYS
from .words import align_stem, is_possessive

_TOKEN = re.compile(r"\d[\d,.]*\d%?|\d%?|[^\W\d_]+(?:['’][^\W\d_]+)*|[^\w\s]")
_NOT = re.compile(r"(?i)^(.+)(n['’]t)$")  # "didn't" -> "did" + "n't"
_CONTRACTED = {"can't": ("ca", "n't"), "won't": ("wo", "n't"), "cannot": ("can", "not")}
CLAUSE_BREAKS = frozenset(";:.!?()[]—–") | {
    ",", "but", "while", "although", "though", "whereas", "however", "and", "or", "that", "which", "who", "whom",
    "whose", "where", "when", "because", "since", "if", "unless", "until", "after", "before", "as",
}
SWAP = 3  # a replaced span of at most this many tokens is one word put for another
CALENDAR = frozenset(w.lower() for w in (MONTHS.split("|") + WEEKDAYS.split("|")))


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    stem: str
    start: int
    end: int
    clause: int
    content: bool
    capital: bool  # capitalised, and not a function word, month or weekday: part of a name


def _pieces(text: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        low = word.lower().replace("’", "'")
        if low in _CONTRACTED:
            a, b = _CONTRACTED[low]
            out += [(word[: len(a)], start, start + len(a)), (b, start + len(a), m.end())]
        elif (neg := _NOT.match(word)) and len(neg.group(1)) > 1:
            cut = start + len(neg.group(1))
            out += [(neg.group(1), start, cut), ("n't", cut, m.end())]
        else:
            out.append((word, start, m.end()))
    return out


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """``text`` as tokens, each with its clause number (cached: source sentences recur)."""
    out: list[Token] = []
    clause = 0
    for word, start, end in _pieces(text):
        low = word.lower().replace("’", "'")
        if low == "." and out and out[-1].capital and len(out[-1].text) <= 4:
            continue  # the dot of "Gov.", "Sen.", "U.S.": not the end of a clause
        if low in CLAUSE_BREAKS:
            clause += 1
            if not word[0].isalpha():
                continue  # punctuation ends a clause; a joining word ("after", "that") opens the next
        elif not word[0].isalnum():
            continue  # hyphens, quotation marks, slashes: nothing to align
        content = (word[0].isdigit() or (len(low) >= 3 and word[0].isalpha())) and low not in STOPWORDS
        bare = re.sub(r"'s$", "", low)
        capital = word[0].isupper() and bare not in STOPWORDS and bare not in CALENDAR
        out.append(Token(word, low, align_stem(word), start, end, clause, content, capital))
    return tuple(out)


def clauses(toks: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """The tokens grouped by clause, in order (empty clauses left out)."""
    groups: dict[int, list[Token]] = {}
    for t in toks:
        groups.setdefault(t.clause, []).append(t)
    return [tuple(g) for g in groups.values()]


def names(toks: tuple[Token, ...]) -> list[tuple[int, int, str]]:
    """Runs of capitalised tokens (``first index, last index, the name``), a name's crude outline.

    A capitalised word at the start of a clause that is also a common word ("Police", "Officials")
    still counts: it names who acts as much as "Essex Police" does.
    """
    runs: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        if not toks[i].capital or toks[i].text[0].isdigit():
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and toks[j + 1].capital and toks[j + 1].clause == toks[i].clause \
                and not is_possessive(toks[j].text):
            j += 1
        runs.append((i, j, " ".join(t.text for t in toks[i : j + 1])))
        i = j + 1
    return runs


@functools.lru_cache(maxsize=256)
def swaps(mine: tuple[Token, ...], theirs: tuple[tuple[Token, ...], ...]) -> list[tuple[int, tuple[Token, ...]]]:
    """Words of the sentence put in place of a source's words: (position, the source words it replaced),
    from a token alignment with each source; a word some source has at that place is never one."""
    words = [t.low for t in mine]
    copied: set[int] = set()
    found: list[tuple[int, tuple[Token, ...]]] = []
    for toks in theirs:
        matcher = SequenceMatcher(None, words, [u.low for u in toks], autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                copied.update(range(a0, a1))
            elif op == "replace" and a1 - a0 <= SWAP and b1 - b0 <= SWAP:
                found += [(i, toks[b0:b1]) for i in range(a0, a1)]
    return [(i, there) for i, there in found if i not in copied]

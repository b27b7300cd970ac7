"""A name written into another name's place in a sentence copied from a source: the ``substitution`` rule's slots.

The model copies most sentences nearly word for word. Where a copied stretch of a source sentence
holds one name and the model's sentence, copying the words around it, holds another ("a former
Justice Department official under [Select Committee] who was involved" for "... under [President
Donald J. Trump] who ..."), the sentence says something its source does not, however many other
cited sentences hold the new name somewhere. The slot is read against each source sentence alone:
two cited sentences together hold the words of almost any mix of them.

A slot is a replaced stretch of the token alignment with copied words on both sides (or the
sentence's start or end on both). It is a substitution when the source's stretch holds a name and
the sentence's stretch holds a capitalised word (a name, a weekday: "Tuesday's hopes" for "President
Biden hopes") that is no spelling of it, unless some cited sentence has the new words next to the
same neighbour (a clause moved, not a name swapped). A weekday or month put for another in a slot is
read the same way (:func:`slot_dates`), as is a word put for its opposite (:func:`slot_opposites`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

from ..text.clauses import CALENDAR, Token
from ..text.lexicons import SPEECH_VERBS, STOPWORDS, TITLE_WORDS
from ..text.lexicons import WEEKDAYS as _WEEKDAY_NAMES
from ..text.names import COMPASS, names_match, same_root
from ..text.opposites import lexicon

__all__ = ["slot_dates", "slot_names", "slot_opposites"]

SLOT_MINE = 5  # most tokens of the sentence's side of a slot (more is a rewritten clause, not a name put in)
SLOT_THEIRS = 10  # most tokens of the source's side ("Senate Minority Leader Mitch McConnell (R-Ky.)")
SLOT_CONTEXT = 2  # copied tokens on each side of a slot ("Bureau of Labor [Statistics]" for "Labor [Department]" is none)
BASE_SHARE = 0.3  # share of the sentence's words copied from a source sentence for its slots to be read
OPPOSITE_SLOT = 2  # most words of a slot read for opposites, one for one
EDGE = 2  # what both sentences' start or end counts for, as context
WEEKDAYS = frozenset(w.lower() for w in _WEEKDAY_NAMES.split("|"))
MONTHS = CALENDAR - WEEKDAYS


def _worded(toks: Sequence[Token], a: int, b: int, mid: set[str], calendar: bool = True) -> list[str]:
    """The capitalised words of ``toks[a:b]`` that can name someone or something: not "The", not a
    sentence's first word unless it is capitalised mid-sentence too ("However", "Despite"), titles
    only where they stand alone; weekdays and months included unless ``calendar`` is false."""
    out: list[str] = []
    titles: list[str] = []
    for k in range(a, b):
        t = toks[k]
        bare = t.low.removesuffix("'s").strip(".")
        if t.text[0].isupper() and bare not in STOPWORDS and (calendar or t.capital) and (k or bare in mid):
            (titles if bare in TITLE_WORDS else out).append(t.text)
    return out or (titles if len(titles) > 1 else [])  # "Tuesday's [Staff Chair Gen] hearing": titles as a name


def _same(mine: list[str], theirs: list[str], there: Sequence[Token]) -> bool:
    """Whether two stretches' names are spellings of one actor: a variant ("Biden" / "President Joe
    Biden"), words of one root ("Senate Democrats" / "Democratic senators"), a demonym ("Chinese" /
    "China"), or initials ("FDA" / "Food and Drug Administration"). Compass words always differ."""
    a, b = " ".join(mine), " ".join(theirs)
    if names_match(a, b):
        return True
    if {w.lower() for w in mine} & COMPASS != {w.lower() for w in theirs} & COMPASS:
        return False  # "South Korean" for "North Korean"
    if all(any(same_root(w, u.text) for u in there) for w in mine):
        return True
    return a.replace(".", "") in ("".join(w[0] for w in theirs), "".join(w[0] for w in theirs if w[0].isupper())) \
        or b.replace(".", "") == "".join(w[0] for w in mine)


def _holds(toks: Sequence[Token], words: list[str], skip: frozenset[int] = frozenset()) -> bool:
    """Whether a sentence's tokens (but those at ``skip``) hold every one of ``words``."""
    lows = {t.low for k, t in enumerate(toks) if k not in skip}
    return all(w.lower().replace("’", "'") in lows for w in words)


_ATTRIBUTION = frozenset(SPEECH_VERBS.split("|")) | {"according"}  # who said it, reworded: "according to Steck"

# a source sentence, the sentence's a0:a1 put for its b0:b1, and the source's words the sentence copies
Slot = tuple[tuple[Token, ...], int, int, int, int, frozenset[int]]


def _slots(mine: tuple[Token, ...], theirs: Sequence[tuple[Token, ...]]) -> Iterator[Slot]:
    """Each replaced stretch of the sentence against each source sentence alone, with copied words
    around it, whose new words stand between those neighbours in no source sentence."""
    pairs = {(x.low, y.low) for toks in theirs for x, y in itertools.pairwise(toks)}
    words = [t.low for t in mine]
    for toks in theirs:
        ops = SequenceMatcher(None, words, [u.low for u in toks], autojunk=False).get_opcodes()
        copied = frozenset(k for op, _, _, b0, b1 in ops if op == "equal" for k in range(b0, b1))
        if len(copied) < BASE_SHARE * len(mine):
            continue  # not the sentence the model copied: its words meet the sentence's only here and there
        for k, (op, a0, a1, b0, b1) in enumerate(ops):
            if op != "replace" or a1 - a0 > SLOT_MINE or b1 - b0 > SLOT_THEIRS:
                continue
            left = ops[k - 1][2] - ops[k - 1][1] if k and ops[k - 1][0] == "equal" else 0
            right = ops[k + 1][2] - ops[k + 1][1] if k + 1 < len(ops) and ops[k + 1][0] == "equal" else 0
            left += EDGE * (a0 - left == 0 and b0 - left == 0)
            right += EDGE * (a1 + right == len(mine) and b1 + right == len(toks))
            if min(left, right) < SLOT_CONTEXT:
                continue
            moved = (a0 == 0 or (words[a0 - 1], words[a0]) in pairs) and \
                (a1 == len(mine) or (words[a1 - 1], words[a1]) in pairs)  # a source has it between these words
            if not moved and not {u.low for u in toks[b0:b1]} & _ATTRIBUTION:
                yield toks, a0, a1, b0, b1, copied


def slot_names(mine: tuple[Token, ...], theirs: Sequence[tuple[Token, ...]]) -> list[str]:
    """What the sentence names in the place of another name of a source sentence it copies ("names 'X'
    where its source names 'Y'"); ``[]`` when it puts no name in another's place."""
    out = []
    for toks, a0, a1, b0, b1, copied in _slots(mine, theirs):
        mid = {t.low.removesuffix("'s").strip(".") for t in (*mine[1:], *toks[1:])}
        put, there = _worded(mine, a0, a1, mid), _worded(toks, b0, b1, mid, calendar=False)
        if not put or not there or _same(put, there, toks[b0:b1]):
            continue
        if _holds(toks, put, copied) and not _holds(mine, there):
            continue  # a name moved to the front over words the sentence dropped ("Sunak, the new prime
            # minister, said" for "At a rally in London the new prime minister, Sunak, said"): no swap
        out.append(f"names {' '.join(put)!r} where its source names {' '.join(there)!r}")
    return list(dict.fromkeys(out))


def slot_opposites(mine: tuple[Token, ...], theirs: Sequence[tuple[Token, ...]]) -> list[str]:
    """A word put where the source sentence it copies has its opposite ("sued [against] their conduct"
    for "sued [for] their conduct"), whatever other cited sentences hold."""
    lex = lexicon()
    out = []
    for toks, a0, a1, b0, b1, _ in _slots(mine, theirs):
        if a1 - a0 != b1 - b0 or a1 - a0 > OPPOSITE_SLOT:
            continue  # a word for a word ("sued [for]" / "sued [against]"), not a reworded stretch
        there = {u.low: u.text for u in toks[b0:b1]}
        for t in mine[a0:a1]:
            hit = next((there[w] for w in lex.opposites.get(t.low, set()) | lex.aligned.get(t.low, set())
                        if w in there), None)
            if hit and t.low not in there:
                out.append(f"says {t.text!r} where its source says {hit!r}")
    return list(dict.fromkeys(out))


def slot_dates(mine: tuple[Token, ...], theirs: Sequence[tuple[Token, ...]]) -> list[str]:
    """A weekday or month put where the source sentence it copies gives another ("Documents released
    [Friday] ... a meeting Friday" for "released [Thursday] ... a meeting Friday"), though the source
    names the new day elsewhere: the date rule asks only whether some cited sentence names it."""
    out = []
    for toks, a0, a1, b0, b1, _ in _slots(mine, theirs):
        for kind in (WEEKDAYS, MONTHS):  # a weekday for a weekday, a month for a month: "on Oct. 7" may say "Thursday"
            put, there = _calendar(mine[a0:a1], kind), _calendar(toks[b0:b1], kind)
            if put and there and not put.keys() & there.keys():
                out.append(f"dates {' '.join(put.values())!r} where its source dates {' '.join(there.values())!r}")
    return list(dict.fromkeys(out))



def _calendar(toks: Sequence[Token], kind: frozenset[str]) -> dict[str, str]:
    """{first three letters: word} of the capitalised weekdays or months among ``toks`` ("Sept." and "September" are one)."""
    return {t.low.strip(".")[:3]: t.text for t in toks if t.text[0].isupper() and t.low.strip(".") in kind}

"""Who does what, by word order (no parser): the role rule of :mod:`summarizer.truth.contradiction`.

A sentence's doer is the name standing before a verb in its clause (or after a speech verb: "...,
said Putin"; never the subject of a passive). In a source sentence, anyone named before the verb may
be its doer. The rule flags a doer that the source sentence names only elsewhere ("Russia accused
Ukraine" for "Ukraine accused Russia"), and a sentence that opens with a name the source has only
after the sentence's first verb. A source that names no one before the verb ("he said") never
contradicts: the pronoun may mean the sentence's doer. And it flags two names that trade places
around the same words ("Essex has died after being stabbed ... in Conservative MP Sir David Amess").
"""

from __future__ import annotations

import itertools
import re

from ..text.clauses import Token, names
from ..text.lexicons import PARTICIPLES, SPEECH_VERBS, TITLE_WORDS
from ..text.names import COMPASS, names_match, same_root
from ..text.opposites import lexicon
from ..text.words import letter_words

_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "get", "gets", "got"])
_SPEECH = frozenset(SPEECH_VERBS.split("|"))
_AUXILIARY = frozenset(["will", "would", "can", "could", "did", "does", "do", "has", "have", "had", "to", "may",
                        "might", "must", "should", "shall", "not", "n't", "never"])


def _passive(toks: tuple[Token, ...], i: int) -> bool:
    """Whether the verb ``toks[i]`` is passive (a form of "be" before it: "was attacked")."""
    return i > 0 and toks[i - 1].low in _BE


def _agents(toks: tuple[Token, ...], runs: list[tuple[int, int, str]], i: int) -> list[str]:
    """Who may be doing ``toks[i]`` in a source: every name before it; the name after "by" when it is
    passive; the name after a speech verb ("..., said Putin")."""
    if _passive(toks, i):
        by = next((k for k in range(i + 1, min(len(toks), i + 6)) if toks[k].low == "by"), None)
        return [name for a, _, name in runs if by is not None and a == by + 1]
    found = [name for _, b, name in runs if b < i]
    if toks[i].low in _SPEECH:
        found += [name for a, _, name in runs if a == i + 1]
    return found


def _doer(toks: tuple[Token, ...], runs: list[tuple[int, int, str]], i: int) -> str | None:
    """The name standing before the verb ``toks[i]`` in its clause (its subject or speaker, by word order)."""
    if _passive(toks, i):
        return None  # passive: the subject is who it happened to
    before = [(b, name) for a, b, name in runs if b < i and toks[a].clause == toks[i].clause]
    if toks[i].low in _SPEECH and i + 1 < len(toks) and toks[i + 1].clause == toks[i].clause:
        after = [name for a, _, name in runs if a == i + 1]
        if after and (not before or toks[i - 1].clause != toks[i].clause):
            return after[0]
    if not before:
        return None
    b, name = max(before)
    return None if re.search(r"['’]s?$", name) or b < i - 4 else name  # "Biden's rating": a possessor


def _verb(toks: tuple[Token, ...], i: int) -> bool:
    """Whether ``toks[i]`` reads as a verb (without a parser): a past form, a speech verb, a verb of the
    lexicon (not its adjectives: "the new prime minister"), or a word after an auxiliary ("will announce")."""
    t = toks[i]
    lex = lexicon()
    return (t.low.endswith("ed") or t.low in _SPEECH or t.low in lex.denial or t.low in lex.verbs
            or (i > 0 and toks[i - 1].low in _AUXILIARY | _BE))


def wrong_subject(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> str | None:
    """The name the sentence opens with (its subject) must stand before the sentence's first verb in a
    source sentence that has that verb, not only after it ("Essex, an MP from Amess, was stabbed" for
    "MP Amess was stabbed ... in Essex"; "Russia accused Ukraine" for "Ukraine accused Russia").

    Where only one of the two verbs is passive, the subject of the active one is the passive one's
    "by" name ("Trump attacked Biden" for "Biden was attacked by Trump"); with no "by", or with the
    sentence passive, the source names no comparable subject and never contradicts."""
    runs = names(mine)
    if not runs or runs[0][0] > 2:
        return None
    _a, b, subject = runs[0]
    # a verb of the sentence, or a word whose stem is a verb of a source ("orders" for "ordered")
    acts = {u.stem for toks in theirs for k, u in enumerate(toks) if not u.capital and u.content and _verb(toks, k)}
    verb = next((k for k in range(b + 1, len(mine))
                 if not mine[k].capital and (_verb(mine, k) or (mine[k].content and mine[k].stem in acts))), None)
    if verb is None:
        return None
    stem = mine[verb].stem
    passive = _passive(mine, verb)
    after_only = False
    for toks in theirs:
        their_runs = names(toks)
        for k, u in enumerate(toks):
            if u.stem != stem:
                continue
            if passive == _passive(toks, k):
                before = [name for _, e, name in their_runs if e < k]
            elif passive:
                return None
            else:
                before = _agents(toks, their_runs, k)  # the name after "by"
            if not before or any(names_match(subject, name) for name in before):
                return None
            after_only = after_only or any(names_match(subject, name) for s, _, name in their_runs if s > k)
    if not after_only:
        return None
    return f"makes {subject!r} the subject of {mine[verb].text!r}, where its source has {subject!r} only after it"


def wrong_doer(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> str | None:
    """A name doing something in the sentence that, in a source sentence holding both the name and the
    deed, someone else does. A source that names no one before the deed ("he said") may mean anyone,
    so it never contradicts; nor does a source sentence that does not name the sentence's doer."""
    my_runs = names(mine)
    their_runs = [names(toks) for toks in theirs]
    for i, t in enumerate(mine):
        if (not t.content and t.low not in _SPEECH) or t.capital or t.text[0].isdigit() or not _verb(mine, i):
            continue
        doer = _doer(mine, my_runs, i)
        if doer is None:
            continue
        others: list[str] = []
        borne_out = False
        for toks, runs in zip(theirs, their_runs, strict=True):
            for k, u in enumerate(toks):
                if u.stem != t.stem or u.capital:
                    continue
                agents = _agents(toks, runs, k)
                if not agents or any(names_match(doer, who) for who in agents):
                    borne_out = True
                elif any(names_match(doer, name) for _, _, name in runs):
                    others.append(agents[-1])
        if others and not borne_out:
            return f"has {doer!r} {t.text!r}, where its source has {others[0]!r} do so"
    return None


# Words that join names without giving them roles: "Pfizer and BioNTech" is "BioNTech and Pfizer".
_COORDINATION = frozenset(["and", "or", "nor", "&", ",", "as", "well", "both", "either", "neither", "the"])
_OF = frozenset(["of", "a", "an", "'s", "’s"])
SAME_MIDDLE = 2 / 3  # share of the words between two names that the source has between them too


def _between(toks: tuple[Token, ...], first: tuple[int, int, str], second: tuple[int, int, str]) -> set[str]:
    return {t.stem for t in toks[first[1] + 1 : second[0]]}


def _by_passive(toks: tuple[Token, ...], first: tuple[int, int, str], second: tuple[int, int, str]) -> bool:
    """Whether a passive's "by" stands between two names ("was formed by"; not "a proposal by")."""
    return any(u.low == "by" and k > 0 and (toks[k - 1].low.endswith(("ed", "en")) or toks[k - 1].low in PARTICIPLES)
               for k, u in enumerate(toks[first[1] + 1 : second[0]], first[1] + 1))


def _actor(a: str, b: str) -> bool:
    """Whether two names may be one actor: spellings of one name, or words of one root ("Democratic"
    senators and "Senate Democrats")."""
    if names_match(a, b):
        return True
    wa, wb = ([w for w in letter_words(n, min_len=3) if w.lower() not in TITLE_WORDS] for n in (a, b))
    short, long = sorted((wa, wb), key=len)
    return bool(short) and all(any(same_root(w, u) for u in long) for w in short) \
        and {w.lower() for w in wa} & COMPASS == {w.lower() for w in wb} & COMPASS


def swapped_names(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> str | None:
    """Two names of the sentence standing in the opposite order around the same words in a source
    sentence, which never has them in the sentence's order ("A commission formed by Supreme Court to
    study changes to President Biden" for "... formed by President Biden to study changes to the
    Supreme Court"). Names joined only by "and" or a comma trade places freely."""
    runs = names(mine)
    if len(runs) < 2:
        return None
    their_runs = [(toks, names(toks)) for toks in theirs]
    for first, second in itertools.combinations(runs, 2):
        if names_match(first[2], second[2]):
            continue
        middle = _between(mine, first, second)
        words = {t.low for t in mine[first[1] + 1 : second[0]]} - _COORDINATION - _OF
        if not words or words <= TITLE_WORDS:
            continue  # "Black Male Voter Project founder Robinson" for "Robinson, founder of the ...": one actor
        # "Biden was attacked by Trump" for "Trump attacked Biden": a passive swaps them, so the words
        # between must be a passive in both sentences or in neither ("a proposal by" is none).
        passive = _by_passive(mine, first, second)
        swapped = kept = False
        for toks, runs_there in their_runs:
            for x, y in itertools.combinations(runs_there, 2):
                there = _between(toks, x, y)
                same = len(middle & there) >= SAME_MIDDLE * len(middle) and _by_passive(toks, x, y) == passive
                if names_match(x[2], first[2]) and names_match(y[2], second[2]):
                    kept = True
                elif same and _actor(x[2], second[2]) and _actor(y[2], first[2]):
                    swapped = True
        if swapped and not kept:
            return f"puts {first[2]!r} and {second[2]!r} in each other's places"
    return None

"""Words: how a text splits into words, which of them carry content, and how they are stemmed.

Every layer compares texts by their words: provenance and support (are a sentence's words the
sources' words?), coverage (which fact does a summary sentence say?), redundancy (does a key point
repeat a summary sentence?), statements (are two quotes one remark?), claimants, and the clustering
features. The rules they share are written here once. Where the layers differ (how long a word must
be, where it is cut, which stemmer, which stop list) that is a parameter or a named function built
on the same core, so a difference is visible at the call, never a copy that drifts.

=====================  ========================================================================
function               rule
=====================  ========================================================================
``words``              letters and digits with one inner apostrophe ("don't", "Korea’s")
``pieces``             runs of letters and digits, split at apostrophes
``letter_words``       runs of letters only (no digits), at least ``min_len`` long
``content``            the core: lowercased words not in a stop list, at least ``min_len`` long
``content_words``      content words cut to their first ``cut`` letters (a crude stem)
``remark_words``       content words of a quoted remark, its names left out
``strip_suffix``       the core of both stemmers: the first suffix of a table that fits
``stem``               the truth layer's stemmer (``SUFFIXES``, stems of four letters or more)
``term_stem``          the clustering features' stemmer (``TERM_SUFFIXES``, three letters, "-ss" kept)
``content_stems``      stems of the content words outside quotation marks
``stems``              stems of every word
``strip_possessive``   a word without its "'s" / "’s" (``is_possessive``; ``strip_possessives`` in a text)
=====================  ========================================================================
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from .lexicons import STOPWORDS
from .sentences import unquoted

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
"""A word: letters and digits, with one inner apostrophe ("don't", "Korea’s")."""
PIECE = re.compile(r"[^\W_]+")
"""A run of letters and digits: a word split at its apostrophes ("don't" is "don", "t")."""
_LETTERS = re.compile(r"[^\W\d_]+")
_POSSESSIVE = re.compile(r"['’]s$")
_POSSESSIVES = re.compile(r"['’]s\b")
_SENTENCE_END = re.compile(r"[.!?:—]\s*$")

# Suffix tables, tried in order: the first suffix a word ends with (leaving a long enough stem) is
# replaced. Light on purpose: enough to join "sanctions"/"sanctioned"/"sanctioning".
SUFFIXES: tuple[tuple[str, str], ...] = (("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
TERM_SUFFIXES: tuple[tuple[str, str], ...] = (("ies", "y"), *SUFFIXES)
MIN_STEM = 4  # ``stem`` strips a suffix only where this many letters stay ("troops" -> "troop"; "uses" stays)
MIN_TERM_STEM = 3  # ``term_stem`` leaves at least this many
STEM_MIN_LETTERS = 3  # shorter words ("is", "an", "US") are not counted by content_stems and stems
REMARK_CUT = 5  # remark_words keeps five letters: "images"/"image", "agreements"/"agreement" meet


def words(text: str) -> list[str]:
    """Words (letters and digits, with an inner apostrophe: "don't", "Korea’s")."""
    return WORD.findall(text)


def pieces(text: str) -> list[str]:
    """Runs of letters and digits (see PIECE): how words are counted and compared where an
    apostrophe should not join them."""
    return PIECE.findall(text)


def letter_words(text: str, min_len: int = 1) -> list[str]:
    """Runs of letters (no digits, no apostrophes) at least ``min_len`` long, in order."""
    return [w for w in _LETTERS.findall(text) if len(w) >= min_len]


def content(tokens: Iterable[str], *, stopwords: AbstractSet[str] = STOPWORDS, min_len: int = 1) -> list[str]:
    """The lowercased ``tokens`` at least ``min_len`` long that are not in ``stopwords``, in order."""
    return [low for w in tokens if len(w) >= min_len and (low := w.lower()) not in stopwords]


def content_words(text: str, *, cut: int) -> set[str]:
    """The content words of ``text``, lowercased and cut to ``cut`` letters, so that "deployed" meets
    "deployment" (cut 6) or "images" meets "image" (cut 5)."""
    return {w[:cut] for w in content(words(text))}


def _inside_sentence(text: str, start: int) -> bool:
    before = text[:start]
    return bool(before.strip()) and not _SENTENCE_END.search(before)


def remark_words(text: str) -> set[str]:
    """The content words of a quoted remark (two characters or more), cut to REMARK_CUT letters.

    A capitalised word inside a sentence is part of a name ("North Korean"), which many different
    remarks share, so it is left out; a sentence's first word is kept."""
    kept = [m.group() for m in WORD.finditer(text) if not (m.group()[0].isupper() and _inside_sentence(text, m.start()))]
    return {w[:REMARK_CUT] for w in content(kept, min_len=2)}


def strip_suffix(word: str, suffixes: tuple[tuple[str, str], ...], min_stem: int, keep: tuple[str, ...] = ()) -> str:
    """``word`` with the first of ``suffixes`` it ends with replaced, if at least ``min_stem``
    characters stay; words ending in any of ``keep`` are left as they are."""
    if word.endswith(keep):
        return word
    for suffix, replacement in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            return word[: -len(suffix)] + replacement
    return word


def strip_possessive(word: str) -> str:
    """``word`` without a final "'s" or "’s" ("Putin’s" -> "Putin")."""
    return _POSSESSIVE.sub("", word)


def is_possessive(word: str) -> bool:
    """Whether ``word`` ends in "'s" or "’s"."""
    return _POSSESSIVE.search(word) is not None


def strip_possessives(text: str) -> str:
    """``text`` with the "'s" / "’s" ending any of its words removed ("Korea’s leader" -> "Korea leader")."""
    return _POSSESSIVES.sub("", text)


def stem(word: str) -> str:
    """The truth layer's stem: lowercased, possessive dropped, one suffix of SUFFIXES stripped
    where MIN_STEM letters stay ("deployed" -> "deploy", "troops" -> "troop", "uses" -> "uses")."""
    return strip_suffix(strip_possessive(word.lower()), SUFFIXES, MIN_STEM)


def align_stem(word: str) -> str:
    """The meaning check's stem, for inflections of one word to meet when two sentences are aligned:
    "denied"/"denies" -> "deny", and "issued"/"issues"/"issue" -> "issu" (a final "e" goes too, which
    :func:`stem` keeps: "issue" must meet "issued")."""
    w = strip_possessive(word.lower())
    y_form = strip_suffix(w, (("ied", "y"), ("ies", "y")), 2)
    if y_form != w:
        return y_form
    w = strip_suffix(w, (("ing", ""), ("ed", ""), ("es", ""), ("s", "")), 4, keep=("ss",))
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


# Clustering stems every word of every title and lead, thousands of articles over a vocabulary
# that repeats: the cache makes a stem a dict lookup.
@functools.lru_cache(maxsize=200_000)
def term_stem(word: str) -> str:
    """The clustering features' stem of a lowercased word: "-ies" becomes "-y", one suffix of
    TERM_SUFFIXES is stripped where MIN_TERM_STEM letters stay, and "-ss" words are left whole
    ("sanctions" -> "sanction", "countries" -> "country", "press" -> "press")."""
    return strip_suffix(word, TERM_SUFFIXES, MIN_TERM_STEM, keep=("ss",))


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` outside quotation marks, in order (words of
    STEM_MIN_LETTERS letters or more, digits not counted)."""
    return [stem(w) for w in content(letter_words(unquoted(text), STEM_MIN_LETTERS))]


def stems(text: str) -> frozenset[str]:
    """Stems of every word of ``text`` (STEM_MIN_LETTERS letters or more), stop words included:
    what a text can be said to hold when other texts' content stems are looked up in it."""
    return frozenset(stem(w) for w in letter_words(text, STEM_MIN_LETTERS))

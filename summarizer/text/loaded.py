"""Loaded and evaluative language: a lexicon plus two rules, no model, no network.

The lexicon is ``summarizer/data/loaded_terms.txt`` (one term a line, grouped by kind).
Rules:

1. Text inside quotation marks is the speaker's, not the brief's: it is never flagged.
2. Matches are whole words, case-insensitive; a lexicon term ending in ``*`` matches any
   ending ("slam*" -> "slammed").

``find_loaded`` drives the truth layer's ``loaded_language`` check (:mod:`summarizer.truth.neutrality`);
``subjectivity_rate`` is the evals' measure of how much evaluative language a text carries.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from .sentences import unquoted
from .words import pieces


@dataclass(frozen=True)
class LoadedHit:
    """One loaded term found in the text's own voice."""

    term: str  # the lexicon entry ("slam*")
    kind: str  # intensifier, loaded, verb or hedge
    text: str  # what the text says ("slammed")
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, str], ...]:
    """``(term, kind)`` pairs from the data file, longest terms first."""
    raw = (
        resources.files("summarizer")
        .joinpath("data")
        .joinpath("loaded_terms.txt")
        .read_text(encoding="utf-8")
    )
    kind = "loaded"
    terms: list[tuple[str, str]] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1].strip()
            continue
        terms.append((line.lower(), kind))
    return tuple(sorted(dict.fromkeys(terms), key=lambda t: -len(t[0])))


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    parts = []
    for term, _ in lexicon():
        body = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", term.rstrip("*")))
        parts.append(body + (r"[\w\-]*" if term.endswith("*") else ""))
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])", re.IGNORECASE)


def _term_for(match: str) -> tuple[str, str]:
    low = re.sub(r"[\s\-]+", " ", match.lower())
    for term, kind in lexicon():
        t = re.sub(r"[\s\-]+", " ", term.rstrip("*"))
        if low == t or (term.endswith("*") and low.startswith(t)):
            return term, kind
    return match.lower(), "loaded"


def find_loaded(text: str) -> list[LoadedHit]:
    """Loaded terms in the text's own voice (outside quotation marks), in text order."""
    voice = unquoted(text)
    hits = []
    for m in _pattern().finditer(voice):
        term, kind = _term_for(m.group())
        hits.append(
            LoadedHit(term=term, kind=kind, text=text[m.start() : m.end()], start=m.start(), end=m.end())
        )
    return hits


def loaded_terms(text: str) -> list[str]:
    """The loaded words the text uses in its own voice, as written ("slammed", "illegal war")."""
    return [h.text for h in find_loaded(text)]


def subjectivity_rate(text: str) -> float:
    """Loaded terms per 100 words of the text's own voice (0.0 for an empty text)."""
    words = pieces(unquoted(text))
    if not words:
        return 0.0
    return 100.0 * len(find_loaded(text)) / len(words)


def remove_intensifiers(text: str) -> tuple[str, list[str]]:
    """Delete ``intensifier`` and ``hedge`` terms from the text's own voice; returns (new text, removed words).

    Only adjectives and adverbs that colour a noun or verb are in that group, so deleting one
    usually leaves a grammatical sentence ("the brutal attack" -> "the attack"). Where it would
    not, the word is kept (and stays flagged): after "a"/"an" ("a brutal attack" would become
    "a attack"), and before punctuation ("was brutal." would lose its predicate).
    """
    removed: list[str] = []
    out = text
    for hit in sorted(find_loaded(text), key=lambda h: -h.start):
        if hit.kind not in ("intensifier", "hedge"):
            continue
        before = out[: hit.start]
        if re.search(r"\b(?:a|an)\s+$", before, re.IGNORECASE):
            continue  # "a brutal attack": deleting would leave "a attack"/"an ..." mismatches
        after = out[hit.end :]
        if not after.startswith((" ", "\t")):
            continue  # sentence-final or punctuated: deleting would leave a dangling comma
        after = after.lstrip(" \t")
        if not before.strip() or re.search(r"[.!?]\s+$", before):
            after = after[:1].upper() + after[1:]  # the next word now starts the sentence
        out = before + after
        removed.append(hit.text)
    return out, removed[::-1]

"""Writing systems and language: which scripts a text uses, and a guess at its language."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

from .words import letter_words

_LATIN_STOPWORDS = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for was on with said he it as",
        "de": "der die und das nicht ist mit den ein eine sich auf dem auch",
        "fr": "le la les des et est une du dans que pour qui pas au sur",
        "es": "el la los las y que del en por una con para es se su",
        "it": "il di che della per una sono gli nel non con del le è",
        "pt": "o os que do da em para com uma não dos das ao é",
        "nl": "de het een en van is dat niet op met voor zijn ook",
    }.items()
}

# Unicode names whose first word is not the script's own name.
_SCRIPT_ALIASES = {"hiragana": "kana", "katakana": "kana", "cjk": "han"}


@functools.lru_cache(maxsize=4096)
def script(ch: str) -> str | None:
    """The writing system of one letter ("latin", "cyrillic", "han", "kana", "hangul", ...).

    None for anything that is not a letter. The name is the first word of the character's
    Unicode name, lowercased, with hiragana/katakana as "kana" and CJK ideographs as "han".
    """
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0].lower() if name else "?"
    return _SCRIPT_ALIASES.get(first, first)


def scripts(text: str) -> set[str]:
    """The writing systems of the letters in ``text``."""
    return {s for ch in set(text) if (s := script(ch))}


_SCRIPT_LANG = {
    "hangul": "ko",
    "arabic": "ar",
    "hebrew": "he",
    "greek": "el",
    "thai": "th",
    "devanagari": "hi",
}


# Regional and rarely published languages left out of the identifier: on short news text they mostly
# appear as wrong answers for their big neighbours (Portuguese read as Galician, and the like).
_UNLIKELY = frozenset({
    "af", "am", "an", "as", "br", "cy", "dz", "eo", "eu", "fo", "ga", "gl", "ht", "jv", "km", "ku",
    "ky", "la", "lb", "lo", "mg", "mn", "mt", "nb", "nn", "oc", "or", "ps", "qu", "rw", "se", "si",
    "tl", "ug", "vo", "wa", "xh", "zu",
})


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's classifier restricted to news languages, or None where it is not installed."""
    try:
        from py3langid import langid  # type: ignore[import-untyped]
    except ImportError:
        return None
    ident = langid.LanguageIdentifier.from_modelpath(Path(langid.__file__).parent / langid.MODEL_FILE)
    ident.set_languages([lang for lang in ident.nb_classes if lang not in _UNLIKELY])
    return ident


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code for ``text``'s language; None without letters.

    py3langid (a naive Bayes model over byte n-grams, 97 languages) decides; without it, a
    guess from the scripts and a few function words (:func:`guess_by_script`).
    """
    sample = text[:20_000]
    if not any(ch.isalpha() for ch in sample):
        return None
    ident = _identifier()
    if ident is None:
        return guess_by_script(sample)
    return str(ident.classify(sample)[0])


def guess_by_script(text: str) -> str | None:
    """Guess an ISO 639-1 code from the share of each script's letters; None without letters.

    Mixed text gets the majority script. Japanese is kanji plus kana; Ukrainian is Cyrillic
    with і/ї/є/ґ; Latin-script text is told apart by common function words (default 'en').
    """
    sample = text[:20_000]
    counts: dict[str, int] = {}
    for ch in sample:
        s = script(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return None
    cjk = counts.get("kana", 0) + counts.get("han", 0)
    groups = {k: v for k, v in counts.items() if k not in ("kana", "han")}
    if cjk:
        groups["cjk"] = cjk
    top = max(groups, key=lambda k: groups[k])
    if top == "cjk":
        return "ja" if counts.get("kana", 0) >= 0.15 * cjk else "zh"
    if top == "cyrillic":
        uk = sum(sample.count(c) for c in "іїєґІЇЄҐ")
        return "uk" if uk >= 0.01 * counts["cyrillic"] else "ru"
    if top == "latin":
        words = letter_words(sample.lower())
        scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _LATIN_STOPWORDS.items()}
        best = max(scores, key=lambda k: scores[k])
        return best if scores[best] > scores["en"] else "en"
    return _SCRIPT_LANG.get(top)


def mostly_latin(text: str) -> bool:
    """Whether more than 80% of the letters in ``text`` are ASCII letters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8

"""Characters a reader cannot see but a renderer obeys: control, format and line-breaking characters.

Two rules use them. A URL holding any of them is not linked (:func:`safe_url_text`): browsers and
URL parsers drop a tab or newline silently, so ``java\\nscript:`` passes a scheme check and then
runs, and a Markdown renderer reads a newline as the end of the link. A metadata field (a title,
an outlet, an author) is one line of visible text (:func:`visible_line`): a right-to-left override
(U+202E) turns "Reuters" into what it is not, and zero-width characters make two names that look
the same compare different.
"""

from __future__ import annotations

import unicodedata

__all__ = ["safe_url_text", "visible_line"]

# Format characters that spelling needs and that cannot reorder text: the zero-width non-joiner and
# joiner (Persian and Indic words, emoji sequences). Every other format character (bidi embeddings,
# overrides and isolates, LRM/RLM, zero-width space, word joiner, BOM, soft hyphen) is dropped.
_KEPT_FORMAT = frozenset("\u200c\u200d")
# Categories never part of a URL: controls, format characters, surrogates.
_NOT_IN_URL = frozenset({"Cc", "Cf", "Cs"})


def safe_url_text(url: str) -> bool:
    """True when ``url`` has no whitespace, control or format character anywhere in it."""
    return not any(ch.isspace() or unicodedata.category(ch) in _NOT_IN_URL for ch in url)


def visible_line(value: str) -> str:
    """``value`` as one line of what a reader sees: format characters removed (but ZWNJ/ZWJ), control
    characters and line breaks as spaces, runs of whitespace as one space, stripped."""
    if value.isascii() and value.isprintable():
        return " ".join(value.split())  # the common case: no per-character work
    out = []
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cf" and ch not in _KEPT_FORMAT:
            continue
        out.append(" " if category in ("Cc", "Cs") else ch)
    return " ".join("".join(out).split())

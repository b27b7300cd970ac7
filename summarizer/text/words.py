"""Words: how a text splits into words."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
"""A word: letters and digits, with one inner apostrophe ("don't", "Korea’s")."""


def words(text: str) -> list[str]:
    """Words (letters and digits, with an inner apostrophe: "don't", "Korea’s")."""
    return WORD.findall(text)

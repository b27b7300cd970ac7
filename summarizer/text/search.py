"""Whole-word search for a literal (a name) in long text, fast enough to run once per name.

A pattern that starts with a lookbehind (``(?<!\\w)Putin``) loses the regex engine's
literal-prefix scan and costs a match attempt at every position of the text; run once per
name, over every article, that made evidence and the truth checks grow with names x text.
Here the pattern starts with the literal and the character before a match is checked by hand.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

__all__ = ["bounded_spans", "occurs_bounded"]


@functools.lru_cache(maxsize=8192)
def _compiled(needle: str, after: str) -> re.Pattern[str]:
    # Callers search one name in each of thousands of articles: re's own cache (512 patterns)
    # thrashes past a few hundred names, and compiling cost more than searching.
    return re.compile(re.escape(needle) + r"(?!" + after + r")")


@functools.lru_cache(maxsize=64)
def _guard(before: str) -> re.Pattern[str]:
    return re.compile(before)


def _iter_bounded(needle: str, text: str, before: str, after: str) -> Iterator[tuple[int, int]]:
    pattern = _compiled(needle, after)
    guard = _guard(before)
    m = pattern.search(text)
    while m:
        if m.start() and guard.match(text, m.start() - 1):  # refused: a match may still start inside it
            m = pattern.search(text, m.start() + 1)
            continue
        yield m.start(), m.end()
        m = pattern.search(text, m.end())


def bounded_spans(needle: str, text: str, before: str = r"\w", after: str = r"\w") -> list[tuple[int, int]]:
    """Spans of ``needle`` in ``text`` with no character matching ``before`` just before and none
    matching ``after`` just after: what ``(?<!before)needle(?!after)`` finds with ``finditer``."""
    return list(_iter_bounded(needle, text, before, after))


def occurs_bounded(needle: str, text: str, before: str = r"\w", after: str = r"\w") -> bool:
    """True when :func:`bounded_spans` would find at least one span (stops at the first)."""
    return next(_iter_bounded(needle, text, before, after), None) is not None

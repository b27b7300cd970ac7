"""The line model that cleaning works on: splitting text into lines, comparing them, rejoining.

Cleaning removes whole lines, so every rule sees the same normalised line: odd spaces made
plain, invisible characters dropped, runs of spaces collapsed, ends stripped.
"""

from __future__ import annotations

import re

__all__ = ["join_lines", "line_key", "split_lines"]

# NBSP-like spaces become spaces (quotes must match as typed); zero-width marks, BOMs and
# control characters go. Every mapping is 1->1 or 1->0, so cleaning never lengthens text.
_TRANSLATE: dict[int, str | None] = {c: " " for c in (0x09, 0x0B, 0x0C, 0xA0, 0x2007, 0x202F, 0x3000)}
_TRANSLATE.update({c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD)})
_TRANSLATE.update({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)})
_TRANSLATE.update({c: None for c in range(0x7F, 0xA0)})  # DEL and C1 controls (latin-1 decoding debris)
_SPACES = re.compile(r" {2,}")


def split_lines(text: str) -> list[str]:
    """``text`` as normalised lines; blank lines stay (as "") because they mark paragraph breaks."""
    norm = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    return [_SPACES.sub(" ", raw).strip() for raw in norm.split("\n")]


def line_key(line: str) -> str:
    """How lines are compared with the tables and the title: casefolded, spaces collapsed."""
    return _SPACES.sub(" ", line.casefold()).strip()


def join_lines(lines: list[str], keep: list[int]) -> str:
    """Rejoin the kept lines (indexes into ``lines``); a blank line between two stays a paragraph break."""
    parts: list[str] = []
    prev = None
    for i in keep:
        if prev is not None:
            parts.append("\n\n" if any(not lines[j] for j in range(prev + 1, i)) else "\n")
        parts.append(lines[i])
        prev = i
    return "".join(parts)

"""JSON from outside (article records, cluster files, batch outputs) parsed without a way to crash.

``json.loads`` raises :class:`RecursionError` for a document nested some thousand levels deep
(``[[[[…]]]]``), which is no input error a caller expects: a traceback, and a batch that records
nothing. Shallower nesting parses but can still exhaust the stack in whatever walks the data
next. No record summarizer reads nests more than a few levels, so :func:`parse_json` refuses any
deeper than :data:`MAX_DEPTH` with the :class:`json.JSONDecodeError` every reader already handles
(as bad input, per line where it reads lines).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "parse_json"]

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects accepted (a cluster of articles with metadata is about 5)."""

TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def parse_json(text: str | bytes) -> Any:
    """``json.loads(text)``, raising :class:`json.JSONDecodeError` (never RecursionError) for nesting
    deeper than :data:`MAX_DEPTH`."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError(TOO_DEEP, "", 0) from None
    if _deeper_than(value, MAX_DEPTH):
        raise json.JSONDecodeError(TOO_DEEP, "", 0)
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` containers deep (walked with a stack, not recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False

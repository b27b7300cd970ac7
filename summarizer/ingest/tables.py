"""The boilerplate table that ships in ``summarizer/data/boilerplate.json``.

It is data, not code, so that adding a navigation label never touches a rule. It is read once
per process. (The outlet table, which evidence reads too, is :mod:`summarizer.text.outlets`.)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..text.lexicons import data_json

__all__ = ["boilerplate_tables"]


@lru_cache(maxsize=1)
def boilerplate_tables() -> dict[str, Any]:
    """The lists in ``boilerplate.json``, in the shapes the rules in :mod:`.boilerplate` test against."""
    raw = data_json("boilerplate.json")
    return {
        "exact": frozenset(raw["exact_lines"]),
        "prefixes": tuple(raw["prefixes"]),
        "related": frozenset(raw["related_markers"]),
        "strong": tuple(raw["appeal_strong"]),
        "keywords": tuple(raw["appeal_keywords"]),
    }

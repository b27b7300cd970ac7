"""The data tables that ship in ``summarizer/data/``: boilerplate lines and known outlets.

They are data, not code, so that adding a navigation label or an outlet domain never
touches a rule. Each table is read once per process.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

__all__ = ["boilerplate_tables", "load_json", "outlet_tables"]


@cache
def load_json(name: str) -> dict[str, Any]:
    """The JSON file ``name`` from the ``summarizer/data/`` package folder."""
    # The data folder belongs to the top-level package (pyproject: package-data "data/*.json").
    text = resources.files("summarizer").joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


@lru_cache(maxsize=1)
def boilerplate_tables() -> dict[str, Any]:
    """The lists in ``boilerplate.json``, in the shapes the rules in :mod:`.boilerplate` test against."""
    raw = load_json("boilerplate.json")
    return {
        "exact": frozenset(raw["exact_lines"]),
        "prefixes": tuple(raw["prefixes"]),
        "related": frozenset(raw["related_markers"]),
        "strong": tuple(raw["appeal_strong"]),
        "keywords": tuple(raw["appeal_keywords"]),
    }


@lru_cache(maxsize=1)
def outlet_tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
    """(domain -> outlet, casefolded name or alias -> outlet, a pattern finding any name in a line)."""
    raw = load_json("outlets.json")
    domains: dict[str, str] = raw["domains"]
    names = {n.casefold(): n for n in domains.values()}
    names.update({alias.casefold(): name for alias, name in raw["aliases"].items()})
    # Longest names first so "The Asia Business Daily" wins over a shorter alias inside it.
    alternatives = sorted(names, key=len, reverse=True)
    pattern = (
        re.compile(r"\b(?:" + "|".join(re.escape(n) for n in alternatives) + r")\b", re.IGNORECASE)
        if names
        else None
    )
    return domains, names, pattern

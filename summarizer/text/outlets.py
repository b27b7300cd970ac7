"""Known news outlets: their web domains, names and aliases, from ``summarizer/data/outlets.json``.

Ingest names an article's outlet from its URL or a line that names it; evidence and the pipeline
tell an outlet ("according to The Guardian") from an actor. Both read the one table here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlparse

from .lexicons import data_json

__all__ = ["outlet_for_url", "outlet_keys", "outlet_names", "outlet_tables"]


@lru_cache(maxsize=1)
def outlet_tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
    """(domain -> outlet, casefolded name or alias -> outlet, a pattern finding any name in a line)."""
    raw = data_json("outlets.json")
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


def outlet_for_url(url: str | None) -> str | None:
    """Return the outlet whose web domain hosts ``url`` (or is ``url``), or None if unknown."""
    if not url:
        return None
    host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    domains = outlet_tables()[0]
    parts = host.split(".")
    # news.donga.com -> donga.com; abcnews.go.com is listed with its subdomain, so try longest first.
    for i in range(len(parts) - 1):
        outlet = domains.get(".".join(parts[i:]))
        if outlet:
            return outlet
    return None


def outlet_names() -> dict[str, str]:
    """Casefolded outlet name or alias -> the outlet's name."""
    return outlet_tables()[1]


def outlet_keys(outlets: Iterable[str | None]) -> set[str]:
    """Casefolded names of ``outlets`` (a cluster's, say; None skipped) and of every known outlet:
    what a name is compared with (``name.casefold() in keys``) to tell an outlet from an actor."""
    return {o.casefold() for o in outlets if o} | set(outlet_names())

"""Word lists and gazetteers: the data files in ``summarizer/data/``, loaded once.

* :func:`words` reads one ``[section]`` of ``wordlists.txt`` (titles, stop words, ...).
* :func:`gazetteer` reads a ``Canonical|alias|...`` file (countries, organisations);
  :func:`gazetteer_pattern` matches any of its surface forms, longest first.
* :func:`demonyms` maps "Ukrainian" to "Ukraine".
* :func:`data_json` reads a JSON table (boilerplate, outlets).

Patterns that are alternations inside regular expressions (speech verbs, months) live
here too, so that every module spells them the same way.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any


def data_lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of ``summarizer/data/<name>``."""
    text = resources.files("summarizer").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def data_json(name: str) -> dict[str, Any]:
    """The JSON object in ``summarizer/data/<name>`` (read once)."""
    # The data folder belongs to the top-level package (pyproject: package-data "data/*.json").
    text = resources.files("summarizer").joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


@functools.cache
def _sections() -> dict[str, frozenset[str]]:
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in data_lines("wordlists.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1].strip(), [])
        elif current is not None:
            current.extend(line.split())
    return {name: frozenset(ws) for name, ws in out.items()}


def words(section: str) -> frozenset[str]:
    """The word list ``[section]`` of ``wordlists.txt`` (a KeyError names a missing section)."""
    return _sections()[section]


@functools.cache
def gazetteer(name: str) -> dict[str, str]:
    """``surface form -> canonical name`` from a ``Canonical|alias|...`` data file."""
    table: dict[str, str] = {}
    for line in data_lines(name):
        names = [p.strip() for p in line.split("|") if p.strip()]
        for surface in names:
            table.setdefault(surface, names[0])
    return table


@functools.cache
def gazetteer_pattern(name: str) -> re.Pattern[str]:
    """A pattern matching any surface form of the gazetteer, longest first ("South Sudan" before "Sudan")."""
    surfaces = sorted(gazetteer(name), key=len, reverse=True)
    return re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w])")


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """``demonym -> country`` ("Ukrainian" -> "Ukraine")."""
    return dict(line.split("|", 1) for line in data_lines("gazetteer_demonyms.txt"))  # type: ignore[misc]


COUNTRIES = "gazetteer_countries.txt"
ORGS = "gazetteer_orgs.txt"

# Past participles not ending in "-ed": with "by" they make a passive ("the assessment made by officials").
PARTICIPLES = frozenset(["made", "sent", "held", "taken", "given", "seen", "told", "built", "bought", "caught",
                         "found", "kept", "led", "paid", "sold", "shot", "written", "won", "struck", "hit", "run"])

# Verbs that introduce what someone said, as one regex alternation.
SPEECH_VERBS = (
    "said|says|say|stated|states|remarked|commented|added|adds|noted|notes|emphasized|emphasised|"
    "stressed|told|tells|asked|asks|explained|explains|continued|concluded|wrote|writes|responded|"
    "replied|answered|declared|insisted|argued|warned|claimed|claims|announced|spoke|tweeted|posted|"
    "urged|acknowledged|recalled|observed|predicted|vowed|reiterated|cautioned|contended|maintained|"
    "countered|charged|complained|lamented|admitted|conceded|confirmed|denied|suggested|mused|"
    "quipped|joked|pointed out|recounted|testified|reads|read"
)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

TITLE_WORDS = words("title_words")
NOT_NAME = words("not_name")
ORG_KEYWORDS = words("org_keywords")
EAST_ASIAN_FAMILY = words("east_asian_family")
STOPWORDS = words("stopwords")

"""Metadata written in an article's own lines: publication dates, outlets, bylines, datelines.

``parse_date`` also serves records and HTML pages; the outlet table is :mod:`summarizer.text.outlets`. The matchers
(``dateline``, ``byline``, ``outlet_in_line``) tell :mod:`.boilerplate` which lines carry
metadata; :func:`metadata_from_removed` then reads the lines it removed, each by the reason
it was removed for, so a line yields metadata only under the rule that removed it.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..text.outlets import outlet_for_url, outlet_names, outlet_tables
from ..text.words import letter_words
from .lines import line_key

__all__ = [
    "Found",
    "byline",
    "dateline",
    "metadata_from_removed",
    "outlet_in_line",
    "parse_date",
]


# --------------------------------------------------------------------------- outlets


def outlet_in_line(line: str) -> str | None:
    """The outlet a line names, by a domain in it (not an e-mail address) or else by name."""
    for m in re.finditer(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", line.lower()):
        if "@" not in line[max(0, m.start() - 1) : m.start()]:
            outlet = outlet_for_url(m.group(0))
            if outlet:
                return outlet
    _, names, pattern = outlet_tables()
    found = pattern.search(line) if pattern else None
    return names[found.group(0).casefold()] if found else None


# --------------------------------------------------------------------------- dates


_MONTH_DOT = re.compile(
    r"\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december)\.",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_TZ_SUFFIX = re.compile(
    r"\s*\(?\b(UTC|GMT|Z|KST|JST|EST|EDT|CST|CDT|PST|PDT|CET|CEST|MSK)\)?$", re.IGNORECASE
)
_TZ_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "KST": 9, "JST": 9, "EST": -5, "EDT": -4,
    "CST": -6, "CDT": -5, "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "MSK": 3,
}  # fmt: skip
_DATE_FORMATS = tuple(
    line.strip()
    for line in """
    %B %d, %Y %H:%M|%B %d, %Y, %H:%M|%B %d, %Y %I:%M %p|%B %d, %Y, %I:%M %p|%B %d, %Y|%B %d %Y
    %b %d, %Y %H:%M|%b %d, %Y %I:%M %p|%b %d, %Y|%b %d %Y|%d %B %Y %H:%M|%d %B %Y|%d %b %Y %H:%M|%d %b %Y
    %Y-%m-%d %H:%M:%S|%Y-%m-%d %H:%M|%Y-%m-%d|%Y.%m.%d %H:%M:%S|%Y.%m.%d %H:%M|%Y.%m.%d|%Y. %m. %d. %H:%M
    %Y/%m/%d %H:%M|%Y/%m/%d|%m/%d/%Y %H:%M|%m/%d/%Y
    """.replace("\n", "|").split("|")
    if line.strip()
)


def _parse_structured(s: str) -> datetime | None:
    """ISO 8601 and RFC 2822 dates, the two machine formats; None for anything else."""
    if re.match(r"^\d{4}-\d{2}-\d{2}", s):
        try:
            return datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s)
        except ValueError:
            pass
    if re.match(r"^[A-Za-z]{3},\s+\d", s):
        try:
            return email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            pass
    return None


def parse_date(value: Any) -> datetime | None:
    """Parse a publication date as written on news pages; None when it is not a date.

    Handles ISO 8601 ("2021-10-18T16:15:00-07:00", "...Z"), RFC 2822, "Posted"-style
    "October. 26, 2024 07:51", "26 Oct 2024", "2024.10.26 07:51" and a few time zone
    abbreviations. Strict on purpose: a sentence never parses as a date.
    """
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip().strip(",;|").strip()
    if not s or len(s) > 80:
        return None
    structured = _parse_structured(s)
    if structured is not None:
        return structured
    tz = None
    m = _TZ_SUFFIX.search(s)
    if m:
        tz = timezone(timedelta(hours=_TZ_OFFSETS[m.group(1).upper()]))
        s = s[: m.start()].rstrip(", ")
    s = _WEEKDAY.sub("", s)
    s = _MONTH_DOT.sub(lambda mm: mm.group(1)[:3] if mm.group(1).lower() == "sept" else mm.group(1), s)
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"\s+", " ", s).strip(" ,")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=tz) if tz else parsed
    loose = _parse_loose(value.strip().strip(",;|").strip())
    return loose.replace(tzinfo=tz) if loose and tz and loose.tzinfo is None else loose


# Words a written-out date may hold besides numbers; anything else means it is not just a date.
_DATE_WORDS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    r"august|september|october|november|december|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|at|on|am|pm|a|p|m|of|the|st|nd|rd|th|"
    r"utc|gmt|z|bst|ist|cet|cest|eet|eest|msk|kst|jst|et|ct|mt|pt|est|edt|cst|cdt|mst|mdt|pst|pdt|aest|aedt)$"
)
_MONTH_NAME = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
# Zone abbreviations news sites print; the US ones name a zone, so the date decides EST or EDT.
_ZONES = {"BST": 1, "IST": 5.5, "EET": 2, "EEST": 3, "AEST": 10, "AEDT": 11, "MST": -7, "MDT": -6,
          "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
          **_TZ_OFFSETS}  # fmt: skip


def _zone(name: str, offset: int | None) -> Any:
    """dateutil's tzinfos hook: our table of abbreviations, else whatever offset dateutil read."""
    value = _ZONES.get(name.upper()) if name else None
    if isinstance(value, str):
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(value)
        except (ImportError, KeyError, ValueError):  # no tz database here: standard time is close enough
            value = {"America/New_York": -5, "America/Chicago": -6, "America/Denver": -7}.get(value, -8)
    if value is not None:
        return timezone(timedelta(hours=float(value)))  # type: ignore[arg-type]  # int or float here
    return timezone(timedelta(seconds=offset)) if offset is not None else None


def _parse_loose(s: str) -> datetime | None:
    """Any other way news pages write a date ("26.10.2024", "26 October 2024, 07:51 BST",
    "Oct 26, 2024 at 7:51 a.m. ET"), through python-dateutil; None unless the text is only a date
    with a four-digit year."""
    if not re.search(r"\b(?:1[89]|20|21)\d\d\b", s) or re.search(r"[^\w\s,./:+()-]", s):
        return None
    s = re.sub(r"\b([ap])\.m\.", r"\1m", s, flags=re.IGNORECASE)
    words = letter_words(s.lower())
    if any(not _DATE_WORDS.match(w) for w in words):
        return None
    month_named = any(_MONTH_NAME.match(w) for w in words)
    if len(re.findall(r"\d+", s.split(":")[0])) < (2 if month_named else 3):  # a day, a month and a year
        return None
    try:
        from dateutil import parser  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        parsed: datetime = parser.parse(s, dayfirst=True, tzinfos=_zone)
        return parsed
    except (ValueError, OverflowError, TypeError):
        return None


# --------------------------------------------------------------------------- bylines, datelines


_NAME = r"[A-Z][\w.'’-]{0,30}(?: (?:[A-Z][\w.'’-]{0,30}|de|van|von|der|da|al|bin|la|le)){0,4}"
_BYLINE = re.compile(rf"^(?:By|BY|by:|By:)\s+(?P<names>{_NAME}(?:(?:,| and| &) {_NAME}){{0,3}})$")
_EMAIL_BYLINE = re.compile(
    r"^(?:(?:Reporter|Correspondent|By)\s+)?"
    r"(?P<name>[A-Z][\w'’-]{0,30}(?:[ -][A-Za-z][\w'’-]{0,30}){0,3}|[가-힣]{2,4}(?: 기자| 특파원| 선임기자)?)"
    r"(?:\s+|\s*[(<])(?P<email>[\w.+-]{1,64}@(?P<domain>[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}))[)>]?$"
)
_DATELINE = re.compile(
    r"^(?P<label>posted|updated|published|last updated|first published|입력|수정|업데이트)"
    r"(?:\s+(?:on|at))?\s*:?\s*(?P<date>.{4,70})$",
    re.IGNORECASE,
)
# "Posted"/"Published" is the publication date; "Updated" only fills a gap.
_PRIMARY_LABELS = ("posted", "published", "first published", "입력")


def dateline(line: str) -> tuple[datetime, bool] | None:
    """(date, is it the publication date) for a "Posted ..."/"Updated ..." line, else None."""
    m = _DATELINE.match(line)
    date = parse_date(m.group("date")) if m else None
    if m is None or date is None:
        return None
    return date, m.group("label").lower() in _PRIMARY_LABELS


def byline(line: str) -> tuple[str, str | None] | None:
    """(author, outlet of the e-mail domain) for a "By ..." or name-plus-e-mail line, else None."""
    m = _BYLINE.match(line)
    if m:
        return m.group("names"), None
    m = _EMAIL_BYLINE.match(line)
    if m:
        # Korean bylines end in a job title (reporter, correspondent); the name is what precedes it.
        name = re.sub(r" (?:선임기자|기자|특파원)$", "", m.group("name").strip())
        return name, outlet_for_url(m.group("domain"))
    return None


# --------------------------------------------------------------------------- reading removed lines


@dataclass
class Found:
    """Metadata gathered from removed lines; the first line that gives a field wins."""

    author: str | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    have_primary: bool = False  # a "Posted"/"Published" date was found (an "Updated" one may not replace it)


def _from_copyright(line: str, found: Found) -> None:
    found.outlet = found.outlet or outlet_in_line(line)


def _from_dateline(line: str, found: Found) -> None:
    seen = dateline(line)
    if seen is None:  # the boilerplate rule matched it, so this does not happen
        return
    date, primary = seen
    if found.published_at is None or (primary and not found.have_primary):
        found.published_at = date
        found.have_primary = found.have_primary or primary


def _from_byline(line: str, found: Found) -> None:
    seen = byline(line)
    if seen is not None:
        found.author = found.author or seen[0]
        found.outlet = found.outlet or seen[1]


def _from_outlet(line: str, found: Found) -> None:
    found.outlet = found.outlet or outlet_names()[line_key(line)]


EXTRACTORS: dict[str, Callable[[str, Found], None]] = {
    "copyright": _from_copyright,
    "dateline": _from_dateline,
    "byline": _from_byline,
    "outlet": _from_outlet,
}
"""Removal reason -> the function that reads metadata from a line removed for that reason."""


def metadata_from_removed(removed: list[tuple[str, str]]) -> Found:
    """Author, publication date and outlet from the (reason, line) pairs that cleaning removed, in order."""
    found = Found()
    for reason, line in removed:
        extract = EXTRACTORS.get(reason)
        if extract is not None:
            extract(line, found)
    return found

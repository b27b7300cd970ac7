"""Date expressions in news text, resolved against the article's publication date.

:func:`find_dates` finds what a news sentence uses to say *when*: full dates ("June 19, 2024",
"23 October 2024"), day and month ("Oct. 23", "23 October"), months ("in June"), days of the month
("on the 24th"), weekdays ("on Tuesday", "last Tuesday"), "today" / "yesterday", back-references
("the previous day", "that morning"), weeks ("last week") and years ("in 2023"). Each becomes a
:class:`DateMention` with the period it names, its precision, and how it was resolved, so that a
reader can see why "Tuesday" became 2024-10-22.

The rules are the ones news writing follows (AP and Reuters style):

* a weekday is the most recent such day on or before publication ("last Tuesday": strictly before);
* a month without a year is the most recent such month not after publication; "by"/"until"/"next"
  look forward instead;
* a day and month without a year is the occurrence nearest the publication date (stories name both
  past days and scheduled ones);
* "the 24th" is the most recent 24th on or before publication (Korean and Japanese wire style);
* a back-reference ("the same day", "the previous day") counts from the last stated day before it in
  the text (not from another back-reference), else from the publication date.

Without a publication date only what the text states in full (a year) is resolved. Relative words
inside a quotation are the speaker's, said on a day the text may not give: they stay unresolved.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from .lexicons import WEEKDAYS
from .sentences import quote_spans

Precision = Literal["day", "week", "month", "year"]

_MONTH_NUMBER = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTH_NUMBER.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_MONTH_NUMBER["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAY_NUMBER = {name.lower(): n for n, name in enumerate(calendar.day_name)}

# One pattern, alternatives longest first; named groups say which kind matched.
_DATE_RE = re.compile(
    r"(?<![\w.])(?:"
    rf"(?P<dmy>(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?)(?![\w])"
    rf"|(?P<mdy>(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?!\d)(?:,?\s+(?P<y2>{_YEAR}))?)(?![\w])"
    rf"|(?P<my>(?P<m3>{_MONTH})\s+(?:of\s+)?(?P<y3>{_YEAR}))(?![\w])"
    r"|(?P<anaphor>(?i:(?:earlier|later)\s+(?:that|the\s+same)\s+day|(?:that|the\s+same)\s+(?:day|morning|afternoon"
    r"|evening|night)|the\s+(?:previous|preceding)\s+day|the\s+day\s+(?:before|after)|a\s+day\s+(?:earlier|before|later)"
    r"|the\s+(?:next|following)\s+day))\b"
    r"|(?P<relday>(?i:today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))\b"
    r"|(?P<period>(?i:(?P<pmod>last|this|next|past|previous)\s+(?P<unit>week|month|year)))\b"
    rf"|(?P<weekday>(?:(?P<wmod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+)?(?P<wd>{WEEKDAYS}))(?![\w])"
    r"|(?P<dom>the\s+(?P<d4>[12]\d|3[01]|[1-9])(?:st|nd|rd|th))\b"
    rf"|(?P<month>(?:(?P<mmod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<m4>{_MONTH}))(?![\w])"
    rf"|(?P<year>{_YEAR})(?![\w,]|\.\d)"
    r")"
)
# Words before a date that say what it is: a point ("on", "in"), a start ("since"), a limit ("by").
_LEAD_RE = re.compile(r"(?i)\b(on|in|since|until|till|by|from|through|during|before|after|early|late|mid|of|"
                      r"earlier|later|as of|starting)[\s-]+(?:the\s+)?$")
FORWARD = frozenset({"by", "until", "till", "starting"})
"""Leads that point at the future ("combat-ready by 1 November"): a bare month or day then looks forward."""
BOUNDARY = frozenset({"since", "until", "till", "by", "from", "starting", "before", "after", "as of"})
"""Leads that make a date the edge of a span, not the day something happened."""
# A bare month or year is a date only after one of these ("in June"); "May" alone is mostly the verb.
_MONTH_LEADS = frozenset({"in", "since", "until", "till", "by", "from", "through", "during", "early", "late", "mid",
                          "of", "earlier", "later", "as of", "starting", "before", "after"})
_QUOTE_MARKS = "“”\"«»„"


@dataclass(frozen=True)
class DateMention:
    """One date expression in a text, with the period it names (None when it cannot be resolved).

    ``value`` is the first day of the period; ``precision`` says how long the period is. ``start`` and
    ``end`` are offsets into the text given to :func:`find_dates`; ``text`` is ``text[start:end]``.
    ``resolved_from`` says how a relative or partial date was resolved ("" when the text gives it in
    full), or why it was not.
    """

    text: str
    start: int
    end: int
    value: date | None
    precision: Precision | None
    resolved_from: str
    relative: bool  # the text alone does not give the date
    anaphoric: bool = False  # counts from an earlier date of the text ("the previous day")
    lead: str = ""  # the word before it, lowercased: "on", "in", "since", "by", ...

    @property
    def resolved(self) -> bool:
        return self.value is not None and self.precision is not None

    @property
    def iso(self) -> str:
        """ISO 8601 at the mention's precision: '2024-10-23', '2024-W43', '2024-06', '2024' ('' if unresolved)."""
        return iso_date(self.value, self.precision) if self.value and self.precision else ""

    @property
    def span(self) -> tuple[date, date]:
        """First and last day of the period (resolved mentions only)."""
        assert self.value is not None and self.precision is not None
        return period(self.value, self.precision)


def iso_date(value: date, precision: Precision) -> str:
    """``value`` written at ``precision`` in ISO 8601."""
    if precision == "day":
        return value.isoformat()
    if precision == "week":
        year, week, _ = value.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == "month":
        return f"{value.year}-{value.month:02d}"
    return str(value.year)


def period(value: date, precision: Precision) -> tuple[date, date]:
    """First and last day of the period that starts at ``value``."""
    if precision == "day":
        return value, value
    if precision == "week":
        return value, value + timedelta(days=6)
    if precision == "month":
        return value, value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value.replace(month=1, day=1), value.replace(month=12, day=31)


def overlap(a: DateMention, b: DateMention) -> bool:
    """The two resolved mentions can name the same day ("June" and "June 19" can; "June 18" and "June 19" cannot)."""
    (a0, a1), (b0, b1) = a.span, b.span
    return a0 <= b1 and b0 <= a1


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _month(name: str) -> int:
    return _MONTH_NUMBER[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _Quoted:
    """Whether an offset is inside a quotation, in log time (a whole article has hundreds of quotes)."""

    def __init__(self, text: str) -> None:
        merged: list[list[int]] = []
        for o, c in sorted(quote_spans(text)):
            if merged and o < merged[-1][1]:  # overlapping open intervals are one
                merged[-1][1] = max(merged[-1][1], c)
            else:
                merged.append([o, c])
        self._starts = [o for o, _ in merged]
        self._ends = [c for _, c in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_left(self._starts, pos) - 1  # the last quotation opening before pos
        return i >= 0 and pos < self._ends[i]


def find_dates(text: str, published: date | datetime | None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published`` (the article's date).

    ``text`` is a sentence or a whole article: back-references ("the same day") count from the
    last stated day before them in ``text``, so pass the whole article to resolve those well.
    """
    pub = _as_date(published)
    quotes = _Quoted(text)
    out: list[DateMention] = []
    anchor: tuple[date, str] | None = None  # the last stated day, and how it was written
    for m in _DATE_RE.finditer(text):
        lead_m = _LEAD_RE.search(text[max(0, m.start() - 20) : m.start()])
        lead = " ".join(lead_m.group(1).lower().split()) if lead_m else ""
        in_quote = m.start() in quotes
        found = _resolve(m, lead, pub, anchor, in_quote)
        if found is None:
            continue
        value, precision, how, relative, anaphoric = found
        mention = DateMention(m.group(0), m.start(), m.end(), value, precision, how, relative, anaphoric, lead)
        out.append(mention)
        if mention.resolved and precision == "day" and not anaphoric and value is not None:
            anchor = (value, mention.text)
    return out


_Found = tuple[date | None, Precision | None, str, bool, bool]


def _resolve(m: re.Match[str], lead: str, pub: date | None, anchor: tuple[date, str] | None,
             in_quote: bool) -> _Found | None:
    """(value, precision, how, relative, anaphoric) for one match; None when it is not a date after all."""
    kind = next(k for k in _KINDS if m.group(k))
    if kind in ("dmy", "mdy", "my"):
        return _absolute(m, kind, lead, pub)
    if kind == "month" and (m.group("mmod") or lead in _MONTH_LEADS):
        return _bare_month(_month(m.group("m4")), (m.group("mmod") or "").lower(), lead, pub)
    if kind == "year" and lead in _MONTH_LEADS:
        return date(int(m.group("year")), 1, 1), "year", "", False, False
    if kind in ("month", "year"):
        return None
    if kind == "dom" and lead != "on":
        return None  # "the 24th" names a day only as "on the 24th"; otherwise it is an ordinal
    if in_quote:
        return None, None, "inside a quotation: the day the speaker means is not given", True, kind == "anaphor"
    if kind == "anaphor":
        return _anaphor(m.group("anaphor"), anchor, pub)
    if pub is None:
        return None, None, "relative date, and the article has no publication date", True, False
    return _RELATIVE[kind](m, pub)


_KINDS = ("dmy", "mdy", "my", "anaphor", "relday", "period", "weekday", "dom", "month", "year")


def _absolute(m: re.Match[str], kind: str, lead: str, pub: date | None) -> _Found | None:
    if kind == "my":
        return date(int(m.group("y3")), _month(m.group("m3")), 1), "month", "", False, False
    month = _month(m.group("m1") if kind == "dmy" else m.group("m2"))
    day = _day(m.group("d1") if kind == "dmy" else m.group("d2"))
    year_text = m.group("y1") if kind == "dmy" else m.group("y2")
    if year_text:
        value = _valid(int(year_text), month, day)
        return (value, "day", "", False, False) if value else None
    if _valid(2024, month, day) is None:  # 2024 is a leap year: only impossible days fail
        return None
    if pub is None:
        return None, None, "no year given, and the article has no publication date", True, False
    candidates = [v for y in (pub.year - 1, pub.year, pub.year + 1) if (v := _valid(y, month, day))]
    if lead in FORWARD:
        value = min((v for v in candidates if v >= pub), default=candidates[-1])
        how = f"the first such day on or after the publication date {pub}"
    else:
        value = min(candidates, key=lambda v: (abs((v - pub).days), v > pub))
        how = f"the year nearest the publication date {pub}"
    return value, "day", how, True, False


def _bare_month(month: int, mod: str, lead: str, pub: date | None) -> _Found:
    if pub is None:
        return None, None, "no year given, and the article has no publication date", True, False
    if mod == "next" or lead in FORWARD:
        year = pub.year if month > pub.month or (month == pub.month and mod != "next") else pub.year + 1
        how = f"the first {calendar.month_name[month]} not before the publication date {pub}"
    elif mod == "last":
        year = pub.year if month < pub.month else pub.year - 1
        how = f"the {calendar.month_name[month]} before the publication date {pub}"
    else:
        year = pub.year if month <= pub.month else pub.year - 1
        how = f"the most recent {calendar.month_name[month]} not after the publication date {pub}"
    return date(year, month, 1), "month", how, True, False


def _anaphor(text: str, anchor: tuple[date, str] | None, pub: date | None) -> _Found:
    low = " ".join(text.lower().split())
    step = -1 if re.search(r"previous|preceding|before|earlier$", low) else 1 if re.search(r"next|following|after|later$", low) else 0
    if anchor is not None:
        base, base_text = anchor
        origin = f"{base_text!r} ({base}) earlier in the text"
    elif pub is not None:
        base, origin = pub, f"the publication date {pub}"
    else:
        return None, None, "refers back to a day the text does not state", True, True
    word = {-1: "the day before", 0: "the same day as", 1: "the day after"}[step]
    return base + timedelta(days=step), "day", f"{word} {origin}", True, True


def _relday(m: re.Match[str], pub: date) -> _Found:
    low = m.group("relday").lower()
    step = -1 if low in ("yesterday", "last night") else 1 if low == "tomorrow" else 0
    word = {-1: "the day before ", 0: "", 1: "the day after "}[step]
    return pub + timedelta(days=step), "day", f"{word}the publication date {pub}", True, False


def _period(m: re.Match[str], pub: date) -> _Found:
    mod, unit = m.group("pmod").lower(), m.group("unit").lower()
    step = -1 if mod in ("last", "past", "previous") else 1 if mod == "next" else 0
    word = {-1: "before", 0: "of", 1: "after"}[step]
    how = f"the {unit} {word} the publication date {pub}"
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return monday, "week", how, True, False
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return date(y, mo + 1, 1), "month", how, True, False
    return date(pub.year + step, 1, 1), "year", how, True, False


def _weekday(m: re.Match[str], pub: date) -> _Found:
    name, mod = m.group("wd"), (m.group("wmod") or "").lower()
    target = _WEEKDAY_NUMBER[name.lower()]
    if mod == "next":
        ahead = (target - pub.weekday()) % 7 or 7
        return pub + timedelta(days=ahead), "day", f"the {name} after the publication date {pub}", True, False
    back = (pub.weekday() - target) % 7
    if mod in ("last", "past"):
        back = back or 7
        return pub - timedelta(days=back), "day", f"the {name} before the publication date {pub}", True, False
    return pub - timedelta(days=back), "day", f"the {name} on or before the publication date {pub}", True, False


def _day_of_month(m: re.Match[str], pub: date) -> _Found:
    day = int(m.group("d4"))
    y, mo = pub.year, pub.month
    for _ in range(3):  # at most two months back: a 31st may skip a shorter month
        value = _valid(y, mo, day)
        if value is not None and value <= pub:
            return value, "day", f"the {m.group('dom')[4:]} on or before the publication date {pub}", True, False
        y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
    return None, None, "no such day near the publication date", True, False


_RELATIVE = {"relday": _relday, "period": _period, "weekday": _weekday, "dom": _day_of_month}

# Before the date on its line: "Published" / "Updated", or an all-capitals place ("SEOUL, ").
_DATELINE_BEFORE = re.compile(r"^\s*(?:(?i:(?:first\s+)?published|updated|posted|last\s+updated)\b.*"
                              r"|[A-Z][A-Z .'’-]{1,40},\s*)$")
# After a date at the start of a line: "(Yonhap) --" or "--": a wire dateline.
_DATELINE_AFTER = re.compile(r"\s*(?:\([\w .]+\)\s*)?(?:[-–—]{1,2}|:)\s")


def is_dateline(text: str, mention: DateMention) -> bool:
    """The mention only says when the piece was filed or published ("SEOUL, Oct. 25 (Yonhap) --",
    "Published October 25, 2024"): boilerplate, not an event of the story."""
    before = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
    if _DATELINE_BEFORE.match(before):
        return True
    return not before.strip() and _DATELINE_AFTER.match(text[mention.end :]) is not None


def article_dates(articles: Sequence[Any]) -> dict[str, tuple[date | None, bool]]:
    """The date each article's relative dates count from: ``id -> (date, assumed)``.

    An undated article of a cluster that has dated ones counts from the latest of those dates
    (``assumed`` is True): a story's articles appear within a day or two of each other, and a
    "Thursday" in an undated article is far more likely that week's than unresolvable.
    """
    dated = [_as_date(a.published_at) for a in articles if a.published_at is not None]
    fallback = max((d for d in dated if d is not None), default=None)
    return {a.id: (_as_date(a.published_at), False) if a.published_at is not None else (fallback, fallback is not None)
            for a in articles}


def mentions_in(text: str, published: date | None, assumed: bool) -> list[DateMention]:
    """:func:`find_dates`, saying so in ``resolved_from`` when the publication date is assumed.

    Remembered per article text: the timeline is built from it and every checking pass of a run
    re-resolves the same articles."""
    return list(_mentions_in(text, published, assumed))


@functools.lru_cache(maxsize=64)  # the articles a cluster's timeline events cite; bounded for long batches
def _mentions_in(text: str, published: date | None, assumed: bool) -> tuple[DateMention, ...]:
    found = find_dates(text, published)
    if not assumed:
        return tuple(found)
    note = "the date of the cluster's latest dated article"
    return tuple(dataclasses.replace(m, resolved_from=m.resolved_from.replace("the publication date", note)
                                     + " (this article gives no date)") if m.resolved_from and m.value else m
                 for m in found)

"""Which lines of an article are navigation and boilerplate rather than story.

A line is removed only when it matches a rule that a story sentence cannot match, because
a lost sentence is worse than leftover boilerplate. The rules are the table ``RULES``:
each has a name (the reason recorded for the removed line), a test, and the reason it is
safe. The first rule that matches a line decides; their order matters. Word lists live in
``summarizer/data/boilerplate.json``. This module only decides what goes; reading metadata
from the removed lines is :mod:`.metadata`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from ..text.outlets import outlet_names
from .lines import line_key
from .metadata import byline, dateline
from .tables import boilerplate_tables

__all__ = ["RULES", "SHORT_LINE", "Line", "Rule", "Scan", "find_boilerplate", "headline_like"]

SHORT_LINE = 300
"""Lines longer than this are never boilerplate candidates for the exact/prefix rules; it also
keeps every rule linear on a multi-megabyte single-line file."""

_CREDIT = re.compile(r"^(?:Additional reporting|Reporting|Writing|Editing|Compiled) by [^.]{1,150}$")
_CAPTION_TAIL = re.compile(
    r"\s*[\[(](?:image|photo|picture|graphic|사진|이미지)[^\[\]()]{0,80}[\])]$", re.IGNORECASE
)
_COPYRIGHT_START = ("©", "(c) ", "(C) ", "Copyright", "COPYRIGHT", "ⓒ")
_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’", ":", ";", ")", "…", "。", "다")


@dataclass(frozen=True)
class Line:
    """One non-empty line as the rules see it."""

    text: str
    key: str  # line_key(text), or "" for a line longer than SHORT_LINE
    neighbours: list[str]  # the non-empty lines just before and after it

    @property
    def short(self) -> bool:
        return len(self.text) <= SHORT_LINE


@dataclass
class Scan:
    """The state carried from line to line, and the result: kept line indexes, removed lines, title."""

    title: str
    take_title: bool  # the first story line may still become the title
    title_key: str | None = None
    in_related: bool = False  # under a "Related" marker, where link titles follow
    keep: list[int] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)


class Rule(NamedTuple):
    """One removal rule: ``name`` is the reason recorded with each line it removes."""

    name: str
    matches: Callable[[Line, Scan], object]  # truthy when the line is this kind of boilerplate
    why: str  # why a story sentence cannot match it


def headline_like(line: str) -> bool:
    """Short and without sentence-final punctuation, as headlines and link titles are."""
    return len(line) <= 150 and not line.endswith(_SENTENCE_END)


def _is_appeal(low: str) -> bool:
    """A donation / ad-blocker / newsletter appeal from the outlet ("we") to the reader ("you").

    Story paragraphs *about* fundraising usually quote someone, so a paragraph with
    quotation marks is never treated as an appeal.
    """
    bp = boilerplate_tables()
    if not any(s in low for s in bp["strong"]) or any(q in low for q in ('"', "“", "”", "«")):
        return False
    if not (re.search(r"\b(?:you|your)\b", low) and re.search(r"\b(?:we|our|us)\b", low)):
        return False
    return sum(1 for k in bp["keywords"] if k in low) >= 2


def _is_keyword_soup(line: str, neighbours: list[str]) -> bool:
    """An image's alt/keyword line: lowercase, unpunctuated, mostly words of the caption next to it."""
    if len(line) > 400 or line.endswith(_SENTENCE_END) or any(c.isupper() for c in line):
        return False
    words = _WORD.findall(line)
    if len(words) < 6:
        return False
    near = {w for n in neighbours for w in _WORD.findall(n.casefold())}
    return sum(1 for w in words if w in near) >= 0.6 * len(words)


def _repeats_title(ln: Line, st: Scan) -> bool:
    """The known headline again, alone or as an image caption ("Headline [Photo by ...]")."""
    if not st.title_key:
        return False
    if ln.key == st.title_key:
        return True
    c = _CAPTION_TAIL.search(ln.text) if ln.short else None
    return c is not None and line_key(ln.text[: c.start()]) == st.title_key


def _is_copyright(ln: Line, st: Scan) -> bool:
    return ln.short and (
        ln.text.startswith(_COPYRIGHT_START) or ln.key.rstrip(". ").endswith("all rights reserved")
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "navigation",
        lambda ln, st: ln.short and ln.key in boilerplate_tables()["exact"],
        "the whole line is a menu, share or language label (exact_lines); no sentence is only that",
    ),
    Rule(
        "related",
        lambda ln, st: ln.short and ln.key in boilerplate_tables()["related"],
        "a 'Related' / 'Read more' heading (related_markers); the link titles under it go too",
    ),
    Rule(
        "notice",
        lambda ln, st: ln.short and ln.key.startswith(boilerplate_tables()["prefixes"]),
        "a short line opening with a site notice (prefixes): corrections, sharing, cookies, reproduction",
    ),
    Rule(
        "copyright",
        _is_copyright,
        "a copyright notice ('©', 'All rights reserved'); it may name the outlet",
    ),
    Rule(
        "dateline",
        lambda ln, st: ln.short and dateline(ln.text) is not None,
        "'Posted'/'Updated' plus a date and nothing else; the date is the publication date",
    ),
    Rule(
        "byline",
        lambda ln, st: ln.short and byline(ln.text) is not None,
        "'By' and names only, or a name and an e-mail address; it gives the author",
    ),
    Rule(
        "credit",
        lambda ln, st: ln.short and _CREDIT.match(ln.text),
        "a wire credit ('Reporting by ...; Editing by ...') with no sentence end inside",
    ),
    Rule(
        "outlet",
        lambda ln, st: ln.short and ln.key in outlet_names(),
        "the line is only a known outlet's name (the masthead)",
    ),
    Rule("headline", _repeats_title, "the known headline repeated in the body, or as an image caption"),
    Rule(
        "appeal",
        lambda ln, st: _is_appeal(ln.text.lower()),
        "the outlet asking the reader for money or attention, with no quotation in it",
    ),
    Rule(
        "caption-keywords",
        lambda ln, st: _is_keyword_soup(ln.text, ln.neighbours),
        "an image's keyword line: lowercase, unpunctuated words taken from the caption beside it",
    ),
    Rule(
        "related",
        lambda ln, st: st.in_related and headline_like(ln.text),
        "a link title listed under a 'Related' marker (no sentence end)",
    ),
    Rule(
        "title",
        lambda ln, st: st.take_title and not st.title and ln.short,
        "the first story line of a plain-text article is its headline; it becomes the title",
    ),
)
"""The removal rules, in the order they are tried."""


def _strip_markdown_heading(line: str) -> str:
    return re.sub(r"^#{1,6}\s+", "", line).strip()


def _classify(ln: Line, st: Scan) -> str | None:
    """The name of the first rule that removes ``ln``, or None when it is a story line."""
    for rule in RULES:
        if rule.matches(ln, st):
            return rule.name
    return None


def find_boilerplate(lines: list[str], *, title: str, take_title: bool) -> Scan:
    """Decide for each line of ``lines`` (from :func:`.lines.split_lines`) whether it stays.

    ``title``: the known headline (lines repeating it go). ``take_title``: when there is no
    title, the first line no rule removes becomes the title (see the "title" rule).
    """
    st = Scan(title=title, take_title=take_title, title_key=line_key(title) if title else None)
    nonempty = [i for i, s in enumerate(lines) if s]
    for pos, i in enumerate(nonempty):
        text = lines[i]
        neighbours = [lines[j] for j in nonempty[max(0, pos - 1) : pos + 2] if j != i]
        reason = _classify(Line(text, line_key(text) if len(text) <= SHORT_LINE else "", neighbours), st)
        if reason is None:
            st.in_related = False
            st.take_title = False  # only the first story line may be the title
            st.keep.append(i)
            continue
        if reason == "related":
            st.in_related = True
        elif reason == "title":
            st.title = _strip_markdown_heading(text)
            st.title_key = line_key(st.title)
        st.removed.append((reason, text))
    return st

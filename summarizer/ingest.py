"""Ingest: turn files, folders, stdin and records into clean :class:`Article` objects.

``load_articles`` accepts plain text / Markdown (title on the first line that is
not navigation), HTML, JSON (an object, a list, or a cluster with ``articles``),
JSONL (records or cluster lines) and iterables of dict records. Every article is
cleaned of navigation and boilerplate *line by line*: a line is removed only when
it matches a rule that a story sentence cannot match, because a lost sentence is
worse than leftover boilerplate. Metadata (title, author, date, outlet, language)
is taken from the record or the page, else from the lines that were removed
(bylines, "Posted ..." lines, copyright notices). Near-duplicates (wire copies)
are marked with ``duplicate_of``; nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import email.utils
import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache, lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from .errors import InputError
from .schema import Article, Cluster

__all__ = [
    "DUPLICATE_THRESHOLD",
    "MAX_ARTICLE_BYTES",
    "Cleaned",
    "clean",
    "clean_text",
    "detect_language",
    "find_duplicates",
    "injection_markers",
    "load_articles",
    "load_clusters",
    "mark_duplicates",
    "outlet_for_url",
    "parse_date",
]

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 1_000_000
"""Articles larger than this are kept whole (the chunker splits them) but get a warning."""

DUPLICATE_THRESHOLD = 0.8
"""Jaccard similarity of word 5-gram shingles at or above which two articles are copies."""

SHINGLE_SIZE = 5

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

_TEXT_KEYS = ("text", "body", "content")
_OUTLET_KEYS = ("source", "outlet", "site", "site_name", "publisher")
_AUTHOR_KEYS = ("author", "byline", "authors")
_DATE_KEYS = ("published_at", "date", "published", "publish_date", "pubdate")
_LANG_KEYS = ("language", "lang")

# Lines longer than this are never boilerplate candidates for the exact/prefix rules; it also
# keeps every rule linear on a multi-megabyte single-line file.
_SHORT_LINE = 300


# --------------------------------------------------------------------------- data tables


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _boilerplate() -> dict[str, Any]:
    raw = _data("boilerplate.json")
    return {
        "exact": frozenset(raw["exact_lines"]),
        "prefixes": tuple(raw["prefixes"]),
        "related": frozenset(raw["related_markers"]),
        "strong": tuple(raw["appeal_strong"]),
        "keywords": tuple(raw["appeal_keywords"]),
    }


@lru_cache(maxsize=1)
def _outlets() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
    raw = _data("outlets.json")
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
    domains = _outlets()[0]
    parts = host.split(".")
    # news.donga.com -> donga.com; abcnews.go.com is listed with its subdomain, so try longest first.
    for i in range(len(parts) - 1):
        outlet = domains.get(".".join(parts[i:]))
        if outlet:
            return outlet
    return None


def _outlet_in_line(line: str) -> str | None:
    for m in re.finditer(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", line.lower()):
        if "@" not in line[max(0, m.start() - 1) : m.start()]:
            outlet = outlet_for_url(m.group(0))
            if outlet:
                return outlet
    _, names, pattern = _outlets()
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
    name: int(hours)
    for name, hours in (
        p.split("=")
        for p in ["UTC=0", "GMT=0", "Z=0", "KST=9", "JST=9", "EST=-5", "EDT=-4", "CST=-6", "CDT=-5", "PST=-8", "PDT=-7", "CET=1", "CEST=2", "MSK=3"]
    )
}
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
    return None


# --------------------------------------------------------------------------- cleaning


@dataclass
class Cleaned:
    """The result of :func:`clean`: story text plus metadata found in removed lines."""

    text: str
    title: str = ""
    author: str | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)


# NBSP-like spaces become spaces (quotes must match as typed); zero-width marks, BOMs and
# control characters go. Every mapping is 1->1 or 1->0, so cleaning never lengthens text.
_TRANSLATE: dict[int, str | None] = {c: " " for c in (0x09, 0x0B, 0x0C, 0xA0, 0x2007, 0x202F, 0x3000)}
_TRANSLATE.update({c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD)})
_TRANSLATE.update({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)})
_TRANSLATE.update({c: None for c in range(0x7F, 0xA0)})  # DEL and C1 controls (latin-1 decoding debris)
_SPACES = re.compile(r" {2,}")
_NAME = r"[A-Z][\w.'’-]{0,30}(?: (?:[A-Z][\w.'’-]{0,30}|de|van|von|der|da|al|bin|la|le)){0,4}"
_BYLINE = re.compile(rf"^(?:By|BY|by:|By:)\s+(?P<names>{_NAME}(?:(?:,| and| &) {_NAME}){{0,3}})$")
_EMAIL_BYLINE = re.compile(
    r"^(?:(?:Reporter|Correspondent|By)\s+)?"
    r"(?P<name>[A-Z][\w'’-]{0,30}(?:[ -][A-Za-z][\w'’-]{0,30}){0,3}|[가-힣]{2,4}(?: 기자| 특파원| 선임기자)?)"
    r"(?:\s+|\s*[(<])(?P<email>[\w.+-]{1,64}@(?P<domain>[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}))[)>]?$"
)
_CREDIT = re.compile(r"^(?:Additional reporting|Reporting|Writing|Editing|Compiled) by [^.]{1,150}$")
_DATELINE = re.compile(
    r"^(?P<label>posted|updated|published|last updated|first published|입력|수정|업데이트)"
    r"(?:\s+(?:on|at))?\s*:?\s*(?P<date>.{4,70})$",
    re.IGNORECASE,
)
_CAPTION_TAIL = re.compile(
    r"\s*[\[(](?:image|photo|picture|graphic|사진|이미지)[^\[\]()]{0,80}[\])]$", re.IGNORECASE
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’", ":", ";", ")", "…", "。", "다")


def _key(line: str) -> str:
    return _SPACES.sub(" ", line.casefold()).strip()


def _is_appeal(low: str) -> bool:
    """A donation / ad-blocker / newsletter appeal from the outlet ("we") to the reader ("you").

    Story paragraphs *about* fundraising usually quote someone, so a paragraph with
    quotation marks is never treated as an appeal.
    """
    bp = _boilerplate()
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


def _headline_like(line: str) -> bool:
    return len(line) <= 150 and not line.endswith(_SENTENCE_END)


def _strip_markdown_heading(line: str) -> str:
    return re.sub(r"^#{1,6}\s+", "", line).strip()


def clean(text: str, *, title: str | None = None, take_title: bool = False) -> Cleaned:
    """Remove navigation and boilerplate lines from ``text``, keeping every story sentence.

    ``title``: the known headline; lines repeating it (also as an image caption) are removed.
    ``take_title``: when no title is given, use the first non-boilerplate line as the title
    and remove it from the text (plain-text and Markdown articles). A first line longer than
    300 characters is not a headline and stays in the text.
    """
    bp = _boilerplate()
    out = Cleaned(text="", title=(title or "").strip())
    norm = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    lines = [_SPACES.sub(" ", raw).strip() for raw in norm.split("\n")]
    nonempty = [i for i, s in enumerate(lines) if s]
    title_key = _key(out.title) if out.title else None
    keep: list[int] = []
    in_related = have_primary = False
    for pos, i in enumerate(nonempty):
        line = lines[i]
        short = len(line) <= _SHORT_LINE
        key = _key(line) if short else ""
        reason: str | None = None
        if short and key in bp["exact"]:
            reason = "navigation"
        elif short and key in bp["related"]:
            reason, in_related = "related", True
        elif short and key.startswith(bp["prefixes"]):
            reason = "notice"
        elif short and (
            line.startswith(("©", "(c) ", "(C) ", "Copyright", "COPYRIGHT", "ⓒ"))
            or key.rstrip(". ").endswith("all rights reserved")
        ):
            reason = "copyright"
            out.outlet = out.outlet or _outlet_in_line(line)
        elif short and (m := _DATELINE.match(line)) and (date := parse_date(m.group("date"))):
            reason = "dateline"
            # "Posted"/"Published" is the publication date; "Updated" only fills a gap.
            primary = m.group("label").lower() in ("posted", "published", "first published", "입력")
            if out.published_at is None or (primary and not have_primary):
                out.published_at = date
                have_primary = have_primary or primary
        elif short and (m := _BYLINE.match(line)):
            reason = "byline"
            out.author = out.author or m.group("names")
        elif short and (m := _EMAIL_BYLINE.match(line)):
            reason = "byline"
            out.author = out.author or re.sub(r" (?:선임기자|기자|특파원)$", "", m.group("name").strip())
            out.outlet = out.outlet or outlet_for_url(m.group("domain"))
        elif short and _CREDIT.match(line):
            reason = "credit"
        elif short and key in _outlets()[1]:
            reason = "outlet"
            out.outlet = out.outlet or _outlets()[1][key]
        elif title_key and (
            key == title_key
            or (short and (c := _CAPTION_TAIL.search(line)) and _key(line[: c.start()]) == title_key)
        ):
            reason = "headline"
        elif _is_appeal(line.lower()):
            reason = "appeal"
        elif _is_keyword_soup(line, [lines[j] for j in nonempty[max(0, pos - 1) : pos + 2] if j != i]):
            reason = "caption-keywords"
        elif in_related and _headline_like(line):
            reason = "related"  # link titles listed under a "Related" marker
        elif take_title and not out.title and len(line) <= _SHORT_LINE:
            out.title = _strip_markdown_heading(line)
            title_key = _key(out.title)
            reason = "title"
        if reason is None:
            in_related = False
            take_title = False  # only the first story line may be the title
            keep.append(i)
        else:
            out.removed.append((reason, line))
    # Rejoin kept lines; a blank line between them in the input stays a paragraph break.
    parts: list[str] = []
    prev = None
    for i in keep:
        if prev is not None:
            parts.append("\n\n" if any(not lines[j] for j in range(prev + 1, i)) else "\n")
        parts.append(lines[i])
        prev = i
    out.text = "".join(parts)
    return out


def clean_text(text: str) -> str:
    """Return ``text`` with navigation and boilerplate lines removed (see :func:`clean`)."""
    return clean(text).text


# --------------------------------------------------------------------------- language, injection


_LATIN_STOPWORDS = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for was on with said he it as",
        "de": "der die und das nicht ist mit den ein eine sich auf dem auch",
        "fr": "le la les des et est une du dans que pour qui pas au sur",
        "es": "el la los las y que del en por una con para es se su",
        "it": "il di che della per una sono gli nel non con del le è",
        "pt": "o os que do da em para com uma não dos das ao é",
        "nl": "de het een en van is dat niet op met voor zijn ook",
    }.items()
}


def _script(ch: str) -> str | None:
    o = ord(ch)
    if o < 0x250:
        return "latin" if ch.isalpha() else None
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if 0x0600 <= o <= 0x06FF:
        return "arabic"
    if 0x0590 <= o <= 0x05FF:
        return "hebrew"
    if 0x0370 <= o <= 0x03FF:
        return "greek"
    if 0x0E00 <= o <= 0x0E7F:
        return "thai"
    if 0x0900 <= o <= 0x097F:
        return "devanagari"
    return None


_SCRIPT_LANG = {
    "hangul": "ko",
    "arabic": "ar",
    "hebrew": "he",
    "greek": "el",
    "thai": "th",
    "devanagari": "hi",
}


def detect_language(text: str) -> str | None:
    """Guess an ISO 639-1 code from the share of each script's letters; None without letters.

    Mixed text gets the majority script. Japanese is kanji plus kana; Ukrainian is Cyrillic
    with і/ї/є/ґ; Latin-script text is told apart by common function words (default 'en').
    """
    sample = text[:20_000]
    counts: dict[str, int] = {}
    for ch in sample:
        s = _script(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return None
    cjk = counts.get("kana", 0) + counts.get("han", 0)
    groups = {k: v for k, v in counts.items() if k not in ("kana", "han")}
    if cjk:
        groups["cjk"] = cjk
    top = max(groups, key=lambda k: groups[k])
    if top == "cjk":
        return "ja" if counts.get("kana", 0) >= 0.15 * cjk else "zh"
    if top == "cyrillic":
        uk = sum(sample.count(c) for c in "іїєґІЇЄҐ")
        return "uk" if uk >= 0.01 * counts["cyrillic"] else "ru"
    if top == "latin":
        words = re.findall(r"[^\W\d_]+", sample.lower())
        scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _LATIN_STOPWORDS.items()}
        best = max(scores, key=lambda k: scores[k])
        return best if scores[best] > scores["en"] else "en"
    return _SCRIPT_LANG.get(top)


_INJECTION = re.compile(
    r"\b(?:ignore|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding)"
    r"\s+(?:instructions?|prompts?|directions|rules|messages)"
    r"|\bdisregard\s+(?:all\s+|the\s+|any\s+)?(?:above|previous|prior|preceding)\b"
    r"|\bsystem\s+prompt\b"
    r"|\byou\s+are\s+now\b"
    r"|\bnew\s+instructions\s*:"
    r"|<\|im_(?:start|end)\|>|\[/?INST\]|</?(?:system|assistant)>",
    re.IGNORECASE,
)


def injection_markers(text: str) -> list[str]:
    """Return the instruction-like phrases in ``text`` (lowercased, unique, in order).

    Article text that talks to a language model is kept (it is the article) but flagged,
    and later stages may treat it with extra care.
    """
    found: list[str] = []
    for m in _INJECTION.finditer(text):
        phrase = re.sub(r"\s+", " ", m.group(0).lower())
        if phrase not in found:
            found.append(phrase)
    return found


# --------------------------------------------------------------------------- duplicates


def _shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_SIZE:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + SHINGLE_SIZE])) for i in range(len(words) - SHINGLE_SIZE + 1))


def find_duplicates(articles: Iterable[Article], threshold: float = DUPLICATE_THRESHOLD) -> dict[str, str]:
    """Map each near-duplicate article's id to the id of the earliest article it copies.

    Similarity is the Jaccard index of word 5-gram shingles. Each article is compared only
    with earlier originals, so a chain of copies all point at the first one.
    """
    originals: list[tuple[str, frozenset[int]]] = []
    result: dict[str, str] = {}
    for art in articles:
        sh = _shingles(art.text)
        if not sh:
            continue
        for oid, osh in originals:
            small, large = sorted((len(sh), len(osh)))
            if small < threshold * large:  # Jaccard <= small/large: cannot reach the threshold
                continue
            inter = len(sh & osh)
            if inter >= threshold * (len(sh) + len(osh) - inter):
                result[art.id] = oid
                break
        else:
            originals.append((art.id, sh))
    return result


def mark_duplicates(articles: list[Article], threshold: float = DUPLICATE_THRESHOLD) -> list[Article]:
    """Return copies of ``articles`` with ``duplicate_of`` set (and cleared) from :func:`find_duplicates`."""
    dups = find_duplicates(articles, threshold)
    marked = []
    for art in articles:
        dup_of = dups.get(art.id)
        if dup_of:
            log.warning(
                "article %s (%s) is a near-duplicate of %s", art.id, art.source_path or "record", dup_of
            )
        marked.append(art.model_copy(update={"duplicate_of": dup_of}))
    return marked


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes -> text, or InputError for empty and binary files. Fallback decodes are warned."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                "starts with a UTF-16 byte order mark but is not valid UTF-16", path=name
            ) from None
        if not text.strip():
            raise InputError("file is empty; give a file with article text", path=name)
        return text, []
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):
        raise InputError("file is empty; give a file with article text", path=name)
    head = data[:8192]
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    if b"\x00" in head or controls > 0.1 * len(head):
        raise InputError(
            "looks like a binary file (NUL or control bytes), not article text; give a "
            ".txt, .md, .html, .json or .jsonl file",
            path=name,
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    warning = (
        f"not valid UTF-8 (first bad byte at offset {bad}); decoded as {enc}, so check non-ASCII "
        "characters, or re-save the file as UTF-8"
    )
    log.warning("%s: %s", name, warning)
    return text, [warning]


# --------------------------------------------------------------------------- HTML


class _HTMLArticle(HTMLParser):
    """Collects visible text and metadata; skips scripts, styles and page furniture."""

    # Not "head": its end tag is optional in HTML5, and an unclosed skip would swallow the body.
    SKIP = frozenset(
        ["script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "form", "button", "select", "iframe", "title"]
    )
    BLOCK = frozenset(
        ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "main", "tr", "table", "pre", "figure", "figcaption", "dd", "dt", "hr", "br", "title", "time"]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.article_depth = 0
        self.all: list[str] = []
        self.in_article: list[str] = []
        self.meta: dict[str, str] = {}
        self.h1: list[str] | None = None
        self.h1_done = False
        self.title: list[str] | None = None
        self.in_title = False
        self.ld_json: list[str] | None = None
        self.ld_blocks: list[str] = []
        self.lang: str | None = None

    def _emit(self, s: str) -> None:
        self.all.append(s)
        if self.article_depth:
            self.in_article.append(s)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].split("-")[0].lower() or None
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"].strip())
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"].strip())
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self.ld_json = []
        elif tag == "title" and self.title is None:
            self.title, self.in_title = [], True
        elif tag == "h1" and not self.h1_done:
            self.h1 = []
        if tag == "article":
            self.article_depth += 1
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK and not self.skip:
            self._emit("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.ld_json is not None:
            self.ld_blocks.append("".join(self.ld_json))
            self.ld_json = None
        if tag == "title":
            self.in_title = False
        if tag == "h1" and self.h1 is not None:
            self.h1_done = bool("".join(self.h1).strip())
            if not self.h1_done:
                self.h1 = None
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK and tag != "br" and not self.skip:  # <br/> is one line break, not two
            self._emit("\n\n")
        if tag == "article" and self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.ld_json is not None:
            self.ld_json.append(data)
        if self.in_title and self.title is not None:
            self.title.append(data)
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)
        if not self.skip:
            self._emit(re.sub(r"\s+", " ", data))


def _ld_json_meta(blocks: list[str]) -> dict[str, str]:
    """headline/author/datePublished/publisher from schema.org JSON-LD, where a page has it."""
    found: dict[str, str] = {}

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n)
        elif isinstance(node, dict):
            if "@graph" in node:
                visit(node["@graph"])
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(("Article", "Posting", "Report")) for k in kinds):
                for key in ("headline", "datePublished", "url"):
                    if isinstance(node.get(key), str):
                        found.setdefault(key, node[key])
                for key in ("author", "publisher"):
                    val = node.get(key)
                    val = val[0] if isinstance(val, list) and val else val
                    name = val.get("name") if isinstance(val, dict) else val
                    if isinstance(name, str) and name.strip():
                        found.setdefault(key, name.strip())

    for block in blocks:
        try:
            visit(json.loads(block))
        except (ValueError, RecursionError):
            log.debug("ignoring unparsable JSON-LD block")
    return found


def _parse_html(text: str) -> tuple[str, dict[str, Any]]:
    p = _HTMLArticle()
    p.feed(text)
    p.close()
    body = "".join(p.in_article) if "".join(p.in_article).strip() else "".join(p.all)
    body = re.sub(r"[ \t]*\n[ \t]*", "\n", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    m, ld = p.meta, _ld_json_meta(p.ld_blocks)
    h1 = re.sub(r"\s+", " ", "".join(p.h1 or [])).strip()
    page_title = re.sub(r"\s+", " ", "".join(p.title or [])).strip()
    author = m.get("author") or ld.get("author") or m.get("dc.creator") or m.get("parsely-author")
    byl = m.get("byl")
    if not author and byl:
        author = re.sub(r"^by\s+", "", byl, flags=re.IGNORECASE)
    meta = {
        "title": h1 or m.get("og:title") or ld.get("headline") or page_title or None,
        "author": author if author and not author.startswith("http") else None,
        "date": m.get("article:published_time")
        or ld.get("datePublished")
        or m.get("date")
        or m.get("pubdate")
        or m.get("publishdate")
        or m.get("datepublished")
        or m.get("og:published_time")
        or m.get("dc.date")
        or m.get("time"),
        "outlet": m.get("og:site_name") or ld.get("publisher"),
        "url": m.get("canonical") or m.get("og:url") or ld.get("url"),
        "language": p.lang,
    }
    return body, meta


# --------------------------------------------------------------------------- building articles


class _Ids:
    """Stable, unique article ids within one load call."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def make(self, hint: Any, text: str) -> str:
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", str(hint)).strip("-._")[:64] if hint not in (None, "") else ""
        if not base:
            base = "a" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        uid, n = base, 1
        while uid in self.seen:
            n += 1
            uid = f"{base}-{n}"
        self.seen.add(uid)
        return uid


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = record.get(k)
        if v not in (None, "", [], {}):
            return v
    return None


def _as_name(value: Any) -> str | None:
    """A person or outlet name from a string, a {"name": ...} object or a list of either."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        return _as_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_as_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _build(
    text: str,
    *,
    where: str,
    ids: _Ids,
    id_hint: Any = None,
    meta: Mapping[str, Any] | None = None,
    take_title: bool,
    warnings: list[str] | None = None,
    source_path: str | None = None,
) -> Article:
    meta = meta or {}
    warnings = list(warnings or [])
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        warnings.append(
            f"article is {size / 1e6:.1f} MB (over {MAX_ARTICLE_BYTES / 1e6:.0f} MB); kept whole, "
            "it will be split into chunks"
        )
        log.warning("%s: %s", where, warnings[-1])
    given_title = meta.get("title")
    cleaned = clean(text, title=given_title if isinstance(given_title, str) else None, take_title=take_title)
    if not cleaned.text.strip():
        raise InputError(
            "no article text left after removing navigation and boilerplate; check that this "
            "is a news article",
            path=where,
        )
    markers = injection_markers(cleaned.text)
    if markers:
        warnings.append(
            "text contains instruction-like phrases (kept as article text): " + ", ".join(markers)
        )
        log.warning("%s: %s", where, warnings[-1])
    published = None
    raw_date = meta.get("date")
    if raw_date not in (None, ""):
        published = parse_date(raw_date)
        if published is None:
            warnings.append(f"could not parse date {str(raw_date)[:60]!r}; published_at left empty")
    url = meta.get("url") if isinstance(meta.get("url"), str) and meta.get("url") else None
    language = meta.get("language")
    return Article(
        id=ids.make(id_hint, cleaned.text),
        outlet=_as_name(meta.get("outlet")) or outlet_for_url(url) or cleaned.outlet,
        title=cleaned.title,
        url=url,
        author=_as_name(meta.get("author")) or cleaned.author,
        published_at=published or cleaned.published_at,
        language=language.split("-")[0].lower()
        if isinstance(language, str) and language
        else detect_language(cleaned.title + "\n" + cleaned.text),
        text=cleaned.text,
        source_path=source_path,
        stance=meta.get("stance") if isinstance(meta.get("stance"), str) else None,
        warnings=warnings,
    )


def _from_record(record: Any, *, path: str, loc: str, ids: _Ids, source_path: str | None) -> Article:
    if not isinstance(record, Mapping):
        raise InputError(
            f"{loc} is a {type(record).__name__}, expected a JSON object with 'text' and optional "
            "'title', 'url', 'source'",
            path=path,
        )
    text = _first(record, _TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        found = ", ".join(sorted(map(str, record))) or "none"
        raise InputError(
            f"{loc}: record {record.get('id', '')!r} has no text (expected a non-empty 'text', "
            f"'body' or 'content' field; keys found: {found})",
            path=path,
        )
    title = record.get("title")
    title = title if isinstance(title, str) and title.strip() else None
    meta = {
        "title": title,
        "url": record.get("url") or record.get("link"),
        "outlet": _first(record, _OUTLET_KEYS),
        "author": _first(record, _AUTHOR_KEYS),
        "date": _first(record, _DATE_KEYS),
        "language": _first(record, _LANG_KEYS),
        "stance": record.get("stance"),
    }
    # A record's first line is its title only when it reads like a headline (no final period).
    first = text.strip().split("\n", 1)[0].strip()
    take = title is None and "\n" in text.strip() and _headline_like(first)
    return _build(
        text,
        where=f"{path}: {loc}",
        ids=ids,
        id_hint=record.get("id"),
        meta=meta,
        take_title=take,
        source_path=source_path,
    )


def _expand(obj: Any, *, path: str, loc: str, ids: _Ids, source_path: str | None) -> list[Article]:
    """A record, a list of records, or a cluster object -> articles."""
    if isinstance(obj, list):
        out: list[Article] = []
        for n, item in enumerate(obj, 1):
            out.extend(_expand(item, path=path, loc=f"{loc}, item {n}", ids=ids, source_path=source_path))
        return out
    if isinstance(obj, Mapping) and isinstance(obj.get("articles"), list):
        return [
            _from_record(a, path=path, loc=f"{loc}, article {n}", ids=ids, source_path=source_path)
            for n, a in enumerate(obj["articles"], 1)
        ]
    return [_from_record(obj, path=path, loc=loc, ids=ids, source_path=source_path)]


def _json_lines(text: str, name: str) -> list[tuple[int, Any]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"line {n}: not valid JSON ({exc.msg}, column {exc.colno}); each line must be one "
                "JSON object",
                path=name,
            ) from None
    return rows


def _sniff(text: str) -> str:
    head = text.lstrip()[:2000].lower()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(?:body|article|p|div)\b", head):
        return "html"
    return "text"


def _with_warnings(articles: list[Article], warnings: list[str]) -> list[Article]:
    """File-level warnings (a fallback decoding) belong to every article read from the file."""
    for art in articles:
        art.warnings.extend(w for w in warnings if w not in art.warnings)
    return articles


def _load_text(
    text: str,
    *,
    name: str,
    kind: str,
    ids: _Ids,
    stem: str | None,
    warnings: list[str],
    source_path: str | None,
) -> list[Article]:
    if kind == "jsonl":
        out: list[Article] = []
        for n, obj in _json_lines(text, name):
            out.extend(_expand(obj, path=name, loc=f"line {n}", ids=ids, source_path=source_path))
        return _with_warnings(out, warnings)
    if kind == "json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":  # several objects, one per line: read it as JSONL
                return _load_text(
                    text,
                    name=name,
                    kind="jsonl",
                    ids=ids,
                    stem=stem,
                    warnings=warnings,
                    source_path=source_path,
                )
            raise InputError(
                f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", path=name
            ) from None
        return _with_warnings(
            _expand(obj, path=name, loc="record", ids=ids, source_path=source_path), warnings
        )
    if kind == "html":
        body, meta = _parse_html(text)
        return [
            _build(
                body,
                where=name,
                ids=ids,
                id_hint=stem,
                meta=meta,
                take_title=meta["title"] is None,
                warnings=warnings,
                source_path=source_path,
            )
        ]
    return [
        _build(
            text,
            where=name,
            ids=ids,
            id_hint=stem,
            take_title=True,
            warnings=warnings,
            source_path=source_path,
        )
    ]


def _kind_for(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return _sniff(text)


def _load_file(path: Path, ids: _Ids) -> list[Article]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=name) from None
    text, warnings = _decode(data, name)
    return _load_text(
        text,
        name=name,
        kind=_kind_for(path, text),
        ids=ids,
        stem=path.stem,
        warnings=warnings,
        source_path=name,
    )


def _load_dir(path: Path, ids: _Ids) -> list[Article]:
    """Article files under ``path`` in name order; other files are skipped with a warning."""
    out: list[Article] = []
    skipped: list[str] = []
    for f in sorted(path.rglob("*")):
        rel = f.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            log.info("skipping hidden %s", f)
            continue
        if f.is_dir():
            continue
        if f.suffix.lower() not in ARTICLE_SUFFIXES:
            log.warning("skipping %s: not an article file (%s)", f, f.suffix or "no extension")
            skipped.append(f"{rel}: not an article file")
            continue
        try:
            out.extend(_load_file(f, ids))
        except InputError as exc:
            # One bad file should not sink a folder of good ones, but it is never skipped quietly.
            log.warning("skipping %s", exc)
            skipped.append(str(exc))
    if not out:
        detail = f" (skipped: {'; '.join(skipped[:5])})" if skipped else ""
        raise InputError(
            f"folder has no article files (.txt, .md, .html, .json, .jsonl){detail}", path=str(path)
        )
    return out


def load_articles(*sources: Any, stdin: TextIO | None = None) -> list[Article]:
    """Load, clean and de-duplicate articles from paths, folders, "-" (stdin) or dict records.

    Each source is a file or folder path (str or Path), "-" for ``stdin`` (default
    ``sys.stdin``), a dict record, or an iterable of dict records / cluster objects.
    Ids are unique within the call. Raises :class:`InputError` naming the file (and line)
    for empty, binary, malformed or text-less input; a folder skips such files with a
    logged warning and fails only when nothing is left.
    """
    if not sources:
        raise InputError("no input given: pass article files, a folder, '-' for stdin, or records")
    ids = _Ids()
    articles: list[Article] = []
    for source in sources:
        if isinstance(source, str) and source == "-":
            stream = stdin if stdin is not None else sys.stdin
            text = stream.read()
            if not text.strip():
                raise InputError("stdin is empty; pipe article text, HTML or JSON into it", path="<stdin>")
            articles.extend(
                _load_text(
                    text,
                    name="<stdin>",
                    kind=_sniff(text),
                    ids=ids,
                    stem=None,
                    warnings=[],
                    source_path="<stdin>",
                )
            )
        elif isinstance(source, (str, Path)):
            path = Path(source)
            if path.is_dir():
                articles.extend(_load_dir(path, ids))
            elif path.is_file():
                articles.extend(_load_file(path, ids))
            else:
                raise InputError("no such file or folder; check the path", path=str(path))
        elif isinstance(source, Mapping):
            articles.extend(_expand(source, path="<records>", loc="record 1", ids=ids, source_path=None))
        elif isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
            for n, rec in enumerate(source, 1):
                articles.extend(_expand(rec, path="<records>", loc=f"record {n}", ids=ids, source_path=None))
        else:
            raise InputError(f"cannot read a {type(source).__name__}: pass a path, '-', or dict records")
    if not articles:
        raise InputError("no articles found in the given input")
    return mark_duplicates(articles)


def load_clusters(path: str | Path) -> list[Cluster]:
    """Load story clusters from a JSONL file (one cluster a line) or a JSON list of clusters.

    Each cluster needs ``id`` and a non-empty ``articles`` list; each article needs text.
    ``title`` and ``reference`` are optional; other keys (topic, date) go to ``meta``.
    Errors name the file and line. Article ids are unique within their cluster.
    """
    p = Path(path)
    name = str(p)
    if not p.is_file():
        raise InputError("no such cluster file; check the path", path=name)
    text, file_warnings = _decode(p.read_bytes(), name)
    if p.suffix.lower() in JSON_SUFFIXES and text.lstrip().startswith("["):
        try:
            rows = list(enumerate(json.loads(text), 1))
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})", path=name) from None
        unit = "item"
    else:
        rows, unit = _json_lines(text, name), "line"
    clusters: list[Cluster] = []
    seen: set[str] = set()
    for n, obj in rows:
        where = f"{name}: {unit} {n}"
        if not isinstance(obj, Mapping):
            raise InputError(f"{unit} {n}: expected a cluster object, got {type(obj).__name__}", path=name)
        missing = [k for k in ("id", "articles") if obj.get(k) in (None, "")]
        if missing:
            raise InputError(
                f"{unit} {n}: cluster is missing required field(s) {', '.join(missing)} (a cluster "
                'is {"id", "title", "articles": [...], "reference": {...}})',
                path=name,
            )
        if not isinstance(obj["articles"], list) or not obj["articles"]:
            raise InputError(
                f"{unit} {n}: cluster {obj['id']!r} has no articles (need a non-empty list)", path=name
            )
        cid = str(obj["id"])
        if cid in seen:
            log.warning("%s: cluster id %r appears more than once", where, cid)
        seen.add(cid)
        ids = _Ids()
        arts = [
            _from_record(a, path=name, loc=f"{unit} {n}, article {i}", ids=ids, source_path=name)
            for i, a in enumerate(obj["articles"], 1)
        ]
        reference, title = obj.get("reference"), obj.get("title")
        clusters.append(
            Cluster(
                id=cid,
                title=title if isinstance(title, str) else "",
                articles=mark_duplicates(_with_warnings(arts, file_warnings)),
                reference=dict(reference) if isinstance(reference, Mapping) else None,
                meta={k: v for k, v in obj.items() if k not in ("id", "title", "articles", "reference")},
            )
        )
    if not clusters:
        raise InputError("file has no clusters; expected one JSON cluster object per line", path=name)
    return clusters

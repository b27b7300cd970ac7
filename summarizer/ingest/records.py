"""Turning one article's text and metadata, or one dict record, into a cleaned :class:`Article`.

Every format ends here: :func:`build_article` cleans the text, warns about size and
instruction-like phrases, and fills metadata from the record first, then the page, then
the removed lines. Ids come from :class:`ArticleIds`, unique within one load call.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..schema.article import Article
from ..text.controls import safe_url_text, visible_line
from ..text.injection import injection_markers
from ..text.outlets import outlet_for_url
from ..text.scripts import detect_language
from .boilerplate import headline_like
from .cleaning import clean
from .metadata import parse_date

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "ArticleIds",
    "article_from_record",
    "build_article",
    "check_article_size",
    "expand_records",
]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")

MAX_ARTICLE_BYTES = 1_000_000
"""Articles larger than this are kept whole (the chunker splits them) but get a warning."""

MAX_ARTICLE_CHARS = 3_000_000
"""Articles longer than this are refused: what one article may cost (cleaning, evidence, planning,
model calls) stays bounded. News articles are under 100,000 characters."""


def check_article_size(text: str, where: str) -> None:
    """InputError for an article over :data:`MAX_ARTICLE_CHARS`, saying what to do."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article is {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,} one article may "
            "have; split it into several articles (one per story) or summarize an excerpt",
            path=where,
        )

# Record fields, by what they hold; the first non-empty one wins.
_TEXT_KEYS = ("text", "body", "content")
_OUTLET_KEYS = ("source", "outlet", "site", "site_name", "publisher")
_AUTHOR_KEYS = ("author", "byline", "authors")
_DATE_KEYS = ("published_at", "date", "published", "publish_date", "pubdate")
_LANG_KEYS = ("language", "lang")


class ArticleIds:
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


def _label(value: str | None) -> str | None:
    """A name as one visible line (no bidi override or zero-width character), or None if nothing is left."""
    return (visible_line(value) or None) if value else None


def _url(value: Any, warnings: list[str], where: str) -> str | None:
    """The record's URL, or None (with a warning) when a newline, tab or invisible character is inside:
    URL parsers drop those silently, so such a URL is not what it looks like."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if safe_url_text(url):
        return url
    _warn(warnings, where, f"url {url[:80]!r} has a line break or invisible character inside; left empty")
    return None


def _warn(warnings: list[str], where: str, message: str) -> None:
    warnings.append(message)
    log.warning("%s: %s", where, message)


def _size_warning(text: str) -> str | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= MAX_ARTICLE_BYTES:
        return None
    return (
        f"article is {size / 1e6:.1f} MB (over {MAX_ARTICLE_BYTES / 1e6:.0f} MB); kept whole, "
        "it will be split into chunks"
    )


def _language(value: Any, title: str, text: str) -> str | None:
    """The record's language code ("en-US" -> "en"), else a guess from the text."""
    if isinstance(value, str) and value:
        return value.split("-")[0].lower()
    return detect_language(title + "\n" + text)


def build_article(
    text: str,
    *,
    where: str,
    ids: ArticleIds,
    id_hint: Any = None,
    meta: Mapping[str, Any] | None = None,
    take_title: bool,
    warnings: list[str] | None = None,
    source_path: str | None = None,
) -> Article:
    """Clean ``text`` into an Article; ``meta`` (title, url, outlet, author, date, language, stance) wins."""
    check_article_size(text, where)  # before any work on it
    meta = meta or {}
    warnings = list(warnings or [])
    too_big = _size_warning(text)
    if too_big:
        _warn(warnings, where, too_big)
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
        found = ", ".join(markers)
        _warn(warnings, where, f"text contains instruction-like phrases (kept as article text): {found}")
    published = None
    raw_date = meta.get("date")
    if raw_date not in (None, ""):
        published = parse_date(raw_date)
        if published is None:  # a record's unreadable date is reported but not logged, as before
            warnings.append(f"could not parse date {str(raw_date)[:60]!r}; published_at left empty")
    url = _url(meta.get("url"), warnings, where)
    return Article(
        id=ids.make(id_hint, cleaned.text),
        outlet=_label(_as_name(meta.get("outlet")) or outlet_for_url(url) or cleaned.outlet),
        title=visible_line(cleaned.title),
        url=url,
        author=_label(_as_name(meta.get("author")) or cleaned.author),
        published_at=published or cleaned.published_at,
        language=_language(meta.get("language"), cleaned.title, cleaned.text),
        text=cleaned.text,
        source_path=source_path,
        stance=meta.get("stance") if isinstance(meta.get("stance"), str) else None,
        warnings=warnings,
    )


def _record_text(record: Any, *, path: str, loc: str) -> str:
    """The record's article text, or InputError saying what the record is and which keys it has."""
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
    return text


def article_from_record(
    record: Any, *, path: str, loc: str, ids: ArticleIds, source_path: str | None
) -> Article:
    """One dict record (``text`` plus optional title, url, source, author, date, ...) -> an Article."""
    text = _record_text(record, path=path, loc=loc)
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
    take = title is None and "\n" in text.strip() and headline_like(first)
    return build_article(
        text,
        where=f"{path}: {loc}",
        ids=ids,
        id_hint=record.get("id"),
        meta=meta,
        take_title=take,
        source_path=source_path,
    )


def expand_records(
    obj: Any, *, path: str, loc: str, ids: ArticleIds, source_path: str | None
) -> list[Article]:
    """A record, a list of records, or a cluster object -> articles."""
    if isinstance(obj, list):
        out: list[Article] = []
        for n, item in enumerate(obj, 1):
            out.extend(
                expand_records(item, path=path, loc=f"{loc}, item {n}", ids=ids, source_path=source_path)
            )
        return out
    if isinstance(obj, Mapping) and isinstance(obj.get("articles"), list):
        return [
            article_from_record(a, path=path, loc=f"{loc}, article {n}", ids=ids, source_path=source_path)
            for n, a in enumerate(obj["articles"], 1)
        ]
    return [article_from_record(obj, path=path, loc=loc, ids=ids, source_path=source_path)]

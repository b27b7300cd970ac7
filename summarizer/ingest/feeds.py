"""RSS and Atom feeds to articles, through ``feedparser`` (no hand-written XML handling).

``load_feed(path_or_bytes)`` reads one feed document and returns its entries as
:class:`~summarizer.schema.Article` objects: the entry's full body (``content:encoded`` or Atom
``<content>``, often CDATA-wrapped HTML) is turned into text by the ingest HTML path, else its
summary is used. Relative links are resolved against the entry's ``xml:base``, the feed's own
link, or the URL the feed came from. An entry without a date keeps ``published_at`` empty; an
entry with neither a link, a title nor any text is skipped with a logged warning, never silently.

This module reads bytes only; it never touches the network. :mod:`summarizer.ingest.fetch` fetches a
feed (or each entry's page) and hands the bytes here.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..errors import InputError
from ..schema.article import Article
from . import load_articles
from .html import parse_html

__all__ = ["FEED_SUFFIXES", "FeedEntry", "is_feed", "load_feed", "parse_feed"]

log = logging.getLogger(__name__)

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})
_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass
class FeedEntry:
    """One feed item before it becomes an article: the fields a digest needs, already resolved."""

    id: str
    title: str
    link: str | None
    text: str  # plain text of the body, or of the summary when the feed has no body
    outlet: str | None
    author: str | None
    published_at: datetime | None
    language: str | None
    has_body: bool  # False when ``text`` is only the feed's summary (fetching the link gives more)
    warnings: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The entry as an ingest record (what :func:`summarizer.load_articles` reads)."""
        rec = {"id": self.id, "title": self.title, "url": self.link, "source": self.outlet,
               "author": self.author, "language": self.language, "text": self.text,
               "published_at": self.published_at.isoformat() if self.published_at else None}
        return {k: v for k, v in rec.items() if v not in (None, "")}


def is_feed(data: bytes, name: str = "") -> bool:
    """Whether ``data`` is an RSS/Atom document (by its first element, not by its file name)."""
    del name  # feeds are told apart by content: .xml files are often not feeds
    return bool(_FEED_HEAD.search(data[:4096]))


def _text_of(html: str) -> str:
    """An entry body (HTML or plain text) as plain text, through the ingest HTML path."""
    if "<" not in html:
        return html.strip()
    # An entry body is a fragment; as a whole page it reads the same to our walk, and page-level
    # extractors (trafilatura, with the [html] extra) accept it instead of logging errors.
    body, _ = parse_html(f"<!DOCTYPE html><html><head><title></title></head><body><article>{html}</article></body></html>")
    return body


def _when(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)  # feedparser gives UTC
            except (ValueError, OverflowError, OSError):
                continue  # "0000-00-00" parses to year -1: no date, not a failed feed
    return None


def _body(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """(text, whether it is a full body): the longest ``content`` part, else the summary."""
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    if contents:
        return _text_of(max(contents, key=len)), True
    return _text_of(entry.get("summary") or entry.get("description") or ""), False


def _link(entry: Mapping[str, Any], base: str | None) -> str | None:
    href = entry.get("link")
    if not href:
        href = next((x.get("href") for x in entry.get("links") or [] if x.get("rel") == "alternate"), None)
    if not href:
        return None
    # feedparser resolves against xml:base; a bare relative path left over is resolved here.
    return urljoin(base, href) if base else href


def _entry(raw: Mapping[str, Any], n: int, *, outlet: str | None, base: str | None,
           language: str | None) -> FeedEntry | None:
    title = re.sub(r"\s+", " ", _text_of(raw.get("title") or "")).strip()
    text, has_body = _body(raw)
    link = _link(raw, base)
    if not text and not title:
        log.warning("feed entry %d has no title and no text (link %s); skipped", n, link or "none")
        return None
    key = raw.get("id") or link or f"{title}\n{text}"
    ident = "f" + hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:12]
    warnings = [] if text else ["feed entry has no text; its title stands in (fetch the link for the body)"]
    return FeedEntry(id=ident, title=title, link=link, text=text or title, outlet=outlet,
                     author=raw.get("author") or None, published_at=_when(raw), language=language,
                     has_body=has_body, warnings=warnings)


def parse_feed(data: bytes, *, url: str | None = None, name: str | None = None) -> list[FeedEntry]:
    """The entries of one RSS/Atom document. ``url`` is where it came from (the base for links).

    Raises :class:`InputError` when the document is not a feed at all; a feed that is merely
    malformed somewhere (feedparser's "bozo" flag) is read as far as it goes, with a warning.
    """
    import feedparser  # type: ignore[import-untyped]  # here, so that `import summarizer` stays cheap

    where = name or url or "<feed>"
    headers = {"content-location": url} if url else None
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: str(parsed.get("bozo_exception")))()
        raise InputError(f"not a readable RSS or Atom feed ({reason}); check that the file is a feed",
                         path=where)
    if parsed.bozo:
        log.warning("%s: feed is malformed (%s); read the %d entries that parse", where,
                    parsed.get("bozo_exception"), len(parsed.entries))
    feed = parsed.feed
    outlet = re.sub(r"\s+", " ", feed.get("title") or "").strip() or None
    base = url or feed.get("link") or None
    language = (feed.get("language") or "").split("-")[0].lower() or None
    entries = [_entry(raw, n, outlet=outlet, base=base, language=language)
               for n, raw in enumerate(parsed.entries, 1)]
    return [e for e in entries if e is not None]


def _with_page(entry: FeedEntry, fetch_page: Callable[[str], Article], where: str) -> None:
    """Replace a summary-only entry's text by its page's body, when the page has more to say."""
    if entry.has_body or not entry.link:
        return
    try:
        page = fetch_page(entry.link)
    except InputError as exc:
        entry.warnings.append(f"page not fetched ({exc}); the feed's summary stands in")
        log.warning("%s: %s", where, entry.warnings[-1])
        return
    if len(page.text) > len(entry.text):
        entry.text, entry.has_body = page.text, True
        entry.author = entry.author or page.author
        entry.published_at = entry.published_at or page.published_at


def load_feed(
    source: str | Path | bytes,
    *,
    url: str | None = None,
    fetch_page: Callable[[str], Article] | None = None,
) -> list[Article]:
    """Articles from one feed: a file path, or the feed's bytes (``url`` says where they came from).

    Each entry goes through the same ingest path as any record (cleaning, metadata, ids). When
    ``fetch_page`` is given (e.g. :meth:`summarizer.ingest.fetch.Fetcher.article`), entries that carry
    only a summary are replaced by their linked page's body. Raises :class:`InputError` for a
    missing file, a non-feed, or a feed with no usable entry.
    """
    if isinstance(source, bytes):
        data, where = source, url or "<feed>"
    else:
        path = Path(source)
        where = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read feed ({exc.strerror or exc}); check the path", path=where) from None
    entries = parse_feed(data, url=url, name=where)
    if not entries:
        raise InputError("feed has no entries with a title or text", path=where)
    articles: list[Article] = []
    for entry in entries:
        if fetch_page is not None:
            _with_page(entry, fetch_page, where)
        try:  # one entry at a time: an entry that cleans to nothing must not sink the feed
            (art,) = load_articles([entry.record()])
        except InputError as exc:
            log.warning("%s: skipped entry %r: %s", where, entry.title[:80], exc)
            continue
        art.source_path = where
        art.warnings.extend(entry.warnings)
        articles.append(art)
    if not articles:
        raise InputError("no feed entry has usable text", path=where)
    return articles

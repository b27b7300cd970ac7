"""A day's inputs to one list of articles: files, folders, JSONL, RSS/Atom feeds and URLs.

``gather_articles(["feeds/", "saved.html", "dump.jsonl", "https://example.org/rss"])`` routes
each input to the reader for it: feeds (by content: ``<rss>``, ``<feed>``) to
:mod:`summarizer.ingest.feeds`, article files to :func:`summarizer.load_articles`, cluster files
(several stories, as ``cluster`` writes them) to :func:`summarizer.ingest.load_clusters`, whose
articles join the rest, and URLs to a :class:`summarizer.ingest.fetch.Fetcher`, only when one is
given: nothing here touches the network unless the caller asked for it. Article ids are made
unique across all inputs.

``gather_story`` reads the inputs of one brief (``summarize``) the same way, with stdin, and
refuses a file of several stories.

``gather_inputs`` is the same walk for a job over many inputs (a daily digest): an input that
cannot be read (a dead feed URL, a truncated answer, a broken file) is set aside with its reason
and the rest are still read, so one bad feed does not cost the whole day.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, SeveralStoriesError
from ..schema.article import Article
from . import load_articles, load_clusters, mark_duplicates
from .feeds import FEED_SUFFIXES, is_feed, load_feed
from .load import ARTICLE_SUFFIXES

if TYPE_CHECKING:
    from typing import TextIO

    from .fetch import Fetcher

__all__ = ["Gathered", "gather_articles", "gather_inputs", "gather_story"]

log = logging.getLogger(__name__)


def _is_feed_file(path: Path) -> bool:
    """Whether ``path`` is a feed (told by its content, whatever its name); InputError for a feed
    suffix on something else, or a file that cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from None
    if is_feed(head):
        return True
    if path.suffix.lower() in FEED_SUFFIXES:
        raise InputError("not an RSS or Atom feed (no <rss> or <feed> element near the top)", path=str(path))
    return False


def _from_file(path: Path) -> list[Article]:
    """A feed, an article file, or a cluster file, whose stories' articles all join the input."""
    if _is_feed_file(path):
        return load_feed(path)
    try:
        return load_articles(path)
    except SeveralStoriesError:
        # A cluster file (what `cluster` writes): a day's articles, to be clustered again with the rest.
        return [article for cluster in load_clusters(path) for article in cluster.articles]


def _from_dir(path: Path) -> list[Article]:
    """Every feed and article file under ``path``; a bad file is skipped with a warning, never quietly."""
    out: list[Article] = []
    skipped: list[str] = []
    for f in sorted(path.rglob("*")):
        rel = f.relative_to(path)
        if f.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if f.suffix.lower() not in ARTICLE_SUFFIXES | FEED_SUFFIXES:
            log.warning("skipping %s: not an article or feed file", f)
            skipped.append(f"{rel}: not an article or feed file")
            continue
        try:
            out.extend(_from_file(f))
        except InputError as exc:
            log.warning("skipping %s", exc)
            skipped.append(str(exc))
    if not out:
        detail = f" (skipped: {'; '.join(skipped[:5])})" if skipped else ""
        raise InputError(f"folder has no article or feed files{detail}", path=str(path))
    return out


def gather_story(
    inputs: Sequence[str | Path],
    *,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = False,
    stdin: TextIO | None = None,
) -> list[Article]:
    """One story's articles, for one brief: files, folders and ``-`` (``stdin``) as
    :func:`summarizer.load_articles` reads them, feed files, and http(s) URLs when ``fetcher`` is given.

    A file of several story clusters is refused (:class:`SeveralStoriesError`: one brief covers one
    story). Near-duplicates are marked across all inputs; ids are unique across them.
    """
    from .fetch import is_url

    if not inputs:
        raise InputError("no input given: pass article files, a folder, feeds, URLs or '-' for stdin")
    local: list[str | Path] = []
    remote: list[str | Path] = []
    for item in inputs:
        is_local = str(item) == "-" or not (is_url(item) or (Path(item).is_file() and _is_feed_file(Path(item))))
        (local if is_local else remote).append(item)
    articles = load_articles(*local, stdin=stdin) if local else []
    if not remote:
        return articles  # exactly what load_articles reads, duplicates marked
    for item in remote:
        if is_url(item):
            if fetcher is None:
                raise InputError("this is a URL, and fetching is off; pass a Fetcher to fetch it, or save "
                                 "the page and pass the file", path=str(item))
            articles.extend(fetcher.load(str(item), fetch_pages=fetch_pages))
        else:
            articles.extend(load_feed(Path(item)))
    if not articles:
        raise InputError("no articles found in the given input")
    return mark_duplicates(_unique_ids(articles))


def _unique_ids(articles: list[Article]) -> list[Article]:
    """Ids unique across inputs: a repeated id gets -2, -3, ... (each input alone is already unique)."""
    seen: set[str] = set()
    out = []
    for art in articles:
        uid, n = art.id, 1
        while uid in seen:
            n += 1
            uid = f"{art.id}-{n}"
        seen.add(uid)
        out.append(art if uid == art.id else art.model_copy(update={"id": uid, "duplicate_of": None}))
    return out


@dataclass
class Gathered:
    """What :func:`gather_inputs` read: the articles, and each input it could not read with why."""

    articles: list[Article] = field(default_factory=list)
    failed: dict[str, InputError] = field(default_factory=dict)


def _read_input(item: str | Path, fetcher: Fetcher | None, fetch_pages: bool) -> list[Article]:
    from .fetch import is_url

    if is_url(item):
        if fetcher is None:
            raise InputError("this is a URL, and fetching is off; pass a Fetcher to fetch it, or save "
                             "the page and pass the file", path=str(item))
        return fetcher.load(str(item), fetch_pages=fetch_pages)
    path = Path(item)
    if path.is_dir():
        return _from_dir(path)
    if path.is_file():
        return _from_file(path)
    raise InputError("no such file or folder; check the path", path=str(path))


def gather_inputs(
    inputs: Sequence[str | Path],
    *,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = False,
) -> Gathered:
    """Read every input that can be read; each one that cannot is listed in ``failed``, not raised.

    Raises :class:`InputError` only when no input gave an article (its message lists why each
    failed), since then there is nothing to work on.
    """
    if not inputs:
        raise InputError("no input given: pass feed files, article files, folders, JSONL or URLs")
    out = Gathered()
    for item in inputs:
        try:
            out.articles.extend(_read_input(item, fetcher, fetch_pages))
        except InputError as exc:
            log.warning("input not read: %s", exc)
            out.failed[str(item)] = exc
    if not out.articles:
        reasons = "; ".join(str(e) for e in list(out.failed.values())[:5])
        raise InputError(f"no articles found in the given input{f' ({reasons})' if reasons else ''}")
    out.articles = _unique_ids(out.articles)
    return out


def gather_articles(
    inputs: Sequence[str | Path],
    *,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = False,
) -> list[Article]:
    """Articles from every input: paths, folders, feed files, and http(s) URLs when ``fetcher`` is given.

    ``fetch_pages`` also fetches the page of each feed entry that carries only a summary.
    Raises :class:`InputError` naming the input that cannot be read, or a URL given without a
    fetcher (pass ``fetcher=Fetcher()``; on the command line, URLs are fetched as asked).
    :func:`gather_inputs` reads on past such an input instead.
    """
    if not inputs:
        raise InputError("no input given: pass feed files, article files, folders, JSONL or URLs")
    articles: list[Article] = []
    for item in inputs:
        articles.extend(_read_input(item, fetcher, fetch_pages))
    if not articles:
        raise InputError("no articles found in the given input")
    return _unique_ids(articles)

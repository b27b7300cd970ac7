"""Polite, optional fetching of article pages and feeds over HTTP(S).

Nothing else in summarizer touches the network for input: files, folders and JSONL work without
this module. A :class:`Fetcher` asks one URL at a time with

- a **deadline** for the whole request, redirects included (connecting, waiting for headers and
  reading: a server that drips its headers or trickles its body is cut off at it too, because
  the sockets of a request are shut when its deadline passes, not only checked between reads),
- **every redirect hop checked** like the first URL: http(s) only (no ``ftp://``, no
  ``file://``), and the robots.txt of the hop's own site and path,
- a **size cap** (checked against Content-Length before reading, and while reading),
- a **user agent** that says what it is,
- **robots.txt** honoured per site (read once per site and cached; a missing robots.txt allows
  everything, as the standard says), and a minimum interval between requests to one host.

Page bodies go through the ingest HTML path (:func:`summarizer.ingest.html.parse_html`), so a
fetched page becomes the same :class:`~summarizer.schema.Article` a saved page would.
"""

from __future__ import annotations

import functools
import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, NoReturn
from urllib.parse import urlsplit

from .. import __version__
from ..errors import InputError
from ..schema.article import Article
from . import load_articles
from .decode import decode_bytes
from .feeds import is_feed, load_feed
from .html import parse_html

__all__ = ["DEFAULT_USER_AGENT", "Fetched", "Fetcher", "is_url"]

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"summarizer/{__version__} (news digest; honours robots.txt)"
_CHUNK = 64 * 1024


def is_url(value: object) -> bool:
    """Whether ``value`` is an http(s) URL (the only schemes fetched)."""
    return isinstance(value, str) and urlsplit(value).scheme.lower() in ("http", "https")


@dataclass(frozen=True)
class Fetched:
    """One response: where it ended up (after redirects), its media type and its bytes."""

    url: str
    status: int
    content_type: str
    charset: str | None
    data: bytes

    def text(self) -> str:
        """The body as text: the declared charset when there is one, else ingest's decoding."""
        if self.charset:
            try:
                return self.data.decode(self.charset)
            except (LookupError, UnicodeDecodeError):
                log.info("%s: body is not %s as declared; guessing", self.url, self.charset)
        return decode_bytes(self.data, self.url)[0]


@dataclass
class Fetcher:
    """Fetches URLs politely; see the module docstring for what "politely" means here."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    min_interval: float = 1.0  # seconds between two requests to one host
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict, repr=False)
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ------------------------------------------------------------------ transport

    def get(self, url: str, *, check_robots: bool = True) -> Fetched:
        """GET ``url``; InputError (naming the URL) for a refusal, an HTTP error, a timeout or an oversize body.

        Redirects are followed only to http(s) URLs that robots.txt allows (when ``check_robots``),
        and the whole exchange, every hop included, ends within ``timeout`` seconds.
        """
        return self._get(url, check_robots=check_robots, deadline=_Deadline(self.timeout))

    def _get(self, url: str, *, check_robots: bool, deadline: _Deadline) -> Fetched:
        self._permit(url, check_robots=check_robots, deadline=deadline)
        opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), _WatchedHTTP(deadline), _WatchedHTTPS(deadline),
                        _CheckedRedirects(functools.partial(self._permit, check_robots=check_robots,
                                                            deadline=deadline)),
                        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
            opener.add_handler(handler)  # no ftp:, file: or data: handler: nothing else can be opened
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "*/*"})
        deadline.start()
        try:
            with opener.open(request, timeout=deadline.left()) as resp:
                return self._read(resp, url, deadline)
        except urllib.error.HTTPError as exc:
            raise InputError(f"the server answered HTTP {exc.code} ({exc.reason}); check the URL",
                             path=url) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if deadline.expired or isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None),
                                                                                TimeoutError):
                self._timed_out(url)
            if isinstance(exc, http.client.HTTPException):  # IncompleteRead, a garbled status line...
                raise InputError(f"the server's answer broke off or is not HTTP ({type(exc).__name__}); "
                                 "try again later", path=url) from None
            reason = getattr(exc, "reason", exc)
            raise InputError(f"cannot reach the server ({reason}); check the URL and the network",
                             path=url) from None
        finally:
            deadline.stop()

    def _timed_out(self, url: str) -> NoReturn:
        raise InputError(f"no complete answer within {self.timeout:g} s; try again later or raise the timeout",
                         path=url) from None

    def _permit(self, url: str, *, check_robots: bool, deadline: _Deadline) -> None:
        """The checks every URL of a request passes, the first and each redirect hop: scheme, robots, pace."""
        if not is_url(url):
            raise InputError("only http:// and https:// URLs can be fetched (a redirect led elsewhere, or the "
                             "URL itself is not one)", path=url)
        if check_robots and self.respect_robots and not self.allowed(url, deadline=deadline):
            raise InputError("robots.txt of this site disallows fetching this page; save the page and "
                             "pass the file instead", path=url)
        self._wait_turn(url)

    def _read(self, resp: Any, url: str, deadline: _Deadline) -> Fetched:
        headers: Message = resp.headers
        length = headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise InputError(f"the page is {int(length):,} bytes, over the {self.max_bytes:,}-byte cap",
                             path=url)
        chunks, size = [], 0
        while True:
            # read1: whatever one receive brings; the deadline shuts the socket under a slow one.
            chunk = resp.read1(_CHUNK)
            if deadline.expired:
                self._timed_out(url)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise InputError(f"the page is over the {self.max_bytes:,}-byte cap; stopped reading", path=url)
            chunks.append(chunk)
        return Fetched(url=resp.geturl(), status=resp.status, content_type=headers.get_content_type(),
                       charset=headers.get_content_charset(), data=b"".join(chunks))

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            wait = self._last.get(host, -1e9) + self.min_interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()

    # ------------------------------------------------------------------ robots.txt

    def allowed(self, url: str, *, deadline: _Deadline | None = None) -> bool:
        """Whether the site's robots.txt lets our user agent fetch ``url`` (cached per site).

        ``deadline``: the request this check belongs to, whose time reading robots.txt spends.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin, deadline or _Deadline(self.timeout))
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(self.user_agent, url)

    def _read_robots(self, origin: str, deadline: _Deadline) -> urllib.robotparser.RobotFileParser | None:
        try:
            fetched = self._get(f"{origin}/robots.txt", check_robots=False, deadline=deadline.share())
        except InputError as exc:
            # No robots.txt (404) or an unreachable one: cheap politeness stops here, and allows.
            log.info("%s/robots.txt not read (%s); allowing", origin, exc)
            return None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(fetched.text().splitlines())
        return rules

    # ------------------------------------------------------------------ articles

    def article(self, url: str) -> Article:
        """The article at ``url``: its page through the ingest HTML path, metadata from the page."""
        fetched = self.get(url)
        return page_article(fetched)

    def load(self, url: str, *, fetch_pages: bool = False) -> list[Article]:
        """``url`` as articles: every entry of a feed, or the one article of a page.

        With ``fetch_pages``, feed entries that carry only a summary get their page fetched for
        the full body (an entry whose page fails keeps its summary, with a warning).
        """
        fetched = self.get(url)
        if is_feed(fetched.data) or "rss" in fetched.content_type or "atom" in fetched.content_type:
            return load_feed(fetched.data, url=fetched.url, fetch_page=self.article if fetch_pages else None)
        return [page_article(fetched)]


class _Deadline:
    """One request's clock. Socket timeouts bound each read, not the whole (a server that sends one
    header line a second never trips them), so between ``start()`` and ``stop()`` a timer
    shuts every socket it opened once the time is up, and the blocked read returns at once."""

    def __init__(self, seconds: float, *, end: float | None = None) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds if end is None else end
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None

    def share(self) -> _Deadline:
        """A deadline ending at the same moment, for a request made in the middle of this one (robots.txt)."""
        return _Deadline(self.seconds, end=self.end)

    def left(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        self._sockets.append(sock)
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        self.expired = True
        for sock in self._sockets:
            try:  # the plain socket's shutdown, also under TLS: it wakes a blocked read at once
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def start(self) -> None:
        self._timer = threading.Timer(self.left(), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _watched_connection(http_class: Any, deadline: _Deadline, *args: Any, **kwargs: Any) -> Any:
    """An http.client connection whose socket ``deadline`` shuts when the time is up."""
    conn = http_class(*args, **kwargs)
    plain_connect = conn.connect

    def connect() -> None:
        conn.timeout = min(conn.timeout, deadline.left())
        plain_connect()
        deadline.watch(conn.sock)

    conn.connect = connect
    return conn


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: Any, **kw: Any) -> Any:
        return super().do_open(functools.partial(_watched_connection, http_class, self.deadline), req, **kw)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: Any, **kw: Any) -> Any:
        return super().do_open(functools.partial(_watched_connection, http_class, self.deadline), req, **kw)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only after ``permit(new_url)`` passes (it raises InputError otherwise)."""

    max_redirections = 5

    def __init__(self, permit: Callable[[str], None]) -> None:
        self.permit = permit

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        try:
            self.permit(newurl)
        except InputError:
            fp.close()
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def page_article(fetched: Fetched) -> Article:
    """A fetched HTML (or plain-text) page as an Article; InputError when no story text is left."""
    text = fetched.text()
    if "html" in fetched.content_type or text.lstrip()[:1] == "<":
        body, meta = parse_html(text)
    else:
        body, meta = text, {}
    record = {"text": body, "title": meta.get("title"), "url": meta.get("url") or fetched.url,
              "source": meta.get("outlet"), "author": meta.get("author"), "date": meta.get("date"),
              "language": meta.get("language")}
    (art,) = load_articles([{k: v for k, v in record.items() if v}])
    art.source_path = fetched.url
    return art

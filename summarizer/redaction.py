"""Secrets never reach a log handler or stderr: one redaction, applied to log records and tracebacks.

:func:`redact` removes the registered secrets (API keys from the configuration) and anything
shaped like a key or bearer token from a string. :func:`install` makes every log record go
through it, its traceback and the exception chain's messages included, and makes uncaught
exceptions print redacted; :func:`add_secret` registers a key once the configuration knows it, and
:func:`add_url_secrets` the password in a base URL.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from types import TracebackType
from urllib.parse import unquote, urlsplit

__all__ = ["RedactingFilter", "add_secret", "add_url_secrets", "format_exception", "install", "redact"]

# A key-shaped token: "sk-" opening a word ("Minsk-ceasefire" and "task-force" are words, not keys).
_KEYLIKE = re.compile(r"((?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{16,}|Bearer\s+[A-Za-z0-9_\-\.]{8,})")
_MIN_SECRET = 4  # shorter strings would redact ordinary words
_MIN_TOKEN = 8  # a URL's user name this long with no password is taken for a token

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def add_secret(secret: str | None) -> None:
    """Redact ``secret`` from every log line and error printed from now on."""
    if secret and len(secret) >= _MIN_SECRET:
        with _lock:
            _secrets.add(secret)


def add_url_secrets(url: str | None) -> None:
    """Redact the credentials in ``url``'s userinfo (``https://user:password@host/v1``) from now on: the
    whole userinfo and the password, as written (percent-encoded) and decoded. HTTP clients log the
    URL of every request at debug level (``-vv``), userinfo included."""
    if not url or "@" not in url:
        return
    try:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
    except ValueError:
        return
    user, _, password = userinfo.partition(":")
    # "https://user:password@host" hides the password; "https://TOKEN@host" carries a token as the user.
    whole = userinfo if password or len(user) >= _MIN_TOKEN else ""
    for secret in (whole, unquote(whole), password, unquote(password)):
        add_secret(secret)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without ``secrets``, the registered ones, or anything that looks like an API key."""
    for secret in sorted({*secrets, *_secrets}, key=len, reverse=True):  # longest first: no partial leftovers
        if secret and len(secret) >= _MIN_SECRET:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)


def format_exception(exc: BaseException) -> str:
    """The traceback of ``exc`` and its whole ``__cause__``/``__context__`` chain, redacted."""
    return redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


class RedactingFilter(logging.Filter):
    """Rewrites a record in place: its message and its traceback text redacted, arguments folded in."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep the record, unformatted
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatted once here, so no handler formats the raw chain (the SDK's error text) itself.
            record.exc_text = format_exception(record.exc_info[1]).rstrip("\n")
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    sys.stderr.write(format_exception(exc))


def install() -> None:
    """Redact every log record (whatever logger or handler it reaches) and uncaught tracebacks.

    The filter runs in the record factory, so handlers added later (and other libraries'
    loggers) are covered too. Idempotent.
    """
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    previous = logging.getLogRecordFactory()
    redacting = RedactingFilter()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redacting.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    sys.excepthook = _excepthook

"""The transport-retry policy: which failures are retried, how long to wait, how often.

One decision serves the blocking and the async path: :func:`retrying` and
:func:`async_retrying` build tenacity retriers from the same policy. A failure is
retried when it is a :class:`~summarizer.errors.BackendError` marked
``retryable``; the wait is the server's ``Retry-After`` when it gave a sane one,
else capped exponential backoff with jitter. The caller sees our typed error,
never tenacity's ``RetryError``.

The small pure functions are table-tested (the shape openai-python uses).
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import errors

if TYPE_CHECKING:
    import tenacity

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, then seconds, then an HTTP date."""
    if not headers:
        return None
    h = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in h:
        try:
            return max(0.0, float(h["retry-after-ms"]) / 1000)
        except ValueError:
            pass
    raw = h.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_delay(
    attempt: int, retry_after: float | None, *, base: float = 0.5, cap: float = 8.0, max_server: float = 60.0
) -> float:
    """The server's delay if it gave one within reason, else capped exponential backoff with jitter."""
    if retry_after is not None and retry_after <= max_server:
        return retry_after
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * (1 - 0.25 * random.random())


def retry_after_of(exc: Exception) -> float | None:
    """The ``Retry-After`` delay carried by an SDK exception's HTTP response, if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return parse_retry_after(dict(headers) if headers is not None else None)


def is_retryable(exc: BaseException) -> bool:
    """Only our own typed errors marked retryable are tried again."""
    return isinstance(exc, errors.BackendError) and exc.retryable


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    cause = exc.__cause__ if exc else None  # the SDK exception, which carries the response headers
    return retry_delay(state.attempt_number, retry_after_of(cause) if isinstance(cause, Exception) else None)


def _policy(max_retries: int, deadline: float | None = None) -> dict[str, Any]:
    """``deadline``: seconds all attempts and waits together may take; no retry starts past it."""
    import tenacity

    def log_retry(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning("transport error (%s); retry %d/%d in %.1fs", exc, state.attempt_number,
                    max_retries, state.next_action.sleep if state.next_action else 0.0)

    return {
        "retry": tenacity.retry_if_exception(is_retryable),
        "stop": tenacity.stop_after_attempt(max_retries + 1) | (
            tenacity.stop_before_delay(deadline) if deadline is not None else tenacity.stop_never),
        "wait": _wait,
        "before_sleep": log_retry,
        "reraise": True,  # the caller sees our typed error, not tenacity's RetryError
    }


def retrying(max_retries: int, sleep: Sleep = time.sleep, deadline: float | None = None) -> tenacity.Retrying:
    """A blocking retrier: ``retrying(n)(fn, *args)`` calls ``fn`` up to ``n + 1`` times (within ``deadline``)."""
    import tenacity

    return tenacity.Retrying(sleep=sleep, **_policy(max_retries, deadline))


def async_retrying(max_retries: int, sleep: Sleep = time.sleep,
                   deadline: float | None = None) -> tenacity.AsyncRetrying:
    """The async twin of :func:`retrying`. With the default ``sleep`` it waits with ``asyncio.sleep``;
    an injected clock (tests) decides how waiting looks."""
    import asyncio

    import tenacity

    async def wait(seconds: float) -> None:
        if sleep is time.sleep:
            await asyncio.sleep(seconds)
        else:
            sleep(seconds)

    return tenacity.AsyncRetrying(sleep=wait, **_policy(max_retries, deadline))


def retries_made(retrier: tenacity.BaseRetrying) -> int:
    """How many times the last call through ``retrier`` was retried (0 when the first try worked)."""
    return int(retrier.statistics.get("attempt_number", 1)) - 1

"""Exception types raised by summarizer.

The library raises these; the CLI decides how they look to a person and which
exit code they map to. Every message says what to do next.
"""

from __future__ import annotations

from typing import Any


class SummarizerError(Exception):
    """Base class for every error summarizer raises on purpose."""

    exit_code = 1


class ConfigError(SummarizerError):
    """The configuration is incomplete or contradictory."""

    exit_code = 2


class OutputInUseError(ConfigError):
    """Another process is writing the same batch output file (its lock is held)."""


class InputError(SummarizerError):
    """An input file or record cannot be used. ``path`` names it."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class SeveralStoriesError(InputError):
    """One input holds several story clusters (a cluster file, as ``cluster`` writes). A brief covers
    one story, so ``summarize`` refuses it and names ``batch``; ``cluster`` and ``digest`` read its
    articles instead."""


class MissingArticlesError(InputError):
    """An update needs the old brief's articles (its quotes and sentences must still be checked against
    them) and some cannot be found, or no longer hold the text that was summarized. ``missing`` lists
    their ids."""

    def __init__(self, message: str, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(message)


class MissingExtraError(ConfigError):
    """An optional part of the install is missing; the message names the extra that provides it."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        from . import DISTRIBUTION

        self.extra = extra
        self.module = module
        super().__init__(
            f"{feature} needs the [{extra}] extra ({module} is not installed): "
            f"pip install '{DISTRIBUTION}[{extra}]'"
        )


class OutputWriteError(SummarizerError):
    """The result was made (and paid for) but could not be written where asked: a full disk, a folder
    removed or made read-only during the run. ``output`` is where it was asked to go; ``kept`` is the
    file that holds it instead, or None when it was printed to stdout."""

    exit_code = 9

    def __init__(self, message: str, *, output: str, kept: str | None) -> None:
        self.output = output
        self.kept = kept
        super().__init__(message)


class WeightsNotFoundError(SummarizerError):
    """The embedded (local) model's weights are missing, corrupt or unknown."""

    exit_code = 4


# The old name; it always meant the local weights, never a model on a server (see UnknownModelError).
ModelNotFoundError = WeightsNotFoundError


class BackendError(SummarizerError):
    """The model server failed (after transport retries, where retryable)."""

    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        retryable: bool = False,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.retryable = retryable
        self.request_id = request_id
        super().__init__(message)


class RateLimitError(BackendError):
    """HTTP 429 that outlasted the retry budget."""


class BackendTimeoutError(BackendError):
    """The server did not answer within the timeout."""


class BackendConnectionError(BackendError):
    """The server could not be reached or dropped the connection."""


class AuthenticationError(BackendError):
    """The server rejected the API key (401/403): check OPENAI_API_KEY / --api-key."""

    exit_code = 7


class UnknownModelError(BackendError):
    """The server has no such model (HTTP 404): check SUMMARIZER_MODEL / --model.

    ``available`` lists the models the server offers, when it says.
    """

    exit_code = 8

    def __init__(self, message: str, *, available: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.available = available
        super().__init__(message, **kwargs)


class RefusalError(BackendError):
    """The model refused to answer."""


class LengthError(BackendError):
    """The model hit max_tokens before finishing its JSON."""


class OutputValidationError(SummarizerError):
    """The model's output failed validation on every attempt.

    ``attempts`` holds each attempt's raw output and the errors found in it, so a
    caller can see exactly what the model produced.
    """

    exit_code = 6

    def __init__(self, message: str, attempts: list[dict[str, Any]] | None = None) -> None:
        self.attempts = attempts or []
        super().__init__(message)

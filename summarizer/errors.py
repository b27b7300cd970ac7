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


class InputError(SummarizerError):
    """An input file or record cannot be used. ``path`` names it."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ModelNotFoundError(SummarizerError):
    """The local model's weights are missing or corrupt."""

    exit_code = 4


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
    """The server rejected the API key (401/403)."""


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

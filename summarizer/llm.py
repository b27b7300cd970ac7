"""The one seam between the pipeline and a language model.

A backend turns a :class:`ChatRequest` (messages plus an optional JSON schema)
into a :class:`Completion`. Backends own *transport* retries (429, 5xx,
timeouts, dropped connections); the pipeline owns *validation* re-asks. The two
budgets never mix.

:class:`OpenAIBackend` speaks the Chat Completions protocol through the
``openai`` SDK to OpenAI, vLLM, Ollama or a llama.cpp server. The embedded model
(:mod:`summarizer.local`) implements the same interface; tests use the fakes in
:mod:`summarizer.testing`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from . import errors

log = logging.getLogger(__name__)

ResponseFormat = Literal["auto", "json_schema", "json_object_schema", "json_object", "none"]


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens
        )


@dataclass(frozen=True)
class ChatRequest:
    """What the pipeline asks of a model. Immutable: re-asks build a new one."""

    messages: tuple[Mapping[str, str], ...]
    schema: Mapping[str, Any] | None = None
    schema_name: str = "output"
    max_tokens: int = 1024
    temperature: float = 0.0
    purpose: str = ""  # 'synthesize', 'extract', 'reask': for logs and progress only

    def key_material(self) -> str:
        """A stable serialisation for cache keys."""
        return json.dumps(
            {
                "messages": [dict(m) for m in self.messages],
                "schema": self.schema,
                "max_tokens": self.max_tokens,
                "temperature": self.temperature,
            },
            sort_keys=True,
            ensure_ascii=False,
        )


@dataclass
class Completion:
    """A model's answer. ``parsed`` is the decoded JSON when a schema was requested."""

    text: str
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    request_id: str | None = None
    retries: int = 0
    cached: bool = False
    refusal: str | None = None

    def json(self) -> Any:
        """Decode the text as JSON, tolerating a Markdown code fence around it."""
        return json.loads(strip_fences(self.text))


@runtime_checkable
class ChatBackend(Protocol):
    """The interface every model backend implements."""

    name: str
    model: str
    context_window: int

    def complete(self, request: ChatRequest) -> Completion: ...

    async def acomplete(self, request: ChatRequest) -> Completion: ...

    def count_tokens(self, text: str) -> int: ...


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


def strip_fences(text: str) -> str:
    m = _FENCE.match(text)
    return m.group(1) if m else text


# --------------------------------------------------------------------------- retry policy
# Small pure functions so each is table-tested (the shape openai-python uses).

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


# --------------------------------------------------------------------------- OpenAI protocol


class OpenAIBackend:
    """Chat Completions through the ``openai`` SDK, with our own transport retries.

    ``response_format`` picks how structured output is requested:

    * ``json_schema``: OpenAI's strict structured outputs;
    * ``json_object_schema``: ``{"type": "json_object", "schema": ...}``, which
      llama.cpp's server enforces (it rejects ``json_schema`` with HTTP 500);
    * ``json_object`` / ``none``: plain JSON mode / nothing, validated afterwards;
    * ``auto`` (default): ``json_schema`` and, if the server rejects that form,
      fall back to ``json_object_schema`` for the rest of this backend's life.
    """

    name = "openai"

    def __init__(
        self,
        model: str = "gpt-4o-mini",
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 4,
        response_format: ResponseFormat = "auto",
        context_window: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client: Any = None,
        async_client: Any = None,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self._api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.response_format: ResponseFormat = response_format
        self.context_window = context_window or _known_context_window(model)
        self._sleep = sleep
        self._client = client
        self._async_client = async_client
        self._async_loop: Any = None  # the event loop our own async client was built on
        self._encoding: Any = None

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIBackend(model={self.model!r}, base_url={self.base_url!r})"

    # -- clients are built lazily so importing summarizer stays cheap
    def _sync(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed",
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=0,  # retries are ours, see _retrying
            )
        return self._client

    def _async(self) -> Any:
        import asyncio

        loop = asyncio.get_running_loop()
        if self._async_loop is not None and self._async_loop is not loop:
            # An async client's connections belong to the loop it first ran on; a later
            # asyncio.run() (a second batch, a Ray block) needs a fresh one.
            self._async_client = None
        if self._async_client is None:
            self._async_loop = loop
            import openai

            self._async_client = openai.AsyncOpenAI(
                api_key=self._api_key or "not-needed",
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=0,
            )
        return self._async_client

    def count_tokens(self, text: str) -> int:
        from .tokens import count_tokens

        return count_tokens(text, self.model)

    # -- request building
    def _kwargs(self, request: ChatRequest, fmt: ResponseFormat) -> dict[str, Any]:
        kw: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.schema is not None:
            if fmt in ("auto", "json_schema"):
                kw["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": request.schema_name, "schema": dict(request.schema), "strict": False},
                }
            elif fmt == "json_object_schema":
                kw["response_format"] = {"type": "json_object", "schema": dict(request.schema)}
            elif fmt == "json_object":
                kw["response_format"] = {"type": "json_object"}
        return kw

    def request_body(self, request: ChatRequest) -> dict[str, Any]:
        """The JSON body this backend would POST to /chat/completions (used for Batch API files)."""
        return self._kwargs(request, self.response_format)

    def _secrets(self) -> tuple[str, ...]:
        # A server may echo the key in an error body; keys that don't look like "sk-..." must go too.
        return (self._api_key,) if self._api_key and len(self._api_key) >= 4 else ()

    def _completion(self, resp: Any, retries: int) -> Completion:
        choice = resp.choices[0]
        msg = choice.message
        refusal = getattr(msg, "refusal", None)
        usage = Usage(
            getattr(resp.usage, "prompt_tokens", 0) or 0, getattr(resp.usage, "completion_tokens", 0) or 0
        ) if resp.usage else Usage()
        return Completion(
            text=msg.content or "",
            finish_reason=choice.finish_reason or "stop",
            usage=usage,
            model=getattr(resp, "model", "") or self.model,
            request_id=getattr(resp, "_request_id", None) or getattr(resp, "id", None),
            retries=retries,
            refusal=refusal,
        )

    def _downgrade(self, exc: Exception) -> bool:
        """True when the server rejected the json_schema form and we can retry with json_object."""
        if self.response_format != "auto":
            return False
        text = str(exc).lower()
        if "json_schema" in text or "response_format" in text or "json_object" in text:
            log.info("server rejected response_format json_schema; using json_object with schema")
            self.response_format = "json_object_schema"
            return True
        return False

    # -- transport retries: tenacity, with our policy (Retry-After, else capped backoff) and typed errors

    def _create(self, request: ChatRequest) -> Any:
        """One HTTP call, translated into our errors; a rejected json_schema form is re-sent as json_object."""
        while True:
            try:
                return self._sync().chat.completions.create(**self._kwargs(request, self.response_format))
            except Exception as exc:
                if not self._downgrade(exc):
                    raise translate_error(exc, secrets=self._secrets()) from exc

    async def _acreate(self, request: ChatRequest) -> Any:
        while True:
            try:
                return await self._async().chat.completions.create(**self._kwargs(request, self.response_format))
            except Exception as exc:
                if not self._downgrade(exc):
                    raise translate_error(exc, secrets=self._secrets()) from exc

    def _retry_policy(self) -> dict[str, Any]:
        import tenacity

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            cause = exc.__cause__ if exc else None  # the SDK exception, which carries the response headers
            return retry_delay(state.attempt_number, _retry_after_of(cause) if isinstance(cause, Exception) else None)

        def log_retry(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.warning("transport error (%s); retry %d/%d in %.1fs", exc, state.attempt_number,
                        self.max_retries, state.next_action.sleep if state.next_action else 0.0)

        return {
            "retry": tenacity.retry_if_exception(lambda e: isinstance(e, errors.BackendError) and e.retryable),
            "stop": tenacity.stop_after_attempt(self.max_retries + 1),
            "wait": wait,
            "before_sleep": log_retry,
            "reraise": True,  # the caller sees our typed error, not tenacity's RetryError
        }

    def complete(self, request: ChatRequest) -> Completion:
        import tenacity

        retrying = tenacity.Retrying(sleep=self._sleep, **self._retry_policy())
        resp = retrying(self._create, request)
        return self._completion(resp, retrying.statistics.get("attempt_number", 1) - 1)

    async def acomplete(self, request: ChatRequest) -> Completion:
        import asyncio

        import tenacity

        async def sleep(seconds: float) -> None:
            if self._sleep is time.sleep:
                await asyncio.sleep(seconds)
            else:  # an injected clock (tests) decides how waiting looks
                self._sleep(seconds)

        retrying = tenacity.AsyncRetrying(sleep=sleep, **self._retry_policy())
        resp: Any = await retrying(self._acreate, request)
        return self._completion(resp, retrying.statistics.get("attempt_number", 1) - 1)


def _retry_after_of(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return parse_retry_after(dict(headers) if headers is not None else None)


def translate_error(exc: Exception, secrets: tuple[str, ...] = ()) -> errors.BackendError:
    """Map an ``openai`` SDK exception to one of ours. Never includes the API key (nor ``secrets``)."""
    import openai

    def _redact(text: str) -> str:
        return _redact_all(text, secrets)

    request_id = getattr(exc, "request_id", None)
    if isinstance(exc, errors.BackendError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return errors.BackendTimeoutError(
            "the model server did not answer in time; raise --timeout or check the server", retryable=True
        )
    if isinstance(exc, openai.APIConnectionError):
        return errors.BackendConnectionError(
            f"cannot reach the model server ({_redact(str(exc))}); check --base-url / OPENAI_BASE_URL",
            retryable=True,
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _redact(_short(exc))
        if status in (401, 403):
            return errors.AuthenticationError(
                f"the server rejected the API key (HTTP {status}); set OPENAI_API_KEY or --api-key",
                status_code=status,
                request_id=request_id,
            )
        if status == 429:
            return errors.RateLimitError(
                f"rate limited (HTTP 429): {detail}", status_code=status, retryable=True, request_id=request_id
            )
        return errors.BackendError(
            f"model server error (HTTP {status}): {detail}",
            status_code=status,
            retryable=status in RETRYABLE_STATUS,
            request_id=request_id,
        )
    return errors.BackendError(f"unexpected error talking to the model: {_redact(repr(exc))}")


def _short(exc: Exception, limit: int = 300) -> str:
    text = str(getattr(exc, "message", "") or exc)
    return text if len(text) <= limit else text[:limit] + "…"


_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9_\-\.]{8,})")


def _redact(text: str) -> str:
    return _KEYLIKE.sub("[redacted]", text)


def _redact_all(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _redact(text)


def _known_context_window(model: str) -> int:
    m = model.lower()
    if m.startswith(("gpt-4o", "gpt-4.1", "o1", "o3", "o4", "gpt-5")):
        return 128_000
    if m.startswith("gpt-4-turbo"):
        return 128_000
    if m.startswith("gpt-3.5"):
        return 16_000
    return 8_192  # a conservative default for unknown OpenAI-compatible servers

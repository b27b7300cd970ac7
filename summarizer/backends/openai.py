"""The Chat Completions protocol, through the ``openai`` SDK.

:class:`OpenAIBackend` speaks to OpenAI, vLLM, Ollama or a llama.cpp server.
It is also the one boundary where SDK exceptions become
:mod:`summarizer.errors` types (:func:`translate_error`), with API keys
redacted. The SDK itself is imported on first use, not with this module.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from .. import errors
from ..config import check_endpoint, is_openai_url
from ..redaction import redact
from ..settings import DEFAULT_MAX_RETRIES, DEFAULT_OPENAI_MODEL, FALLBACK_CONTEXT_WINDOW, from_environment
from .base import ChatRequest, Completion, Usage
from .retry import RETRYABLE_STATUS, async_retrying, retries_made, retrying

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

ResponseFormat = Literal["auto", "json_schema", "json_object_schema", "json_object", "none"]


class OpenAIBackend:
    """Chat Completions through the ``openai`` SDK, with our own transport retries.

    ``response_format`` picks how structured output is requested:

    * ``json_schema``: OpenAI's strict structured outputs;
    * ``json_object_schema``: ``{"type": "json_object", "schema": ...}``, which
      llama.cpp's server enforces (it rejects ``json_schema`` with HTTP 500);
    * ``json_object`` / ``none``: plain JSON mode / nothing, validated afterwards;
    * ``auto`` (default): ``json_schema`` and, if the server rejects that form,
      fall back to ``json_object_schema`` for the rest of this backend's life.

    As in the openai SDK, ``api_key`` and ``base_url`` left None are read from ``OPENAI_API_KEY`` and
    ``OPENAI_BASE_URL`` (:func:`summarizer.settings.from_environment`); OpenAI's own API without a key is a :class:`~summarizer.errors.ConfigError`.
    Retries are ours (``max_retries``): a ``client`` you pass is used as
    ``client.with_options(max_retries=0)``, so one failing call is never retried twice over.
    """

    name = "openai"

    def __init__(
        self,
        model: str = DEFAULT_OPENAI_MODEL,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 120.0,
        max_retries: int = DEFAULT_MAX_RETRIES,
        response_format: ResponseFormat = "auto",
        context_window: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
    ) -> None:
        self.model = model
        # From make_backend both come resolved; built in code, a missing one is read from the environment.
        self.base_url = from_environment("base_url", base_url or None)
        self._api_key = from_environment("api_key", api_key or None)
        if client is None and async_client is None:
            check_endpoint(self._api_key, self.base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.response_format: ResponseFormat = response_format
        self.context_window = context_window or known_context_window(model)
        self._sleep = sleep
        self._client = _without_retries(client)
        self._async_client = _without_retries(async_client)
        self._own_sync = client is None  # our own clients answer sync calls through the async path
        self._own_async = async_client is None
        self._async_loop: Any = None  # the event loop our own async client was built on

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIBackend(model={self.model!r}, base_url={self.base_url!r})"

    def _key(self) -> str:
        # A key-less local server still needs some string: the SDK refuses to build a client without one.
        return self._api_key or ("" if is_openai_url(self.base_url) else "not-needed")

    # -- clients are built lazily so importing summarizer stays cheap
    def _sync(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._key(),
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=0,  # retries are ours, see summarizer.backends.retry
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
                api_key=self._key(),
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
        kw: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in request.messages]}
        if is_reasoning_model(self.model):
            # o-series and gpt-5 reject max_tokens and any temperature but the default.
            kw["max_completion_tokens"] = request.max_tokens
        else:
            kw["max_tokens"] = request.max_tokens
            kw["temperature"] = request.temperature
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

    # -- one HTTP call each, translated into our errors; the retry policy wraps them

    def _create(self, request: ChatRequest) -> Any:
        """One HTTP call; a rejected json_schema form is re-sent as json_object."""
        while True:
            try:
                return self._sync().chat.completions.create(**self._kwargs(request, self.response_format))
            except Exception as exc:
                if not self._downgrade(exc):
                    raise self._explain(translate_error(exc, secrets=self._secrets())) from exc

    async def _acreate(self, request: ChatRequest) -> Any:
        while True:
            try:
                return await self._async().chat.completions.create(**self._kwargs(request, self.response_format))
            except Exception as exc:
                if not self._downgrade(exc):
                    raise self._explain(translate_error(exc, secrets=self._secrets())) from exc

    def _explain(self, error: errors.BackendError) -> errors.BackendError:
        """Name the model in a 404, with the models the server lists (when it answers /models quickly)."""
        if not isinstance(error, errors.UnknownModelError):
            return error
        available: tuple[str, ...] = ()
        try:
            import openai

            lister = openai.OpenAI(api_key=self._key(), base_url=self.base_url, timeout=5.0, max_retries=0)
            available = tuple(sorted(m.id for m in lister.models.list()))
        except Exception:  # the listing is a hint only; the 404 is the error
            log.debug("could not list the server's models", exc_info=True)
        listed = f"; the server offers: {', '.join(available[:20])}" if available else ""
        return errors.UnknownModelError(
            f"the server has no model {self.model!r} (HTTP 404){listed}. Check --model / SUMMARIZER_MODEL"
            f"{'' if available else ', and that --base-url / OPENAI_BASE_URL ends in /v1'}",
            available=available, status_code=error.status_code, request_id=error.request_id,
        )

    # -- deadlines: ``timeout`` bounds each attempt from request to last byte (the SDK's own timeout
    # is per socket read, so a server dripping bytes could hold one forever), and one answer with
    # its retries and waits takes at most (max_retries + 1) x timeout.

    @property
    def budget(self) -> float:
        """Seconds one answer may take in all, retries and waits included."""
        return self.timeout * (self.max_retries + 1)

    def complete(self, request: ChatRequest) -> Completion:
        if not self._own_sync:  # a client you passed: its own timeouts apply, per read
            retrier = retrying(self.max_retries, self._sleep, deadline=self.budget)
            resp = retrier(self._create, request)
            return self._completion(resp, retries_made(retrier))
        return _run_sync(self._sync_answer(request))

    async def _sync_answer(self, request: ChatRequest) -> Completion:
        try:
            return await self.acomplete(request)
        finally:  # this private event loop ends with the call: close the client we built on it
            if self._own_async and self._async_client is not None:
                client, self._async_client = self._async_client, None
                await client.close()

    async def acomplete(self, request: ChatRequest) -> Completion:
        retrier = async_retrying(self.max_retries, self._sleep, deadline=self.budget)
        resp: Any = await retrier(self._attempt, request, time.monotonic() + self.budget)
        return self._completion(resp, retries_made(retrier))

    async def _attempt(self, request: ChatRequest, ends_at: float) -> Any:
        """One attempt, cut at ``timeout`` (or where the answer's whole budget ends, if sooner)."""
        import asyncio

        seconds = min(self.timeout, ends_at - time.monotonic())
        try:
            return await asyncio.wait_for(self._acreate(request), max(0.001, seconds))
        except asyncio.TimeoutError:
            raise errors.BackendTimeoutError(
                f"the model server did not answer in time (within {seconds:.3g}s, --timeout {self.timeout:g}; "
                f"{self.budget:g}s in all with retries); raise --timeout or check the server",
                retryable=True,
            ) from None


def _run_sync(coro: Any) -> Any:
    """Run ``coro`` to the end from blocking code: on a private event loop, in a worker thread when
    this thread already runs one (a notebook)."""
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- SDK errors -> ours


def translate_error(exc: Exception, secrets: tuple[str, ...] = ()) -> errors.BackendError:
    """Map an ``openai`` SDK exception to one of ours. Never includes the API key (nor ``secrets``)."""
    import openai

    if isinstance(exc, errors.BackendError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return errors.BackendTimeoutError(
            "the model server did not answer in time; raise --timeout or check the server", retryable=True
        )
    if isinstance(exc, openai.APIConnectionError):
        reason = redact(str(exc), secrets)
        return errors.BackendConnectionError(
            f"cannot reach the model server ({reason}); check --base-url / OPENAI_BASE_URL", retryable=True
        )
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, secrets)
    return errors.BackendError(f"unexpected error talking to the model: {redact(repr(exc), secrets)}")


def _status_error(exc: Any, secrets: tuple[str, ...]) -> errors.BackendError:
    """An HTTP error status from the server (``openai.APIStatusError``) as one of ours."""
    status = exc.status_code
    request_id = getattr(exc, "request_id", None)
    detail = redact(_short(exc), secrets)
    if status in (401, 403):
        return errors.AuthenticationError(
            f"the server rejected the API key (HTTP {status}); check OPENAI_API_KEY / --api-key, "
            "and that --base-url / OPENAI_BASE_URL is the server the key belongs to",
            status_code=status,
            request_id=request_id,
        )
    if status == 404:
        return errors.UnknownModelError(
            f"not found (HTTP 404): {detail}; check --model / SUMMARIZER_MODEL and --base-url / OPENAI_BASE_URL",
            status_code=status, request_id=request_id,
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


def _short(exc: Exception, limit: int = 300) -> str:
    text = str(getattr(exc, "message", "") or exc)
    return text if len(text) <= limit else text[:limit] + "…"


def _without_retries(client: Any) -> Any:
    """``client`` with the SDK's own retries off: ours wrap every call (see the class docstring)."""
    if client is not None and getattr(client, "max_retries", None) and hasattr(client, "with_options"):
        return client.with_options(max_retries=0)
    return client


def is_reasoning_model(model: str) -> bool:
    """OpenAI's reasoning models (o1, o3, o4-mini, gpt-5...), which take ``max_completion_tokens``."""
    m = model.lower().rsplit("/", 1)[-1]
    if m.startswith("gpt-5"):
        return "chat" not in m  # gpt-5-chat-latest is a chat model and takes max_tokens
    return re.match(r"o\d", m) is not None


def known_context_window(model: str) -> int:
    """The context window of a known OpenAI model; a conservative 8,192 for anything else."""
    m = model.lower()
    if m.startswith(("gpt-4o", "gpt-4.1", "o1", "o3", "o4", "gpt-5")):
        return 128_000
    if m.startswith("gpt-4-turbo"):
        return 128_000
    if m.startswith("gpt-3.5"):
        return 16_000
    return FALLBACK_CONTEXT_WINDOW  # a conservative default for unknown OpenAI-compatible servers

"""Model calls with the answer cache and the run's accounting (calls, tokens, retries).

A cache hit means the model is not called at all. An answer is stored only once the pipeline has
parsed and validated it (:meth:`Caller.remember`), so a truncated or schema-breaking answer is asked
again next time instead of being replayed. The key holds everything that shapes an answer: the
backend, its server and response format, the model, its sampling settings, the prompt versions
and the request itself (messages, schema, max_tokens, temperature).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import prompts
from ..backends.base import ChatBackend, ChatRequest, Completion
from ..cache import Cache
from ..progress import ProgressEvent

log = logging.getLogger("summarizer.pipeline")

# Bumped when what an entry means changes: entries from before answers were validated are never read.
KEY_VERSION = "answers-v2"
# Backend attributes that change the answer to one request (absent ones are skipped).
_IDENTITY_ATTRS = ("name", "base_url", "response_format", "model", "seed", "repeat_penalty")

Progress = Callable[[str], None]


@dataclass
class RunState:
    """What one brief cost: summed over every call, re-asks included."""

    started: float = field(default_factory=time.perf_counter)
    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    model: str = ""


class Caller:
    """Sends requests to one backend, through the cache, counting into a :class:`RunState`."""

    def __init__(self, backend: ChatBackend, cache: Cache | None, progress: Progress, concurrency: int) -> None:
        self.backend = backend
        self.cache = cache
        self.progress = progress
        self.concurrency = max(1, concurrency)
        # One semaphore per event loop: a Pipeline may serve several asyncio.run() calls in turn.
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary())

    def key(self, request: ChatRequest) -> str:
        """The cache key of ``request`` sent to this backend."""
        from . import requests  # the prompt names; imported here because requests imports this package

        identity = {a: str(getattr(self.backend, a)) for a in _IDENTITY_ATTRS if hasattr(self.backend, a)}
        versions = {name: prompts.version(name) for name in requests.PROMPT_NAMES}
        return Cache.key(KEY_VERSION, json.dumps(identity, sort_keys=True), json.dumps(versions, sort_keys=True),
                         request.key_material())

    def cached(self, request: ChatRequest, state: RunState) -> Completion | None:
        if self.cache is None:
            return None
        key = self.key(request)
        hit = _entry(self.cache.get(key))
        if hit is None:
            return None
        state.cache_hits += 1
        state.model = state.model or hit.model
        self.progress(f"{request.purpose}: cached answer")
        return hit

    def remember(self, request: ChatRequest, completion: Completion) -> None:
        """Store ``completion`` as the answer to ``request``; call it only once the answer validated."""
        if self.cache is None or completion.cached or completion.finish_reason != "stop" or completion.refusal:
            return
        self.cache.put(self.key(request), {
            "text": completion.text, "finish_reason": completion.finish_reason, "model": completion.model,
            "valid": True,
        })

    def record(self, request: ChatRequest, completion: Completion, state: RunState) -> Completion:
        state.llm_calls += 1
        state.prompt_tokens += completion.usage.prompt_tokens
        state.completion_tokens += completion.usage.completion_tokens
        state.retries += completion.retries
        state.model = completion.model or state.model
        tokens = state.prompt_tokens + state.completion_tokens
        self.progress(ProgressEvent(
            f"{request.purpose}: answered ({completion.usage.prompt_tokens}+{completion.usage.completion_tokens} "
            "tokens)", stage=request.purpose, done=state.llm_calls, tokens=tokens))
        return completion

    def call(self, request: ChatRequest, state: RunState) -> Completion:
        cached = self.cached(request, state)
        if cached is not None:
            return cached
        self.progress(ProgressEvent(f"{request.purpose}: asking {self.backend.model}", stage=request.purpose))
        return self.record(request, self.backend.complete(request), state)

    async def acall(self, request: ChatRequest, state: RunState) -> Completion:
        cached = self.cached(request, state)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.concurrency)
        async with semaphore:
            self.progress(ProgressEvent(f"{request.purpose}: asking {self.backend.model}", stage=request.purpose))
            completion = await self.backend.acomplete(request)
        return self.record(request, completion, state)


def _entry(value: Any) -> Completion | None:
    """A cache entry as a completion; an entry of the wrong shape is a miss, with a warning."""
    if value is None:
        return None
    if (not isinstance(value, dict) or value.get("valid") is not True or not isinstance(value.get("text"), str)
            or not isinstance(value.get("finish_reason", "stop"), str) or not isinstance(value.get("model", ""), str)):
        log.warning("ignoring a cache entry of the wrong shape (%s); asking the model again",
                    type(value).__name__ if not isinstance(value, dict) else f"keys {sorted(value)[:5]}")
        return None
    return Completion(text=value["text"], finish_reason=value.get("finish_reason", "stop"),
                      model=value.get("model", ""), cached=True)

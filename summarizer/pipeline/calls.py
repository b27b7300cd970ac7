"""Model calls with the answer cache and the run's accounting (calls, tokens, retries).

A cache hit means the model is not called at all. Only finished answers are stored; a cut-off
or refused one is asked again next time.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from ..backends.base import ChatBackend, ChatRequest, Completion
from ..cache import Cache

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
        return Cache.key(getattr(self.backend, "name", "?"), self.backend.model, request.key_material())

    def cached(self, request: ChatRequest, state: RunState) -> Completion | None:
        if self.cache is None:
            return None
        hit = self.cache.get(self.key(request))
        if hit is None:
            return None
        state.cache_hits += 1
        state.model = state.model or hit.get("model", "")
        self.progress(f"{request.purpose}: cached answer")
        return Completion(text=hit["text"], finish_reason=hit.get("finish_reason", "stop"),
                          model=hit.get("model", ""), cached=True)

    def record(self, request: ChatRequest, completion: Completion, state: RunState) -> Completion:
        state.llm_calls += 1
        state.prompt_tokens += completion.usage.prompt_tokens
        state.completion_tokens += completion.usage.completion_tokens
        state.retries += completion.retries
        state.model = completion.model or state.model
        if self.cache is not None and completion.finish_reason == "stop" and not completion.refusal:
            self.cache.put(self.key(request), {
                "text": completion.text, "finish_reason": completion.finish_reason, "model": completion.model,
            })
        return completion

    def call(self, request: ChatRequest, state: RunState) -> Completion:
        cached = self.cached(request, state)
        if cached is not None:
            return cached
        self.progress(f"{request.purpose}: asking {self.backend.model}")
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
            self.progress(f"{request.purpose}: asking {self.backend.model}")
            completion = await self.backend.acomplete(request)
        return self.record(request, completion, state)

"""Fake backends for tests: yours and ours.

``FakeBackend`` replays a script of answers (strings, dicts, ``Completion``
objects or exceptions) and records every request in ``.requests``.
``FunctionBackend`` calls a function you give it. Neither touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .base import ChatRequest, Completion, Usage


def _as_completion(item: Any, request: ChatRequest) -> Completion:
    if isinstance(item, BaseException):
        raise item
    if isinstance(item, Completion):
        return item
    text = item if isinstance(item, str) else json.dumps(item)
    prompt_chars = sum(len(m.get("content", "")) for m in request.messages)
    # A rough, deterministic token count so usage sums can be asserted.
    return Completion(text=text, usage=Usage(prompt_chars // 4, len(text) // 4), model="fake")


class FakeBackend:
    """Replays ``script`` in order; raises ``AssertionError`` when it runs out."""

    name = "fake"

    def __init__(self, script: Iterable[Any] = (), *, model: str = "fake", context_window: int = 32_000) -> None:
        self.script = list(script)
        self.requests: list[ChatRequest] = []
        self.model = model
        self.context_window = context_window

    def enqueue(self, *items: Any) -> None:
        self.script.extend(items)

    def complete(self, request: ChatRequest) -> Completion:
        self.requests.append(request)
        if not self.script:
            raise AssertionError(f"FakeBackend script exhausted at request {len(self.requests)} ({request.purpose})")
        return _as_completion(self.script.pop(0), request)

    async def acomplete(self, request: ChatRequest) -> Completion:
        return self.complete(request)

    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // 4)


class FunctionBackend:
    """Answers each request with ``fn(request)``; records requests like ``FakeBackend``."""

    name = "function"

    def __init__(
        self, fn: Callable[[ChatRequest], Any], *, model: str = "function", context_window: int = 32_000
    ) -> None:
        self.fn = fn
        self.requests: list[ChatRequest] = []
        self.model = model
        self.context_window = context_window

    def complete(self, request: ChatRequest) -> Completion:
        self.requests.append(request)
        return _as_completion(self.fn(request), request)

    async def acomplete(self, request: ChatRequest) -> Completion:
        return self.complete(request)

    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // 4)

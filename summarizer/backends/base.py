"""The one seam between the pipeline and a language model.

A backend turns a :class:`ChatRequest` (messages plus an optional JSON schema)
into a :class:`Completion`. Backends own *transport* retries (429, 5xx,
timeouts, dropped connections; see :mod:`summarizer.backends.retry`); the
pipeline owns *validation* re-asks. The two budgets never mix.

This module is cheap to import: no SDK, no model, no tokenizer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


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

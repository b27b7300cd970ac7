"""Build the backend a :class:`~summarizer.config.Config` asks for.

Each backend's module (and so the ``openai`` SDK or ``llama_cpp``) is imported
only when that backend is chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..settings import DEFAULT_OPENAI_MODEL
from .base import ChatBackend

Progress = Callable[[str], None]


def make_backend(config: Config, progress: Progress | None = None) -> ChatBackend:
    """Build the backend the configuration asks for (local unless a key or base URL is set)."""
    if config.resolved_backend == "extractive":
        from .extractive import ExtractiveBackend

        return ExtractiveBackend()
    if config.resolved_backend == "openai":
        from .openai import OpenAIBackend

        return OpenAIBackend(
            model=config.model or DEFAULT_OPENAI_MODEL,
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=config.max_retries,
            response_format=config.response_format,  # type: ignore[arg-type]
            context_window=config.context_window,
        )
    from .local import LocalBackend

    return LocalBackend(
        model=config.local_model,
        model_path=config.model_path,
        threads=config.threads,
        threads_batch=config.threads_batch,
        n_ctx=config.context_window,
        cache_dir=config.cache_dir,
        progress=progress,
    )

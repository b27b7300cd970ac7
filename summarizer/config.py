"""Configuration, resolved once at the edge: flag > environment variable > default.

Library functions take explicit arguments (a :class:`Config` or a backend); only
:func:`resolve` reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError

BackendName = Literal["auto", "openai", "local"]

# name -> (environment variable, help). The CLI's --help and the README use this table.
ENV_VARS: dict[str, tuple[str, str]] = {
    "backend": ("SUMMARIZER_BACKEND", "auto (local unless an API key or base URL is set), openai, or local"),
    "model": ("SUMMARIZER_MODEL", "model name for the OpenAI-protocol backend (default gpt-4o-mini)"),
    "api_key": ("OPENAI_API_KEY", "API key for OpenAI or a compatible server"),
    "base_url": ("OPENAI_BASE_URL", "base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1"),
    "local_model": ("SUMMARIZER_LOCAL_MODEL", "embedded model: qwen2.5-1.5b (default) or qwen2.5-0.5b"),
    "model_path": ("SUMMARIZER_MODEL_PATH", "path to any GGUF chat model for the local backend"),
    "cache_dir": ("SUMMARIZER_CACHE_DIR", "where model outputs and assembled weights are cached"),
    "response_format": ("SUMMARIZER_RESPONSE_FORMAT", "auto, json_schema, json_object_schema, json_object or none"),
    "threads": ("SUMMARIZER_THREADS", "CPU threads for the local model (default: all cores)"),
    "timeout": ("SUMMARIZER_TIMEOUT", "seconds to wait for one model answer"),
}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "summarizer"


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know. Build it with :func:`resolve` or directly."""

    backend: BackendName = "auto"
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    base_url: str | None = None
    local_model: str = "qwen2.5-1.5b"
    model_path: str | None = None
    response_format: str = "auto"
    timeout: float = 300.0
    max_retries: int = 4  # transport retries, per call
    max_reasks: int = 1  # validation re-asks, per brief
    threads: int | None = None
    concurrency: int = 4
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    context_budget: int | None = None  # tokens of article text per call; None = from the model
    max_output_tokens: int = 900
    prices: Mapping[str, tuple[float, float]] | None = None  # model -> (USD per 1M input, per 1M output)

    @property
    def resolved_backend(self) -> Literal["openai", "local"]:
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.api_key or self.base_url) else "local"

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)


_CASTS = {"timeout": float, "threads": int, "cache_dir": Path}


def resolve(flags: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from flags (highest precedence), then env vars, then defaults."""
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Config)}
    for name in known:
        if name in flags:
            values[name] = flags[name]
        elif name in ENV_VARS and env.get(ENV_VARS[name][0]):
            values[name] = env[ENV_VARS[name][0]]
    unknown = set(flags) - known
    if unknown:
        raise ConfigError(f"unknown configuration option(s): {', '.join(sorted(unknown))}")
    for name, cast in _CASTS.items():
        if name in values and not isinstance(values[name], cast):
            try:
                values[name] = cast(values[name])
            except ValueError as exc:
                raise ConfigError(f"{name}={values[name]!r} is not valid: {exc}") from None
    if values.get("backend", "auto") not in ("auto", "openai", "local"):
        raise ConfigError(f"backend must be auto, openai or local, not {values['backend']!r}")
    cfg = Config(**values)
    if cfg.resolved_backend == "openai" and not cfg.api_key and not cfg.base_url:
        raise ConfigError(
            "the openai backend needs an API key or a base URL: set OPENAI_API_KEY (or --api-key), "
            "or OPENAI_BASE_URL (or --base-url) for a local server"
        )
    return cfg

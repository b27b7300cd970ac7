"""Configuration, resolved once at the edge: flag > environment variable > default.

Library functions take explicit arguments (a :class:`Config` or a backend); only
:func:`resolve` reads the ``SUMMARIZER_*`` variables. ``OPENAI_API_KEY`` and
``OPENAI_BASE_URL`` follow the openai SDK instead: a :class:`Config` (or an
``OpenAIBackend``) built without them reads them from the environment.

A :class:`Config` is checked when it is built, so a bad value fails before any
model call, naming the setting and what it accepts.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from .cache import default_cache_dir
from .errors import ConfigError
from .pricing import parse_prices

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
    "threads": ("SUMMARIZER_THREADS", "CPU threads for the local model (default: the cores free at each call)"),
    "threads_batch": ("SUMMARIZER_THREADS_BATCH", ("CPU threads for the local model's prompt processing "
                      "(default: the same as threads)")),
    "timeout": ("SUMMARIZER_TIMEOUT", ("deadline in seconds for each attempt at a model answer, first byte "
                "to last (default 300); retries included, one answer takes at most (retries + 1) x TIMEOUT")),
    "max_reasks": ("SUMMARIZER_MAX_REASKS", "validation re-asks per brief (default 1)"),
    "max_output_tokens": ("SUMMARIZER_MAX_OUTPUT_TOKENS", "most tokens the model may write per answer"),
    "context_window": ("SUMMARIZER_CONTEXT_WINDOW", "the model's context window in tokens, for models we don't know"),
    "prices": ("SUMMARIZER_PRICES", 'JSON {"model": [usd_per_1M_in, usd_per_1M_out]} overriding the cost table'),
}

# Settings with a closed set of values; the CLI's choices are these same tuples.
CHOICES: dict[str, tuple[str, ...]] = {
    "backend": ("auto", "openai", "local"),
    "response_format": ("auto", "json_schema", "json_object_schema", "json_object", "none"),
    "synthesis": ("facts", "articles"),
}
# Numeric settings -> the smallest value that makes sense (timeout must be above it, the rest at least it).
MINIMUMS: dict[str, float] = {
    "timeout": 0.0, "max_retries": 0, "max_reasks": 0, "threads": 1, "threads_batch": 1, "concurrency": 1,
    "max_output_tokens": 1, "context_window": 256, "context_budget": 1,
}


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
    threads: int | None = None  # generation threads (llama.cpp n_threads)
    threads_batch: int | None = None  # prompt-processing threads (n_threads_batch); None = threads
    concurrency: int = 4
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    context_budget: int | None = None  # tokens of article text per call; None = from the model
    max_output_tokens: int = 1200
    # "facts": the model fuses a fact sheet chosen by code (the default); "articles": it reads whole
    # articles (map-reduce when they do not fit), kept for comparison and for clusters with no facts.
    synthesis: Literal["facts", "articles"] = "facts"
    prices: Mapping[str, tuple[float, float]] | None = None  # model -> (USD per 1M input, per 1M output)
    context_window: int | None = None  # tokens; None = known for the model, else 8,192

    def __post_init__(self) -> None:
        # The openai SDK's convention: an explicit value beats the environment, which beats the default.
        for name, var in (("api_key", "OPENAI_API_KEY"), ("base_url", "OPENAI_BASE_URL")):
            if getattr(self, name) is None and os.environ.get(var):
                object.__setattr__(self, name, os.environ[var])
        check(self)

    @property
    def resolved_backend(self) -> Literal["openai", "local"]:
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.api_key or self.base_url) else "local"

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)


def setting_name(name: str) -> str:
    """How a person sets ``name``: its flag and its environment variable (or the Config field)."""
    ways = [] if name in _NO_FLAG else ["--" + name.replace("_", "-")]
    ways += [ENV_VARS[name][0]] if name in ENV_VARS else []
    return " / ".join(ways or [f"Config.{name}"])


_NO_FLAG = frozenset({"prices", "max_retries", "context_budget"})  # settings the CLI has no flag for


def check(cfg: Config) -> None:
    """Raise :class:`ConfigError` naming the first setting whose value is not allowed, and what is."""
    for name, allowed in CHOICES.items():
        if getattr(cfg, name) not in allowed:
            raise ConfigError(f"{setting_name(name)} must be one of {', '.join(allowed)}, not {getattr(cfg, name)!r}")
    for name, low in MINIMUMS.items():
        value = getattr(cfg, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{setting_name(name)} must be a number, not {value!r}")
        if value < low or (name == "timeout" and value == low):
            bound = f"above {low:g}" if name == "timeout" else f"at least {low:g}"
            raise ConfigError(f"{setting_name(name)} must be {bound}, not {value!r}")
    if cfg.prices is not None:
        parse_prices(cfg.prices, source=setting_name("prices"))
    if os.environ.get("SUMMARIZER_PRICES"):  # read again when costs are counted: fail now, not after the call
        parse_prices(os.environ["SUMMARIZER_PRICES"])


_CASTS: dict[str, Any] = {
    "timeout": float, "threads": int, "threads_batch": int, "cache_dir": Path, "max_reasks": int, "max_output_tokens": int,
    "context_window": int, "prices": parse_prices,
}


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
        if name in values and isinstance(values[name], str):
            try:
                values[name] = cast(values[name])
            except ValueError as exc:
                raise ConfigError(f"{setting_name(name)}={values[name]!r} is not valid: {exc}") from None
    timeout = values.get("timeout")
    if isinstance(timeout, float) and not math.isfinite(timeout):  # NaN passes every "> 0" test
        raise ConfigError(f"{setting_name('timeout')} must be a finite number of seconds above 0, not {timeout!r}")
    cfg = Config(**values)  # checks every value
    if cfg.resolved_backend == "openai" and not cfg.api_key and not cfg.base_url:
        raise ConfigError(
            "the openai backend needs an API key or a base URL: set OPENAI_API_KEY (or --api-key), "
            "or OPENAI_BASE_URL (or --base-url) for a local server"
        )
    if cfg.resolved_backend == "openai":
        check_endpoint(cfg.api_key, cfg.base_url)
    return cfg


def is_openai_url(base_url: str | None) -> bool:
    """True for OpenAI's own API (``None`` is the SDK's default, which is OpenAI)."""
    if not base_url:
        return True
    host = (urlparse(base_url).hostname or "").lower()
    return host == "openai.com" or host.endswith(".openai.com")


def check_endpoint(api_key: str | None, base_url: str | None) -> None:
    """OpenAI's API always needs a key; only other servers may go without one."""
    if not api_key and is_openai_url(base_url):
        raise ConfigError(
            f"OpenAI's API ({base_url or 'the default base URL'}) needs an API key: set OPENAI_API_KEY or "
            "--api-key (api_key=...), or point OPENAI_BASE_URL / --base-url at your own server"
        )

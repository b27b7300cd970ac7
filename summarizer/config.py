"""Configuration, resolved once at the edge: flag > environment variable > default.

Every setting (its field, variable, flag, help, choices, cast and bounds) is a row of
:data:`summarizer.settings.SETTINGS`. Library functions take explicit arguments (a :class:`Config`
or a backend); :func:`resolve` reads the ``SUMMARIZER_*`` variables, and both :func:`summarize` and
``Pipeline()`` call it when given no Config. ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and
``SUMMARIZER_PRICES`` are also read by a :class:`Config` built in code without them (the openai SDK's
convention), through the same rule, :func:`summarizer.settings.from_environment`.

A :class:`Config` is checked when it is built, so a bad value fails before any model call, naming
the setting's flag and variable and what it accepts.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from .cache import default_cache_dir
from .errors import ConfigError
from .pricing import parse_prices
from .settings import (
    DEFAULT_CONCURRENCY,
    DEFAULT_LOCAL_MODEL,
    DEFAULT_MAX_OUTPUT_TOKENS,
    DEFAULT_MAX_REASKS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    SETTINGS,
    from_environment,
    setting_name,
)

BackendName = Literal["auto", "openai", "local", "extractive"]

# Kept for callers of the old names; all three are views of the settings table.
ENV_VARS: dict[str, tuple[str, str]] = {s.field: (s.env, s.help) for s in SETTINGS if s.env}
CHOICES: dict[str, tuple[str, ...]] = {s.field: s.choices for s in SETTINGS if s.choices}
MINIMUMS: dict[str, float] = {s.field: s.minimum for s in SETTINGS if s.minimum is not None}

# Set while resolve() builds a Config from the environment it was given (see Config.__post_init__).
_RESOLVED: contextvars.ContextVar[bool] = contextvars.ContextVar("summarizer_config_resolved", default=False)

@dataclass(frozen=True)
class Config:
    """Everything a run needs to know. Build it with :func:`resolve` or directly."""

    backend: BackendName = "auto"
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    base_url: str | None = None
    local_model: str = DEFAULT_LOCAL_MODEL
    model_path: str | None = None
    response_format: str = "auto"
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES  # transport retries, per call
    max_reasks: int = DEFAULT_MAX_REASKS  # validation re-asks, per brief
    threads: int | None = None  # generation threads (llama.cpp n_threads)
    threads_batch: int | None = None  # prompt-processing threads (n_threads_batch); None = threads
    concurrency: int = DEFAULT_CONCURRENCY
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    context_budget: int | None = None  # tokens of article text per call; None = from the model
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS
    # "facts": the model fuses a fact sheet chosen by code (the default); "articles": it reads whole
    # articles (map-reduce when they do not fit), kept for comparison and for clusters with no facts.
    synthesis: Literal["facts", "articles"] = "facts"
    # With a fact sheet, what the model writes: "prose" (a headline and one paragraph; code cites it and
    # writes the rest) or "json" (the whole draft, citations, key points, stances and topics included).
    draft: Literal["prose", "json"] = "prose"
    prices: Mapping[str, tuple[float, float]] | None = None  # model -> (USD per 1M input, per 1M output)
    context_window: int | None = None  # tokens; None = known for the model, else 8,192
    # Whether resolve() made it (from the environment it was given); set in __post_init__.
    _resolved: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A Config built in code still follows OPENAI_API_KEY / OPENAI_BASE_URL (and SUMMARIZER_PRICES)
        # when it is not given them, like the openai SDK; an explicit value beats the environment.
        # resolve() has read its own environment already (which need not be os.environ).
        object.__setattr__(self, "_resolved", _RESOLVED.get())
        for setting in SETTINGS:
            if setting.read_in_code and not self._resolved:
                object.__setattr__(self, setting.field, from_environment(setting.field, getattr(self, setting.field)))
        check(self)

    @property
    def resolved_backend(self) -> Literal["openai", "local", "extractive"]:
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.api_key or self.base_url) else "local"

    def with_(self, **changes: Any) -> Config:
        """A copy with ``changes``; a Config that resolve() made reads no environment again."""
        token = _RESOLVED.set(self._resolved)
        try:
            return replace(self, **changes)
        finally:
            _RESOLVED.reset(token)


def check(cfg: Config) -> None:
    """Raise :class:`ConfigError` naming the first setting whose value is not allowed, and what is."""
    for setting in SETTINGS:
        setting.check(getattr(cfg, setting.field))
    if cfg.prices is not None:
        parse_prices(cfg.prices, source=setting_name("prices"))


def resolve(flags: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from flags (highest precedence), then env vars, then defaults.

    ``flags`` maps Config fields to values; None means "not given". A string is cast as the setting's
    variable would be, so the command line hands over its flags as typed.
    """
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    known = {f.name for f in fields(Config) if f.init}
    unknown = set(flags) - known
    if unknown:
        raise ConfigError(f"unknown configuration option(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = flags.get(setting.field)
        if isinstance(value, str):
            value = setting.parse(value)
        value = from_environment(setting.field, value, env)
        if value is not None:
            values[setting.field] = value
    token = _RESOLVED.set(True)
    try:
        cfg = Config(**values)  # checks every value
    finally:
        _RESOLVED.reset(token)
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

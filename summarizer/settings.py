"""Every setting, once: its Config field, environment variable, flag, help, choices, cast and bounds.

:data:`SETTINGS` is the one table. The command line's options (:mod:`summarizer.cli.parser`), the
flag-to-config mapping, the ``--help`` environment section, the README's configuration table, the
checks in :func:`summarizer.config.check` and the tests' environment isolation are all built from it,
so a setting added here appears everywhere at once. Defaults that other modules need are the named
constants below; nothing else writes them out.

Precedence (flag > environment variable > default) is :func:`from_environment`: an explicit value
wins, and a variable is read only when the value is None.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .backends.weights import DEFAULT_MODEL, MODELS
from .errors import ConfigError
from .pricing import parse_prices

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"  # for the OpenAI-protocol backend when no model is named
DEFAULT_LOCAL_MODEL = DEFAULT_MODEL  # the embedded model
LOCAL_MODELS = tuple(MODELS)  # the embedded models a name may choose
DEFAULT_TIMEOUT = 300.0  # seconds per attempt at a model answer
DEFAULT_MAX_RETRIES = 4  # transport retries per call
DEFAULT_MAX_REASKS = 1  # validation re-asks per brief
DEFAULT_CONCURRENCY = 4  # model calls (and batch clusters) in flight at once
DEFAULT_MAX_OUTPUT_TOKENS = 1200
FALLBACK_CONTEXT_WINDOW = 8_192  # tokens, for a model whose window we don't know


@dataclass(frozen=True)
class Setting:
    """One row of the table. ``flags`` empty: no flag (``Config`` or the variable only); ``env`` None:
    no variable. ``minimum`` bounds a number (``above``: strictly); ``switch`` marks a flag that takes
    no value and sets the field to ``switch``. ``model_option`` puts the flag in every model command's
    ``model`` group; the others are added by the commands that have them. ``read_in_code``: a
    ``Config`` built in code reads the variable too (the openai SDK's convention, and the price table)."""

    field: str
    help: str
    env: str | None = None
    flags: tuple[str, ...] = ()
    cast: Callable[[str], Any] = str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    above: bool = False
    switch: bool | None = None
    model_option: bool = True
    read_in_code: bool = False

    @property
    def flag(self) -> str | None:
        """The long flag, as messages name it."""
        return self.flags[-1] if self.flags else None

    @property
    def name(self) -> str:
        """How a person sets it: ``--flag / ENV_VAR``, either alone, or ``Config.field``."""
        return " / ".join([w for w in (self.flag, self.env) if w] or [f"Config.{self.field}"])

    def parse(self, text: str) -> Any:
        """``text`` (a flag's or variable's string) as the field's type; a bad one is a ConfigError."""
        try:
            return self.cast(text)
        except ConfigError:
            raise
        except ValueError as exc:
            raise ConfigError(f"{self.name}={text!r} is not valid: {exc}") from None

    def check(self, value: Any) -> None:
        """Raise :class:`ConfigError` naming this setting if ``value`` is not one it accepts (None is)."""
        if value is None:
            return
        if self.choices is not None and value not in self.choices:
            raise ConfigError(f"{self.name} must be one of {', '.join(self.choices)}, not {value!r}")
        if self.minimum is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{self.name} must be a number, not {value!r}")
        if not math.isfinite(value):  # NaN passes every "> 0" test
            raise ConfigError(f"{self.name} must be a finite number, not {value!r}")
        if value < self.minimum or (self.above and value == self.minimum):
            bound = f"above {self.minimum:g}" if self.above else f"at least {self.minimum:g}"
            raise ConfigError(f"{self.name} must be {bound}, not {value!r}")


_BACKENDS = ("auto", "openai", "local", "extractive")
_FORMATS = ("auto", "json_schema", "json_object_schema", "json_object", "none")

# The model options in the order --help shows them; then the settings that only some commands or
# only Config have.
SETTINGS: tuple[Setting, ...] = (
    Setting("backend", "default: auto (local unless a key/base URL is set); extractive: no model, instant", "SUMMARIZER_BACKEND",
            ("--backend",), choices=_BACKENDS),
    Setting("model", f"model name for the OpenAI-protocol backend (default {DEFAULT_OPENAI_MODEL})",
            "SUMMARIZER_MODEL", ("-m", "--model")),
    Setting("base_url", "OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1", "OPENAI_BASE_URL",
            ("--base-url",), read_in_code=True),
    Setting("api_key", "API key (prefer the OPENAI_API_KEY variable)", "OPENAI_API_KEY", ("--api-key",),
            read_in_code=True),
    Setting("local_model", f"embedded model (default {DEFAULT_LOCAL_MODEL})", "SUMMARIZER_LOCAL_MODEL",
            ("--local-model",), choices=LOCAL_MODELS),
    Setting("model_path", "any GGUF chat model for the local backend", "SUMMARIZER_MODEL_PATH", ("--model-path",)),
    Setting("response_format", "how structured output is requested from the server (default auto)",
            "SUMMARIZER_RESPONSE_FORMAT", ("--response-format",), choices=_FORMATS),
    Setting("max_output_tokens", "most tokens the model may write per answer (raise it after a length error)",
            "SUMMARIZER_MAX_OUTPUT_TOKENS", ("--max-output-tokens",), int, minimum=1),
    Setting("context_window", "the model's context window in tokens (default: known models' own, else "
            f"{FALLBACK_CONTEXT_WINDOW})", "SUMMARIZER_CONTEXT_WINDOW", ("--context-window",), int, minimum=256),
    Setting("timeout", "deadline in seconds for each attempt at a model answer, first byte to last (default "
            f"{DEFAULT_TIMEOUT:g}); retries included, one answer takes at most (retries + 1) x TIMEOUT, "
            f"{DEFAULT_MAX_RETRIES + 1} x by default", "SUMMARIZER_TIMEOUT", ("--timeout",), float,
            minimum=0, above=True),
    Setting("threads", "CPU threads for the local model (default: the cores free at each call)",
            "SUMMARIZER_THREADS", ("--threads",), int, minimum=1),
    Setting("threads_batch", "CPU threads for the local model's prompt processing (default: --threads)",
            "SUMMARIZER_THREADS_BATCH", ("--threads-batch",), int, minimum=1),
    Setting("max_reasks", f"validation re-asks per brief (default {DEFAULT_MAX_REASKS})", "SUMMARIZER_MAX_REASKS",
            ("--max-reasks",), int, minimum=0),
    Setting("use_cache", "always call the model", flags=("--no-cache",), switch=False),
    Setting("cache_dir", "where model outputs and assembled weights are cached", "SUMMARIZER_CACHE_DIR", cast=Path),
    Setting("prices", 'JSON {"model": [usd_per_1M_in, usd_per_1M_out]} overriding the cost table',
            "SUMMARIZER_PRICES", cast=parse_prices, read_in_code=True),
    Setting("concurrency", f"model calls in flight at once (default {DEFAULT_CONCURRENCY})",
            flags=("--concurrency",), cast=int, minimum=1, model_option=False),
    Setting("max_retries", f"transport retries per call (default {DEFAULT_MAX_RETRIES})", cast=int, minimum=0),
    Setting("context_budget", "tokens of article text per call (default: from the model)", cast=int, minimum=1),
    Setting("synthesis", "facts: the model fuses a fact sheet; articles: it reads whole articles",
            choices=("facts", "articles")),
    Setting("draft", "prose: the model writes a headline and a paragraph, code the rest (default); json: the "
            "model writes the whole draft", "SUMMARIZER_DRAFT", ("--draft",), choices=("prose", "json")),
)
BY_FIELD: Mapping[str, Setting] = {s.field: s for s in SETTINGS}
MODEL_OPTIONS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.flags and s.model_option)
ENV_VARS: tuple[str, ...] = tuple(s.env for s in SETTINGS if s.env)


def setting_name(field: str) -> str:
    """How a person sets the Config field ``field``: its flag and its environment variable."""
    return BY_FIELD[field].name if field in BY_FIELD else f"Config.{field}"


def from_environment(field: str, value: Any = None, env: Mapping[str, str] | None = None) -> Any:
    """The one precedence rule: ``value`` unless it is None, else the setting's environment variable
    (cast to the field's type; unset or empty counts as unset), else None, which means the default.

    ``OpenAIBackend`` built in code takes its key and base URL through here too, so the openai SDK's
    convention (an explicit argument beats ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``) lives only here."""
    if value is not None:
        return value
    setting = BY_FIELD[field]
    text = (os.environ if env is None else env).get(setting.env) if setting.env else None
    return setting.parse(text) if text else None

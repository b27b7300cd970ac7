"""Estimated cost of a run for known OpenAI models.

Prices are USD per one million tokens (input, output). They change; override
them with ``Config.prices`` or the ``SUMMARIZER_PRICES`` environment variable
(JSON: ``{"model": [input, output]}``), which a :class:`~summarizer.config.Config`
reads when it is built; the pipeline passes ``Config.prices`` here as ``overrides``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError

PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


_PRICES_FORM = 'a JSON object {"model": [usd_per_1M_input, usd_per_1M_output]}'


def parse_prices(value: str | Mapping[str, Any], source: str = "SUMMARIZER_PRICES") -> dict[str, tuple[float, float]]:
    """A price table from JSON text (or a mapping); :class:`ConfigError` naming ``source`` if malformed."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source} is not valid JSON ({exc.msg}); it must be {_PRICES_FORM}") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source} must be {_PRICES_FORM}, not {type(data).__name__}")
    table: dict[str, tuple[float, float]] = {}
    for model, pair in data.items():
        ok = isinstance(pair, (list, tuple)) and len(pair) == 2
        if not ok or not all(isinstance(p, (int, float)) and not isinstance(p, bool) and p >= 0 for p in pair):
            raise ConfigError(f"{source}: {model!r} must map to two prices >= 0 (USD per 1M tokens), not {pair!r}")
        table[str(model)] = (float(pair[0]), float(pair[1]))
    return table


def price_table(overrides: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """The cost table: built-in prices, then ``overrides`` (``Config.prices``)."""
    table = dict(PRICES)
    if overrides:
        table.update(overrides)
    return table


def estimate_cost(
    model: str, prompt_tokens: int, completion_tokens: int, overrides: Mapping[str, tuple[float, float]] | None = None
) -> float | None:
    """USD estimate, or None for models not in the table (local models, unknown servers)."""
    table = price_table(overrides)
    price = table.get(model)
    if price is None:
        # dated snapshots such as gpt-4o-mini-2024-07-18 price like their family
        matches = [k for k in table if model.startswith(k + "-")]
        price = table[max(matches, key=len)] if matches else None
    if price is None:
        return None
    return round(prompt_tokens / 1e6 * price[0] + completion_tokens / 1e6 * price[1], 6)

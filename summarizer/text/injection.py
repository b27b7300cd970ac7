"""Instruction-like text ("ignore previous instructions") and prompt delimiters in article text.

Article text that talks to a language model is kept (it is the article) but flagged by
ingest; text in the brief's own voice that does so is dropped by the truth layer. Both use
:func:`injection_markers`, so they agree on what counts.
"""

from __future__ import annotations

import re
import unicodedata

_INJECTION = re.compile(
    r"\b(?:ignore|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding)\s+(?:instructions?|prompts?|messages?|directions|rules)"
    r"|\bdisregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+|preceding\s+)?"
    r"(?:instructions?|prompts?|rules)"
    r"|\bdisregard\s+(?:all\s+|the\s+|any\s+)?(?:above|previous|prior|preceding)\b"
    r"|\bsystem\s+prompt\b|\bas\s+an\s+ai\b|\bas\s+a\s+(?:large\s+)?language\s+model"
    r"|\byou\s+are\s+now\b|\bnew\s+instructions\s*:|\bdeveloper\s+mode|\bjailbreak"
    r"|<\|im_(?:start|end)\|>|\[/?INST\]|<<SYS>>|</?(?:system|assistant)>|^\s*(?:system|assistant)\s*:"
    r"|<(?:start|end)_of_turn>|</s>\s*<s>",
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


# Our block delimiters with any spacing inside, and the chat-template tokens of common models
# (ChatML <|im_start|>, <|endoftext|>, Llama 3 <|eot_id|>, Llama 2 [INST], <<SYS>>, <s>, </s>, Gemma
# <start_of_turn>, <end_of_turn>, <bos>), matched on NFKC-folded text so that full-width and other
# look-alike forms ("＜/article＞", "＜｜im_start｜＞") count too.
_DELIMITER = re.compile(
    r"<\s*/?\s*(?:article|facts)\b|<\s*\||\[\s*/?\s*INST\s*\]|<<\s*/?\s*SYS\s*>>"
    r"|<\s*/?\s*(?:start_of_turn|end_of_turn|bos|eos|s)\s*>|<\s*(?:start|end)_of_turn\b", re.IGNORECASE)


def neutralize_delimiters(text: str) -> str:
    """Article-derived text for a prompt: it cannot open or close an ``<article>`` or ``<facts>``
    block, nor imitate a chat-template token.

    Detection runs on the NFKC-folded text; only the opening bracket of each match changes (to
    ``‹``), so everything else in the text, full-width letters included, stays as written.
    """
    if not _DELIMITER.search(unicodedata.normalize("NFKC", text)):
        return text  # the common case: no per-character work
    # Fold character by character, so an offset in the folded text maps back to the original.
    origin: list[int] = []
    folded: list[str] = []
    for i, ch in enumerate(text):
        f = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        folded.append(f)
        origin.extend([i] * len(f))
    out = list(text)
    for m in _DELIMITER.finditer("".join(folded)):
        out[origin[m.start()]] = "‹"
    return "".join(out)


def neutralize_attribute(value: str) -> str:
    """Text for an attribute value in a prompt tag (``outlet="…"``): one line, delimiters
    neutralised, and no quote or angle bracket that could end the attribute or the tag."""
    text = " ".join(neutralize_delimiters(value).split())
    return text.replace('"', "'").replace("<", "‹").replace(">", "›")

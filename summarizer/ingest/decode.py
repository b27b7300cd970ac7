"""Bytes to text: the encodings article files come in, and refusing empty and binary files.

UTF-8 (with or without a BOM) and BOM-marked UTF-16 decode silently; anything else falls
back to cp1252, then latin-1, with a warning, because a wrong guess garbles non-ASCII text.
"""

from __future__ import annotations

import codecs
import logging

from ..errors import InputError

__all__ = ["decode_bytes"]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")


def _decode_utf16(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise InputError("starts with a UTF-16 byte order mark but is not valid UTF-16", path=name) from None
    if not text.strip():
        raise InputError("file is empty; give a file with article text", path=name)
    return text


def _refuse_empty_or_binary(data: bytes, name: str) -> None:
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):
        raise InputError("file is empty; give a file with article text", path=name)
    head = data[:8192]
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    if b"\x00" in head or controls > 0.1 * len(head):
        raise InputError(
            "looks like a binary file (NUL or control bytes), not article text; give a "
            ".txt, .md, .html, .json or .jsonl file",
            path=name,
        )


def decode_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes -> (text, warnings), or InputError for empty and binary files. Fallback decodes are warned."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, name), []
    _refuse_empty_or_binary(data, name)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    warning = (
        f"not valid UTF-8 (first bad byte at offset {bad}); decoded as {enc}, so check non-ASCII "
        "characters, or re-save the file as UTF-8"
    )
    log.warning("%s: %s", name, warning)
    return text, [warning]

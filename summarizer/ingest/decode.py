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


def _utf16_order(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes look like UTF-16 without a BOM (mostly-ASCII text has
    a NUL in every other byte, always on the same side), else None."""
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    odd = head[1::2].count(0) / pairs  # ASCII in little-endian: "a\0"
    even = head[0::2].count(0) / pairs
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _decode_utf16_without_bom(data: bytes, name: str, order: str) -> tuple[str, list[str]]:
    try:
        text = data.decode(order)
    except UnicodeDecodeError:
        raise InputError(f"looks like {order.upper()} text without a byte order mark, but is not valid "
                         "UTF-16; convert it to UTF-8", path=name) from None
    if not text.strip():
        raise InputError("file is empty; give a file with article text", path=name)
    warning = f"no byte order mark: read as {order.upper()} (it looks like UTF-16); re-save the file as UTF-8"
    log.warning("%s: %s", name, warning)
    return text, [warning]


def decode_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes -> (text, warnings), or InputError for empty and binary files. Fallback decodes are warned."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, name), []
    order = _utf16_order(data)
    if order is not None:  # before the binary check: its NULs are not binary
        return _decode_utf16_without_bom(data, name, order)
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

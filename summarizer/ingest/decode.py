"""Bytes to text: the encodings article files come in, and refusing empty and binary files.

UTF-8 (with or without a BOM) and BOM-marked UTF-16 decode silently. Anything else is a
guess, and is warned because a wrong guess garbles non-ASCII text: charset-normalizer names
the encoding when the bytes carry enough evidence (Cyrillic, Greek, Central European and CJK
code pages, which a cp1252 fallback turned into mojibake), else cp1252, then latin-1.
"""

from __future__ import annotations

import codecs
import logging

from ..errors import InputError

__all__ = ["decode_bytes"]

# Fewer non-ASCII bytes than this is too little evidence for detection: charset-normalizer
# reads "Café" or "naïve résumé" in cp1252 as UTF-16 or Urdu, where cp1252 is right. Measured
# on one-line samples in nine code pages; article files are far longer.
MIN_EVIDENCE_BYTES = 16
# Our own checks above handle UTF-16 (with or without a BOM); a guess of UTF-16/32 or UTF-7 for
# bytes that failed them is noise.
_NOT_GUESSED = ("utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7")

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


def _guess(data: bytes) -> tuple[str, str]:
    """(text, encoding) for bytes that are not UTF-8."""
    if sum(b >= 0x80 for b in data) >= MIN_EVIDENCE_BYTES:
        from charset_normalizer import from_bytes

        matches = from_bytes(data, cp_exclusion=list(_NOT_GUESSED))
        best = matches.best()
        if best is not None:
            # cp1252 when it reads the bytes as cleanly as the best guess: Western text with a few
            # accents can read as cp1250 too, which turns "naïve" into "naďve".
            # (charset-normalizer lists code pages that decode the bytes alike under one match.)
            if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos + 0.01 for m in matches):
                try:
                    return data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError:
                    pass
            return str(best), best.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


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
    text, enc = _guess(data)
    warning = (
        f"not valid UTF-8 (first bad byte at offset {bad}); decoded as {enc}, so check non-ASCII "
        "characters, or re-save the file as UTF-8"
    )
    log.warning("%s: %s", name, warning)
    return text, [warning]

"""Sentences and quoted spans: where a text's units begin and end."""

from __future__ import annotations

import bisect
import itertools
import re

from .lexicons import words as _wordlist

ABBREVIATIONS = _wordlist("abbreviations")
TOKEN_RE = re.compile(r"[^\W\d_][\w’'\-]*")
"""A word token that starts with a letter and may hold apostrophes and hyphens."""


_NEXT_CHAR = re.compile(r"[ \t]*(.?)", re.DOTALL)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence; a line break always ends one (headlines, captions).

    A ``.``, ``!`` or ``?`` ends a sentence when whitespace and a capital (or quote) follow and the
    word before is no abbreviation ("Sen. Markey", "U.S."); ``。？！`` always end one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+[”\"’')\]]*(?=\s)|[。？！]+[」』”\"’)\]]*|\n", text):
        if m.group() != "\n" and m.group()[0] not in "。？！":  # CJK full stops always end a sentence
            toks = TOKEN_RE.findall(text[max(start, m.start() - 20) : m.start()])
            last = toks[-1] if toks and text[m.start() - len(toks[-1]) : m.start()] == toks[-1] else ""
            if last.lower() in ABBREVIATIONS or (len(last) == 1 and last.isupper()):
                continue  # "Sen. Markey", "U.S. troops", "Kim Jong U. " -- not an end
            after = _NEXT_CHAR.match(text, m.end())  # no slice of the rest of the text: linear
            nxt = after.group(1) if after else ""
            if nxt and not (nxt.isupper() or nxt in "“\"‘'([\n"):
                continue  # "October. 26" or "e.g. the"
        end = m.end() if m.group() != "\n" else m.start()
        _add_span(text, start, end, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` indices of the quotation marks of each quoted span, in text order.

    Pairs “…”, „…“, «…», straight "…" (paired in order within a line) and ‘…’ (only where
    the closing ’ is not an apostrophe). A quote never crosses a line break: news style
    leaves a multi-paragraph quote open at the paragraph end, and such spans are skipped.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        spans.extend((line_start + o, line_start + c) for o, c in _line_quote_spans(line))
        line_start += len(line) + 1
    return sorted(spans)


def _line_quote_spans(line: str) -> list[tuple[int, int]]:
    doubles: list[tuple[int, int]] = []
    opener: tuple[int, str] | None = None
    for i, ch in enumerate(line):
        if ch in "“«„" and not (opener and opener[1] == "„" and ch == "“"):
            opener = (i, ch)  # an earlier opener left unclosed is dropped
        elif opener and (ch in "”»" or (ch == "“" and opener[1] == "„")):
            doubles.append((opener[0], i))
            opener = None
    straight = [i for i, ch in enumerate(line) if ch == '"']
    doubles.extend(zip(straight[0::2], straight[1::2]))
    doubles.sort()
    # Drop spans nested in others (a straight pair inside curly quotes, etc.): one sweep in start
    # order, comparing with the furthest close among spans that start strictly earlier.
    outer: list[tuple[int, int]] = []
    furthest, pending, pending_start = -1, -1, -1
    for o, c in doubles:
        if o != pending_start:
            furthest, pending_start = max(furthest, pending), o
        if not c < furthest:
            outer.append((o, c))
        pending = max(pending, c)
    starts = [o for o, _ in outer]
    reach = list(itertools.accumulate((c for _, c in outer), max))  # furthest close up to each span
    singles: list[tuple[int, int]] = []
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’\n]{2,300}?)’(?![^\W_])", line):
        o, c = m.start(), m.end() - 1
        i = bisect.bisect_left(starts, o)  # spans starting before o
        if not (i and reach[i - 1] > o):
            singles.append((o, c))
    return sorted(outer + singles)


def unquoted(text: str) -> str:
    """``text`` with every quoted span blanked out (same length, so offsets still hold)."""
    chars = list(text)
    for o, c in quote_spans(text):
        for i in range(o, c + 1):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")
_NUMERAL_AFTER = re.compile(r"[A-Z][a-z]+\s+$")  # "World War I", "Phase I": a numeral, not a speaker


def first_person(text: str) -> bool:
    """Whether ``text`` speaks in the first person outside its quotations ("I'm glad", "our caucus"):
    a speaker's words, which in a report stand inside quotation marks with the speaker named."""
    bare = unquoted(text)
    return any(m.group() != "I" or not _NUMERAL_AFTER.search(bare[: m.start()]) for m in _FIRST_PERSON.finditer(bare))

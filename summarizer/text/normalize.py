"""Typographic normalisation with offsets: compare texts that differ only in quote marks,
dashes and spacing, and map a match back to the original characters."""

from __future__ import annotations

import functools
import unicodedata

_CHAR_MAP = {
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‟": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "′": "'",
    "‛": "'",
    "`": "'",
    "—": "-",
    "–": "-",
    "‒": "-",
    "−": "-",
    "‐": "-",
    "‑": "-",
    "―": "-",
    "…": "...",
    "\u00a0": " ",
    "\u200b": "",
}


def norm_map(text: str, casefold: bool = False) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index in ``text`` it came from."""
    out: list[str] = []
    idx: list[int] = []
    for i, raw in enumerate(text):
        rep = _CHAR_MAP.get(raw)
        if rep is None:
            rep = unicodedata.normalize("NFKC", raw) if ord(raw) > 127 else raw
        for ch in rep:
            if ch.isspace():
                # Collapse runs of whitespace; drop it next to a dash ("Images — if" == "Images-if").
                if not out or out[-1] in " -":
                    continue
                ch = " "
            elif ch == "-" and out and out[-1] == " ":
                out.pop()
                idx.pop()
            out.append(ch.lower() if casefold else ch)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def normalize(text: str, *, casefold: bool = False) -> str:
    """Text with quote marks straightened, dashes unified, ``…`` as ``...`` and whitespace collapsed."""
    return norm_map(text, casefold)[0]


@functools.lru_cache(maxsize=256)
def folded(text: str) -> tuple[str, list[int]]:
    """:func:`norm_map` with case folding, cached: for article texts searched many times."""
    return norm_map(text, True)

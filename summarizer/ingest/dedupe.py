"""Near-duplicate articles (wire copies): word 5-gram shingles and their Jaccard similarity.

Copies are marked with ``duplicate_of``, never dropped, so a reader can see that two
outlets ran the same wire text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..schema.article import Article

__all__ = ["DUPLICATE_THRESHOLD", "SHINGLE_SIZE", "find_duplicates", "mark_duplicates"]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")

DUPLICATE_THRESHOLD = 0.8
"""Jaccard similarity of word 5-gram shingles at or above which two articles are copies."""

SHINGLE_SIZE = 5

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_SIZE:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + SHINGLE_SIZE])) for i in range(len(words) - SHINGLE_SIZE + 1))


def find_duplicates(articles: Iterable[Article], threshold: float = DUPLICATE_THRESHOLD) -> dict[str, str]:
    """Map each near-duplicate article's id to the id of the earliest article it copies.

    Similarity is the Jaccard index of word 5-gram shingles. Each article is compared only
    with earlier originals, so a chain of copies all point at the first one.
    """
    originals: list[tuple[str, frozenset[int]]] = []
    result: dict[str, str] = {}
    for art in articles:
        sh = _shingles(art.text)
        if not sh:
            continue
        for oid, osh in originals:
            small, large = sorted((len(sh), len(osh)))
            if small < threshold * large:  # Jaccard <= small/large: cannot reach the threshold
                continue
            inter = len(sh & osh)
            if inter >= threshold * (len(sh) + len(osh) - inter):
                result[art.id] = oid
                break
        else:
            originals.append((art.id, sh))
    return result


def mark_duplicates(articles: list[Article], threshold: float = DUPLICATE_THRESHOLD) -> list[Article]:
    """Return copies of ``articles`` with ``duplicate_of`` set (and cleared) from :func:`find_duplicates`."""
    dups = find_duplicates(articles, threshold)
    marked = []
    for art in articles:
        dup_of = dups.get(art.id)
        if dup_of:
            log.warning(
                "article %s (%s) is a near-duplicate of %s", art.id, art.source_path or "record", dup_of
            )
        marked.append(art.model_copy(update={"duplicate_of": dup_of}))
    return marked

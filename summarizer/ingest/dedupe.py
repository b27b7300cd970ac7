"""Near-duplicate articles (wire copies): word 5-gram shingles and their Jaccard similarity.

Copies are marked with ``duplicate_of``, never dropped, so a reader can see that two
outlets ran the same wire text.

Finding them does not compare every pair: each article's MinHash signature is cut into bands,
and only articles that share a band with it (locality-sensitive hashing) are compared, exactly,
by Jaccard. With 32 bands of 4 hashes a pair at the 0.8 threshold shares no band with odds of
about 1 in 20 million, so the copies found are those an all-pairs scan finds, in linear time.
The LSH is a few lines of NumPy rather than a dependency (datasketch): the exact check stays
ours, and a bucket can be capped, which a pile of thousands of look-alikes needs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import numpy as np

from ..schema.article import Article

__all__ = ["DUPLICATE_THRESHOLD", "SHINGLE_SIZE", "find_duplicates", "mark_duplicates"]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")

DUPLICATE_THRESHOLD = 0.8
"""Jaccard similarity of word 5-gram shingles at or above which two articles are copies."""

SHINGLE_SIZE = 5

_WORD = re.compile(r"\w+")

BANDS, ROWS = 32, 4  # MinHash bands x hashes per band: P(miss at Jaccard 0.8) = (1 - 0.8**4)**32 ~ 5e-8
MAX_BUCKET = 64  # originals kept per band value: a bigger pile is one flood of look-alikes, not news
MAX_CHECKS = 256  # exact comparisons per article at most, earliest candidates first
_SEEDS = np.random.default_rng(0x5EED).integers(1, 2**63, size=(2, BANDS * ROWS), dtype=np.uint64)
_MASKS, _MULTIPLIERS = _SEEDS[0], _SEEDS[1] | np.uint64(1)  # odd: x -> m * x mod 2**64 is a permutation


def _shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_SIZE:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + SHINGLE_SIZE])) for i in range(len(words) - SHINGLE_SIZE + 1))


def _bands(shingles: frozenset[int]) -> list[tuple[int, bytes]]:
    """(band number, band value) of the MinHash signature of ``shingles``."""
    hashes = np.fromiter(shingles, dtype=np.int64, count=len(shingles)).view(np.uint64)
    with np.errstate(over="ignore"):  # multiplication mod 2**64 is the point
        signature = ((hashes[None, :] ^ _MASKS[:, None]) * _MULTIPLIERS[:, None]).min(axis=1)
    return [(b, signature[b * ROWS : (b + 1) * ROWS].tobytes()) for b in range(BANDS)]


def find_duplicates(articles: Iterable[Article], threshold: float = DUPLICATE_THRESHOLD) -> dict[str, str]:
    """Map each near-duplicate article's id to the id of the earliest article it copies.

    Similarity is the Jaccard index of word 5-gram shingles. Each article is compared only
    with earlier originals, so a chain of copies all point at the first one; only originals
    that share an LSH band with it are compared (see the module docstring), earliest first.
    The bands are tuned for thresholds of 0.8 and up; at 0.6 about 1 pair in 80 would be missed.
    """
    originals: list[tuple[str, frozenset[int]]] = []
    buckets: dict[tuple[int, bytes], list[int]] = {}
    result: dict[str, str] = {}
    for art in articles:
        sh = _shingles(art.text)
        if not sh:
            continue
        bands = _bands(sh)
        candidates = sorted({k for band in bands for k in buckets.get(band, ())})[:MAX_CHECKS]
        for k in candidates:
            oid, osh = originals[k]
            small, large = sorted((len(sh), len(osh)))
            if small < threshold * large:  # Jaccard <= small/large: cannot reach the threshold
                continue
            inter = len(sh & osh)
            if inter >= threshold * (len(sh) + len(osh) - inter):
                result[art.id] = oid
                break
        else:
            for band in bands:
                bucket = buckets.setdefault(band, [])
                if len(bucket) < MAX_BUCKET:
                    bucket.append(len(originals))
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

"""Ingest: turn files, folders, stdin and records into clean :class:`Article` objects.

``load_articles`` accepts plain text / Markdown (title on the first line that is
not navigation), HTML, JSON (an object, a list, or a cluster with ``articles``),
JSONL (records or cluster lines) and iterables of dict records. Every article is
cleaned of navigation and boilerplate *line by line*: a line is removed only when
it matches a rule that a story sentence cannot match, because a lost sentence is
worse than leftover boilerplate. Metadata (title, author, date, outlet, language)
is taken from the record or the page, else from the lines that were removed
(bylines, "Posted ..." lines, copyright notices). Near-duplicates (wire copies)
are marked with ``duplicate_of``; nothing is dropped silently.

===============  ===============================================================
module           job
===============  ===============================================================
``load``         paths, folders, stdin; txt/md/html/json/jsonl and cluster files;
                 ``load_articles``, ``load_clusters``
``decode``       bytes to text: encodings, refusing empty and binary files
``html``         HTML pages to text plus ``<meta>`` and JSON-LD metadata
``records``      one text or dict record to an :class:`Article`: ids, record
                 fields, size and injection warnings
``cleaning``     ``clean``: boilerplate removal, then metadata from removed lines
``lines``        the line model: splitting, normalising, comparing, rejoining
``boilerplate``  the removal rules, as a table of (name, test, why)
``metadata``     dates, outlets, bylines, datelines; reading the removed lines
``dedupe``       shingles, ``find_duplicates``, ``mark_duplicates``
``tables``       the boilerplate table in ``summarizer/data/`` (outlets: ``text.outlets``)
``gather``       command-line inputs (files, folders, feeds, URLs) to articles
``feeds``        RSS and Atom feeds to articles
``fetch``        polite HTTP fetching of pages and feeds (robots.txt, size and time caps)
===============  ===============================================================

Every module logs to the one ``summarizer.ingest`` logger.
"""

from __future__ import annotations

from ..text.outlets import outlet_for_url, outlet_tables
from .cleaning import Cleaned, clean, clean_text
from .dedupe import DUPLICATE_THRESHOLD, find_duplicates, mark_duplicates
from .load import load_articles, load_clusters
from .metadata import parse_date
from .records import MAX_ARTICLE_BYTES
from .tables import boilerplate_tables

# The names the single-module ingest had for its data tables, kept so that code reaching for
# them (tests/test_ingest.py checks the tables ship as package data) keeps working.
_boilerplate = boilerplate_tables
_outlets = outlet_tables

__all__ = [
    "DUPLICATE_THRESHOLD",
    "MAX_ARTICLE_BYTES",
    "Cleaned",
    "clean",
    "clean_text",
    "find_duplicates",
    "load_articles",
    "load_clusters",
    "mark_duplicates",
    "outlet_for_url",
    "parse_date",
]

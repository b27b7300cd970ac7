"""Reading input: paths, folders, stdin and records, in the formats articles come in.

Plain text / Markdown, HTML, JSON (an object, a list, or a cluster with ``articles``) and
JSONL (records or cluster lines) are told apart by file suffix, else by sniffing the text.
Errors name the file (and line); a folder skips a bad file with a warning, never quietly.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError, SeveralStoriesError
from ..jsoninput import parse_json
from ..schema.article import Article, Cluster
from .decode import decode_bytes
from .dedupe import mark_duplicates
from .html import parse_html
from .records import ArticleIds, article_from_record, build_article, expand_records

__all__ = [
    "ARTICLE_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "TEXT_SUFFIXES",
    "load_articles",
    "load_clusters",
]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES


def _json_lines(text: str, name: str) -> list[tuple[int, Any]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, parse_json(line)))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"line {n}: not valid JSON ({exc.msg}, column {exc.colno}); each line must be one "
                "JSON object",
                path=name,
            ) from None
    return rows


def _sniff(text: str) -> str:
    head = text.lstrip()[:2000].lower()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(?:body|article|p|div)\b", head):
        return "html"
    return "text"


def _kind_for(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return _sniff(text)


def _with_warnings(articles: list[Article], warnings: list[str]) -> list[Article]:
    """File-level warnings (a fallback decoding) belong to every article read from the file."""
    for art in articles:
        art.warnings.extend(w for w in warnings if w not in art.warnings)
    return articles


def _load_json(text: str, *, name: str, ids: ArticleIds, source_path: str | None) -> list[Article]:
    """A JSON document of records; several objects one per line are read as JSONL."""
    try:
        obj = parse_json(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one per line: read it as JSONL
            return _load_jsonl(text, name=name, ids=ids, source_path=source_path)
        raise InputError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", path=name
        ) from None
    if isinstance(obj, list):
        _one_story(obj, name)
    return expand_records(obj, path=name, loc="record", ids=ids, source_path=source_path)


def _one_story(objs: list[Any], name: str) -> None:
    """One brief is one story: several clusters in one file are a batch, never merged into one brief."""
    clusters = sum(1 for o in objs if isinstance(o, Mapping) and isinstance(o.get("articles"), list))
    if clusters > 1:
        raise SeveralStoriesError(
            f"holds {clusters} story clusters; a brief covers one story. Summarize them all with "
            f"`summarizer batch {name} -o briefs.jsonl`, or load them with load_clusters()",
            path=name,
        )


def _load_jsonl(text: str, *, name: str, ids: ArticleIds, source_path: str | None) -> list[Article]:
    out: list[Article] = []
    rows = _json_lines(text, name)
    _one_story([obj for _, obj in rows], name)
    for n, obj in rows:
        out.extend(expand_records(obj, path=name, loc=f"line {n}", ids=ids, source_path=source_path))
    return out


def _load_text(
    text: str,
    *,
    name: str,
    kind: str,
    ids: ArticleIds,
    stem: str | None,
    warnings: list[str],
    source_path: str | None,
) -> list[Article]:
    """Articles in ``text`` read as ``kind`` ("jsonl", "json", "html" or "text")."""
    if kind == "jsonl":
        return _with_warnings(_load_jsonl(text, name=name, ids=ids, source_path=source_path), warnings)
    if kind == "json":
        return _with_warnings(_load_json(text, name=name, ids=ids, source_path=source_path), warnings)
    meta: dict[str, Any] | None = None
    take_title = True  # plain text: the first line is the headline
    if kind == "html":
        text, meta = parse_html(text)
        take_title = meta["title"] is None
    return [
        build_article(
            text,
            where=name,
            ids=ids,
            id_hint=stem,
            meta=meta,
            take_title=take_title,
            warnings=warnings,
            source_path=source_path,
        )
    ]


def _load_file(path: Path, ids: ArticleIds) -> list[Article]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=name) from None
    text, warnings = decode_bytes(data, name)
    return _load_text(
        text,
        name=name,
        kind=_kind_for(path, text),
        ids=ids,
        stem=path.stem,
        warnings=warnings,
        source_path=name,
    )


def _load_dir(path: Path, ids: ArticleIds) -> list[Article]:
    """Article files under ``path`` in name order; other files are skipped with a warning."""
    out: list[Article] = []
    skipped: list[str] = []
    for f in sorted(path.rglob("*")):
        rel = f.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            log.info("skipping hidden %s", f)
            continue
        if f.is_dir():
            continue
        if not f.is_file():  # a FIFO, socket or device: reading it would block or never end
            log.warning("skipping %s: not a regular file", f)
            skipped.append(f"{rel}: not a regular file")
            continue
        if f.suffix.lower() not in ARTICLE_SUFFIXES:
            log.warning("skipping %s: not an article file (%s)", f, f.suffix or "no extension")
            skipped.append(f"{rel}: not an article file")
            continue
        try:
            out.extend(_load_file(f, ids))
        except InputError as exc:
            # One bad file should not sink a folder of good ones, but it is never skipped quietly.
            log.warning("skipping %s", exc)
            skipped.append(str(exc))
    if not out:
        detail = f" (skipped: {'; '.join(skipped[:5])})" if skipped else ""
        raise InputError(
            f"folder has no article files (.txt, .md, .html, .json, .jsonl){detail}", path=str(path)
        )
    return out


def _stdin_bytes(stream: TextIO) -> bytes:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return bytes(buffer.read())
    # A text stream with no bytes under it (StringIO): undecodable bytes it carries as surrogates go back.
    return stream.read().encode("utf-8", "surrogateescape")


def _load_stdin(stdin: TextIO | None, ids: ArticleIds) -> list[Article]:
    """Stdin goes through the same decoding and binary detection as a file (``cat /bin/ls | ...``)."""
    data = _stdin_bytes(stdin if stdin is not None else sys.stdin)
    if not data.strip():
        raise InputError("stdin is empty; pipe article text, HTML or JSON into it", path="<stdin>")
    text, warnings = decode_bytes(data, "<stdin>")
    return _load_text(
        text, name="<stdin>", kind=_sniff(text), ids=ids, stem=None, warnings=warnings, source_path="<stdin>"
    )


def _load_source(source: Any, ids: ArticleIds, stdin: TextIO | None) -> list[Article]:
    """One argument of :func:`load_articles`: "-", a path, a record, or an iterable of records."""
    if isinstance(source, str) and source == "-":
        return _load_stdin(stdin, ids)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            return _load_dir(path, ids)
        if path.is_file():
            return _load_file(path, ids)
        raise InputError("no such file or folder; check the path", path=str(path))
    if isinstance(source, Mapping):
        return expand_records(source, path="<records>", loc="record 1", ids=ids, source_path=None)
    if isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
        out: list[Article] = []
        for n, rec in enumerate(source, 1):
            out.extend(expand_records(rec, path="<records>", loc=f"record {n}", ids=ids, source_path=None))
        return out
    raise InputError(f"cannot read a {type(source).__name__}: pass a path, '-', or dict records")


def load_articles(*sources: Any, stdin: TextIO | None = None) -> list[Article]:
    """Load, clean and de-duplicate articles from paths, folders, "-" (stdin) or dict records.

    Each source is a file or folder path (str or Path), "-" for ``stdin`` (default
    ``sys.stdin``), a dict record, or an iterable of dict records / cluster objects.
    Ids are unique within the call. Raises :class:`InputError` naming the file (and line)
    for empty, binary, malformed or text-less input; a folder skips such files with a
    logged warning and fails only when nothing is left.
    """
    if not sources:
        raise InputError("no input given: pass article files, a folder, '-' for stdin, or records")
    ids = ArticleIds()
    articles: list[Article] = []
    for source in sources:
        articles.extend(_load_source(source, ids, stdin))
    if not articles:
        raise InputError("no articles found in the given input")
    return mark_duplicates(articles)


def _cluster_rows(p: Path, text: str, name: str) -> tuple[list[tuple[int, Any]], str]:
    """(numbered cluster objects, "item" or "line"): a JSON list of clusters, else JSONL."""
    if p.suffix.lower() in JSON_SUFFIXES and text.lstrip().startswith("["):
        try:
            return list(enumerate(parse_json(text), 1)), "item"
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})", path=name) from None
    return _json_lines(text, name), "line"


def _check_cluster(obj: Any, *, name: str, at: str) -> None:
    """InputError unless ``obj`` is a cluster object with an id and a non-empty articles list."""
    if not isinstance(obj, Mapping):
        raise InputError(f"{at}: expected a cluster object, got {type(obj).__name__}", path=name)
    missing = [k for k in ("id", "articles") if obj.get(k) in (None, "")]
    if missing:
        raise InputError(
            f"{at}: cluster is missing required field(s) {', '.join(missing)} (a cluster "
            'is {"id", "title", "articles": [...], "reference": {...}})',
            path=name,
        )
    if not isinstance(obj["articles"], list) or not obj["articles"]:
        raise InputError(f"{at}: cluster {obj['id']!r} has no articles (need a non-empty list)", path=name)


def _cluster(obj: Mapping[str, Any], *, name: str, at: str, file_warnings: list[str]) -> Cluster:
    ids = ArticleIds()  # article ids are unique within their cluster, not across the file
    arts = [
        article_from_record(a, path=name, loc=f"{at}, article {i}", ids=ids, source_path=name)
        for i, a in enumerate(obj["articles"], 1)
    ]
    reference, title = obj.get("reference"), obj.get("title")
    return Cluster(
        id=str(obj["id"]),
        title=title if isinstance(title, str) else "",
        articles=mark_duplicates(_with_warnings(arts, file_warnings)),
        reference=dict(reference) if isinstance(reference, Mapping) else None,
        meta={k: v for k, v in obj.items() if k not in ("id", "title", "articles", "reference")},
    )


def load_clusters(path: str | Path) -> list[Cluster]:
    """Load story clusters from a JSONL file (one cluster a line) or a JSON list of clusters.

    Each cluster needs ``id`` and a non-empty ``articles`` list; each article needs text.
    ``title`` and ``reference`` are optional; other keys (topic, date) go to ``meta``.
    Errors name the file and line. Article ids are unique within their cluster.
    """
    p = Path(path)
    name = str(p)
    if not p.is_file():
        raise InputError("no such cluster file; check the path", path=name)
    text, file_warnings = decode_bytes(p.read_bytes(), name)
    rows, unit = _cluster_rows(p, text, name)
    clusters: list[Cluster] = []
    seen: set[str] = set()
    for n, obj in rows:
        _check_cluster(obj, name=name, at=f"{unit} {n}")
        cid = str(obj["id"])
        if cid in seen:
            log.warning("%s: cluster id %r appears more than once", f"{name}: {unit} {n}", cid)
        seen.add(cid)
        clusters.append(_cluster(obj, name=name, at=f"{unit} {n}", file_warnings=file_warnings))
    if not clusters:
        raise InputError("file has no clusters; expected one JSON cluster object per line", path=name)
    return clusters

"""What a batch reads, and who each cluster is: cluster files, bad lines, and identity keys.

A cluster's identity is the exact JSON value of its id: ``5`` and ``"5"`` are two clusters, and
a batch output line records the id as that same JSON value. A line (or array item) that cannot
become a cluster and has no id of its own is known by its position, ``line:N`` / ``item:N``, a
key that no JSON value encodes to, so no real id can collide with it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import errors
from ..jsoninput import parse_json
from ..schema.article import Cluster

# A cluster whose id is not a JSON string carries its key here (Cluster.id is a str).
KEY_META = "_summarizer_batch_key"


def id_key(cluster_id: Any) -> str:
    """The identity key of an id: its exact JSON encoding (``'5'`` for 5, ``'"5"'`` for "5")."""
    return json.dumps(cluster_id, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class BadRecord:
    """An input line that could not become a cluster; it is recorded as failed.

    ``cluster_id`` is for people (its id, or ``line-N``); ``key`` is its identity: ``id_key`` of
    its id, or ``line:N`` / ``item:N`` when it has none. ``position`` is that line or item number.
    """

    cluster_id: str
    error: errors.InputError
    key: str = ""
    position: tuple[str, int] | None = None  # ("line" | "item", number) for a record without an id

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", id_key(self.cluster_id))


def item_key(item: Cluster | BadRecord) -> str:
    """The identity key of a cluster or bad record."""
    if isinstance(item, BadRecord):
        return item.key
    return str(item.meta.get(KEY_META) or id_key(item.id))


def record_key(record: dict[str, Any]) -> str:
    """The identity key of a line of a batch output or failures file."""
    if record.get("cluster_id") is None:
        for unit in ("line", "item"):
            if isinstance(record.get(f"input_{unit}"), int):
                return f"{unit}:{record[f'input_{unit}']}"
    return id_key(record["cluster_id"])


def id_fields(key: str) -> dict[str, Any]:
    """What an output line says about who it is: ``{"cluster_id": <JSON value>}``, or
    ``{"cluster_id": None, "input_line": N}`` for a bad line with no id."""
    unit, _, number = key.partition(":")
    if unit in ("line", "item") and number.isdigit():
        return {"cluster_id": None, f"input_{unit}": int(number)}
    return {"cluster_id": json.loads(key)}


def cluster_from_record(obj: Any, *, path: str, at: str) -> Cluster:
    """One cluster object (a JSONL line or JSON array item) as a Cluster; InputError naming file and line."""
    from ..ingest.dedupe import mark_duplicates
    from ..ingest.records import ArticleIds, article_from_record

    where = f"{path}: {at}"
    if not isinstance(obj, dict):
        raise errors.InputError(f"expected a cluster object, got {type(obj).__name__}", path=where)
    missing = [k for k in ("id", "articles") if obj.get(k) in (None, "", [])]
    if missing:
        raise errors.InputError(
            f"cluster is missing required field(s) {', '.join(missing)}; a cluster line is "
            '{"id", "title", "articles": [{"id", "source", "title", "url", "text"}, ...]}',
            path=where,
        )
    if not isinstance(obj["articles"], list):
        raise errors.InputError("'articles' must be a list of article objects", path=where)
    ids = ArticleIds()  # article ids are unique within their cluster
    articles = [article_from_record(a, path=path, loc=f"{at}, article {i}", ids=ids, source_path=path)
                for i, a in enumerate(obj["articles"], 1)]
    reference = obj.get("reference")
    meta = {k: v for k, v in obj.items() if k not in ("id", "title", "articles", "reference", KEY_META)}
    if not isinstance(obj["id"], str):
        meta[KEY_META] = id_key(obj["id"])
    return Cluster(
        id=str(obj["id"]),
        title=obj["title"] if isinstance(obj.get("title"), str) else "",
        articles=mark_duplicates(articles),
        reference=reference if isinstance(reference, dict) else None,
        meta=meta,
    )


def _item(obj: Any, *, path: str, unit: str, n: int) -> Cluster | BadRecord:
    try:
        return cluster_from_record(obj, path=path, at=f"{unit} {n}")
    except errors.InputError as exc:
        if isinstance(obj, dict) and obj.get("id") not in (None, ""):
            return BadRecord(str(obj["id"]), exc, id_key(obj["id"]))
        return BadRecord(f"{unit}-{n}", exc, f"{unit}:{n}", (unit, n))


def read_clusters(path: str | os.PathLike[str]) -> Iterator[Cluster | BadRecord]:
    """Clusters from a cluster JSONL file (or a JSON array of clusters); a bad one becomes a :class:`BadRecord`.

    Unlike :func:`summarizer.ingest.load_clusters`, one bad line or item does not stop the rest:
    a batch records it as failed and goes on. A missing or unreadable file raises InputError.
    """
    p = Path(path)
    if not p.is_file():
        raise errors.InputError("no such cluster file; check the path", path=str(p))
    with open(p, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):  # a JSON array of clusters: read whole, then item by item
        from ..ingest.decode import decode_bytes

        text, _ = decode_bytes(p.read_bytes(), str(p))
        try:
            items = parse_json(text)
        except json.JSONDecodeError as exc:
            raise errors.InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})", path=str(p)) from None
        for n, obj in enumerate(items, 1):
            yield _item(obj, path=str(p), unit="item", n=n)
        return
    with open(p, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = parse_json(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
            except UnicodeDecodeError:
                error = errors.InputError("line is not UTF-8 text; re-save the file as UTF-8", path=f"{p}: line {n}")
            except json.JSONDecodeError as exc:
                error = errors.InputError(
                    f"not valid JSON ({exc.msg}, column {exc.colno}); each line must be one cluster object",
                    path=f"{p}: line {n}")
            else:
                yield _item(obj, path=str(p), unit="line", n=n)
                continue
            yield BadRecord(f"line-{n}", error, f"line:{n}", ("line", n))

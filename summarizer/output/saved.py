"""Saved briefs read back and rendered again: a brief as ``summarize -f json`` wrote it, or a
``briefs.jsonl`` as ``batch`` and ``digest`` write it (one ``{"cluster_id": ..., "brief": {...}}`` a line).

``summarizer render`` uses these: one brief becomes one Markdown, HTML or JSON document; a briefs
file becomes one file per brief in a folder, named by
:func:`page_name` (the cluster id when it is a plain name, else a hash of
it), so no name taken from the data can reach outside that folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..atomic import write_text
from ..errors import InputError
from ..jsoninput import parse_json
from ..schema.brief import StoryBrief
from .render import Format, render

__all__ = ["SavedBrief", "brief_file_name", "page_name", "read_brief", "read_saved", "write_briefs"]

log = logging.getLogger(__name__)

_PLAIN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


def page_name(cluster_id: str) -> str:
    """The file name of a story's page in ``stories/``: the id itself when it is a plain name (the ids
    :func:`~summarizer.stories.cluster.cluster_articles` makes are), else ``story-<hash of the id>``.

    An id is data (a caller's clusters, a cluster file): ``../../x``, ``/abs/x``, a NUL or 300
    characters must neither write outside the site nor fail the run.
    """
    if _PLAIN_ID.fullmatch(cluster_id):
        return f"{cluster_id}.html"
    return f"story-{hashlib.sha256(cluster_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.html"


def read_brief(path: str | Path) -> StoryBrief:
    """A brief as ``summarize -f json`` wrote it; :class:`~summarizer.errors.InputError` naming the file if not."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the brief ({getattr(exc, 'strerror', None) or exc})", path=name) from None
    return _parse_brief(text, name)


def _parse_brief(text: str, name: str) -> StoryBrief:
    try:
        return StoryBrief.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        at = ".".join(str(p) for p in first.get("loc", ())) or "the top level"
        raise InputError(f"not a story brief in JSON, as `summarizer summarize -f json` writes it ({at}: "
                         f"{first.get('msg')})", path=name) from None


@dataclass(frozen=True)
class SavedBrief:
    """One brief read back; ``cluster_id`` is None for a lone brief file, else the batch line's id."""

    cluster_id: str | None
    brief: StoryBrief


def _is_batch_line(line: str) -> bool:
    try:
        obj = parse_json(line)
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and "brief" in obj and "cluster_id" in obj


def read_saved(path: str | os.PathLike[str]) -> list[SavedBrief]:
    """The briefs in ``path``: one for a brief JSON file, one per line for a batch's briefs file (the
    last line of a cluster id wins, as a retried brief is appended after the first). A partial last
    line, left by an interrupted batch, is skipped with a warning. Raises :class:`InputError` naming
    the file (and line) when it is neither."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({getattr(exc, 'strerror', None) or exc})", path=name) from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines or not _is_batch_line(lines[0][1]):
        return [SavedBrief(None, _parse_brief(text, name))]  # the text is read already
    found: dict[str, SavedBrief] = {}
    for n, line in lines:
        try:
            record = parse_json(line)
            cluster_id = str(record["cluster_id"])
            found[cluster_id] = SavedBrief(cluster_id, StoryBrief.model_validate(record["brief"]))
        except json.JSONDecodeError as exc:
            if n == lines[-1][0] and not text.endswith("\n"):
                log.warning("%s: skipping a partial last line left by an interrupted run", name)
                continue
            raise InputError(f"line {n} is not JSON ({exc}); each line must be one "
                             '{"cluster_id": ..., "brief": {...}} record, as `summarizer batch` writes them',
                             path=name) from None
        except (KeyError, TypeError, ValidationError) as exc:
            raise InputError(f"line {n} is not a batch record with a valid brief ({str(exc).splitlines()[0]}); "
                             "render briefs as `summarizer batch` or `summarize -f json` wrote them",
                             path=name) from None
    return list(found.values())


def brief_file_name(cluster_id: str, fmt: Format) -> str:
    """The file name of one brief of a briefs file: the story page's name in a digest, with the
    format's suffix (``story-1a2b.md``)."""
    return str(Path(page_name(cluster_id)).with_suffix(f".{fmt}"))


def write_briefs(saved: list[SavedBrief], out_dir: str | os.PathLike[str], fmt: Format) -> list[Path]:
    """Write each brief as ``out_dir/<brief_file_name>`` (created as needed); returns the paths."""
    out = Path(out_dir)
    written = []
    for item in saved:
        path = out / brief_file_name(item.cluster_id or item.brief.title, fmt)
        write_text(path, render(item.brief, fmt))
        written.append(path)
    return written

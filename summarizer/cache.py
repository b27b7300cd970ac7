"""An on-disk cache of model answers, keyed by a hash of everything that shapes them.

The key covers the backend, the model, the rendered messages (so the prompt
templates' versions and the article texts) and the schema. A hit means the
model is not called at all. Entries are written atomically, and never contain
API keys (requests carry none).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Where answers and assembled weights go unless configured: ``$XDG_CACHE_HOME/summarizer``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "summarizer"


class Cache:
    """A directory of JSON files, one per answer."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._warned = False

    @staticmethod
    def key(*parts: str) -> str:
        h = hashlib.sha256()
        for p in parts:
            h.update(p.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):  # no such entry (a cache folder that is a file has none)
            return None
        except (OSError, ValueError) as exc:  # a corrupt entry is a miss, not a crash
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` under ``key``. A cache that cannot be written (read-only, full, not a folder)
        is a logged warning, once per cache: the answer it would have kept is already paid for and
        must still reach the caller."""
        try:
            self._put(key, value)
        except OSError as exc:
            if not self._warned:
                log.warning("cannot write the answer cache in %s (%s); answers are not being cached: "
                            "point SUMMARIZER_CACHE_DIR at a folder you can write to", self.directory,
                            exc.strerror or exc)
                self._warned = True

    def _put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)  # atomic: readers see the old entry or the new one, never half
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

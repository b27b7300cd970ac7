"""Crash-safe file writes.

Two shapes of durability, used by the cache, the CLI's outputs and ``batch``:

* :func:`write_atomic` replaces a whole file: write a temporary file in the same
  directory, fsync it, then ``os.replace`` it over the target. A crash at any
  point leaves either the old file or the new one, never a mix.
* :class:`LineAppender` / :func:`append_line` add one JSON line to a log file:
  one ``write`` of the whole line on an ``O_APPEND`` descriptor, then fsync. A
  ``kill -9`` can leave at most a partial *last* line, which
  :func:`truncate_partial_tail` removes on the next start.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import TracebackType

# Read the umask once, at import, so new files get the permissions a plain open() would give
# (mkstemp creates 0600). Reading it means setting it; doing that once here avoids racing threads later.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _fsync_dir(directory: Path) -> None:
    # The rename is only durable once the directory entry is on disk. Not every platform
    # lets a directory be opened for fsync (Windows); there the replace is still atomic.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``data`` atomically; on any failure the old file stays as it was.

    Returns the path written. Parent directories are created.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        mode = (target.stat().st_mode & 0o777) if target.exists() else (0o666 & ~_UMASK)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
    return target


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``text`` atomically (see :func:`write_atomic`)."""
    return write_atomic(path, text, encoding=encoding)


def _write_all(fd: int, payload: bytes) -> None:
    # os.write may write less than asked (signals, some filesystems); loop until done.
    view = memoryview(payload)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class LineAppender:
    """An append-only JSONL writer where every line is durable once ``append`` returns."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)

    def append(self, line: str) -> None:
        """Write ``line`` plus a newline in one write and fsync it. ``line`` must be one line."""
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        if "\n" in line or "\r" in line:
            # A raw newline would split one record into two lines; JSON dumps never produce one.
            raise ValueError("a JSONL record must not contain a newline")
        _write_all(self._fd, (line + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> LineAppender:  # noqa: PYI034 - Self needs Python 3.11
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def append_line(path: str | os.PathLike[str], line: str) -> None:
    """Append one durable line to ``path`` (opens and closes the file; use LineAppender in loops)."""
    with LineAppender(path) as out:
        out.append(line)


def truncate_partial_tail(path: str | os.PathLike[str]) -> int:
    """Cut an unterminated last line (left by a crash mid-write) off ``path``.

    Returns how many bytes were removed (0 when the file ends with a newline or does not exist).
    """
    p = Path(path)
    if not p.exists():
        return 0
    size = p.stat().st_size
    if size == 0:
        return 0
    with open(p, "rb+") as fh:
        # Scan backwards in blocks for the last newline, so a huge file is not read whole.
        end = size
        block = 64 * 1024
        keep = 0
        while end > 0:
            start = max(0, end - block)
            fh.seek(start)
            chunk = fh.read(end - start)
            if end == size and chunk.endswith(b"\n"):
                return 0
            idx = chunk.rfind(b"\n")
            if idx >= 0:
                keep = start + idx + 1
                break
            end = start
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    return size - keep

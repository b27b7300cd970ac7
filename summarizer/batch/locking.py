"""One writer per output file: an exclusive, non-blocking lock on a lock file beside it.

``with OutputLock("briefs.jsonl"):`` holds ``fcntl.flock`` on ``briefs.jsonl.lock`` (beside the
file the path resolves to, so a symlink to the output is the same output) for as long as the block runs; a second process (or a second batch in this one) asking for it fails at once
with :class:`~summarizer.errors.OutputInUseError` instead of interleaving lines. The kernel drops
the lock when its holder exits, ``kill -9`` included, so a stale lock file never blocks a rerun.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from types import TracebackType

from ..errors import OutputInUseError

log = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # Windows: no flock; runs are then not protected against a second writer
    fcntl = None  # type: ignore[assignment]


def lock_path(path: str | os.PathLike[str]) -> Path:
    """``briefs.jsonl`` -> ``briefs.jsonl.lock``, beside the file the path really names.

    Symlinks (to the file or to a folder above it) are resolved first: two batches writing one
    file through two names must meet at one lock.
    """
    p = Path(path).resolve()
    return p.with_name(p.name + ".lock")


class OutputLock:
    """An exclusive lock on ``path`` (through ``<path>.lock``); re-entrant use is refused too."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_file = lock_path(path)
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:  # noqa: PYI034 (py3.10: no typing.Self)
        if fcntl is None:
            log.warning("cannot lock %s on this platform; do not run two batches on it at once", self.path)
            return self
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise OutputInUseError(
                f"{self.path} is being written by another summarizer batch"
                f"{f' (pid {holder})' if holder.isdigit() else ''}; wait for it to finish, or give "
                "another --output"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)  # who holds it, for the message above
        self._fd = fd
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None and fcntl is not None:
            # The lock file stays: removing it would let a third process lock a fresh inode
            # while a second still waits on the old one.
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

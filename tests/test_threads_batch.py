"""threads_batch: llama.cpp's prompt-processing threads, set apart from generation threads."""

from __future__ import annotations

import types
from typing import ClassVar

import pytest

from summarizer.backends import local
from summarizer.backends.factory import make_backend
from summarizer.cli import parser as cli_parser
from summarizer.cli.main import _config_from
from summarizer.config import Config, resolve
from summarizer.errors import ConfigError


class FakeLlama:
    """Stands in for ``llama_cpp.Llama``: records its keyword arguments, loads nothing."""

    made: ClassVar[list[dict[str, object]]] = []

    def __init__(self, **kwargs: object) -> None:
        FakeLlama.made.append(kwargs)


@pytest.fixture
def fake_llama(monkeypatch, tmp_path):
    FakeLlama.made = []
    monkeypatch.setattr(local, "import_llama_cpp", lambda: types.SimpleNamespace(Llama=FakeLlama))
    weights = tmp_path / "m.gguf"
    weights.write_bytes(b"GGUF")
    return weights


def test_threads_batch_reaches_llama(fake_llama):
    local.LocalBackend(model_path=fake_llama, threads=2, threads_batch=6).load()
    assert FakeLlama.made[-1]["n_threads"] == 2 and FakeLlama.made[-1]["n_threads_batch"] == 6


def test_threads_batch_defaults_to_threads(fake_llama):
    backend = local.LocalBackend(model_path=fake_llama, threads=3)
    backend.load()
    assert backend.threads_batch == 3 and FakeLlama.made[-1]["n_threads_batch"] == 3


def test_config_env_flag_and_factory(fake_llama):
    assert resolve({}, env={"SUMMARIZER_THREADS_BATCH": "5"}).threads_batch == 5
    assert resolve({"threads_batch": 7}, env={"SUMMARIZER_THREADS_BATCH": "5"}).threads_batch == 7
    args = cli_parser.build_parser().parse_args(["summarize", "x.txt", "--threads", "2", "--threads-batch", "4"])
    cfg = _config_from(args)
    assert (cfg.threads, cfg.threads_batch) == (2, 4)
    backend = make_backend(Config(backend="local", model_path=str(fake_llama), threads=2, threads_batch=4))
    assert (backend.threads, backend.threads_batch) == (2, 4)
    with pytest.raises(ConfigError, match="SUMMARIZER_THREADS_BATCH"):
        Config(threads_batch=0)


class FakeThreadsLib:
    """Records llama_set_n_threads calls, the one llama.cpp function the thread choice uses."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def llama_set_n_threads(self, _ctx: object, n: int, n_batch: int) -> None:
        self.calls.append((n, n_batch))


@pytest.mark.parametrize(("free", "expected"), [(2.0, None), (1.1, (1, 1)), (0.2, (1, 1)), (1.6, None)])
def test_automatic_threads_follow_the_free_cores(monkeypatch, tmp_path, free, expected):
    # On a 2-core machine with one core taken by another process, two spin-waiting llama.cpp
    # threads made a run 8x slower; one thread on the free core is about 1.7x slower.
    monkeypatch.setattr(local, "usable_cores", lambda: 2)
    monkeypatch.setattr(local, "free_cores", lambda: free)
    backend = local.LocalBackend(model_path=tmp_path / "m.gguf")
    lib, llm = FakeThreadsLib(), types.SimpleNamespace(ctx=object())
    chosen = backend._threads_for_call(lib, llm)
    assert chosen == (expected or (2, 2))
    assert lib.calls == ([expected] if expected else [])
    monkeypatch.setattr(local, "free_cores", lambda: 2.0)  # the machine frees up: back to both cores
    assert backend._threads_for_call(lib, llm) == (2, 2)
    assert lib.calls[-1:] == ([(2, 2)] if expected else [])


def test_explicit_threads_are_kept_on_a_busy_machine(monkeypatch, tmp_path):
    monkeypatch.setattr(local, "free_cores", lambda: 0.1)
    lib, llm = FakeThreadsLib(), types.SimpleNamespace(ctx=object())
    assert local.LocalBackend(model_path=tmp_path / "m.gguf", threads=2)._threads_for_call(lib, llm) == (2, 2)
    # Only the setting left automatic follows the load.
    assert local.LocalBackend(model_path=tmp_path / "m.gguf", threads_batch=2)._threads_for_call(lib, llm) == (1, 2)
    assert lib.calls == [(1, 2)]


def test_free_cores_reads_the_machine():
    free = local.free_cores(window=0.05)
    if free is None:
        pytest.skip("no /proc/stat on this platform")
    assert 0.0 <= free <= (local.os.cpu_count() or 1)


def test_free_cores_does_not_count_this_process(monkeypatch):
    # Over the window the machine's 2 cores were 90% busy, but 1.6 core-seconds per second of that
    # was this process (llama.cpp's threads spinning down after a call): 1.8 - 1.6 = 0.2 cores of
    # other load, so 1.8 cores are free.
    stats = iter([(1000, 500), (1020, 502)])  # (total, idle) jiffies: 10% idle
    own = iter([5.0, 5.0 + 1.6 * 0.2])
    clock = iter([100.0, 100.2])
    monkeypatch.setattr(local, "_cpu_times", lambda: next(stats))
    monkeypatch.setattr(local, "_own_cpu_seconds", lambda: next(own))
    monkeypatch.setattr(local.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(local.time, "sleep", lambda _s: None)
    monkeypatch.setattr(local.os, "cpu_count", lambda: 2)
    assert local.free_cores() == pytest.approx(1.8)

"""threads_batch: llama.cpp's prompt-processing threads, set apart from generation threads."""

from __future__ import annotations

import types
from typing import ClassVar

import pytest

from summarizer import cli_parser
from summarizer.backends import local
from summarizer.backends.factory import make_backend
from summarizer.cli import _config_from
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

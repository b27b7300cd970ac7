from pathlib import Path

import pytest

from summarizer.config import Config, resolve
from summarizer.errors import ConfigError


def test_flag_beats_env_beats_default():
    env = {"SUMMARIZER_MODEL": "env-model", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    assert resolve({}, env=env).model == "env-model"
    assert resolve({"model": "flag-model"}, env=env).model == "flag-model"
    assert resolve({}, env={}).model is None


def test_backend_auto_is_local_without_key_or_url():
    assert resolve({}, env={}).resolved_backend == "local"
    assert resolve({}, env={"OPENAI_API_KEY": "k"}).resolved_backend == "openai"
    assert resolve({"base_url": "http://127.0.0.1:1/v1"}, env={}).resolved_backend == "openai"


def test_openai_backend_without_key_or_url_says_how_to_fix():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        resolve({"backend": "openai"}, env={})


def test_casts_and_bad_values():
    cfg = resolve({}, env={"SUMMARIZER_TIMEOUT": "12.5", "SUMMARIZER_THREADS": "2", "SUMMARIZER_CACHE_DIR": "/tmp/x"})
    assert cfg.timeout == 12.5 and cfg.threads == 2 and cfg.cache_dir == Path("/tmp/x")
    with pytest.raises(ConfigError, match="timeout"):
        resolve({}, env={"SUMMARIZER_TIMEOUT": "soon"})
    with pytest.raises(ConfigError, match="unknown"):
        resolve({"colour": "red"}, env={})


def test_api_key_never_in_repr():
    cfg = Config(api_key="sk-secretsecretsecret")
    assert "secret" not in repr(cfg)


def test_resolve_reads_only_the_environment_it_is_given(monkeypatch):
    # A caller that isolates the environment must not get the process's key (and paid calls) anyway.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-key-from-the-process-0000")
    monkeypatch.setenv("SUMMARIZER_PRICES", '{"x": [1, 2]}')
    cfg = resolve({}, env={})
    assert cfg.api_key is None and cfg.prices is None and cfg.resolved_backend == "local"
    assert cfg.with_(timeout=5.0).api_key is None  # and a copy of it does not read it either
    assert Config().api_key == "sk-real-key-from-the-process-0000"  # built in code, it follows the SDK

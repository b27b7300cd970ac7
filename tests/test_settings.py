"""The settings table is the one source: the CLI, --help, the README, the checks and the tests' isolation
all follow it, and summarize() and Pipeline() resolve it the same way."""

from __future__ import annotations

import math
import os
from dataclasses import fields
from pathlib import Path

import pytest

from summarizer.backends.testing import FakeBackend
from summarizer.cli.main import _config_from, main
from summarizer.cli.parser import build_parser
from summarizer.config import Config, resolve
from summarizer.errors import ConfigError
from summarizer.settings import BY_FIELD, ENV_VARS, MODEL_OPTIONS, SETTINGS

from .conftest import isolate_environment

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def help_text(capsys):
    def read(command: str) -> str:
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
        return capsys.readouterr().out

    return read


def test_the_table_has_one_row_per_config_field():
    assert [s.field for s in SETTINGS] == list(BY_FIELD)  # no field twice
    assert set(BY_FIELD) == {f.name for f in fields(Config) if f.init}


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.env or s.flags], ids=lambda s: s.field)
def test_every_flag_and_variable_is_in_help_and_in_the_readme_table(setting, help_text):
    table = README[README.index("| flag | environment variable | meaning |"):]
    table = table[: table.index("\n\n")]
    summarize = help_text("summarize")
    if setting.env:
        assert f"  {setting.env} " in summarize  # the environment section of every model command
        assert f"`{setting.env}`" in table
    if setting.flags and setting.model_option:
        for flag in setting.flags:
            assert flag in summarize and f"`{flag}`" in table
    elif setting.flags:
        for command in ("batch", "digest"):
            assert setting.flag in help_text(command)


def test_every_model_option_but_the_cache_switch_has_a_variable():
    assert [s.field for s in MODEL_OPTIONS if not s.env] == ["use_cache"]


FLAG_CASES = [  # (field, the flag's text, the variable's text, the value the flag gives)
    ("backend", "local", "auto", "local"), ("model", "m1", "m2", "m1"),
    ("base_url", "http://127.0.0.1:9/v1", "http://127.0.0.1:8/v1", "http://127.0.0.1:9/v1"),
    ("api_key", "k-123", "k-456", "k-123"), ("local_model", "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-0.5b"),
    ("model_path", "x.gguf", "y.gguf", "x.gguf"), ("response_format", "json_object", "none", "json_object"),
    ("max_output_tokens", "900", "800", 900), ("context_window", "4096", "2048", 4096),
    ("timeout", "12.5", "3", 12.5), ("threads", "2", "1", 2), ("threads_batch", "3", "1", 3),
    ("max_reasks", "0", "2", 0),
    ("draft", "json", "prose", "json"),
]


def test_the_flag_cases_cover_every_model_option_with_a_variable():
    assert {s.field for s in MODEL_OPTIONS if s.env} == {case[0] for case in FLAG_CASES}


@pytest.mark.parametrize(("setting", "flag_text", "env_text", "value"), FLAG_CASES)
def test_each_flag_reaches_its_config_field_and_beats_its_variable(monkeypatch, setting, flag_text, env_text, value):
    row = BY_FIELD[setting]
    monkeypatch.setenv(row.env, env_text)
    args = build_parser().parse_args(["summarize", "x.txt", row.flag, flag_text])
    assert getattr(_config_from(args), setting) == value


def test_the_switch_and_the_batch_flags_reach_the_config():
    assert _config_from(build_parser().parse_args(["summarize", "x.txt", "--no-cache"])).use_cache is False
    assert _config_from(build_parser().parse_args(["summarize", "x.txt"])).use_cache is True
    args = build_parser().parse_args(["batch", "c.jsonl", "-o", "b.jsonl", "--concurrency", "7"])
    assert _config_from(args).concurrency == 7
    assert _config_from(build_parser().parse_args(["batch", "c.jsonl", "-o", "b.jsonl"])).concurrency == 4


def test_the_isolation_fixture_clears_exactly_the_tables_variables(monkeypatch, tmp_path):
    for var in ENV_VARS:
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("SUMMARIZER_NOT_A_SETTING", "kept")
    isolate_environment(monkeypatch, tmp_path)
    left = {var for var in ENV_VARS if var in os.environ}
    assert left == {"SUMMARIZER_CACHE_DIR"} and os.environ["SUMMARIZER_CACHE_DIR"].startswith(str(tmp_path))
    assert os.environ["SUMMARIZER_NOT_A_SETTING"] == "kept"  # only the table's variables are touched
    assert {"OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_PRICES", "SUMMARIZER_TIMEOUT"} <= set(ENV_VARS)


def test_summarize_and_pipeline_see_the_same_environment(monkeypatch, seed_cluster):
    from summarizer import pipeline as pipeline_module
    from summarizer.pipeline import Pipeline

    monkeypatch.setenv("SUMMARIZER_MAX_REASKS", "3")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "7")
    direct = Pipeline(FakeBackend([])).config
    assert (direct.max_reasks, direct.timeout) == (3, 7.0)
    assert direct == resolve()

    seen: list[Config] = []
    monkeypatch.setattr(pipeline_module.Pipeline, "run", lambda self, articles: seen.append(self.config))
    pipeline_module.summarize(seed_cluster.articles(), backend=FakeBackend([]))
    assert seen == [direct]


BOUNDED = [s for s in SETTINGS if s.minimum is not None and s.env]


@pytest.mark.parametrize("setting", BOUNDED, ids=lambda s: s.field)
@pytest.mark.parametrize("bad", ["below", "nan"])
def test_out_of_bounds_values_name_the_flag_and_the_variable(setting, bad):
    value = setting.minimum if setting.above else setting.minimum - 1
    text = "nan" if bad == "nan" else str(setting.cast(value))
    for flags, env in (({}, {setting.env: text}), ({setting.field: text}, {})):
        with pytest.raises(ConfigError) as info:
            resolve(flags, env=env)
        assert f"{setting.flag} / {setting.env}" in str(info.value)


def test_a_nan_or_negative_timeout_is_refused_before_any_model_call(tmp_path, capsys):
    with pytest.raises(ConfigError, match="--timeout / SUMMARIZER_TIMEOUT must be a finite number"):
        Config(timeout=math.nan)
    with pytest.raises(ConfigError, match="--timeout / SUMMARIZER_TIMEOUT must be above 0"):
        Config(timeout=-1)
    article = tmp_path / "a.txt"
    article.write_text("Something happened on Monday.", encoding="utf-8")
    for text in ("nan", "-1", "soon"):
        assert main(["summarize", str(article), "--timeout", text]) == 2
        assert "--timeout / SUMMARIZER_TIMEOUT" in capsys.readouterr().err


def test_a_bad_cast_names_the_flag_and_the_variable():
    with pytest.raises(ConfigError, match="--threads / SUMMARIZER_THREADS='two' is not valid"):
        resolve({"threads": "two"}, env={})
    with pytest.raises(ConfigError, match="--threads / SUMMARIZER_THREADS='two' is not valid"):
        resolve({}, env={"SUMMARIZER_THREADS": "two"})

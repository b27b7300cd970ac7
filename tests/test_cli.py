"""The command line, in-process, talking HTTP to a loopback Chat Completions server."""

from __future__ import annotations

import json

import pytest

from summarizer import __version__
from summarizer.cli.main import main
from summarizer.schema import StoryBrief
from tests.fault_server import Fault, FaultServer, draft_responder
from tests.test_pipeline import GOOD


@pytest.fixture
def example(seed_cluster) -> str:
    """The seed cluster's folder, as a command-line argument."""
    return str(seed_cluster.dir)


@pytest.fixture
def server():
    # the prose call gets prose (the seed's first facts); a JSON draft request gets GOOD
    with FaultServer(lambda body: json.dumps(GOOD) if "response_format" in body else draft_responder(body)) as srv:
        yield srv


def test_version_and_help(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["summarize", "--help"])
    out = capsys.readouterr().out
    assert "OPENAI_BASE_URL" in out and "--base-url" in out and "exit codes" in out


def test_schema_prints_the_story_brief_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "StoryBrief" and "disagreements" in schema["properties"]


def test_summarize_against_an_openai_compatible_server(server, capsys, tmp_path, example):
    code = main(["summarize", example, "--base-url", server.base_url, "--model", "test-model", "-q"])
    assert code == 0
    brief = StoryBrief.model_validate_json(capsys.readouterr().out)
    assert brief.run.backend == "openai" and brief.run.llm_calls == 1
    assert len(brief.sources) == 4 and brief.disagreements
    body = server.completions[0].body
    assert body["model"] == "test-model" and "response_format" not in body  # the prose call: plain text
    assert main(["summarize", example, "--base-url", server.base_url, "--model", "test-model", "-q",
                 "--draft", "json"]) == 0
    assert server.completions[-1].body["response_format"]["type"] == "json_schema"


def test_second_identical_run_makes_zero_model_calls(server, tmp_path, example):
    args = ["summarize", example, "--base-url", server.base_url, "-q", "-o"]
    assert main([*args, str(tmp_path / "1.json")]) == 0 and main([*args, str(tmp_path / "2.json")]) == 0
    first = StoryBrief.model_validate_json((tmp_path / "1.json").read_text())
    second = StoryBrief.model_validate_json((tmp_path / "2.json").read_text())
    assert len(server.completions) == 1
    assert (first.run.llm_calls, second.run.llm_calls, second.run.cache_hits) == (1, 0, 1)
    assert str(second.summary) == str(first.summary)
    assert main(["summarize", example, "--base-url", server.base_url, "-q", "--no-cache"]) == 0
    assert len(server.completions) == 2


@pytest.mark.parametrize("fmt,marker", [("md", "# "), ("html", "<!DOCTYPE html>")])
def test_formats_to_a_file(server, tmp_path, fmt, marker, example):
    out = tmp_path / f"story.{fmt}"
    assert main(["summarize", example, "--base-url", server.base_url, "-q", "-f", fmt, "-o", str(out)]) == 0
    assert marker.lower() in out.read_text()[:200].lower()


def test_bad_input_exit_code_names_the_file_without_traceback(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["summarize", str(empty), "--base-url", "http://127.0.0.1:9/v1"]) == 3
    err = capsys.readouterr().err
    assert "empty.txt" in err and "Traceback" not in err


def test_missing_key_is_a_config_error(capsys, example):
    assert main(["summarize", example, "--backend", "openai"]) == 2
    assert "OPENAI_API_KEY" in capsys.readouterr().err


def test_rejected_key_has_its_own_exit_code_names_the_setting_and_hides_the_key(capsys, example):
    with FaultServer(script=[Fault.unauthorized()]) as srv:
        code = main(["summarize", example, "--base-url", srv.base_url, "--api-key", "sk-test-secret-1234567890"])
    err = capsys.readouterr().err
    assert code == 7 and "OPENAI_API_KEY" in err and "sk-test-secret" not in err


def test_validation_failure_after_reasks_exit_code(capsys, example):
    with FaultServer(script=[Fault.bad_schema(), Fault.bad_schema()]) as srv:
        code = main(["summarize", example, "--base-url", srv.base_url, "--max-reasks", "1", "--no-cache",
                     "--draft", "json"])
    assert code == 6 and "validation" in capsys.readouterr().err


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty, self.parts = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass


def test_progress_ticks_on_a_terminal_and_is_silent_when_piped():
    import time

    from summarizer.cli.main import Progress

    tty = _Tty(True)
    progress = Progress(tty, enabled=True)
    progress("writing the brief")
    time.sleep(1.2)
    progress.close()
    drawn = [p for p in tty.parts if "writing the brief" in p]
    assert len(drawn) >= 3  # redrawn while waiting, with the elapsed time
    assert tty.parts[-1].strip() == ""  # the line is erased at the end
    piped = _Tty(False)
    Progress(piped, enabled=True)("writing the brief")
    assert piped.parts == []


def test_models_lists_the_embedded_models(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "qwen2.5-1.5b" in out and "qwen2.5-0.5b" in out
    assert any(state in out for state in ("ready", "installed", "missing"))


def test_eval_after_the_global_options_is_the_eval_harness(capsys):
    code = main(["-v", "eval", "quotes", "--dataset", "/nonexistent/basil.jsonl"])
    assert "unknown command" not in capsys.readouterr().err
    assert code == 3  # the harness's own answer: no such file

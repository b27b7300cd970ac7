"""The command line as a new user meets it (issue 15): output files and formats, one story per
summarize, clear validation failures, checked flags, missing extras, and the README's table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer import errors
from summarizer.cli.main import build_parser, main
from tests.fixtures_brief import seed_brief

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_run(monkeypatch, seed_cluster):
    """Pipeline.run returns the hand-built seed brief: these tests are about the CLI, not the model."""
    from summarizer.pipeline import Pipeline

    brief = seed_brief(seed_cluster.articles())
    calls: list[int] = []

    def run(self, articles):
        calls.append(len(articles))
        return brief

    monkeypatch.setattr(Pipeline, "run", run)
    return calls


MODEL = ["--base-url", "http://127.0.0.1:9/v1", "-q"]


# --------------------------------------------------------------------------- item 8: output files and formats


@pytest.mark.parametrize(("name", "marker"), [("story.html", "<!DOCTYPE html>"), ("story.md", "# "),
                                              ("story.json", '{')])
def test_the_output_format_follows_the_file_extension(fake_run, tmp_path, seed_cluster, name, marker):
    out = tmp_path / name
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith(marker)


def test_an_explicit_format_beats_the_extension(fake_run, tmp_path, seed_cluster):
    out = tmp_path / "story.html"
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-o", str(out), "-f", "md"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_dash_output_is_stdout(fake_run, tmp_path, seed_cluster, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["title"]
    assert not (tmp_path / "-").exists()


def test_summarize_refuses_a_file_of_many_stories_and_points_to_batch(fake_run, tmp_path, capsys):
    lines = [{"id": f"c{i}", "articles": [{"id": "a", "text": f"Story {i} happened on Monday."}]} for i in range(3)]
    path = tmp_path / "clusters.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert main(["summarize", str(path), *MODEL]) == errors.InputError.exit_code
    err = capsys.readouterr().err
    assert "3 story clusters" in err and "summarizer batch" in err
    assert not fake_run


def test_one_cluster_line_is_still_one_story(fake_run, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "c", "articles": [{"id": "a", "text": "It rained on Monday."}]}) + "\n")
    assert main(["summarize", str(path), *MODEL]) == 0 and fake_run == [1]


# --------------------------------------------------------------------------- item 9: validation failures


def test_a_validation_failure_prints_the_last_attempts_problems_and_where_the_outputs_are(
        monkeypatch, seed_cluster, capsys):
    from summarizer.pipeline import Pipeline

    attempts = [{"output": '{"title": 1}', "errors": ["title: Input should be a valid string"]},
                {"output": '{"title": 2}', "errors": ["summary.0.sources: at least one source is required"]}]

    def run(self, articles):
        raise errors.OutputValidationError("the model's output failed validation on all 2 attempt(s)", attempts)

    monkeypatch.setattr(Pipeline, "run", run)
    assert main(["summarize", str(seed_cluster.dir), *MODEL]) == 6
    err = capsys.readouterr().err
    assert "summary.0.sources: at least one source is required" in err
    saved = Path(re.search(r"raw output and problems: (\S+)", err).group(1))
    assert json.loads(saved.read_text())[1]["output"] == '{"title": 2}'
    saved.unlink()
    assert main(["summarize", str(seed_cluster.dir), "--base-url", "http://127.0.0.1:9/v1", "-v"]) == 6
    assert '{"title": 1}' in capsys.readouterr().err  # -v shows the raw outputs themselves


# --------------------------------------------------------------------------- items 7 and 10: flags


@pytest.mark.parametrize(("flags", "named"), [
    (["--max-reasks", "-1"], "--max-reasks"),
    (["--timeout", "-1"], "--timeout"),
    (["--max-output-tokens", "0"], "--max-output-tokens"),
    (["--context-window", "10"], "--context-window"),
])
def test_bad_flags_are_configuration_errors_before_any_model_call(fake_run, seed_cluster, capsys, flags, named):
    assert main(["summarize", str(seed_cluster.dir), *MODEL, *flags]) == 2
    assert named in capsys.readouterr().err and not fake_run


def test_model_controls_reach_the_configuration(monkeypatch, seed_cluster, fake_run):
    from summarizer.cli import main as cli

    seen = {}
    real = cli._config_from

    def spy(args):
        seen["cfg"] = cfg = real(args)
        return cfg

    monkeypatch.setattr(cli, "_config_from", spy)
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-m", "gpt-4.1-mini", "--max-output-tokens", "1500",
                 "--context-window", "16000"]) == 0
    cfg = seen["cfg"]
    assert (cfg.model, cfg.max_output_tokens, cfg.context_window) == ("gpt-4.1-mini", 1500, 16000)


# --------------------------------------------------------------------------- item 2: the eval extra


def test_eval_without_its_extra_names_the_extra(monkeypatch, capsys):
    import summarizer_evals.__main__ as eval_main

    def needs_rouge(argv):
        raise ModuleNotFoundError("No module named 'rouge_score'", name="rouge_score")

    monkeypatch.setattr(eval_main, "main", needs_rouge)
    assert main(["eval", "run", "--dataset", "seed"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'storybrief[eval]'" in err and "Traceback" not in err


# --------------------------------------------------------------------------- the README's table is --help's


def test_the_readme_configuration_table_is_generated_from_help():
    from summarizer.cli.console import config_table

    table = config_table(build_parser())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme, "regenerate it: python -c 'from summarizer.cli.main import build_parser; " \
        "from summarizer.cli.console import config_table; print(config_table(build_parser()))'\n" + table


# --------------------------------------------------------------------------- item 11 and 8: batch


def _clusters_file(tmp_path: Path, n: int = 3) -> Path:
    lines = [{"id": f"c{i}", "articles": [{"id": "a", "text": f"Story {i} happened on Monday."}]} for i in range(n)]
    path = tmp_path / "clusters.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


@pytest.fixture
def fake_arun(monkeypatch, seed_cluster):
    """Pipeline.arun: the seed brief, except for a cluster whose article mentions 'Story 1'."""
    from summarizer.pipeline import Pipeline

    brief = seed_brief(seed_cluster.articles())

    async def arun(self, articles):
        if "Story 1" in articles[0].text:
            raise errors.BackendError("model server error (HTTP 500)")
        return brief

    monkeypatch.setattr(Pipeline, "arun", arun)


def test_batch_exit_code_is_the_same_on_a_rerun_with_the_same_failures(fake_arun, tmp_path):
    clusters, out = _clusters_file(tmp_path), tmp_path / "briefs.jsonl"
    assert main(["batch", str(clusters), "-o", str(out), *MODEL]) == 1
    assert main(["batch", str(clusters), "-o", str(out), *MODEL]) == 1  # the failure is still listed
    assert len(out.read_text().splitlines()) == 2


def test_batch_reads_stdin_and_a_rerun_resumes(fake_arun, tmp_path, monkeypatch):
    import io

    out = tmp_path / "briefs.jsonl"
    monkeypatch.setattr("sys.stdin", io.StringIO(_clusters_file(tmp_path, 2).read_text().replace("Story 1", "Tale")))
    assert main(["batch", "-", "-o", str(out), *MODEL]) == 0
    assert {json.loads(x)["cluster_id"] for x in out.read_text().splitlines()} == {"c0", "c1"}
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["batch", "-", "-o", str(out), *MODEL]) == 0
    assert len(out.read_text().splitlines()) == 2


# --------------------------------------------------------------------------- item 15: progress for programs


def test_batch_progress_events_carry_counts_and_an_eta(fake_arun, tmp_path):
    from summarizer.batch.run import run_batch
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from summarizer.progress import ProgressEvent

    events: list[str] = []
    run_batch(_clusters_file(tmp_path, 4), tmp_path / "b.jsonl", concurrency=1, progress=events.append,
              pipeline=Pipeline(config=Config(base_url="http://127.0.0.1:9/v1")))
    ticks = [e for e in events if isinstance(e, ProgressEvent) and e.stage == "batch"]
    assert [(e.done, e.total) for e in ticks] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert ticks[0].eta_s is not None and "ETA" in ticks[0] and ticks[-1].eta_s == 0.0
    assert ticks[1].as_dict()["item"] == ticks[1].item


# --------------------------------------------------------------------------- issue 27 item 12: paid answers kept


@pytest.mark.parametrize("output", ["file.txt/brief.json", "."])
def test_an_output_that_cannot_be_written_fails_before_any_model_call(fake_run, tmp_path, seed_cluster, capsys,
                                                                        output):
    (tmp_path / "file.txt").write_text("a file, not a folder")
    target = str(tmp_path / output)
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-o", target]) == 2
    err = capsys.readouterr().err
    assert target.rstrip("/.") in err and "Traceback" not in err and not fake_run


def test_a_cache_folder_that_cannot_be_written_fails_before_any_model_call(fake_run, tmp_path, seed_cluster,
                                                                            capsys, monkeypatch):
    (tmp_path / "file.txt").write_text("a file, not a folder")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "file.txt" / "cache"))
    assert main(["summarize", str(seed_cluster.dir), *MODEL]) == 2
    err = capsys.readouterr().err
    assert "SUMMARIZER_CACHE_DIR" in err and "--no-cache" in err and not fake_run
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "--no-cache"]) == 0  # no cache, nothing to check


def test_a_result_that_cannot_be_written_after_the_call_is_kept_and_the_message_says_where(
        fake_run, tmp_path, seed_cluster, capsys, monkeypatch):
    import errno
    import tempfile

    from summarizer import atomic

    def disk_full(path, text, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "write_text", disk_full)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the brief is kept
    out = tmp_path / "story.md"
    assert main(["summarize", str(seed_cluster.dir), *MODEL, "-o", str(out)]) == errors.OutputWriteError.exit_code
    err = capsys.readouterr().err
    kept = next(tmp_path.glob("summarizer-result-*.md"))
    assert fake_run and str(kept) in err and "No space left" in err and "Traceback" not in err
    assert kept.read_text(encoding="utf-8").startswith("# ")  # the whole brief, in the format asked for


@pytest.mark.parametrize(("flag", "value"), [("--fetch-timeout", "-3"), ("--fetch-timeout", "nan"),
                                             ("--fetch-timeout", "inf"), ("--fetch-timeout", "0"),
                                             ("--threshold", "nan"), ("--threshold", "2"), ("--threshold", "x")])
def test_numeric_options_outside_the_settings_are_checked_by_the_parser(tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as done:
        main(["cluster", str(tmp_path), flag, value])
    err = capsys.readouterr().err
    assert done.value.code == 2 and flag in err and repr(value) in err and "Traceback" not in err


# --------------------------------------------------------------------------- issue 27 item 15: render


EXAMPLE_BRIEF = ROOT / "examples" / "output" / "putin-nk-troops.json"


@pytest.mark.parametrize(("fmt", "marker"), [("html", "<!DOCTYPE html>"), ("md", "# "), ("json", "{")])
def test_render_turns_a_saved_brief_into_each_format(tmp_path, fmt, marker):
    out = tmp_path / f"page.{fmt}"
    assert main(["render", str(EXAMPLE_BRIEF), "-f", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith(marker) and "North Korea" in text


def test_render_writes_one_safely_named_file_per_brief_of_a_briefs_file(tmp_path, capsys):
    from summarizer.output.saved import page_name

    brief = json.loads(EXAMPLE_BRIEF.read_text(encoding="utf-8"))
    ids = ["story-1a2b", "../../escaped", "/abs/x", "x" * 300, 7]
    lines = "".join(json.dumps({"cluster_id": cid, "brief": brief}) + "\n" for cid in ids)
    briefs = tmp_path / "briefs.jsonl"
    briefs.write_text(lines + '{"cluster_id": "cut", "brief": {"tit', encoding="utf-8")  # an interrupted batch
    site = tmp_path / "site" / "pages"
    assert main(["render", str(briefs), "-o", str(site), "-f", "md", "-q"]) == 0
    names = sorted(p.name for p in site.iterdir())
    assert names == sorted(page_name(str(cid)).replace(".html", ".md") for cid in ids)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefs.jsonl", "site"]  # nothing outside
    assert "5 brief(s)" in capsys.readouterr().err
    assert main(["render", str(briefs)]) == 2  # many briefs need a folder
    assert "-o FOLDER" in capsys.readouterr().err


def test_render_names_a_file_that_is_not_a_brief(tmp_path, capsys):
    assert main(["render", str(ROOT / "README.md")]) == errors.InputError.exit_code
    err = capsys.readouterr().err
    assert "README.md" in err and "Traceback" not in err


# --------------------------------------------------------------------------- issue 27 item 15: models


def test_models_says_ready_only_when_the_runtime_is_installed(monkeypatch, capsys):
    import sys

    from summarizer.backends import weights

    monkeypatch.setattr(weights, "status", lambda name, cache_dir: "ready")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # not importable
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\bready\b", out.split("\n")[0])
    assert "llama_cpp is not installed" in out and "pip install 'storybrief[local]'" in out

"""Batch identities and writers: one writer per output, ids by exact JSON value, bad lines in their own
namespace, JSON arrays with a bad cluster, and text-less articles named by file and line."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from test_batch import ScriptedPipelineByText, lines, record

from summarizer import errors
from summarizer.batch.run import arun_batch, default_failures_path, run_batch


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


class SlowPipeline(ScriptedPipelineByText):
    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def arun(self, articles):
        await asyncio.sleep(self.delay)
        return await super().arun(articles)


# --------------------------------------------------------------------------- 3: one writer


async def test_a_second_writer_on_the_same_output_is_refused_and_nothing_is_duplicated(tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", [record(f"c{i}") for i in range(30)])
    out = tmp_path / "briefs.jsonl"
    first = asyncio.ensure_future(arun_batch(src, out, pipeline=SlowPipeline(0.05), concurrency=2))
    await asyncio.sleep(0.2)  # the first one holds the output now
    with pytest.raises(errors.OutputInUseError, match="another"):
        await arun_batch(src, out, pipeline=SlowPipeline(0.0), concurrency=2)
    report = await first
    ids = [r["cluster_id"] for r in lines(out)]
    assert len(ids) == 30 == len(set(ids)) and (report.lost, report.duplicated) == (0, 0)


@pytest.mark.parametrize("through", ["file", "folder"])
async def test_a_second_writer_through_a_symlink_is_refused_too(through, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", [record(f"c{i}") for i in range(30)])
    (tmp_path / "real").mkdir()
    out = tmp_path / "real" / "briefs.jsonl"
    if through == "file":
        out.touch()
        alias = tmp_path / "alias.jsonl"
        alias.symlink_to(out)
    else:
        (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
        alias = tmp_path / "alias" / "briefs.jsonl"
    first = asyncio.ensure_future(arun_batch(src, out, pipeline=SlowPipeline(0.05), concurrency=2))
    await asyncio.sleep(0.2)
    with pytest.raises(errors.OutputInUseError, match="another"):
        await arun_batch(src, alias, pipeline=SlowPipeline(0.0), concurrency=2)
    await first
    ids = [r["cluster_id"] for r in lines(out)]
    assert len(ids) == 30 == len(set(ids))


def test_resume_tolerates_and_reports_duplicates_already_present(tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", [record(f"c{i}") for i in range(4)])
    out = tmp_path / "briefs.jsonl"
    run_batch(src, out, pipeline=ScriptedPipelineByText())
    with open(out, "a", encoding="utf-8") as fh:  # what two unlocked writers used to leave behind
        fh.write(out.read_text(encoding="utf-8"))
    assert len(lines(out)) == 8
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert report.repaired_duplicates == 4 and "4 duplicate line(s)" in report.summary()
    assert len(lines(out)) == 4 and report.duplicated == 0 and report.lost == 0


DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_lines_are_bad_input_and_the_rest_runs(tmp_path):
    deep_meta = json.dumps(record("deep-meta"))[:-1] + ', "topic": ' + DEEP + "}"
    src = write_jsonl(tmp_path / "c.jsonl", [record("c1"), DEEP, deep_meta, record("c2")])
    out = tmp_path / "briefs.jsonl"
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert sorted(report.completed) == ["c1", "c2"] and len(report.failed) == 2
    assert all("nested more than" in why for why in report.failed.values())
    assert len(lines(default_failures_path(out))) == 2
    # A JSON array of clusters nested as deep is one bad file, said as such.
    (tmp_path / "a.json").write_text("[" + DEEP + "]", encoding="utf-8")
    with pytest.raises(errors.InputError, match="nested more than"):
        run_batch(tmp_path / "a.json", tmp_path / "b.jsonl", pipeline=ScriptedPipelineByText())


# --------------------------------------------------------------------------- 5: identities


def test_a_real_id_that_looks_like_a_bad_line_placeholder_is_its_own_cluster(tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", [record("first"), "{not json", record("line-2")])
    out = tmp_path / "briefs.jsonl"
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert [r["cluster_id"] for r in lines(out)] == ["first", "line-2"]
    (bad,) = lines(default_failures_path(out))
    assert bad["cluster_id"] is None and bad["input_line"] == 2
    assert report.input_duplicates == [] and (report.lost, report.duplicated) == (0, 0)
    again = run_batch(src, out, pipeline=ScriptedPipelineByText())  # a rerun skips both, fails nothing new
    assert sorted(again.skipped) == ["first", "line-2"] and len(again.previously_failed) == 1


def test_ids_are_told_apart_by_their_exact_json_value(tmp_path):
    five, five_str = record("five"), record("fivestr")
    five["id"], five_str["id"] = 5, "5"
    src = write_jsonl(tmp_path / "c.jsonl", [five, five_str])
    out = tmp_path / "briefs.jsonl"
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert sorted((type(r["cluster_id"]).__name__, r["cluster_id"]) for r in lines(out)) == [
        ("int", 5), ("str", "5")]
    assert report.input_duplicates == [] and report.lost == 0
    again = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert len(again.skipped) == 2 and not again.completed


# --------------------------------------------------------------------------- 10: small ones


def test_an_article_with_no_text_is_reported_with_its_file_and_line(tmp_path):
    bad = {"id": "no-text", "articles": [{"id": "a", "title": "only a title"}]}
    src = write_jsonl(tmp_path / "c.jsonl", [record("ok"), bad])
    out = tmp_path / "briefs.jsonl"
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    message = report.failed["no-text"]
    assert "c.jsonl" in message and "line 2" in message and "article 1" in message


def test_a_json_array_with_one_bad_cluster_runs_the_rest(tmp_path):
    src = tmp_path / "c.json"
    src.write_text(json.dumps([record("a"), {"id": "broken", "articles": []}, record("b")]), encoding="utf-8")
    out = tmp_path / "briefs.jsonl"
    report = run_batch(src, out, pipeline=ScriptedPipelineByText())
    assert sorted(report.completed) == ["a", "b"] and list(report.failed) == ["broken"]
    assert "item 2" in report.failed["broken"] and (report.lost, report.duplicated) == (0, 0)


def test_batch_help_documents_its_exit_codes():
    from summarizer.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["batch"]
    text = " ".join(sub.format_help().split())
    assert "1 batch: some clusters are listed as failed" in text
    assert "another batch is writing OUTPUT" in text

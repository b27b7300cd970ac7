"""Batch runs: bounded concurrency, durable lines, failures recorded, resume, kill -9."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from summarizer import errors
from summarizer.batch.run import BadRecord, arun_batch, audit, default_failures_path, read_clusters, run_batch
from summarizer.schema import Article, CitedSentence, Cluster, StoryBrief, Summary

ROOT = Path(__file__).resolve().parent.parent


def make_cluster(cid: str, n_articles: int = 2, marker: str = "") -> Cluster:
    arts = [
        Article(id=f"{cid}~a{i}", outlet=f"Outlet {i}", title=f"Story {cid} from outlet {i}",
                text=f"{marker}The council of town {cid} approved a new budget on Monday. "
                     f"Outlet {i} reported that the vote passed with a clear majority. "
                     "Residents will see the changes next year.")
        for i in range(1, n_articles + 1)
    ]
    return Cluster(id=cid, title=f"Story {cid}", articles=arts)


def cluster_id_of(articles: list[Article]) -> str:
    return articles[0].id.split("~")[0]


class ScriptedPipeline:
    """A stand-in for Pipeline.arun that measures concurrency and fails where told."""

    def __init__(self, delay: float = 0.01, fail: dict[str, BaseException] | None = None) -> None:
        self.delay = delay
        self.fail = fail or {}
        self.active = 0
        self.max_active = 0
        self.calls: Counter[str] = Counter()

    async def arun(self, articles: list[Article]) -> StoryBrief:
        cid = cluster_id_of(articles)
        self.calls[cid] += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await asyncio.sleep(self.delay)
            if cid in self.fail:
                raise self.fail[cid]
            return StoryBrief(
                title=f"Brief {cid}",
                summary=Summary([CitedSentence(text=articles[0].text.split(". ")[0] + ".",
                                               sources=[articles[0].id])]),
            )
        finally:
            self.active -= 1


def lines(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def ids_in(path: Path) -> list[str]:
    return [rec["cluster_id"] for rec in lines(path)] if path.exists() else []


# --------------------------------------------------------------------------- concurrency and output


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_concurrency_is_bounded_and_every_cluster_written(tmp_path, concurrency):
    pipeline = ScriptedPipeline(delay=0.02)
    clusters = [make_cluster(f"c{i}") for i in range(20)]
    out = tmp_path / "briefs.jsonl"
    report = run_batch(clusters, out, pipeline=pipeline, concurrency=concurrency)
    assert pipeline.max_active == concurrency  # reached, never exceeded
    assert sorted(ids_in(out)) == sorted(c.id for c in clusters)
    assert len(report.completed) == 20 and not report.failed
    assert (report.lost, report.duplicated) == (0, 0)
    for rec in lines(out):
        assert set(rec) == {"cluster_id", "brief"}
        assert StoryBrief.model_validate(rec["brief"]).title == f"Brief {rec['cluster_id']}"


def test_default_failures_path():
    assert default_failures_path("out/briefs.jsonl") == Path("out/briefs.failures.jsonl")
    assert default_failures_path("briefs") == Path("briefs.failures.jsonl")


def test_progress_reports_each_cluster(tmp_path):
    messages: list[str] = []
    run_batch([make_cluster("a"), make_cluster("b")], tmp_path / "o.jsonl", pipeline=ScriptedPipeline(),
              progress=messages.append)
    assert any(m.startswith("[1/2]") for m in messages) and any(m.startswith("[2/2]") for m in messages)
    assert "0 lost, 0 duplicated" in messages[-1]


def test_concurrency_must_be_positive(tmp_path):
    with pytest.raises(errors.ConfigError):
        run_batch([make_cluster("a")], tmp_path / "o.jsonl", pipeline=ScriptedPipeline(), concurrency=0)


# --------------------------------------------------------------------------- failures


def test_failures_are_recorded_and_the_rest_completes(tmp_path):
    fail = {
        "c3": errors.RateLimitError("rate limited (HTTP 429)", status_code=429, retryable=True),
        "c5": errors.OutputValidationError("the model's output failed validation on all 2 attempt(s)"),
        "c7": ValueError("a bug somewhere"),
        "c9": errors.OutputValidationError("failed validation", [{"output": '{"title": "x"}',
                                                                  "errors": ["summary: Field required"]}]),
    }
    pipeline = ScriptedPipeline(fail=fail)
    out = tmp_path / "briefs.jsonl"
    report = run_batch([make_cluster(f"c{i}") for i in range(10)], out, pipeline=pipeline, concurrency=4)
    assert sorted(report.failed) == ["c3", "c5", "c7", "c9"]
    assert report.failure_reasons() == Counter({"RateLimitError": 1, "OutputValidationError": 2, "ValueError": 1})
    assert len(report.completed) == 6 and len(ids_in(out)) == 6
    failures = {r["cluster_id"]: r for r in lines(tmp_path / "briefs.failures.jsonl")}
    assert failures["c3"]["error_type"] == "RateLimitError" and failures["c3"]["retryable"] is True
    assert "rate limited" in failures["c3"]["message"]
    assert failures["c5"]["retryable"] is False
    assert failures["c9"]["attempts"] == [{"errors": ["summary: Field required"], "output": '{"title": "x"}'}]
    assert (report.lost, report.duplicated) == (0, 0)
    assert "4 failed (" in report.summary()


def test_failed_clusters_are_not_redone_unless_asked(tmp_path):
    out = tmp_path / "briefs.jsonl"
    clusters = [make_cluster(f"c{i}") for i in range(4)]
    run_batch(clusters, out, pipeline=ScriptedPipeline(fail={"c1": errors.BackendTimeoutError("slow")}))
    again = ScriptedPipeline()
    report = run_batch(clusters, out, pipeline=again)
    assert sum(again.calls.values()) == 0
    assert report.previously_failed == ["c1"] and len(report.skipped) == 3

    retry = ScriptedPipeline()
    report = run_batch(clusters, out, pipeline=retry, retry_failed=True)
    assert dict(retry.calls) == {"c1": 1}
    assert report.completed == ["c1"]
    assert sorted(ids_in(out)) == ["c0", "c1", "c2", "c3"]
    assert ids_in(default_failures_path(out)) == []  # the old failure is forgotten, not duplicated
    assert (report.lost, report.duplicated) == (0, 0)


def test_authentication_error_stops_the_batch_and_a_rerun_finishes(tmp_path):
    out = tmp_path / "briefs.jsonl"
    clusters = [make_cluster(f"c{i}") for i in range(12)]
    bad_key = {c.id: errors.AuthenticationError("the server rejected the API key (HTTP 401)") for c in clusters[3:]}
    with pytest.raises(errors.AuthenticationError):
        run_batch(clusters, out, pipeline=ScriptedPipeline(fail=bad_key), concurrency=2)
    assert ids_in(default_failures_path(out)) == []  # not the clusters' fault: not listed as failed
    done_before = set(ids_in(out))
    assert 3 <= len(done_before) < 12

    report = run_batch(clusters, out, pipeline=ScriptedPipeline(), concurrency=2)
    assert set(report.skipped) == done_before
    assert sorted(ids_in(out)) == sorted(c.id for c in clusters)
    assert (report.lost, report.duplicated) == (0, 0)


# --------------------------------------------------------------------------- resume


def test_resume_skips_done_clusters(tmp_path):
    out = tmp_path / "briefs.jsonl"
    first = ScriptedPipeline()
    run_batch([make_cluster(f"c{i}") for i in range(6)], out, pipeline=first)
    second = ScriptedPipeline()
    report = run_batch([make_cluster(f"c{i}") for i in range(10)], out, pipeline=second)
    assert sorted(second.calls) == ["c6", "c7", "c8", "c9"]
    assert len(report.skipped) == 6 and len(report.completed) == 4
    assert Counter(ids_in(out)) == Counter({f"c{i}": 1 for i in range(10)})


def test_partial_trailing_line_is_cut_and_redone(tmp_path):
    out = tmp_path / "briefs.jsonl"
    run_batch([make_cluster(f"c{i}") for i in range(3)], out, pipeline=ScriptedPipeline(), concurrency=1)
    whole = out.read_bytes()
    # What a kill -9 in the middle of writing c2's line leaves behind.
    last_start = whole.rstrip(b"\n").rfind(b"\n") + 1
    out.write_bytes(whole[: last_start + 25])
    assert ids_in_safe(out) == ["c0", "c1"]

    again = ScriptedPipeline()
    report = run_batch([make_cluster(f"c{i}") for i in range(3)], out, pipeline=again)
    assert dict(again.calls) == {"c2": 1}
    assert report.truncated_bytes == 25
    assert ids_in(out) == ["c0", "c1", "c2"]
    assert out.read_bytes().endswith(b"\n")


def ids_in_safe(path: Path) -> list[str]:
    ok = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        try:
            ok.append(json.loads(ln)["cluster_id"])
        except json.JSONDecodeError:
            pass
    return ok


def test_corrupt_line_in_the_middle_is_an_input_error(tmp_path):
    out = tmp_path / "briefs.jsonl"
    out.write_text('{"cluster_id": "c0", "brief": {}}\nnot json\n{"cluster_id": "c1", "brief": {}}\n')
    with pytest.raises(errors.InputError, match="line 2"):
        run_batch([make_cluster("c0")], out, pipeline=ScriptedPipeline())


def test_repeated_input_ids_run_once(tmp_path):
    out = tmp_path / "briefs.jsonl"
    pipeline = ScriptedPipeline()
    report = run_batch([make_cluster("x"), make_cluster("y"), make_cluster("x")], out, pipeline=pipeline)
    assert pipeline.calls == Counter({"x": 1, "y": 1})
    assert report.input_duplicates == ["x"] and report.total == 2
    assert report.duplicated == 0


def test_audit_counts_lost_and_duplicated(tmp_path):
    out, fails = tmp_path / "o.jsonl", tmp_path / "f.jsonl"
    out.write_text('{"cluster_id": "a"}\n{"cluster_id": "b"}\n{"cluster_id": "a"}\n')
    fails.write_text('{"cluster_id": "b"}\n{"cluster_id": "c"}\n')
    assert audit(["a", "b", "c", "d"], out, fails) == (1, 2)


# --------------------------------------------------------------------------- cluster JSONL input


def record(cid: str, n: int = 2) -> dict:
    return {"id": cid, "title": f"T {cid}", "topic": "Budget", "articles": [
        {"id": side, "source": f"Outlet {side}", "stance": side, "title": f"Story {cid} {side}",
         "url": f"https://example.com/{cid}/{side}",
         "text": f"The council of town {cid} approved a new budget on Monday. Outlet {side} covered the vote."}
        for side in ("left", "center", "right")[:n]]}


def test_bad_lines_in_the_input_are_recorded_and_the_rest_runs(tmp_path):
    src = tmp_path / "clusters.jsonl"
    rows = [
        json.dumps(record("good1")),
        "{not json",
        json.dumps({"title": "no id", "articles": record("x")["articles"]}),
        json.dumps({"id": "no-articles", "title": "t"}),
        json.dumps({"id": "empty-articles", "articles": []}),
        json.dumps({"id": "no-text", "articles": [{"id": "a", "title": "only a title"}]}),
        "",
        json.dumps(record("good2", n=1)),  # a cluster of one article is a valid cluster
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8") + b'{"id": "latin1", "articles": "caf\xe9"}\n'
    src.write_bytes(data)

    items = list(read_clusters(src))
    bad = {i.cluster_id: str(i.error) for i in items if isinstance(i, BadRecord)}
    assert set(bad) == {"line-2", "line-3", "no-articles", "empty-articles", "no-text", "line-9"}
    assert "not valid JSON" in bad["line-2"] and "missing required field(s) id" in bad["line-3"]
    assert "not UTF-8" in bad["line-9"] and "line 9" in bad["line-9"]
    good = [i for i in items if isinstance(i, Cluster)]
    assert [c.id for c in good] == ["good1", "good2"]
    assert good[0].meta == {"topic": "Budget"} and good[0].articles[0].outlet == "Outlet left"

    out = tmp_path / "briefs.jsonl"
    pipeline = ScriptedPipelineByText()
    report = run_batch(src, out, pipeline=pipeline)
    assert sorted(report.completed) == ["good1", "good2"]
    assert set(report.failed) == set(bad)
    assert all(r.startswith("InputError: ") for r in report.failed.values())
    assert (report.lost, report.duplicated) == (0, 0)


class ScriptedPipelineByText(ScriptedPipeline):
    """Like ScriptedPipeline, for clusters loaded from JSONL (ids come from the text)."""

    async def arun(self, articles: list[Article]) -> StoryBrief:
        cid = articles[0].text.split("town ")[1].split(" ")[0]
        self.calls[cid] += 1
        return StoryBrief(title=f"Brief {cid}",
                          summary=Summary([CitedSentence(text=articles[0].text, sources=[articles[0].id])]))


def test_missing_input_file_is_an_input_error(tmp_path):
    with pytest.raises(errors.InputError, match="no such cluster file"):
        run_batch(tmp_path / "nope.jsonl", tmp_path / "o.jsonl", pipeline=ScriptedPipeline())


async def test_async_entry_point(tmp_path):
    report = await arun_batch([make_cluster("a")], tmp_path / "o.jsonl", pipeline=ScriptedPipeline())
    assert report.completed == ["a"]


# --------------------------------------------------------------------------- the real pipeline


def _real_pipeline_available() -> bool:
    try:
        import summarizer.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


needs_pipeline = pytest.mark.skipif(not _real_pipeline_available(), reason="summarizer.pipeline does not import")


def write_clusters(path: Path, n: int) -> list[str]:
    ids = [f"k{i:03d}" for i in range(n)]
    path.write_text("".join(json.dumps(record(cid)) + "\n" for cid in ids), encoding="utf-8")
    return ids


@needs_pipeline
def test_real_pipeline_batch_against_fault_server(tmp_path):
    from summarizer.backends.openai import OpenAIBackend
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from tests.fault_server import Fault, FaultServer

    src = tmp_path / "clusters.jsonl"
    ids = write_clusters(src, 8)
    # Three 500s in a row exhaust one cluster's transport budget (max_retries=2); a refusal fails another.
    script = [Fault.ok(), Fault.server_error(), Fault.server_error(), Fault.server_error(), Fault.refusal()]
    with FaultServer(script=script) as srv:
        backend = OpenAIBackend("fault-model", api_key="k", base_url=srv.base_url, timeout=5, max_retries=2,
                                sleep=lambda s: None)
        pipeline = Pipeline(backend, Config(use_cache=False, max_reasks=1, concurrency=1))
        report = run_batch(src, tmp_path / "briefs.jsonl", pipeline=pipeline, concurrency=1)
    assert report.failure_reasons() == Counter({"BackendError": 1, "RefusalError": 1}), report.failed
    assert len(report.completed) == 6
    assert (report.lost, report.duplicated) == (0, 0)
    assert sorted(report.completed + list(report.failed)) == ids
    for rec in lines(tmp_path / "briefs.jsonl"):
        brief = StoryBrief.model_validate(rec["brief"])
        assert brief.summary and all(s.sources for s in brief.summary)


@needs_pipeline
@pytest.mark.timeout(120)
def test_kill_9_halfway_then_resume_loses_and_duplicates_nothing(tmp_path):
    from tests.fault_server import Fault, FaultServer

    src = tmp_path / "clusters.jsonl"
    ids = write_clusters(src, 30)
    out = tmp_path / "briefs.jsonl"
    fails = default_failures_path(out)
    mix = [Fault.rate_limit(retry_after=0.05), Fault.server_error(), Fault.drop(), Fault.bad_schema()]
    with FaultServer(latency=0.15, fault_rate=0.1, fault_mix=mix, seed=7) as srv:
        cmd = [sys.executable, "-m", "summarizer", "-q", "batch", str(src), "-o", str(out), "--concurrency", "3",
               "--backend", "openai", "--base-url", srv.base_url, "--api-key", "test-key", "--model", "fault-model"]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(ids_in_safe(out) if out.exists() else []) < 8:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"batch ended before the kill: {proc.communicate()[1].decode()[-2000:]}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        done_at_kill = set(ids_in_safe(out))
        assert 8 <= len(done_at_kill) < 30

        rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=90, check=False)
    assert rerun.returncode in (0, 1), rerun.stderr.decode()[-2000:]  # 1: some clusters failed
    done, failed = Counter(ids_in(out)), Counter(ids_in(fails) if fails.exists() else [])
    assert done_at_kill <= set(done)  # nothing written before the kill was lost or redone
    assert all(n == 1 for n in done.values()) and all(n == 1 for n in failed.values())  # none duplicated
    assert not set(done) & set(failed)
    assert set(done) | set(failed) == set(ids)  # none lost
    assert "0 lost, 0 duplicated" in rerun.stderr.decode()


@needs_pipeline
def test_one_pipeline_serves_successive_batches(tmp_path):
    # The CLI runs one batch per process, but a library user (or a Ray actor) may call run_batch
    # again with the same Pipeline; each call is a new event loop.
    from summarizer.backends.openai import OpenAIBackend
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from tests.fault_server import FaultServer

    clusters = [make_cluster(f"s{i}") for i in range(4)]
    with FaultServer(latency=0.05) as srv:
        backend = OpenAIBackend("fault-model", api_key="k", base_url=srv.base_url, timeout=5, max_retries=0)
        pipeline = Pipeline(backend, Config(use_cache=False, concurrency=1))  # forces waiting on its semaphore
        for run in ("first", "second"):
            report = run_batch(clusters, tmp_path / f"{run}.jsonl", pipeline=pipeline, concurrency=4)
            assert len(report.completed) == 4, report.failed

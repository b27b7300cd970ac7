"""The OpenAI Batch API path, against files shaped like the API's own.

Shapes follow the documented Batch API formats: input lines
``{"custom_id", "method", "url", "body"}``; output/error lines
``{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null, "error": {"code", "message"} | null}``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer import errors
from summarizer.backends.base import ChatRequest, Completion
from summarizer.backends.openai import OpenAIBackend
from summarizer.batch.openai import (
    ENDPOINT,
    collect_results,
    completion_from_body,
    read_results,
    write_requests,
)
from summarizer.batch.run import default_failures_path
from summarizer.schema import Article, CitedSentence, Cluster, StoryBrief, Summary
from tests.fault_server import draft_responder


def cluster(cid: str, text: str | None = None) -> Cluster:
    return Cluster(id=cid, articles=[
        Article(id=f"{cid}-a", outlet="Outlet A", title=f"Title {cid}",
                text=text or f"The mayor of {cid} opened a new library on Monday. It holds 20,000 books."),
        Article(id=f"{cid}-b", outlet="Outlet B", title=f"Other {cid}",
                text=f"A library opened in {cid} this week. Officials praised the project."),
    ])


def output_line(custom_id: str, content: str | None, *, finish_reason: str = "stop", refusal: str | None = None,
                status: int = 200, n: int = 1) -> str:
    """One line of a Batch API output file, as documented."""
    body = {
        "id": f"chatcmpl-{n}", "object": "chat.completion", "created": 1_711_652_795,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": refusal},
                     "logprobs": None, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 512, "completion_tokens": 120, "total_tokens": 632},
        "system_fingerprint": "fp_44709d6fcb",
    }
    if status != 200:
        body = {"error": {"message": "Invalid 'messages': empty array.", "type": "invalid_request_error",
                          "param": "messages", "code": None}}
    return json.dumps({"id": f"batch_req_{n}", "custom_id": custom_id,
                       "response": {"status_code": status, "request_id": f"req_{n}", "body": body},
                       "error": None})


def error_line(custom_id: str, code: str = "batch_expired", n: int = 99) -> str:
    """One line of a Batch API error file."""
    return json.dumps({"id": f"batch_req_{n}", "custom_id": custom_id, "response": None,
                       "error": {"code": code, "message": "This request could not be executed before the "
                                                          "completion window expired."}})


# --------------------------------------------------------------------------- a pipeline stand-in
# The control-flow tests below need prepare/finalize only; the real Pipeline is tested at the end.


@dataclass
class Prepared:
    articles: list[Article]
    request: ChatRequest | None


class StandInPipeline:
    def __init__(self, map_reduce: set[str] = frozenset()) -> None:
        self.backend = OpenAIBackend("gpt-4o-mini", api_key="sk-test-not-real-0000", response_format="json_schema")
        self.map_reduce = map_reduce

    def prepare(self, articles):
        if not articles:
            raise errors.InputError("no articles to summarize")
        if articles[0].id.split("-")[0] in self.map_reduce:
            return Prepared(list(articles), None)
        user = "\n".join(f'<article number="{i}" outlet="{a.outlet}">\nTitle: {a.title}\n{a.text}\n</article>'
                         for i, a in enumerate(articles, 1))
        return Prepared(list(articles), ChatRequest(
            messages=({"role": "system", "content": "Brief writer."}, {"role": "user", "content": user}),
            schema={"type": "object", "properties": {"title": {"type": "string"}}}, schema_name="story_brief",
            max_tokens=900, purpose="synthesize"))

    def finalize(self, prepared, completion: Completion) -> StoryBrief:
        if completion.refusal:
            raise errors.RefusalError(f"the model refused: {completion.refusal}")
        try:
            draft = completion.json()
            ids = [a.id for a in prepared.articles]
            return StoryBrief(title=draft["title"], summary=Summary([
                CitedSentence(text=s["text"], sources=[ids[n - 1] for n in s["sources"]]) for s in draft["summary"]]))
        except (ValueError, KeyError, TypeError) as exc:
            raise errors.OutputValidationError(f"the model's output failed validation: {exc}") from exc


# --------------------------------------------------------------------------- writing requests


def test_write_requests_has_the_api_shape(tmp_path):
    pipeline = StandInPipeline(map_reduce={"big"})
    clusters = [cluster("c1"), cluster("c2"), cluster("big"), cluster("c1"),
                Cluster(id="empty", articles=[])]
    path = tmp_path / "requests.jsonl"
    result = write_requests(clusters, pipeline, path)
    assert result.written == ["c1", "c2"]
    assert set(result.skipped) == {"big", "empty"}
    assert "map-reduce" in result.skipped["big"] and result.skipped["empty"].startswith("InputError")

    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["custom_id"] for r in rows] == ["c1", "c2"]
    for row in rows:
        assert set(row) == {"custom_id", "method", "url", "body"}
        assert row["method"] == "POST" and row["url"] == ENDPOINT == "/v1/chat/completions"
        body = row["body"]
        assert body["model"] == "gpt-4o-mini" and body["max_tokens"] == 900
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["name"] == "story_brief"
    # Exactly what the backend would POST for the same request.
    prepared = pipeline.prepare(cluster("c2").articles)
    assert rows[1]["body"] == pipeline.backend.request_body(prepared.request)
    assert "sk-test" not in path.read_text()  # the key is never part of a request body


def test_write_requests_needs_an_openai_backend(tmp_path):
    pipeline = StandInPipeline()
    pipeline.backend = type("Local", (), {"name": "local"})()
    with pytest.raises(errors.ConfigError, match="openai backend"):
        write_requests([cluster("c1")], pipeline, tmp_path / "r.jsonl")


# --------------------------------------------------------------------------- reading results


def draft(cid: str) -> str:
    return json.dumps({"title": f"Library opens in {cid}", "summary": [
        {"text": f"The mayor of {cid} opened a new library on Monday.", "sources": [1], "facts": [1]},
        {"text": f"A library opened in {cid} this week.", "sources": [2], "facts": [1]}]})


def test_completion_from_body():
    body = json.loads(output_line("x", "{}", finish_reason="length"))["response"]["body"]
    c = completion_from_body(body, "req_9")
    assert (c.text, c.finish_reason, c.request_id, c.model) == ("{}", "length", "req_9", "gpt-4o-mini-2024-07-18")
    assert (c.usage.prompt_tokens, c.usage.completion_tokens) == (512, 120)
    with pytest.raises(errors.BackendError, match="no choices"):
        completion_from_body({"id": "x", "choices": []})


def test_read_results_maps_every_line_to_a_brief_or_a_typed_error(tmp_path):
    ids = ["ok1", "ok2", "refused", "cut", "badjson", "http400", "http429", "expired", "missing"]
    clusters = [cluster(c) for c in ids]
    out = tmp_path / "output.jsonl"
    out.write_text("\n".join([
        output_line("ok2", draft("ok2"), n=2),  # results come back in any order
        output_line("ok1", draft("ok1"), n=1),
        output_line("refused", None, refusal="I can't help with that.", n=3),
        output_line("cut", draft("cut")[:40], finish_reason="length", n=4),
        output_line("badjson", '{"title": "x", "summary": 5}', n=5),
        output_line("http400", None, status=400, n=6),
        output_line("http429", None, status=429, n=7),
        output_line("ok1", draft("ok1"), n=8),  # a repeated result is ignored
        output_line("stranger", draft("stranger"), n=10),
        "not json at all",
    ]) + "\n")
    err = tmp_path / "errors.jsonl"
    err.write_text(error_line("expired") + "\n")

    results = dict(read_results([out, err], clusters, StandInPipeline()))
    assert isinstance(results["ok1"], StoryBrief) and results["ok1"].title == "Library opens in ok1"
    assert results["ok1"].summary[1].sources == ["ok1-b"]
    assert isinstance(results["ok2"], StoryBrief)
    assert isinstance(results["refused"], errors.RefusalError)
    assert isinstance(results["cut"], errors.LengthError)
    assert isinstance(results["badjson"], errors.OutputValidationError)
    assert isinstance(results["http400"], errors.BackendError) and results["http400"].status_code == 400
    assert "Invalid 'messages'" in str(results["http400"]) and results["http400"].request_id == "req_6"
    assert isinstance(results["http429"], errors.RateLimitError)
    assert isinstance(results["expired"], errors.BackendError) and "batch_expired" in str(results["expired"])
    assert isinstance(results["missing"], errors.BackendError) and "no result" in str(results["missing"])
    assert isinstance(results["stranger"], errors.InputError)
    assert set(results) == set(ids) | {"stranger"}


def test_read_results_needs_the_file(tmp_path):
    with pytest.raises(errors.InputError, match="no such results file"):
        list(read_results(tmp_path / "nope.jsonl", [cluster("a")], StandInPipeline()))


def test_collect_results_writes_batch_files_and_resumes(tmp_path):
    clusters = [cluster(c) for c in ("a", "b", "c", "big")]
    results = tmp_path / "output.jsonl"
    results.write_text(output_line("a", draft("a"), n=1) + "\n" + output_line("b", "{", n=2) + "\n")
    out = tmp_path / "briefs.jsonl"
    report = collect_results(results, clusters, StandInPipeline(map_reduce={"big"}), out)
    assert report.completed == ["a"]
    assert report.failure_reasons() == Counter({"OutputValidationError": 1, "BackendError": 2})
    assert (report.lost, report.duplicated) == (0, 0)
    again = collect_results(results, clusters, StandInPipeline(map_reduce={"big"}), out)
    assert again.completed == [] and sorted(again.skipped) == ["a", "b", "big", "c"]
    assert again.duplicated == 0
    failures = [json.loads(x)["cluster_id"] for x in default_failures_path(out).read_text().splitlines()]
    assert sorted(failures) == ["b", "big", "c"]


# --------------------------------------------------------------------------- the real pipeline, round trip


def _pipeline_imports() -> bool:
    try:
        import summarizer.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _pipeline_imports(), reason="summarizer.pipeline does not import")
def test_round_trip_with_the_real_pipeline(tmp_path):
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline

    pipeline = Pipeline(OpenAIBackend("gpt-4o-mini", api_key="sk-unused-0000000"), Config(use_cache=False))
    clusters = [cluster("north"), cluster("south")]
    req_path = tmp_path / "requests.jsonl"
    written = write_requests(clusters, pipeline, req_path)
    assert written.written == ["north", "south"]
    # "Run" the batch: answer each request body the way a model would, in the API's output shape.
    lines = []
    for n, line in enumerate(req_path.read_text().splitlines(), 1):
        req = json.loads(line)
        lines.append(output_line(req["custom_id"], draft_responder(req["body"]), n=n))
    out = tmp_path / "output.jsonl"
    out.write_text("\n".join(reversed(lines)) + "\n")
    results = dict(read_results(out, clusters, pipeline))
    for cid in ("north", "south"):
        brief = results[cid]
        assert isinstance(brief, StoryBrief), brief
        assert brief.run.llm_calls == 1 and brief.run.prompt_tokens == 512
        assert {s.article_id for s in brief.sources} == {f"{cid}-a", f"{cid}-b"}
        assert all(set(s.sources) <= {f"{cid}-a", f"{cid}-b"} for s in brief.summary)


def test_request_file_is_written_atomically(tmp_path, monkeypatch):
    path = tmp_path / "requests.jsonl"
    path.write_text("previous file\n")
    import os

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_requests([cluster("c1")], StandInPipeline(), path)
    assert path.read_text() == "previous file\n"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["requests.jsonl"]  # no temp file left behind

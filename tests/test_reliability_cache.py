"""The answer cache never replays a bad answer, keys on everything that shapes one, and survives junk entries."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fault_server import Fault, FaultServer, draft_responder

from summarizer import errors
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.testing import FakeBackend, FunctionBackend
from summarizer.config import Config
from summarizer.pipeline import Pipeline


@pytest.fixture
def articles(seed_cluster):
    return seed_cluster.articles()


def cfg(tmp_path: Path, **kw) -> Config:
    # the JSON draft: what an answer must be to be cached is its schema (the prose call's rule is
    # tested in test_drafts.py)
    return Config(cache_dir=tmp_path / "cache", **{"draft": "json", **kw})


def answer(request) -> str:
    """A valid answer built from the request's own articles (the fault server's responder)."""
    body = {"messages": [dict(m) for m in request.messages],
            "response_format": {"type": "json_schema", "json_schema": {"schema": dict(request.schema or {})}}}
    return draft_responder(body)


def healthy() -> FunctionBackend:
    """Always a valid answer (a re-ask, if grounding wants one, gets one too)."""
    return FunctionBackend(answer)


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "responses").rglob("*.json"))


@pytest.mark.parametrize("bad", ['{"title": "cut off', json.dumps({"title": 7, "summary": "not a list"})])
def test_invalid_answers_are_not_cached_so_a_healthy_rerun_recovers(articles, tmp_path, bad):
    with pytest.raises(errors.OutputValidationError):
        Pipeline(FakeBackend([bad, bad]), cfg(tmp_path, max_reasks=1)).run(articles)
    assert cache_files(tmp_path) == []  # neither bad answer was stored
    backend = healthy()
    brief = Pipeline(backend, cfg(tmp_path, max_reasks=1)).run(articles)
    assert backend.requests and brief.run.llm_calls >= 1 and brief.run.cache_hits == 0
    assert len(cache_files(tmp_path)) == len(backend.requests)  # valid answers are stored


def test_retry_failed_against_a_healthy_server_asks_again(articles, tmp_path):
    """The issue's scenario: a server served truncated JSON; the next run must reach the server."""
    config = cfg(tmp_path, max_reasks=1)
    with FaultServer(script=[Fault.truncated(), Fault.truncated()]) as bad, \
            pytest.raises(errors.OutputValidationError):
        Pipeline(OpenAIBackend("m", base_url=bad.base_url, max_retries=0), config).run(articles)
    with FaultServer() as good:
        brief = Pipeline(OpenAIBackend("m", base_url=good.base_url, max_retries=0), config).run(articles)
        assert len(good.completions) >= 1 and brief.run.cache_hits == 0


def test_the_key_holds_the_base_url(articles, tmp_path):
    config = cfg(tmp_path)
    with FaultServer() as one, FaultServer() as two:
        Pipeline(OpenAIBackend("same-model", base_url=one.base_url, max_retries=0), config).run(articles)
        brief = Pipeline(OpenAIBackend("same-model", base_url=two.base_url, max_retries=0), config).run(articles)
        sent = len(two.completions)
        assert sent >= 1 and brief.run.cache_hits == 0
        # the same server again is a hit
        again = Pipeline(OpenAIBackend("same-model", base_url=two.base_url, max_retries=0), config).run(articles)
        assert again.run.cache_hits >= 1 and len(two.completions) == sent


def test_the_key_holds_the_response_format(articles, tmp_path):
    from summarizer.pipeline.calls import Caller

    def key(fmt: str) -> str:
        backend = OpenAIBackend("m", base_url="http://127.0.0.1:1/v1", response_format=fmt)  # type: ignore[arg-type]
        request = Pipeline(backend, cfg(tmp_path)).prepare(articles).request
        return Caller(backend, None, lambda m: None, 1).key(request)

    assert key("json_schema") != key("json_object")


@pytest.mark.parametrize("junk", ["{}", "[]", '{"text": 5}', '"text"', '{"text": "x", "finish_reason": 3}'])
def test_a_cache_entry_of_the_wrong_shape_is_a_miss_with_a_warning(articles, tmp_path, junk, caplog):
    config = cfg(tmp_path)
    Pipeline(healthy(), config).run(articles)
    for entry in cache_files(tmp_path):
        entry.write_text(junk, encoding="utf-8")
    backend = healthy()
    with caplog.at_level(logging.WARNING):
        brief = Pipeline(backend, config).run(articles)
    assert backend.requests and brief.run.cache_hits == 0
    assert "cache entry" in caplog.text


def test_a_cache_that_cannot_be_written_is_a_warning_and_the_brief_still_comes_back(articles, tmp_path, caplog):
    (tmp_path / "file.txt").write_text("a file, not a folder")
    config = Config(cache_dir=tmp_path / "file.txt" / "cache")
    backend = healthy()
    pipeline = Pipeline(backend, config)
    with caplog.at_level(logging.WARNING, logger="summarizer.cache"):
        brief = pipeline.run(articles)
        again = pipeline.run(articles)  # nothing was cached: asked again, and not warned again
    assert brief.summary and again.summary and len(backend.requests) >= 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "summarizer.cache"]
    assert len(warnings) == 1 and "SUMMARIZER_CACHE_DIR" in warnings[0]  # once, however many answers

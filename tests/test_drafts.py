"""The drafts code writes: the model's prose cited by alignment, and the extractive backend's brief."""

from __future__ import annotations

import pytest

from summarizer import errors
from summarizer.backends.base import ChatRequest
from summarizer.backends.extractive import ExtractiveBackend
from summarizer.backends.testing import FakeBackend
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.pipeline.drafts import entity_topics, parse_prose, prose_draft
from summarizer.schema import StoryBrief


def _pipeline(backend, tmp_path, **kw) -> Pipeline:
    return Pipeline(backend, Config(cache_dir=tmp_path / "cache", **kw))


@pytest.mark.parametrize("answer, title, sentences", [
    ("Putin confirms troops\n\nPutin spoke on Thursday. He did not deny it.",
     "Putin confirms troops", ["Putin spoke on Thursday.", "He did not deny it."]),
    ("**Headline:** \"Putin confirms troops\"\nSummary: Putin spoke on Thursday.",
     "Putin confirms troops", ["Putin spoke on Thursday."]),
    ("# Title: Putin confirms troops.\n\n\n", "Putin confirms troops", []),
    ("", "", []),
    # no headline line: the paragraph alone, its first sentence cut to a headline (the seed's real answer, shortened)
    (("Russian President Vladimir Putin addresses North Korean troop deployment to Russia, stating it is up to "
     "Moscow how to run its mutual defense clause. The Russian parliament ratified a treaty."),
     "Russian President Vladimir Putin addresses North Korean troop deployment to Russia",
     [("Russian President Vladimir Putin addresses North Korean troop deployment to Russia, stating it is up to "
      "Moscow how to run its mutual defense clause."), "The Russian parliament ratified a treaty."]),
    ("Putin spoke on Thursday. He did not deny it.\nThe parliament ratified a treaty.",
     "Putin spoke on Thursday", ["Putin spoke on Thursday.", "He did not deny it.", "The parliament ratified a treaty."]),
    # one long sentence alone is the paragraph too; a short line alone is a headline
    (("The Russian parliament ratified a North Korea-Russia treaty that includes provisions for mutual military assistance "
     "on Thursday."), "", [("The Russian parliament ratified a North Korea-Russia treaty that includes provisions for "
                          "mutual military assistance on Thursday.")]),
    ("Putin confirms troops", "Putin confirms troops", []),
    # tags the model wraps its paragraph in (dev: "<paragraph>Joe Rogan ...</paragraph>") are no part of it
    (("Rogan admits he almost got vaccinated\n<paragraph>Joe Rogan admitted he almost got vaccinated.</paragraph> "
     "He missed it. </news brief>"),
     "Rogan admits he almost got vaccinated", ["Joe Rogan admitted he almost got vaccinated.", "He missed it."]),
])
def test_parse_prose_takes_the_first_line_as_headline_and_strips_labels(answer, title, sentences):
    assert parse_prose(answer) == (title, sentences)


def test_a_long_first_line_is_cut_to_its_first_clause_or_left_to_the_lead_headline():
    long = ("Russian President Vladimir Putin addresses North Korean troop deployment to Russia, marking his "
            "first remarks regarding the assessment made by Western officials")
    assert parse_prose(long + "\nBody.")[0] == "Russian President Vladimir Putin addresses North Korean troop deployment to Russia"
    assert parse_prose(" ".join(["word"] * 20) + "\nBody.")[0] == ""


def _prepared(seed_cluster, tmp_path):
    return _pipeline(FakeBackend(), tmp_path).prepare(seed_cluster.articles())


def test_a_copied_fact_is_cited_to_that_fact_and_a_fused_sentence_to_both(seed_cluster, tmp_path):
    prep = _prepared(seed_cluster, tmp_path)
    facts = prep.sheet.facts
    one, two = facts[0].text, facts[1].text
    draft = prose_draft(prep, f"Headline\n{one} {two}")
    assert [line.facts for line in draft.summary] == [(1,), (2,)]
    # Two facts in one sentence: cited to both (the words of each, with nothing of its own).
    fused = prose_draft(prep, f"Headline\n{one.rstrip('.')}, and {two[0].lower()}{two[1:]}")
    assert set(fused.summary[0].facts) >= {1, 2}


def test_a_sentence_that_reverses_its_fact_is_not_cited_to_a_fact_it_contradicts(seed_cluster, tmp_path):
    prep = _prepared(seed_cluster, tmp_path)
    # A real sheet fact with "not" taken out: no fact bears it out, so it is cited to the closest
    # one, against which the truth layer then judges it.
    negated = next(f for f in prep.sheet.facts if " not " in f.text)
    reversed_ = negated.text.replace(" not ", " ", 1)
    draft = prose_draft(prep, f"Headline\n{reversed_}")
    assert len(draft.summary) == 1
    brief = _pipeline(FakeBackend([f"Putin on North Korean troops\n{reversed_}"]), tmp_path).run(
        seed_cluster.articles())
    assert all(s.text != reversed_ for s in [*brief.summary, *brief.key_points])
    assert any(i.where == "summary[0]" and i.action in ("repaired", "dropped") for i in brief.grounding.issues)


def test_the_prose_call_is_one_plain_text_request_with_a_shared_prefix(seed_cluster, tmp_path):
    articles = seed_cluster.articles()
    prep = _prepared(seed_cluster, tmp_path)
    answer = "Putin does not deny North Korean troops in Russia\n" + " ".join(f.text for f in prep.sheet.facts[:2])
    backend = FakeBackend([answer, answer])
    brief = _pipeline(backend, tmp_path, use_cache=False).run(articles)
    (request,) = backend.requests[:1]
    assert request.schema is None and request.purpose == "prose"
    assert brief.run.llm_calls == 1 and brief.title.startswith("Putin does not deny")
    assert [s.origin for s in brief.summary][:2] == ["model", "model"]
    assert all(s.evidence for s in brief.summary if s.origin == "model")
    assert brief.perspectives and brief.topics  # code writes them
    # Another cluster's prompt opens with the same tokens up to its facts: the system prompt and the
    # instructions (what llama.cpp evaluates once per process).
    _pipeline(backend, tmp_path, use_cache=False).run(articles[:2])
    first, second = (_flat(r) for r in backend.requests)
    shared = first[: first.index("Facts, the most important first:")]
    assert second.startswith(shared) and len(shared) > 800


def _flat(request: ChatRequest) -> str:
    return "\n".join(m["content"] for m in request.messages)


def test_the_json_draft_is_still_there_for_comparison(seed_cluster, tmp_path):
    backend = FakeBackend([RuntimeError("stop here")])
    with pytest.raises(RuntimeError):
        _pipeline(backend, tmp_path, draft="json").run(seed_cluster.articles())
    assert backend.requests[0].schema is not None and backend.requests[0].purpose == "synthesize"


def test_the_extractive_backend_makes_a_checked_brief_with_no_call(seed_cluster, tmp_path):
    articles = seed_cluster.articles()
    brief = _pipeline(ExtractiveBackend(), tmp_path).run(articles)
    StoryBrief.model_validate(brief.model_dump(), context={"articles": articles})
    assert brief.run.llm_calls == 0 and brief.run.backend == "extractive"
    assert brief.title in {a.title for a in articles}
    assert len(brief.summary) >= 3 and all(s.origin in ("coverage", "disagreement") for s in brief.summary)
    assert brief.key_points and brief.perspectives and brief.topics
    with pytest.raises(errors.BackendError, match="writes nothing"):
        ExtractiveBackend().complete(ChatRequest(messages=()))


def test_the_extractive_backend_is_a_setting(tmp_path):
    from summarizer.backends.factory import make_backend
    from summarizer.config import resolve

    assert isinstance(make_backend(resolve({"backend": "extractive"})), ExtractiveBackend)
    assert resolve(env={"SUMMARIZER_BACKEND": "extractive"}).resolved_backend == "extractive"


def test_topics_are_the_entities_most_articles_name(seed_cluster, tmp_path):
    prep = _prepared(seed_cluster, tmp_path)
    topics = entity_topics(prep.evidence.entities, len(prep.articles))
    assert 1 <= len(topics) <= 3 and "Russia" in topics


def test_a_usable_prose_answer_is_cached_and_an_unusable_one_is_asked_again(seed_cluster, tmp_path):
    articles = seed_cluster.articles()
    junk = FakeBackend(['{"title": 7, "summary": "not a list"}'])
    brief = _pipeline(junk, tmp_path).run(articles)  # nothing usable: the lead headline and the top facts
    assert brief.title in {a.title for a in articles} and brief.summary
    prep = _prepared(seed_cluster, tmp_path)
    good = FakeBackend([f"Putin on North Korean troops\n{prep.sheet.facts[0].text}"])
    first = _pipeline(good, tmp_path).run(articles)  # the junk was not cached: asked again
    again = _pipeline(FakeBackend([]), tmp_path).run(articles)  # the usable answer was: no call
    assert len(good.requests) == 1 and first.run.cache_hits == 0
    assert again.run.cache_hits == 1 and str(again.summary) == str(first.summary)


def test_an_answer_cut_off_at_its_token_bound_loses_its_unfinished_sentence(seed_cluster, tmp_path):
    prep = _prepared(seed_cluster, tmp_path)
    text = f"Headline\n{prep.sheet.facts[0].text} Putin said on Thursday that the"
    assert len(prose_draft(prep, text).summary) == 2
    assert [line.text for line in prose_draft(prep, text, cut_off=True).summary] == [prep.sheet.facts[0].text]

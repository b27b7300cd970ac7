"""The eval scorers and their text matching, on hand-built articles and briefs."""

from __future__ import annotations

import math

import pytest

from summarizer.schema import (
    Article,
    CitedSentence,
    Claim,
    Disagreement,
    Entities,
    Entity,
    Perspective,
    Quote,
    RunMetadata,
    Source,
    Statement,
    StoryBrief,
    Summary,
)
from summarizer_evals import matching as m
from summarizer_evals import scorers as s
from summarizer_evals.datasets import Fact, Reference

A1 = Article(
    id="a1",
    title="Putin does not deny troops",
    text=(
        "Russian President Vladimir Putin said: \u201cImages are a serious thing. If there are images, then "
        "they reflect something.\u201d The State Duma ratified the treaty on Thursday.\n"
        "South Korea\u2019s intelligence agency said 3,000 North Korean troops were sent."
    ),
)
A2 = Article(
    id="a2",
    title="Ukraine warns",
    text=(
        "Ukraine said as many as 12,000 North Korean soldiers could be deployed to Kursk. "
        'U.S. Defense Secretary Lloyd Austin called it "a very, very serious issue." Three generals were seen.'
    ),
)
ARTICLES = [A1, A2]


def brief(
    summary: list[tuple[str, list[str]]] | None = None,
    quotes: list[tuple[str, str, str]] = (),  # (speaker, article_id, text)
    claims: list[tuple[str, str, list[str], str]] = (),  # (value, claimant, sources, evidence)
    entities: dict[str, list[str]] | None = None,
    key_points: list[tuple[str, list[str]]] = (),
    run: RunMetadata | None = None,
) -> StoryBrief:
    summary = summary or [
        ("Vladimir Putin did not deny that North Korean troops were in Russia.", ["a1"]),
        ("South Korea estimated 3,000 troops; Ukraine said up to 12,000.", ["a1", "a2"]),
    ]
    perspectives = [
        Perspective(
            actor=sp,
            statements=[Statement(speaker=sp, renderings=[Quote(text=t, speaker=sp, article_id=aid)])],
        )
        for sp, aid, t in quotes
    ]
    disagreements = (
        [
            Disagreement(
                subject="How many troops",
                claims=[Claim(value=v, claimant=c, sources=src, evidence=e) for v, c, src, e in claims],
            )
        ]
        if claims
        else []
    )
    ents = entities or {}
    return StoryBrief(
        title="Putin does not deny troops",
        summary=Summary([CitedSentence(text=t, sources=src) for t, src in summary]),
        key_points=[CitedSentence(text=t, sources=src) for t, src in key_points],
        perspectives=perspectives,
        disagreements=disagreements,
        sources=[Source(article_id=a.id) for a in ARTICLES],
        entities=Entities(**{k: [Entity(name=n) for n in v] for k, v in ents.items()}),
        run=run or RunMetadata(),
    )


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("Images are a serious thing.", True),
        (
            '"Images are a serious thing. If there are images, then they reflect something."',
            True,
        ),  # straight marks
        ("Images  are a\nserious thing", True),  # whitespace differs
        ("Images are a serious thing ... they reflect something", True),  # elision, in order
        ("they reflect something \u2026 Images are a serious thing", False),  # elision, wrong order
        ("images are a serious thing", False),  # case is part of verbatim
        ("Images are a very serious thing", False),  # a word added
        ("", False),
    ],
)
def test_find_verbatim(quote, found):
    assert m.find_verbatim(quote, A1.text) is found


def test_numbers_in_reads_digits_scales_and_words():
    got = {
        v for _, v in m.numbers_in("3,000 troops, 12 thousand more, 1.5 million, three generals, 24th, 40%")
    }
    assert {3000.0, 12000.0, 1_500_000.0, 3.0, 24.0, 40.0} <= got
    assert m.numbers_in("one of the soldiers") == []  # 'one' as a pronoun is not a count
    assert m.numbers_in("Ten soldiers", words_too=False) == []


def test_number_values_include_base_and_scaled():
    assert {3.0, 3000.0} <= m.number_values("3 thousand troops")
    assert 12000.0 in m.number_values("12,000")


def test_names_in_drops_sentence_openers_and_splits_sentences():
    names = m.names_in(
        "The Kremlin said so. According to Lloyd Austin, Russia's Kursk region. Says nothing. Emmanuel Macron. Putin met Mr. Kim."
    )
    assert names == ["Kremlin", "Lloyd Austin", "Russia's Kursk", "Emmanuel Macron", "Kim"]


def test_source_index_accepts_variants_and_rejects_inventions():
    index = m.SourceIndex([A1.text, A2.text, "Volodymyr Zelenskyy spoke."])
    assert index.has_name("Zelensky")  # transliteration
    assert m.SourceIndex(["Russia and Ukraine"]).has_name(
        "Russian Federation"
    )  # an alias of a word in the text
    assert m.SourceIndex(["Ukraine and Belarus"]).has_name("Russian Federation") is False
    assert index.has_name("Emmanuel Macron") is False
    assert index.has_number(3000.0) and index.has_number(3.0) and not index.has_number(4500.0)


@pytest.mark.parametrize(
    ("a", "b", "kind", "same"),
    [
        ("Kim Jong Un", "Kim Jong-Un", "persons", True),
        ("Putin", "Vladimir Putin", "persons", True),
        ("Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "persons", True),
        ("Vladimir Putin", "Dmitry Peskov", "persons", False),
        ("Russia", "Russian Federation", "countries", True),
        ("South Korea", "Korea, Republic of", "countries", True),
        ("North Korea", "Korea, Democratic People's Republic of", "countries", True),
        ("North Korea", "Korea, Republic of", "countries", False),
        ("U.S.", "United States", "countries", True),
        ("NATO", "North Atlantic Treaty Organisation", "organizations", True),
        ("Kremlin", "The Kremlin", "organizations", True),
        (
            "Ukraine's Defense Intelligence Directorate (HUR)",
            "Defense Intelligence Directorate",
            "organizations",
            True,
        ),
        ("Russian Foreign Ministry", "German Foreign Ministry", "organizations", False),
    ],
)
def test_same_entity(a, b, kind, same):
    assert m.same_entity(a, b, kind) is same
    assert m.same_entity(b, a, kind) is same


def test_match_entities_is_one_to_one():
    pairs = m.match_entities(["Putin", "Vladimir Putin"], ["Vladimir Putin"], "persons")
    assert pairs == [("Putin", "Vladimir Putin")]


# --------------------------------------------------------------------------- scorers


def test_schema_validity_and_reasks():
    good = brief(run=RunMetadata(reasks=2))
    assert s.score_schema(good).metrics == {"schema_valid": 1.0, "reasks": 2.0}
    assert s.score_schema(good.model_dump(mode="json")).metrics["schema_valid"] == 1.0
    bad = s.score_schema({"title": "x", "summary": "not a list"})
    assert bad.metrics["schema_valid"] == 0.0 and bad.details["schema_errors"]
    assert s.score_schema(None, reasks=1).metrics == {"schema_valid": 0.0, "reasks": 1.0}


def test_quote_verbatim_rate_counts_fabrications_and_wrong_article():
    b = brief(
        quotes=[
            ("Putin", "a1", "Images are a serious thing."),
            ("Austin", "a2", "a very, very serious issue"),
            ("Putin", "a2", "Images are a serious thing."),  # real words, wrong article
            ("Putin", "a1", "We will win this war."),  # invented
        ]
    )
    got = s.score_quotes(b, ARTICLES)
    assert got.metrics["quotes"] == 4 and got.metrics["quotes_fabricated"] == 2
    assert got.metrics["quote_verbatim_rate"] == 0.5
    assert len(got.details["fabricated_quotes"]) == 2
    assert s.score_quotes(brief(), ARTICLES).metrics["quote_verbatim_rate"] is None  # nothing to check


def test_evidence_verbatim_rate():
    b = brief(
        claims=[
            ("3,000", "South Korea", ["a1"], "3,000 North Korean troops were sent"),
            ("12,000", "Ukraine", ["a2"], "Ukraine said 20,000 soldiers"),
        ]
    )
    assert s.score_quotes(b, ARTICLES).metrics["evidence_verbatim_rate"] == 0.5


def test_citations_dangling_and_support():
    b = brief(
        summary=[
            ("Vladimir Putin did not deny it.", ["a1"]),  # supported
            ("Lloyd Austin called it serious.", ["a1"]),  # Austin is only in a2: unsupported by its citation
            ("About 4,500 troops were sent.", ["a1", "a2"]),  # 4,500 is in no article
            ("Ukraine said 12,000.", ["a9"]),  # dangling only
        ],
        key_points=[("Three generals were seen.", [])],  # uncited
    )
    got = s.score_citations(b, ARTICLES)
    assert got.metrics["dangling_citations"] == 1
    assert got.metrics["citations"] == 7  # 1+1+2+1 in the summary, plus the two sources
    assert got.metrics["citation_validity"] == pytest.approx(6 / 7)
    assert got.metrics["citation_support_rate"] == pytest.approx(1 / 5)
    assert got.metrics["uncited_sentences"] == 1
    assert any("Lloyd Austin" in d for d in got.details["unsupported_citations"])
    assert any("4,500" in d for d in got.details["unsupported_citations"])


def test_claims_are_checked_against_their_own_sources():
    b = brief(claims=[("3,000 troops", "South Korea", ["a1"], ""), ("12,000 troops", "Ukraine", ["a1"], "")])
    got = s.score_citations(b, ARTICLES)
    # 2 summary sentences supported, the 3,000 claim supported, the 12,000 claim cites the wrong article.
    assert got.metrics["citation_support_rate"] == pytest.approx(3 / 4)


def test_hallucinations_find_invented_numbers_and_names():
    good = s.score_hallucinations(brief(), ARTICLES)
    assert good.metrics == {"hallucinated_numbers": 0.0, "hallucinated_names": 0.0, "hallucination_rate": 0.0}
    bad = s.score_hallucinations(
        brief(
            summary=[
                ("Emmanuel Macron said 4,500 troops crossed into Kursk.", ["a2"]),
                ("Putin met Kim Jong Un.", ["a1"]),
            ],
            entities={"persons": ["Xi Jinping"]},
        ),
        ARTICLES,
    )
    assert bad.metrics["hallucinated_numbers"] == 1 and bad.metrics["hallucinated_names"] == 3
    assert set(bad.details["hallucinated"]) == {"4,500", "Emmanuel Macron", "Kim Jong Un", "Xi Jinping"}
    assert 0 < bad.metrics["hallucination_rate"] < 1


FACTS = [
    Fact("kursk", "troops in Kursk", ((r"\bKursk\b",),)),
    Fact("est_3000", "3,000 per South Korea", ((r"\b3,?000\b",), ("South Korea", "Seoul"))),
]


def test_key_fact_coverage_needs_every_group():
    assert s.score_facts(brief(), FACTS).metrics["key_fact_coverage"] == 0.5  # 3,000 + South Korea; no Kursk
    with_kursk = brief(key_points=[("Troops were seen in Kursk.", ["a2"])])
    assert s.score_facts(with_kursk, FACTS).metrics["key_fact_coverage"] == 1.0
    only_number = brief(summary=[("Some 3,000 troops went.", ["a1"]), ("More may follow.", ["a1"])])
    got = s.score_facts(only_number, FACTS)
    assert got.metrics["key_fact_coverage"] == 0.0 and got.details["missing_facts"] == ["kursk", "est_3000"]
    assert s.score_facts(brief(), []).metrics["key_fact_coverage"] is None


def test_a_fact_must_be_stated_in_one_sentence():
    us = Fact("us_reaction", "the US called it serious", (("United States",), ("serious",)))
    apart = brief(
        summary=[("Putin said images are serious.", ["a1"]), ("The United States estimated 3,000.", ["a1"])]
    )
    assert s.score_facts(apart, [us]).metrics["key_fact_coverage"] == 0.0
    together = brief(summary=[("The United States called it serious.", ["a2"]), ("More may follow.", ["a1"])])
    assert s.score_facts(together, [us]).metrics["key_fact_coverage"] == 1.0


def test_facts_are_found_in_disagreements_too():
    b = brief(
        summary=[("Putin spoke.", ["a1"]), ("Troops were sent.", ["a1"])],
        claims=[
            ("3,000 troops", "South Korea's intelligence agency", ["a1"], ""),
            ("12,000 troops", "Ukraine", ["a2"], ""),
        ],
    )
    assert s.score_facts(b, FACTS[1:]).metrics["key_fact_coverage"] == 1.0


def test_entity_precision_recall_with_fuzzy_names():
    ref = Reference(
        persons=("Vladimir Putin", "Kim Jong-Un", "Dmitry Peskov"),
        countries=("Russian Federation", "Korea, Republic of"),
    )
    b = brief(
        entities={"persons": ["Putin", "Kim Jong Un", "Lloyd Austin"], "countries": ["Russia", "South Korea"]}
    )
    got = s.score_entities(b, ARTICLES, ref, gold={"persons": ("Lloyd Austin",), "countries": ("Ukraine",)})
    assert got.metrics["entity_precision_ref"] == pytest.approx(4 / 5)
    assert got.metrics["entity_recall_ref"] == pytest.approx(4 / 5)
    assert got.metrics["entity_recall_gold"] == pytest.approx(1 / 2)
    assert got.details["missed_entities"] == {"countries": ["Ukraine"]}
    # 'Kim Jong Un' is not in these two articles' text; everything else is.
    assert got.metrics["entity_precision_text"] == pytest.approx(4 / 5)
    assert got.details["entities_not_in_text"] == ["Kim Jong Un"]


def test_entity_scores_without_references_are_none():
    got = s.score_entities(brief(), ARTICLES, None, None)
    assert got.metrics["entity_precision_ref"] is None and got.metrics["entity_recall_gold"] is None
    assert got.metrics["entity_precision_text"] is None  # no entities listed


def test_neutrality_rate_and_delta():
    b = brief(
        summary=[
            ("Putin slammed the so-called sanctions in a shocking speech.", ["a1"]),
            ("The Duma ratified the treaty.", ["a1"]),
        ]
    )
    ref = Reference(summary="The Duma ratified the treaty with North Korea on Thursday, officials said.")
    got = s.score_neutrality(b, ref)
    words = len(m.words(" ".join(x.text for x in b.summary)))
    assert got.details["loaded_terms"] == ["slammed", "so-called", "shocking"]
    assert got.metrics["loaded_per_100w"] == pytest.approx(300 / words)
    assert got.metrics["loaded_per_100w_ref"] == 0.0
    assert got.metrics["loaded_delta"] == pytest.approx(got.metrics["loaded_per_100w"])
    assert s.score_neutrality(b, None).metrics["loaded_delta"] is None


def test_rouge():
    ref = Reference(summary="Putin did not deny that North Korean troops are in Russia.")
    same = s.score_rouge("Putin did not deny that North Korean troops are in Russia.", ref)
    assert same.metrics == {
        "rouge1": pytest.approx(1.0),
        "rouge2": pytest.approx(1.0),
        "rougeL": pytest.approx(1.0),
        "rougeLsum": pytest.approx(1.0),
    }
    other = s.score_rouge("The weather in Paris was mild.", ref)
    assert other.metrics["rouge1"] < 0.2
    assert s.score_rouge("anything", None).metrics["rougeL"] is None


def test_length_and_cost():
    b = brief(
        summary=[("One two three four.", ["a1"]), ("Five six.", ["a2"])],
        run=RunMetadata(llm_calls=2, prompt_tokens=100, completion_tokens=20, duration_s=1.5, cache_hits=1),
    )
    got = s.score_length(b, ARTICLES)
    source_words = sum(len(m.words(a.text)) for a in ARTICLES)
    assert got.metrics["summary_words"] == 6 and got.metrics["summary_sentences"] == 2
    assert got.metrics["compression"] == pytest.approx(6 / source_words)
    assert s.score_cost(b).metrics == {
        "llm_calls": 2.0,
        "prompt_tokens": 100.0,
        "completion_tokens": 20.0,
        "duration_s": 1.5,
        "cache_hits": 1.0,
    }


def test_score_brief_on_an_invalid_brief_scores_schema_only():
    got = s.score_brief({"title": 3}, ARTICLES)
    assert got.metrics["schema_valid"] == 0.0 and "quote_verbatim_rate" not in got.metrics


def test_score_brief_covers_every_metric_it_declares():
    got = s.score_brief(brief(), ARTICLES, reference=Reference(summary="Putin spoke."), facts=FACTS)
    declared = {k for k in s.METRICS if not k.startswith("judge_")}
    assert declared == set(got.metrics)


def test_aggregate_mean_and_standard_error():
    agg = s.aggregate([1.0, 2.0, 3.0, None, 4.0])
    assert (agg.mean, agg.n, agg.min, agg.max) == (2.5, 4, 1.0, 4.0)
    assert agg.se == pytest.approx(math.sqrt(5 / 3) / 2)  # sample sd / sqrt(n)
    assert s.aggregate([None, None]) is None
    assert s.aggregate([0.7]).se == 0.0
    table = s.aggregate_all([{"rougeL": 0.2, "extra": 1.0}, {"rougeL": 0.4, "extra": None}])
    assert table["rougeL"].mean == pytest.approx(0.3) and table["extra"].n == 1


def test_abstraction_counts_copied_sentences_new_words_and_the_models_share():
    articles = [Article(id="a", text="The council approved the budget on Monday. Critics  said it was late.")]
    brief = StoryBrief(title="t", summary=Summary([
        CitedSentence(text="The council approved the budget on Monday.", sources=["a"], origin="fact"),
        CitedSentence(text="The council passed a budget that critics called overdue.", sources=["a"]),
    ]), sources=[Source.from_article(articles[0])])
    got = s.score_abstraction(brief, articles).metrics
    assert got["verbatim_sentences"] == 0.5 and got["model_sentences"] == 0.5
    assert got["novel_words"] == pytest.approx(5 / 16)  # passed, a, that, called, overdue


def test_unfit_sentences_counts_page_furniture_with_its_rule():
    story = CitedSentence(text="The city council approved the budget on Tuesday after a long debate.", sources=["a"])
    caption = CitedSentence(text="FILE - In this Feb. 11, 2007, file photo, the mayor arrives at City Hall.", sources=["a"])
    credit = CitedSentence(text="The Associated Press contributed to this report.", sources=["a"])
    clean = StoryBrief(title="Budget approved", summary=Summary([story]))
    assert s.score_fitness(clean).metrics["unfit_sentences"] == 0
    dirty = clean.model_copy(update={"key_points": [caption, credit]})
    got = s.score_fitness(dirty)
    assert got.metrics["unfit_sentences"] == 2
    assert [(u["where"], u["rule"]) for u in got.details["unfit"]] == [("key_points[0]", "credit"),
                                                                       ("key_points[1]", "credit_line")]

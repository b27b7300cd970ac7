"""How each outlet told it: angle, leads, only-here, stances and blindspots, location, key players,
their truth checks, their rendering, and the framing eval — on the seed articles' real text."""

from __future__ import annotations

import pytest

from summarizer import truth
from summarizer.backends.testing import FakeBackend
from summarizer.config import Config
from summarizer.evidence import collect
from summarizer.evidence.outlets import build_coverage
from summarizer.evidence.players import key_players, story_location
from summarizer.pipeline import Pipeline
from summarizer.schema import (
    Article,
    CitedSentence,
    Coverage,
    Entities,
    Entity,
    KeyPlayer,
    Perspective,
    SentenceRef,
    Source,
    StanceCoverage,
    StoryBrief,
    Summary,
)
from summarizer.text.loaded import find_loaded
from summarizer_evals.datasets import Reference
from summarizer_evals.scorers import framing_text, headline_framing, score_framing

STANCES = {"001": "left", "002": "center", "003": "right", "004": "right"}


@pytest.fixture
def articles(seed_cluster) -> list[Article]:
    return seed_cluster.articles()


@pytest.fixture
def labelled(seed_cluster) -> list[Article]:
    return [a.model_copy(update={"stance": STANCES[a.id]}) for a in seed_cluster.articles()]


def _span(ref: SentenceRef, arts: list[Article]) -> bool:
    art = {a.id: a for a in arts}[ref.article_id]
    return art.text[ref.start : ref.end] == ref.text


def _fact_of(ref: SentenceRef, facts):
    return next(f for f in facts if any((s.article_id, s.start) == (ref.article_id, ref.start) for s in f.sentences))


# --------------------------------------------------------------------------- per outlet


def test_each_outlet_gets_its_headline_angle_leads_and_exclusives(articles):
    ev = collect(articles)
    cov = build_coverage(ev.facts, articles)
    assert cov is not None and [o.article_id for o in cov.outlets] == [a.id for a in articles]
    by_id = {o.article_id: o for o in cov.outlets}
    assert "evasive response" in by_id["002"].angle[0].text  # "Putin doesn't deny deployment of ..."
    assert "did not deny the large-scale deployment" in by_id["004"].angle[0].text
    for o in cov.outlets:
        art = next(a for a in articles if a.id == o.article_id)
        assert o.headline == " ".join(art.title.split())
        refs = o.angle + o.leads + o.only_here
        assert refs and all(r.article_id == o.article_id and _span(r, articles) for r in refs)
        # Leads are the article's first grouped sentences, in text order.
        own = sorted((s for f in ev.facts for s in f.sentences if s.article_id == o.article_id), key=lambda s: s.index)
        assert [r.start for r in o.leads] == [s.start for s in own[:2]]
        # Only-here facts have no other article, best scored first.
        exclusive = [_fact_of(r, ev.facts) for r in o.only_here]
        assert all(f.articles == [o.article_id] for f in exclusive)
        assert [f.score for f in exclusive] == sorted((f.score for f in exclusive), reverse=True)
    shared = _fact_of(by_id["001"].leads[0], ev.facts)
    assert len(shared.articles) > 1 and by_id["001"].leads[0] not in by_id["001"].only_here


def test_one_article_has_no_exclusives_and_no_stances(articles):
    one = articles[:1]
    cov = build_coverage(collect(one).facts, one)
    assert cov is not None and cov.outlets[0].leads and not cov.outlets[0].only_here and cov.stances == []


# --------------------------------------------------------------------------- by stance


def test_stances_group_emphasis_and_find_blindspots(labelled):
    ev = collect(labelled)
    cov = build_coverage(ev.facts, labelled)
    assert [s.stance for s in cov.stances] == ["left", "center", "right"]
    right = cov.stances[2]
    assert right.articles == ["003", "004"]
    for side in cov.stances:
        members = set(side.articles)
        assert all(r.article_id in members and _span(r, labelled) for r in side.emphasis + side.only_this_side)
        for r in side.only_this_side:  # every source of a blindspot fact has this side's stance
            assert set(_fact_of(r, ev.facts).articles) <= members
        assert side.summary is not None and not find_loaded(side.summary.text)
        assert side.summary.evidence[0].text.split() == side.summary.text.split()
        assert _span(side.summary.evidence[0], labelled) and side.summary.sources[0] in members
    # The "Images — if they exist" fact is reported by 003 and 004, both right-rated, and by nobody else.
    both = next(f for f in ev.facts if sorted(f.articles) == ["003", "004"])
    assert any(_fact_of(r, ev.facts) is both for r in right.only_this_side)
    # A fact the left (001) shares with the right (004) is nobody's blindspot.
    mixed = next(f for f in ev.facts if sorted(f.articles) == ["001", "004"])
    assert all(_fact_of(r, ev.facts) is not mixed for s in cov.stances for r in s.only_this_side)


def test_one_stance_has_no_blindspots(seed_cluster):
    arts = [a.model_copy(update={"stance": "Center"}) for a in seed_cluster.articles()]
    cov = build_coverage(collect(arts).facts, arts)
    assert [s.stance for s in cov.stances] == ["center"] and cov.stances[0].only_this_side == []


# --------------------------------------------------------------------------- location and key players


def test_location_is_drawn_from_found_countries_headlines_first(articles):
    ev = collect(articles)
    places = story_location(ev.entities, articles, ev.facts)
    found = {e.name for e in ev.entities.countries}
    assert places and set(places) <= found
    # Every headline names Russia or North Korea; Ukraine is in leads only; the United States is mentioned less.
    assert places[:2] == ["North Korea", "Russia"] or places[:2] == ["Russia", "North Korea"]
    assert story_location(Entities(), articles, ev.facts) == []  # nothing found, nothing named


def test_key_players_come_from_perspectives_and_entities_never_outlets(articles):
    ev = collect(articles)
    persp = [Perspective(actor="Vladimir Putin", role="President of Russia", sources=["001", "004"])]
    entities = ev.entities.model_copy(update={"organizations": [
        *ev.entities.organizations, Entity(name="The New York Times", mentions=9, sources=["003", "004"])]})
    players = key_players(persp, entities, articles)
    assert players[0] == KeyPlayer(name="Vladimir Putin", role="President of Russia", sources=["001", "004"])
    named = {e.name for e in [*ev.entities.persons, *ev.entities.organizations]} | {"Vladimir Putin"}
    assert {p.name for p in players} <= named and "The New York Times" not in {p.name for p in players}
    assert sum(p.name == "Vladimir Putin" for p in players) == 1  # the entity does not repeat the perspective
    # no role is invented for an entity: a person has the articles' own title, a body none
    texts = " ".join(a.text for a in articles)
    people = {e.name for e in ev.entities.persons}
    assert all(p.role == "" or (p.name in people and p.role in texts) for p in players[1:])
    assert any(p.role for p in players[1:] if p.name in people)


# --------------------------------------------------------------------------- truth checks


def _brief(arts: list[Article], coverage: Coverage | None, **kw) -> StoryBrief:
    lead = collect(arts).facts[0].sentences[0]
    summary = [CitedSentence(text=" ".join(lead.text.split()), sources=[lead.article_id], evidence=[lead.ref()])]
    return StoryBrief(title="Putin does not deny North Korean troop deployment", summary=Summary(summary),
                      coverage=coverage, **kw)


def test_truth_drops_forged_sentences_unknown_articles_places_and_players(labelled):
    ev = collect(labelled)
    cov = build_coverage(ev.facts, labelled)
    real = cov.outlets[0].leads[0]
    forged = real.model_copy(update={"text": real.text.replace("Putin", "Medvedev")})
    other = cov.outlets[1].leads[0]  # a real sentence, but of another article
    outlets = [cov.outlets[0].model_copy(update={"leads": [forged, real], "only_here": [other],
                                                 "headline": "Putin admits everything"}),
               cov.outlets[1].model_copy(update={"article_id": "999"})]
    side = cov.stances[0].model_copy(update={"emphasis": [other, *cov.stances[0].emphasis], "articles": ["001", "998"]})
    brief = _brief(labelled, Coverage(outlets=outlets, stances=[side]), location=["Russia", "Atlantis"],
                   key_players=[KeyPlayer(name="Vladimir Putin", sources=["001"]),
                                KeyPlayer(name="Boris Zeppelin", role="Grand Vizier", sources=["001"])])
    problems = truth.verify(brief, labelled)
    assert any("coverage.outlets[0].leads[0]" in p for p in problems)  # not verbatim
    assert any("coverage.outlets[0].only_here[0]" in p for p in problems)  # another article's sentence
    assert any(p.startswith("coverage.outlets[1]") for p in problems)  # no article 999
    fixed = truth.repair(brief, labelled, ev)
    first = fixed.coverage.outlets[0]
    assert first.leads == [real] and first.only_here == [] and first.headline == labelled[0].title
    assert [o.article_id for o in fixed.coverage.outlets] == ["001"]
    assert other not in fixed.coverage.stances[0].emphasis and fixed.coverage.stances[0].articles == ["001"]
    assert fixed.location == ["Russia"] and [p.name for p in fixed.key_players] == ["Vladimir Putin"]
    assert truth.verify(fixed, labelled) == []
    wheres = {i.where for i in fixed.grounding.issues}
    assert {"coverage.outlets[0].leads[0]", "coverage.outlets[1]", "location[1]", "key_players[1]"} <= wheres


def test_a_side_sentence_is_checked_like_a_summary_sentence(labelled):
    cov = build_coverage(collect(labelled).facts, labelled)
    bad = CitedSentence(text="Left-wing outlets fumed about 40,000 troops.", sources=["001"],
                        evidence=[cov.stances[0].emphasis[0]])
    side = cov.stances[0].model_copy(update={"summary": bad})
    fixed = truth.repair(_brief(labelled, Coverage(outlets=cov.outlets, stances=[side])), labelled)
    # The invented figure is fatal: the sentence goes; the side's source sentences stay.
    assert fixed.coverage.stances[0].summary is None and fixed.coverage.stances[0].emphasis
    assert any(i.where == "coverage.stances[0].summary" for i in fixed.grounding.issues)


def test_the_pipeline_brief_carries_coverage_location_and_key_players(labelled, tmp_path):
    from test_pipeline import GOOD

    brief = Pipeline(FakeBackend([GOOD]), Config(cache_dir=tmp_path / "c", synthesis="articles")).run(labelled)
    assert [s.stance for s in brief.coverage.stances] == ["left", "center", "right"]
    assert len(brief.coverage.outlets) == 4 and "Russia" in brief.location
    # the articles call him "Russian President"; the model's "President of Russia" is not their words
    assert brief.key_players[0].name == "Vladimir Putin" and brief.key_players[0].role == "Russian President"
    StoryBrief.model_validate(brief.model_dump(), context={"articles": labelled})  # grounded as returned


# --------------------------------------------------------------------------- rendering


def test_coverage_renders_escaped_in_markdown_and_html(labelled):
    hostile = [a.model_copy(update={"title": a.title + " <b>x</b>", "outlet": "<i>Outlet</i>"}) if a.id == "002"
               else a for a in labelled]
    ev = collect(hostile)
    cov = build_coverage(ev.facts, hostile)
    brief = _brief(hostile, cov, location=["Russia"], key_players=[KeyPlayer(name="Vladimir Putin", sources=["001"])])
    brief = brief.model_copy(update={"sources": [Source.from_article(a) for a in hostile]})
    html = brief.to_html()
    md = brief.to_markdown()
    assert 'id="coverage"' in html and "Right-rated outlets" in html and "Where: Russia" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "<i>Outlet</i>" not in html
    assert "## How each outlet told it" in md and "## Key players" in md and "Where: Russia" in md
    assert "<b>x</b>" not in md and r"\<b\>x\</b\>" in md
    side = cov.stances[0]
    assert side.summary.text in md.replace("\\", "")
    # No source sentence is listed twice in the section.
    section = md.split("## How each outlet told it")[1].split("## Sources")[0]
    listed = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(listed) == len(set(listed))


# --------------------------------------------------------------------------- framing eval


def _sided(texts: dict[str, str]) -> StoryBrief:
    stances = [StanceCoverage(stance=k, articles=[k], summary=CitedSentence(text=v, sources=[k]))
               for k, v in texts.items()]
    return StoryBrief(title="t", summary=Summary([CitedSentence(text="x y z w", sources=["left"])]),
                      coverage=Coverage(stances=stances))


def test_framing_scorer_on_known_input():
    arts = [Article(id=s, stance=s, title=t, text="x") for s, t in
            (("right", "Court protects cops"), ("left", "Court sides with police"))]
    brief = _sided({"left": "Left outlets stressed reform.", "right": "Right outlets stressed the ruling."})
    assert framing_text(brief) == "Left outlets stressed reform. Right outlets stressed the ruling."
    assert headline_framing(arts) == "Court sides with police. Court protects cops."  # stance order, not input order
    same = score_framing(brief, arts, Reference(framing=framing_text(brief)))
    assert same.metrics["framing_rouge1"] == pytest.approx(1.0) and same.metrics["framing_rougeL"] == pytest.approx(1.0)
    assert same.metrics["framing_headline_rouge1"] == pytest.approx(0.0)
    other = score_framing(brief, arts, Reference(framing="Court sides with police. Court protects cops."))
    assert other.metrics["framing_headline_rougeL"] == pytest.approx(1.0) and other.metrics["framing_rouge1"] == pytest.approx(0.0)
    assert score_framing(brief, arts, Reference(framing="")).metrics["framing_rouge1"] is None
    unlabelled = [a.model_copy(update={"stance": None}) for a in arts]
    assert score_framing(brief, unlabelled, Reference(framing="x")).metrics["framing_rougeL"] is None

"""Stories that continue: threads across digest runs, related stories, reactions by country.

Control flow on a scripted fake model (the digest's own fake); the rules on real sentences: the seed
articles (examples/putin-nk-troops/) for reactions, the AllSides dev set for threads when it is beside
the repository. The real-model run is ``benchmarks/threads_digest.py``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from digest_fake import extractive_answer
from test_cluster import SINEMA, TRIP
from test_update import copy_facts

from summarizer.backends.testing import FunctionBackend
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.schema import Article, Cluster, KeyPlayer, Perspective, Reaction, SentenceRef, StoryBrief
from summarizer.stories.digest import digest
from summarizer.stories.related import related_stories
from summarizer.stories.threads import STATE_FILE, SiteState, continuations

DAY1 = datetime(2021, 10, 4, 12, tzinfo=timezone.utc)


def _rows(pairs, outlets, day: datetime, prefix: str) -> list[dict]:
    return [{"id": f"{prefix}{i}", "title": t, "text": x, "source": o, "date": day.isoformat()}
            for i, ((t, x), o) in enumerate(zip(pairs, outlets))]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _pipeline(tmp_path: Path, fn=copy_facts):
    backend = FunctionBackend(fn)
    return Pipeline(backend, Config(cache_dir=tmp_path / "cache")), backend


# ------------------------------------------------------------------ threads


def _cluster(cid: str, pairs, day: datetime) -> Cluster:
    return Cluster(id=cid, articles=[Article(id=f"{cid}-{i}", title=t, text=x, published_at=day)
                                     for i, (t, x) in enumerate(pairs)])


def test_a_cluster_continues_the_story_it_is_about_within_the_window():
    sinema, trip = _cluster("old-sinema", SINEMA[:2], DAY1), _cluster("old-trip", TRIP[:1], DAY1)
    later = _cluster("new", SINEMA[2:], DAY1 + timedelta(days=1))
    assert continuations([later], [sinema, trip])["new"][0] == "old-sinema"
    too_late = _cluster("new", SINEMA[2:], DAY1 + timedelta(days=30))
    assert continuations([too_late], [sinema, trip]) == {}  # the same words a month on: a new story
    assert continuations([later], [trip]) == {}  # nothing about it before: a new story


def test_two_runs_update_the_continuing_story_in_place_and_a_third_changes_nothing(tmp_path):
    site = tmp_path / "site"
    day1 = _write(tmp_path / "day1.jsonl", _rows(SINEMA[:2], ["Yahoo", "Hill"], DAY1, "s")
                  + _rows(TRIP, ["CNN", "Review"], DAY1, "t"))
    first = digest([day1], site, pipeline=_pipeline(tmp_path)[0])
    assert len(first.new) == first.stories and not first.updated
    sinema = next(sid for sid in first.new if "s0" in (site / "clusters.jsonl").read_text().split(sid)[1][:2000])
    page = (site / "stories" / f"{sinema}.html").read_text(encoding="utf-8")

    day2 = _write(tmp_path / "day2.jsonl", _rows(SINEMA[2:], ["Examiner"], DAY1 + timedelta(days=1), "s"))
    pipe, backend = _pipeline(tmp_path / "b")
    second = digest([day2], site, pipeline=pipe)
    assert second.updated == [sinema] and not second.new  # the story keeps its id (and its page)
    assert {r.purpose for r in backend.requests} <= {"update"}  # at most one small call, no fresh brief
    stories = [json.loads(line) for line in (site / "clusters.jsonl").read_text().splitlines()]
    assert len(stories) == first.stories  # no new story: the old one took the article in
    brief = StoryBrief.model_validate_json((site / "stories" / f"{sinema}.json").read_text())
    assert brief.whats_new is not None and [v.version for v in brief.versions] == [1, 2]
    assert len(brief.sources) == 3 and page != (site / "stories" / f"{sinema}.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="badge updated">Updated · version 2' in index and index.count('class="story"') == first.stories
    state = json.loads((site / STATE_FILE).read_text())
    assert [len(r["updated"]) for r in state["runs"]] == [0, 1] and state["stories"][sinema]["status"] == "updated"

    third = digest([day2], site, pipeline=_pipeline(tmp_path / "c", lambda r: pytest.fail("asked again"))[0])
    assert not third.new and not third.updated and len(third.unchanged) == 1  # idempotent: nothing to do
    assert SiteState.load(site).owner(third.unchanged[0]) == sinema


def test_a_failed_update_leaves_the_story_as_it_was_and_the_next_run_retries_it(tmp_path, monkeypatch):
    from summarizer.errors import BackendTimeoutError
    from summarizer.stories import continuing

    site = tmp_path / "site"
    day1 = _write(tmp_path / "day1.jsonl", _rows(SINEMA[:2], ["Yahoo", "Hill"], DAY1, "s"))
    digest([day1], site, pipeline=_pipeline(tmp_path)[0])
    before = (site / "briefs.jsonl").read_text(encoding="utf-8")
    day2 = _write(tmp_path / "day2.jsonl", _rows(SINEMA[2:], ["Examiner"], DAY1 + timedelta(days=1), "s"))
    working = continuing.aupdate

    async def down(*args, **kwargs):
        raise BackendTimeoutError("the model server did not answer", retryable=True)

    monkeypatch.setattr(continuing, "aupdate", down)
    failed = digest([day2], site, pipeline=_pipeline(tmp_path / "b")[0])
    monkeypatch.setattr(continuing, "aupdate", working)
    assert not failed.updated and any("update failed" in why for why in failed.failed.values())
    assert (site / "briefs.jsonl").read_text(encoding="utf-8") == before  # the story as it was
    again = digest([day2], site, pipeline=_pipeline(tmp_path / "c")[0])
    assert len(again.updated) == 1 and not again.new  # the cluster was not taken: this run updates


def test_a_run_stopped_after_its_update_resumes_without_asking_again(tmp_path):
    site = tmp_path / "site"
    day1 = _write(tmp_path / "day1.jsonl", _rows(SINEMA[:2], ["Yahoo", "Hill"], DAY1, "s"))
    digest([day1], site, pipeline=_pipeline(tmp_path)[0])
    saved = {name: (site / name).read_text(encoding="utf-8") for name in ("clusters.jsonl", STATE_FILE)}
    day2 = _write(tmp_path / "day2.jsonl", _rows(SINEMA[2:], ["Examiner"], DAY1 + timedelta(days=1), "s"))
    updated = digest([day2], site, pipeline=_pipeline(tmp_path / "b")[0]).updated
    for name, text in saved.items():  # the update's brief was written; the story and the state were not
        (site / name).write_text(text, encoding="utf-8")
    again = digest([day2], site, pipeline=_pipeline(tmp_path / "c", lambda r: pytest.fail("asked again"))[0])
    assert not again.updated and not again.new
    story = json.loads((site / "clusters.jsonl").read_text().splitlines()[0])
    brief = StoryBrief.model_validate_json((site / "stories" / f"{updated[0]}.json").read_text())
    assert len(story["articles"]) == len(brief.sources) == 3 and len(brief.versions) == 2


def test_without_threads_the_site_holds_this_run_s_stories(tmp_path):
    site = tmp_path / "site"
    digest([_write(tmp_path / "a.jsonl", _rows(TRIP, ["CNN", "Review"], DAY1, "t"))], site,
           pipeline=_pipeline(tmp_path)[0], threads=False)
    report = digest([_write(tmp_path / "b.jsonl", _rows(SINEMA, ["Yahoo", "Hill", "Examiner"], DAY1, "s"))], site,
                    pipeline=_pipeline(tmp_path / "b", extractive_answer)[0], threads=False)
    assert not report.updated and report.stories == len(report.new) and not (site / STATE_FILE).exists()


# ------------------------------------------------------------------ related stories


def _brief(title: str, players: list[str], topics: list[str], place: str = "United States") -> StoryBrief:
    return StoryBrief(title=title, summary=[{"text": title + ".", "sources": ["a"]}], topics=topics, location=[place],
                      key_players=[KeyPlayer(name=p) for p in players])


def test_related_stories_share_a_rare_player_and_not_only_a_place():
    briefs = {
        "manchin-1": _brief("Manchin sets a ceiling for the bill", ["Joe Manchin", "Reuters"], ["Budget"]),
        "manchin-2": _brief("Clean energy program cut after Manchin objects", ["Joe Manchin"], ["Climate"]),
        "storm": _brief("Storm hits the coast", ["National Weather Service"], ["Weather"]),
        "wire": _brief("Markets fall", ["Reuters"], ["Markets"]),
        **{f"other-{i}": _brief(f"Story {i}", [f"Person{i} Name{i}"], [f"Topic{i}"]) for i in range(6)},
    }
    # a ten-story digest: a rare shared player scores about 1.5 (the default bar, 3.5, is set for 40 stories)
    related = related_stories(briefs, links={sid: f"{sid}.html" for sid in briefs}, min_score=1.0)
    assert [r.story_id for r in related["manchin-1"]] == ["manchin-2"]
    assert related["manchin-1"][0].shared[0] == "Joe Manchin" and related["manchin-1"][0].link == "manchin-2.html"
    assert related["storm"] == [] and related["wire"] == []  # a shared place, or a news outlet, relates nothing


def test_a_related_link_is_a_page_name_never_a_url():
    with pytest.raises(ValueError):
        StoryBrief.model_validate({**_brief("x", [], []).model_dump(),
                                   "related": [{"story_id": "s", "title": "t", "link": "javascript:alert(1)"}]})


# ------------------------------------------------------------------ reactions by country


@pytest.fixture(scope="module")
def seed(seed_cluster):
    from fixtures_brief import seed_brief

    articles = seed_cluster.articles()
    return seed_brief(articles), articles


def test_reactions_group_state_actors_by_country_each_with_a_sentence_naming_them(seed):
    from summarizer.evidence.reactions import country_of, find_reactions

    _, articles = seed
    assert country_of("Vladimir Putin", "Russian President") == "Russia"
    assert country_of("Lloyd Austin", "U.S. Secretary of Defense") == "United States"
    assert country_of("Dmitry Peskov", "Kremlin spokesman") == "Russia"
    by_id = {a.id: a for a in articles}
    putin = _perspective(articles, "Vladimir Putin", "Russian President", "Putin")
    austin = _perspective(articles, "Lloyd Austin", "U.S. Secretary of Defense", "Austin")
    activist = _perspective(articles, "Yulia Navalnaya", "widow of Alexei Navalny", "Navalnaya")
    found = find_reactions([putin, austin, activist], articles)
    assert [(r.country, r.actor) for r in found] == [("Russia", "Vladimir Putin"), ("United States", "Lloyd Austin")]
    for r in found:  # exact sentences of their articles
        assert by_id[r.sentence.article_id].text[r.sentence.start : r.sentence.end] == r.sentence.text
    assert find_reactions([putin], articles) == []  # one country: its perspectives already say it


def _perspective(articles, actor: str, role: str, needle: str) -> Perspective:
    from summarizer.text.sentences import sentence_spans

    for a in articles:
        for s, e in sentence_spans(a.text):
            if needle in a.text[s:e]:
                return Perspective(actor=actor, role=role, sources=[a.id],
                                   evidence=[SentenceRef(article_id=a.id, start=s, end=e, text=a.text[s:e])])
    raise AssertionError(f"{needle!r} is in no seed article")


def test_strict_validation_refuses_a_reaction_that_does_not_name_its_actor(seed):
    brief, articles = seed
    putin = _perspective(articles, "Vladimir Putin", "Russian President", "Putin")
    other = _perspective(articles, "Lloyd Austin", "U.S. Secretary of Defense", "Austin")
    good = Reaction(country="Russia", actor="Vladimir Putin", role="Russian President", sentence=putin.evidence[0])
    data = brief.model_dump(mode="json")
    StoryBrief.model_validate({**data, "reactions": [good.model_dump(mode="json")]}, context={"articles": articles})
    wrong = good.model_copy(update={"sentence": other.evidence[0]})  # Austin's sentence given as Putin's
    with pytest.raises(ValueError, match="reactions"):
        StoryBrief.model_validate({**data, "reactions": [wrong.model_dump(mode="json")]}, context={"articles": articles})
    forged = good.model_copy(update={"sentence": good.sentence.model_copy(update={"text": "Putin surrendered."})})
    with pytest.raises(ValueError, match="reactions"):
        StoryBrief.model_validate({**data, "reactions": [forged.model_dump(mode="json")]}, context={"articles": articles})


# ------------------------------------------------------------------ as a person sees it (headless Chromium)


@pytest.mark.browser
def test_the_story_page_shows_reactions_and_related_stories_and_the_index_marks_the_update(tmp_path, seed):
    import os

    from test_render import Page
    from test_render_browser import CHROMIUM, chromium

    from summarizer.evidence.reactions import find_reactions
    from summarizer.schema import RelatedStory

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    brief, articles = seed
    perspectives = [_perspective(articles, "Vladimir Putin", "Russian President", "Putin"),
                    _perspective(articles, "Lloyd Austin", "U.S. Secretary of Defense", "Austin")]
    shown = brief.model_copy(update={
        "reactions": find_reactions(perspectives, articles),
        "related": [RelatedStory(story_id="story-1", title="South Korea says more troops are coming",
                                 shared=["Kim Jong Un", "North Korea"], score=5.1, link="story-1.html")]})
    page_path = tmp_path / "story.html"
    page_path.write_text(shown.to_html(), encoding="utf-8")
    page = Page(chromium(tmp_path / "profile", "--dump-dom", page_path.as_uri()).stdout)
    assert {"reactions", "related"} <= set(page.ids)
    assert "Russia" in page.text("reactions") and "United States" in page.text("reactions")
    assert "South Korea says more troops are coming" in page.text("related")
    markdown = shown.to_markdown()
    assert "## Reactions by country" in markdown and "[South Korea says more troops are coming](story-1.html)" in markdown


def test_the_related_bar_grows_with_the_digest():
    briefs = {
        "manchin-1": _brief("Manchin sets a ceiling for the bill", ["Joe Manchin"], ["Budget"]),
        "manchin-2": _brief("Clean energy program cut after Manchin objects", ["Joe Manchin"], ["Climate"]),
        **{f"other-{i}": _brief(f"Story {i}", [f"Person{i} Name{i}"], [f"Topic{i}"]) for i in range(8)},
    }
    # one shared name scores about 1.5 among 10 stories; the default bar there is 0.94 x ln(11), about 2.25
    assert related_stories(briefs)["manchin-1"] == []
    assert [r.story_id for r in related_stories(briefs, min_score=1.0)["manchin-1"]] == ["manchin-2"]

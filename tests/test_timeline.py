"""The timeline: dated events from source sentences, merged across outlets, disputed dates kept."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from summarizer import truth
from summarizer.evidence import collect
from summarizer.evidence.facts import find_facts
from summarizer.evidence.timeline import MAX_EVENTS, build_timeline
from summarizer.schema import Article, CitedSentence, SentenceRef, Source, StoryBrief, Summary, TimelineEvent


def art(i: str, text: str, day: int | None, outlet: str | None = None) -> Article:
    pub = datetime(2024, 10, day, tzinfo=timezone.utc) if day else None
    return Article(id=i, text=text, outlet=outlet or f"Outlet {i}", published_at=pub, language="en")


def brief(articles: list[Article], timeline: list[TimelineEvent]) -> StoryBrief:
    return StoryBrief(title="A story", summary=Summary([CitedSentence(text="Something happened here.", sources=[articles[0].id])]),
                      timeline=timeline, sources=[Source.from_article(a) for a in articles])


@pytest.fixture(scope="module")
def seed(seed_cluster):
    articles = seed_cluster.articles()
    return articles, collect(articles).timeline


# --------------------------------------------------------------------------- seed cluster


def _find(timeline, words):
    return [e for e in timeline if all(w in " ".join(r.text for r in e.evidence) for w in words)]


def test_seed_timeline_holds_the_story_in_date_order(seed):
    _, timeline = seed
    assert 4 <= len(timeline) <= 10
    starts = [e.disputed[0].date if e.disputed else e.date for e in timeline]
    assert starts == sorted(starts)
    # No event leans on its article ("This event has been relatively advantageous for Putin's public
    # image ... since ... 2022", "This comment came shortly after ...") or is an outlet's remark in quotes.
    assert not [e.text for e in timeline if e.text.startswith(("This ", "That ", "He ", "She ", "“", '"'))]
    # Putin's press-conference remark on Thursday 24 October, told by three outlets as one event.
    remark = _find(timeline, ["Putin", "deployment of North Korean troops"])
    assert any(e.date == "2024-10-24" and len(e.sources) >= 2 for e in remark)
    # The Duma ratification the same day ("Earlier that day", "that morning": back-references).
    ratified = [e for e in _find(timeline, ["ratified"]) if e.date == "2024-10-24"]
    assert ratified and set(ratified[0].sources) >= {"001", "004"}
    # Austin / the Pentagon on the day before.
    assert any("Austin" in r.text for e in timeline for r in e.evidence)


def test_seed_arrival_dates_are_a_disagreement_not_a_pick(seed):
    _, timeline = seed
    arrival = [e for e in timeline if e.disputed and any("Kursk" in c.evidence.text for c in e.disputed)]
    assert len(arrival) == 1
    claims = {(c.sources[0], c.date, c.date_text) for c in arrival[0].disputed}
    assert claims == {("001", "2024-10-22", "Tuesday"), ("002", "2024-10-23", "October 23")}
    assert arrival[0].date == "2024-10-22/2024-10-23"  # an ISO interval: no one date is chosen
    assert "the Tuesday on or before the publication date 2024-10-26" in {c.resolved_from for c in arrival[0].disputed}


def test_seed_reports_are_not_mixed_with_what_they_report(seed):
    """Kyiv's statement on Thursday that troops had arrived is one event (three outlets, one date); it
    does not turn the arrival's dates into a three-way dispute."""
    _, timeline = seed
    for e in timeline:
        if e.disputed:
            assert len({c.date for c in e.disputed}) == len(e.disputed) == 2


def test_seed_timeline_passes_its_truth_check(seed):
    articles, timeline = seed
    b = brief(articles, timeline)
    assert truth.verify(b, articles) == []
    assert truth.repair(b, articles).timeline == timeline


def test_seed_with_one_dated_article_counts_the_others_from_it_and_says_so(seed_cluster):
    """Ingest gives only the Dong-A Ilbo a date: the others' relative dates count from it, marked as assumed."""
    articles = [a.model_copy(update={"published_at": None}) if a.id != "001" else a for a in seed_cluster.articles()]
    timeline = build_timeline(articles, find_facts(articles))
    # another article's relative date ("Wednesday", "October 23"), counted from 001's date and marked so
    assert any("gives no date" in d.resolved_from for e in timeline for d in [e, *e.disputed])
    for e in timeline:
        for d in [e, *e.disputed]:
            if d.resolved_from and d.sources and "001" not in d.sources and e.date != "2022":
                assert "gives no date" in d.resolved_from
    none = [a.model_copy(update={"published_at": None}) for a in seed_cluster.articles()]
    assert all(e.precision == "year" for e in build_timeline(none, find_facts(none)))  # nothing guessed


# --------------------------------------------------------------------------- merging and disputes


def test_same_event_from_two_outlets_is_one_event():
    a = art("a", "Russian President Vladimir Putin met Chinese leader Xi Jinping in Kazan on Tuesday for talks on trade.", 24)
    b = art("b", "On Tuesday Vladimir Putin met Xi Jinping in Kazan, where the two leaders discussed trade.", 25)
    timeline = build_timeline([a, b], find_facts([a, b]))
    assert len(timeline) == 1
    e = timeline[0]
    assert (e.date, e.sources, len(e.evidence)) == ("2024-10-22", ["a", "b"], 2)
    assert [r.article_id for r in e.evidence] == ["a", "b"]


def test_outlets_dating_one_event_differently_is_a_disputed_event():
    a = art("a", "Officials said the Ukrainian army recaptured the village of Robotyne on Monday after weeks of fighting.", 25)
    b = art("b", "The Ukrainian army recaptured the village of Robotyne on October 22, officials said.", 25)
    [e] = build_timeline([a, b], find_facts([a, b]))
    assert [(c.date, c.date_text, c.sources) for c in e.disputed] == [
        ("2024-10-21", "Monday", ["a"]), ("2024-10-22", "October 22", ["b"])]


def test_dates_far_apart_are_different_events():
    a = art("a", "Vladimir Putin met Kim Jong Un in Pyongyang in June to sign a defense treaty.", 25)
    b = art("b", "Vladimir Putin met Kim Jong Un in Pyongyang in September to sign a defense treaty.", 25)
    timeline = build_timeline([a, b], find_facts([a, b]))
    assert [(e.date, e.sources, e.disputed) for e in timeline] == [("2024-06", ["a"], []), ("2024-09", ["b"], [])]


def test_a_report_date_is_not_the_reported_date():
    a = art("a", "Ukraine's intelligence agency said on Thursday that North Korean troops had arrived in Kursk.", 25)
    b = art("b", "Ukraine's intelligence agency said that North Korean troops arrived in Kursk on Wednesday.", 25)
    timeline = build_timeline([a, b], find_facts([a, b]))
    assert [(e.date, e.sources, e.disputed) for e in timeline] == [("2024-10-23", ["b"], []), ("2024-10-24", ["a"], [])]


def test_datelines_forecasts_and_undated_sentences_are_not_events():
    a = art("a", "SEOUL, Oct. 25 (Yonhap) -- North Korea is sending more troops to Russia, officials say.\n"
                 "Officials in Seoul expect the troops to be combat-ready by 1 November at the latest.\n"
                 "North Korean troops have been sent to Russia, according to South Korean officials.", 25)
    assert build_timeline([a], find_facts([a])) == []


def test_duplicates_are_skipped():
    a = art("a", "Vladimir Putin met Kim Jong Un in Pyongyang on June 19, 2024 to sign a treaty.", 25)
    b = a.model_copy(update={"id": "b", "duplicate_of": "a"})
    [e] = build_timeline([a, b], find_facts([a]))
    assert e.sources == ["a"] and e.resolved_from == ""


def test_the_timeline_is_capped():
    text = " ".join(f"Officials in Kyiv said Russian forces struck Kharkiv on October {d}." for d in range(1, 20))
    a = art("a", text, 25)
    assert len(build_timeline([a], find_facts([a]))) == MAX_EVENTS


# --------------------------------------------------------------------------- truth check


def test_truth_check_drops_a_forged_event(seed):
    articles, timeline = seed
    k = next(i for i, e in enumerate(timeline) if "Putin" in e.evidence[0].text)
    real = timeline[k]
    ref = real.evidence[0]
    forged_text = TimelineEvent(**{**real.model_dump(), "evidence": [SentenceRef(
        article_id=ref.article_id, start=ref.start, end=ref.end, text=ref.text.replace("Putin", "Biden"))]})
    forged_date = real.model_copy(update={"date": "2023-01-01"}) if not real.disputed else None
    wrong = [e for e in (forged_text, forged_date) if e is not None]
    rest = timeline[:k] + timeline[k + 1 :]
    b = brief(articles, [*wrong, *rest])
    problems = truth.verify(b, articles)
    assert any(p.startswith("timeline[0]") for p in problems)
    repaired = truth.repair(b, articles)
    assert repaired.timeline == rest
    assert {i.where for i in repaired.grounding.issues if i.action == "dropped"} >= {"timeline[0]"}
    with pytest.raises(ValueError, match="timeline"):
        StoryBrief.model_validate(b.model_dump(), context={"articles": articles})


def test_truth_check_wants_the_date_written_in_the_sentence():
    a = art("a", "Vladimir Putin met Kim Jong Un in Pyongyang on June 19, 2024 to sign a treaty.", 25)
    [e] = build_timeline([a], find_facts([a]))
    other = e.model_copy(update={"date_text": "June 20, 2024", "date": "2024-06-20"})
    assert truth.repair(brief([a], [other]), [a]).timeline == []
    assert truth.repair(brief([a], [e]), [a]).timeline == [e]


# --------------------------------------------------------------------------- rendering


def test_markdown_and_html_show_the_timeline_and_how_dates_were_resolved(seed):
    articles, timeline = seed
    b = brief(articles, timeline)
    md = b.to_markdown()
    section = md[md.index("## Timeline") : md.index("## Sources")]
    assert "**24 Oct 2024:**" in section and "(“Thursday”: the Thursday on or before the publication date 2024-10-24)" in section
    assert "**Dates differ:**" in section and "**22 Oct 2024** (“Tuesday”" in section
    html = b.to_html()
    part = html[html.index('<section id="timeline"') : html.index('<section id="sources"')]
    assert '<time datetime="2024-10-22"' in part and 'class="event disputed"' in part
    assert "“Tuesday”" in part and 'href="#src-1"' in part


def test_rendering_escapes_article_text():
    text = "Officials said <script>alert(1)</script> *rebels* seized the town of Avdiivka on Tuesday."
    a = art("a", text, 25)
    [e] = build_timeline([a], find_facts([a]))
    b = brief([a], [e])
    assert "<script>" not in b.to_html() and "&lt;script&gt;" in b.to_html()
    md = b.to_markdown()
    assert "\\<script\\>" in md and "\\*rebels\\*" in md

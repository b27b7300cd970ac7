"""A state given as current that a later report ended: the brief says the latest state, not both."""

from __future__ import annotations

import pytest

from summarizer import truth
from summarizer.schema.article import Article
from summarizer.schema.brief import StoryBrief
from summarizer.schema.parts import CitedSentence, SentenceRef, Summary

EARLY = Article(id="a", outlet="WPXI", text=(
    "Amanda Smith is still missing after she left Beechwood Elementary School on Friday afternoon. "
    "Police asked residents to check their sheds and garages."))
LATE = Article(id="b", outlet="KDKA", text=(
    "UPDATE: Amanda Smith was located Tuesday morning and is safe, police said.\n"
    "The 11-year-old had been missing since Friday afternoon."))


def _cited(article: Article, sentence: str) -> CitedSentence:
    start = article.text.index(sentence)
    ref = SentenceRef(article_id=article.id, start=start, end=start + len(sentence), text=sentence)
    return CitedSentence(text=sentence, sources=[article.id], evidence=[ref], origin="fact")


MISSING = "Amanda Smith is still missing after she left Beechwood Elementary School on Friday afternoon."
LOCATED = "Amanda Smith was located Tuesday morning and is safe, police said."


def test_the_latest_state_stands_in_for_the_one_it_ended():
    brief = StoryBrief(title="Girl found", summary=Summary([_cited(EARLY, MISSING)]))
    assert any("superseded" in p or "ended" in p for p in truth.verify(brief, [EARLY, LATE]))
    repaired = truth.repair(brief, [EARLY, LATE])
    assert [s.text for s in repaired.summary] == [LOCATED]  # without the "UPDATE:" label
    assert repaired.summary[0].sources == ["b"] and repaired.summary[0].evidence[0].text == LOCATED
    assert truth.verify(repaired, [EARLY, LATE]) == []


def test_a_brief_that_says_both_keeps_the_latest_only():
    brief = StoryBrief(title="Girl found", summary=Summary([_cited(EARLY, MISSING), _cited(LATE, LOCATED)]))
    assert [s.text for s in truth.repair(brief, [EARLY, LATE]).summary] == [LOCATED]


@pytest.mark.parametrize(("said", "later"), [
    # two actors: one hiker found says nothing about the other
    ("Two hikers are still missing on Mount Hood.", "One hiker was found on Sunday near the lodge."),
    # the same actor, but another state ended
    ("Amanda Smith is still missing after the storm.", "Amanda Smith was released from the hospital on Monday."),
    # not the same actor
    ("Amanda Smith is still missing after the storm.", "Her brother was found on Monday near the school."),
    # a state in the past, not given as current
    ("Amanda Smith was missing for four days.", "Amanda Smith was found on Monday."),
])
def test_what_another_report_did_not_end_stays(said, later):
    early = Article(id="a", text=said + " Searchers went out again.")
    late = Article(id="b", text=later + " Searchers went home.")
    brief = StoryBrief(title="Search", summary=Summary([_cited(early, said)]))
    assert [s.text for s in truth.repair(brief, [early, late]).summary] == [said]
    assert truth.verify(brief, [early, late]) == []

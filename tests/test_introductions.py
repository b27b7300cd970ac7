"""People introduced at first mention: the summary names a person in full before it uses the surname."""

from __future__ import annotations

import pytest

from summarizer.pipeline.introductions import first_mentions, introduce
from summarizer.schema import Article, Entities, Entity, StoryBrief

ARTICLE = Article(id="a", text=("Film scholar Matthew Bernstein said the studio was upset. Senator Richard J. Durbin "
                                "agreed. Amber Pasztor and Rene Pasztor were named. Joe Biden spoke."))


def _brief(*sentences: str, persons=("Matthew Bernstein", "Richard J. Durbin", "Joe Biden")) -> StoryBrief:
    return StoryBrief(title="t", summary=[{"text": s, "sources": ["a"]} for s in sentences],
                      entities=Entities(persons=[Entity(name=p) for p in persons]))


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The studio was upset, said Bernstein.", "The studio was upset, said Matthew Bernstein."),
    ("Bernstein said the studio was upset.", "Matthew Bernstein said the studio was upset."),
    ("Bernstein's study was published.", "Matthew Bernstein's study was published."),
    # already introduced, by full name, title or the outlet's honorific: left alone
    ("Matthew Bernstein said the studio was upset.", None),
    ("Sen. Durbin agreed.", None),
    ("Mr. Durbin agreed.", None),
    # a name used as a modifier is no person met
    ("The Biden administration spoke.", None),
])
def test_the_first_bare_surname_is_named_in_full(sentence, expected):
    brief = _brief(sentence)
    assert introduce(brief, [ARTICLE]).summary[0].text == (expected or sentence)


def test_only_the_first_mention_changes_and_a_shared_surname_never():
    brief = _brief("Bernstein said it.", "Bernstein added more.")
    assert [s.text for s in introduce(brief, [ARTICLE]).summary] == ["Matthew Bernstein said it.", "Bernstein added more."]
    shared = _brief("Pasztor faces two charges.", persons=("Amber Pasztor",))  # the articles name Rene Pasztor too
    assert list(first_mentions(shared, [ARTICLE])) == []


def test_the_eval_counts_people_first_named_by_surname():
    from summarizer_evals.scorers import score_introductions

    scored = score_introductions(_brief("The studio was upset, said Bernstein."), [ARTICLE])
    assert scored.metrics["unintroduced_people"] == 1
    assert score_introductions(introduce(_brief("The studio was upset, said Bernstein."), [ARTICLE]),
                               [ARTICLE]).metrics["unintroduced_people"] == 0


STECK = Article(id="s", text=("The bill will pass this week, said Senate Majority Leader Mitch McConnell, who spoke first. "
                              "McConnell and his caucus met on Tuesday. President Joe Biden spoke later."))


@pytest.mark.parametrize(("sentence", "expected"), [
    # a full name with no title before it gets the role an article writes before it
    ("Mitch McConnell said the bill will pass.", "Senate Majority Leader Mitch McConnell said the bill will pass."),
    # a bare surname gets both
    ("The bill will pass, said McConnell.", "The bill will pass, said Senate Majority Leader Mitch McConnell."),
    # a title already there, or a later mention: left alone
    ("President Joe Biden spoke.", None),
])
def test_a_person_is_introduced_with_the_role_the_articles_give(sentence, expected):
    brief = _brief(sentence, persons=("Mitch McConnell", "Joe Biden"))
    assert introduce(brief, [STECK]).summary[0].text == (expected or sentence)
    again = _brief("Senate Majority Leader Mitch McConnell arrived.", sentence, persons=("Mitch McConnell", "Joe Biden"))
    assert introduce(again, [STECK]).summary[1].text == sentence


def test_a_role_only_at_a_sentence_start_is_not_moved_inside_one():
    # "Film scholar Matthew Bernstein" opens its article's sentence: its casing is the sentence's, not the role's
    brief = _brief("The studio was upset, said Matthew Bernstein.")
    assert introduce(brief, [ARTICLE]).summary[0].text == "The studio was upset, said Matthew Bernstein."


@pytest.mark.parametrize("sentence", [
    "Senate Republicans met, and the leader, Mitch McConnell, spoke.",  # an appositive already says who he is
    "Senate Republicans met with their leader Mitch McConnell on Tuesday.",  # so does the word before
])
def test_a_name_with_its_own_description_gets_no_role(sentence):
    brief = _brief(sentence, persons=("Mitch McConnell",))
    assert introduce(brief, [STECK]).summary[0].text == sentence


def test_a_common_noun_role_does_not_open_a_sentence():
    article = Article(id="h", text="The study was published on Monday, said professor Matthew Bernstein of Emory.")
    brief = _brief("Matthew Bernstein said the study was published.", persons=("Matthew Bernstein",))
    assert introduce(brief, [article]).summary[0].text == "Matthew Bernstein said the study was published."
    inside = _brief("The study was published, said Matthew Bernstein.", persons=("Matthew Bernstein",))
    assert introduce(inside, [article]).summary[0].text == "The study was published, said professor Matthew Bernstein."

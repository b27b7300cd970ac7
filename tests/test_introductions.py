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

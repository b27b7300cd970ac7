"""Merging two facts about one actor into one sentence, on real sentences: what merges, and what must not."""

from __future__ import annotations

import pytest

from summarizer import truth
from summarizer.evidence.facts import fact_sentence, find_facts
from summarizer.pipeline.coverage import merged
from summarizer.schema.article import Article
from summarizer.schema.brief import StoryBrief
from summarizer.schema.parts import Summary
from summarizer.text.merging import merge, subject

MERGED = [
    # Multi-News dev: two facts about one person; the negation of the first stays
    ("Pasztor has not been charged with Macomber’s death.",
     "Pasztor faces two counts of murder in Elkhart County.",
     "Pasztor has not been charged with Macomber’s death and faces two counts of murder in Elkhart County."),
    # a figure with its unit, and a date, stay
    ("Kroll was named CEO of HQ Trivia in 2018.",
     "Kroll was found dead in his Manhattan apartment on Sunday.",
     "Kroll was named CEO of HQ Trivia in 2018 and was found dead in his Manhattan apartment on Sunday."),
    ("The IMF expects global growth to remain at 4.9% next year.",
     "The IMF slashed its 2021 growth forecast for the United States by one full percentage point.",
     ("The IMF expects global growth to remain at 4.9% next year and slashed its 2021 growth forecast for the "
     "United States by one full percentage point.")),
    # the second's quotation stays whole
    ("Trump has often taken credit for the stock market's climb.",
     "Trump cited the \"record stock market\" as one of the ways there has been \"unprecedented success\".",
     ("Trump has often taken credit for the stock market's climb and cited the \"record stock market\" as one of "
     "the ways there has been \"unprecedented success\".")),
]

NOT_MERGED = [
    # another actor inside the first: "and also sent" would read as Browne-Louis's act
    ("McCullum faces two counts of cyberstalking and Browne-Louis faces two counts of obstruction of justice.",
     "McCullum also sent a text alerting another then-staffer of what he had done."),
    # a clause the second predicate could attach to ("explaining what caused ... and indicated")
    ("Facebook issued a statement late Monday explaining what caused the outage across its platforms.",
     "Facebook indicated that there was no evidence that user data was compromised."),
    # a relative clause: who "was named CEO", Kroll or the app?
    ("Kroll was the chief executive of the trivia app, which live-streams short trivia shows to users.",
     "Kroll was named CEO of HQ Trivia in 2018."),
    # the actor speaks: "Police say A and B" would read as one remark
    ("Police say the teacher was obsessed with one of her students.",
     "Police said the girl's mother discovered the messages on her iPod."),
    ("Kroll announced the deal on Monday.", "Kroll resigned from the board in June."),
    ("Kroll resigned from the board in June.", "Kroll announced the deal on Monday."),
    # not the same actor, or no actor at all
    ("President Biden said on Monday that he did not agree with the activists.",
     "President Biden on Monday said he did not agree with activists."),
    ("North Korea sent troops to Russia.", "South Korea sent diplomats to Ukraine."),
    ("He resigned on March 2.", "He was arraigned last week."),
    ("The teacher resigned on March 2.", "The teacher was arraigned last week."),
    ("Bank of America cut its forecast.", "Bank of America raised its fees."),
    # the first's full stop ends an abbreviation, not the sentence
    ("Sen. Joe Manchin sits on the committee with Sen. Kyrsten Sinema of Ariz.", "Sen. Joe Manchin voted no."),
]


@pytest.mark.parametrize(("first", "second", "one"), MERGED)
def test_two_facts_about_one_actor_become_one_sentence(first, second, one):
    assert merge(first, second) == one
    # nothing is added but "and", nothing removed but the actor's second mention and a full stop
    assert set(one.split()) - set(first.split()) - set(second.split()) <= {"and", first.split()[-1][:-1]}
    assert len(one.split()) == len(first.split()) + len(second.split()) - len(subject(second).split()) + 1


@pytest.mark.parametrize(("first", "second"), NOT_MERGED)
def test_what_must_not_merge(first, second):
    assert merge(first, second) is None


ARTICLES = [
    Article(id="a", outlet="WANE", text=(
        "Pasztor faces two counts of murder in Elkhart County. "
        "Pasztor has not been charged with the death of her husband's son, police said. "
        "The children were found in the family's home on Friday morning.")),
    Article(id="b", outlet="AP", text=(
        "Pasztor faces two counts of murder in Elkhart County, Indiana. "
        "Pasztor has not been charged in the death of the boy. "
        "Police found the children in the home on Friday.")),
]


def _fact(text_start: str):
    facts = find_facts(ARTICLES)
    return next(fact_sentence(f, "coverage") for f in facts if fact_sentence(f) and fact_sentence(f).text.startswith(text_start))


def test_a_merged_sentence_cites_both_facts_and_passes_the_strict_checks():
    first, second = _fact("Pasztor faces"), _fact("Pasztor has not")
    both = merged(first, second)
    assert both is not None and both.text.startswith("Pasztor faces two counts of murder") and "has not been charged" in both.text
    assert {r.article_id for r in both.evidence} == {"a", "b"} and set(both.sources) == {"a", "b"}
    brief = StoryBrief(title="Mother charged", summary=Summary([both]))
    assert truth.verify(brief, ARTICLES) == []


def test_a_merge_the_meaning_rules_doubt_is_not_made():
    first, second = _fact("Pasztor faces"), _fact("Pasztor has not")
    # the same words, but the sentence now says she has been charged: its own sources say she has not
    reversed_ = second.model_copy(update={"text": "Pasztor has been charged in the death of the boy."})
    assert merge(first.text, reversed_.text) is not None  # the words would merge ...
    assert merged(first, reversed_) is None  # ... but the merged sentence reverses its sources


@pytest.mark.parametrize(("text", "actor"), [
    ("Nevada dispensaries are running out of pot.", None),  # the actor is "Nevada dispensaries"
    ("Police officials said the road was closed.", None),
    ("The IMF expects growth to slow.", "The IMF"),
    ("Trump has often taken credit for the market.", "Trump"),
    ("McDonald’s doesn’t often mess around with signature menu items.", "McDonald’s"),
    ("In 2018 Kroll was named CEO.", None),
])
def test_the_actor_is_the_capitalised_words_before_a_verb(text, actor):
    assert subject(text) == actor

"""The fact sheet's order: the lead, then what each fact adds of what several articles share."""

from __future__ import annotations

from summarizer.evidence.facts import Fact, Sentence
from summarizer.pipeline.sheet import build_sheet, coverage_order
from summarizer.schema.article import Article

ARTICLES = [
    Article(id="a", text=("Pittsburgh teacher Geraldine Alcorn was arraigned on charges of child luring. "
                          "Alcorn exchanged 2,400 text messages with the 11-year-old student. "
                          "The school district suspended Alcorn in February. The weather was mild.")),
    Article(id="b", text=("Geraldine Alcorn, a Pittsburgh teacher, faces charges of child luring. "
                          "Police say Alcorn sent the student 2,400 text messages in two weeks. "
                          "Alcorn resigned from the district on March 2.")),
    Article(id="c", text=("A Pittsburgh teacher was charged with child luring. The teacher sent the student "
                          "2,400 text messages, police say. Her lawyer declined to comment.")),
]


def _fact(rank: int, text: str) -> Fact:
    return Fact(rank, [Sentence(f"x:{rank}", "a", rank, 0, len(text), text)], 1.0 / rank)


LEAD = _fact(1, "Pittsburgh teacher Geraldine Alcorn was arraigned on charges of child luring.")
REPEAT = _fact(2, "Geraldine Alcorn, a Pittsburgh teacher, faces charges of child luring.")  # the lead again
TEXTS = _fact(3, "Police say Alcorn sent the student 2,400 text messages in two weeks.")  # what b and c add
ONE_OUTLET = _fact(4, "The weather was mild.")  # nothing another article holds


def test_the_lead_first_then_what_the_articles_share_and_the_lead_did_not_say():
    order = coverage_order([LEAD, REPEAT, TEXTS, ONE_OUTLET], ARTICLES)
    assert order[0] is LEAD
    assert order.index(TEXTS) < order.index(REPEAT)  # a repeat of the lead adds less than a new shared fact
    assert order[-1] is ONE_OUTLET  # adds nothing shared: after every fact that does, in rank order


def test_the_order_changes_nothing_else():
    facts = [LEAD, REPEAT, TEXTS, ONE_OUTLET]
    assert sorted(f.id for f in coverage_order(facts, ARTICLES)) == [1, 2, 3, 4]
    assert coverage_order(facts[:2], ARTICLES) == facts[:2]  # nothing to order
    sheet = build_sheet(facts, ARTICLES, lambda t: len(t.split()))
    assert sheet is not None and sheet.facts[0] is LEAD and sorted(f.id for f in sheet.facts) == [1, 2, 3, 4]

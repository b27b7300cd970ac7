"""Roles from the articles' own words: the title before a name, or the description after it."""

from __future__ import annotations

import pytest

from summarizer.pipeline.assembly import _role
from summarizer.schema import Article
from summarizer.text.roles import role_of, roles_of


@pytest.fixture(scope="module")
def texts(seed_cluster) -> list[str]:
    return [a.text for a in seed_cluster.articles()]


@pytest.mark.parametrize(("name", "role"), [
    ("Vladimir Putin", "Russian President"),  # used by several outlets, so before the bare "President"
    ("Lloyd Austin", "U.S. Secretary of Defense"),
    ("António Guterres", "United Nations Secretary-General"),
    ("Maria Zakharova", "Russian Foreign Ministry spokesperson"),  # a lower-case title word ends the title
    ("Kyrylo Budanov", "Ukraine’s Intelligence Chief"),
    ("Yulia Navalnaya", "widow of fallen Russian opposition leader Alexei Navalny"),  # described after the name
])
def test_the_seed_articles_give_each_actor_a_role(texts, name, role):
    assert role_of(name, texts) == role


def test_what_is_not_a_role():
    texts = [
        "On Thursday President Joe Biden spoke. Meanwhile Sen. Joe Manchin, who opposes the bill, left.",
        "Joint Chiefs of Staff Chair Gen. Mark Milley testified. Jeffrey Clark, a former official under President Donald J. Trump, was subpoenaed.",
        "The far-left Rep. Ilhan Omar spoke. Mr. John Smith said nothing.",
    ]
    assert roles_of("Joe Biden", texts) == ["President"]  # not "On Thursday President"
    assert roles_of("Joe Manchin", texts) == ["Sen."]  # "who opposes the bill" has no title word
    assert role_of("Mark Milley", texts) == "Joint Chiefs of Staff Chair"  # the rank goes with the name
    assert role_of("Jeffrey Clark", texts) == ""  # a description cut at "J." is no role
    assert role_of("Ilhan Omar", texts) == "Rep."  # "far-left" is loaded, not a role
    assert role_of("John Smith", texts) == ""  # an honorific alone is no role
    assert role_of("Nobody Here", texts) == ""


def test_one_outlets_label_does_not_outrank_what_the_others_share():
    texts = ["Democrat President Joe Biden signed it.", "President Joe Biden signed it.", "President Biden said so."]
    assert role_of("Joe Biden", texts) == "President"
    assert role_of("Joe Biden", texts[:1]) == "Democrat President"


def test_a_perspective_takes_the_articles_role_unless_the_models_refines_it():
    arts = [Article(id="a", text="Taiwan's President Tsai Ing-wen spoke. Home Secretary Priti Patel replied.")]
    assert _role("Priti Patel", "Prime Minister", arts) == "Home Secretary"  # the model's guess was another job
    assert _role("Tsai Ing-wen", "President of Taiwan", arts) == "President of Taiwan"  # holds "Taiwan's President"
    assert _role("Someone Else", "Analyst", arts) == "Analyst"  # the articles give none

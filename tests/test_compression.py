"""Compression by deletion, on real sentences: what may go, and what must stay."""

from __future__ import annotations

import pytest

from summarizer.pipeline.sheet import LENGTHS, summary_length
from summarizer.text.compression import RULES, compress
from summarizer.truth.contradiction import contradictions

SHORTER = [
    # the seed (002, 001): an aside in parentheses
    (("Russian President Vladimir Putin, for the first time, addressed the deployment of North Korean troops "
     "to Russia on Thursday (local time), stating it is up to Moscow how to run its mutual defense clause "
     "with Pyongyang."),
     ("Russian President Vladimir Putin, for the first time, addressed the deployment of North Korean troops "
     "to Russia on Thursday, stating it is up to Moscow how to run its mutual defense clause with Pyongyang.")),
    ("Meanwhile, Ukraine’s Defense Intelligence Directorate (HUR) announced that the first units had arrived.",
     "Ukraine’s Defense Intelligence Directorate announced that the first units had arrived."),
    # where a statement was made goes; who made it stays
    ("The rapper died at home, his family said in a statement posted to Facebook.",
     "The rapper died at home, his family said."),
    ("The plant will close, Police Chief John Smith told reporters at a news conference.",
     "The plant will close, Police Chief John Smith told reporters."),
]

KEPT = [
    # a negation inside the aside
    "The summit (not the first of its kind) ended early.",
    # a figure or a date inside what the rules would remove
    "Prodigy died Tuesday (June 20) at age 42.",
    "The teacher is free on bond, her lawyer said on Tuesday.",
    "About 3,000 soldiers (in two units) crossed the border.",
    # an attribution that is not at the end of the sentence, or whose claimant is the place
    "The state's attorney general said in a filing that the law is void.",
    "The troops arrived in Kursk, according to a statement by Ukraine's military intelligence.",
]


@pytest.mark.parametrize(("text", "short"), SHORTER)
def test_compression_deletes_asides_places_of_statements_and_connectives(text: str, short: str) -> None:
    assert compress(text) == short
    assert not contradictions(short, [text])  # deletion only: the source bears out what is left


@pytest.mark.parametrize("text", KEPT)
def test_compression_keeps_negations_figures_dates_and_claimants(text: str) -> None:
    assert compress(text) == text


def test_every_rule_says_why() -> None:
    assert len({r.name for r in RULES}) == len(RULES) and all(r.why for r in RULES)


def test_the_summary_length_follows_the_cluster() -> None:
    assert summary_length(270) == ((100, 150), (4, 7))  # three AllSides excerpts
    assert summary_length(2145) == ((150, 220), (5, 9))  # the seed's four articles
    assert summary_length(3000) == ((200, 260), (6, 10))  # several full-length articles
    assert [limit for limit, _, _ in LENGTHS] == sorted(limit for limit, _, _ in LENGTHS)

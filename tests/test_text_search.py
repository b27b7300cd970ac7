"""Whole-word literal search (summarizer.text.search) finds exactly what the lookbehind regex finds."""

from __future__ import annotations

import re

import pytest

from summarizer.evidence.persons import find_persons, person_mentions
from summarizer.text.search import bounded_spans, occurs_bounded


def lookbehind(needle: str, text: str, before: str, after: str) -> list[tuple[int, int]]:
    rx = re.compile(r"(?<!" + before + r")" + re.escape(needle) + r"(?!" + after + r")")
    return [(m.start(), m.end()) for m in rx.finditer(text)]


@pytest.mark.parametrize(("needle", "text", "before", "after"), [
    ("Kim Kim", "xKim Kim Kim, Kim Kim.", r"\w", r"\w"),  # a refused match overlaps a good one
    ("Neil", "O'Neil and ONeil, Neil-Neil Neil", r"[\w’'\-]", r"[\w\-]"),
    ("putin", "putin's putinism, (putin) _putin putin", r"\w", r"\w"),
    ("u.s.", "the u.s. and u.s.a. and thu.s.", r"\w", r"\w"),
    ("Zelensky", "no such name here", r"\w", r"\w"),
])
def test_same_spans_as_the_lookbehind_pattern(needle, text, before, after):
    expected = lookbehind(needle, text, before, after)
    assert bounded_spans(needle, text, before, after) == expected
    assert occurs_bounded(needle, text, before, after) is bool(expected)


def test_person_mentions_on_the_seed_match_the_lookbehind_definition(seed_cluster):
    arts = seed_cluster.articles()
    persons = find_persons(arts)
    assert persons
    for a in arts:
        got = person_mentions(a.text, persons)
        full = [(s, e, p) for p in persons for s, e in lookbehind(p.name, a.text, r"[\w’']", r"[\w]")]
        keys = [(s, e, p) for p in persons for k in p.keys
                for s, e in lookbehind(k, a.text, r"[\w’'\-]", r"[\w\-]")
                if not any(fs <= s < fe for fs, fe, _ in full)]
        assert got == sorted(full + keys, key=lambda t: t[0])
        assert any(p.name == "Vladimir Putin" for _, _, p in got)


def test_entity_check_folds_each_article_once_per_brief_even_past_the_fold_cache(monkeypatch):
    # folded() caches 256 texts; with more articles, re-folding all of them for every entity
    # made the check entities x text. The context folds each article once.
    from summarizer.schema import Article, Entities, Entity
    from summarizer.truth import base, entities

    arts = [Article(id=f"a{i}", text=f"Report number {i} from the city council meeting on Monday.")
            for i in range(300)]
    arts[-1] = Article(id="a299", text="Mayor Jane Okafor spoke to the council on Monday.")
    calls: list[str] = []
    real = base.folded
    monkeypatch.setattr(base, "folded", lambda text: calls.append(text) or real(text))
    ctx = base.Context(arts)
    people = Entities(persons=[Entity(name="Jane Okafor"), Entity(name="Nobody Here")] * 5).persons
    check = entities.EntityCheck()
    found = [check.check(e, f"entities.persons[{k}]", ctx) for k, e in enumerate(people)]
    assert [bool(f) for f in found] == [False, True] * 5
    assert len(calls) == len(arts)

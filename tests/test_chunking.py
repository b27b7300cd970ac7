from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.pipeline.plan import plan, split_text
from summarizer.schema import Article


def count(text: str) -> int:  # one token per word keeps the arithmetic visible
    return len(text.split())


def art(i: int, words: int) -> Article:
    return Article(id=f"a{i}", title="t", text=" ".join(f"w{i}x{j}." if j % 10 == 9 else f"w{i}x{j}" for j in range(words)))


def test_small_cluster_is_one_call():
    p = plan([art(1, 100), art(2, 100)], budget=1000, count=count)
    assert p.mode == "single" and [u.article_id for u in p.units] == ["a1", "a2"]


def test_large_cluster_maps_per_article_and_splits_long_ones():
    p = plan([art(1, 100), art(2, 900)], budget=400, count=count)
    assert p.mode == "map-reduce"
    parts = [u for u in p.units if u.article_id == "a2"]
    assert len(parts) >= 3 and all(u.tokens <= 400 for u in p.units)
    assert [u.part for u in parts] == list(range(1, len(parts) + 1))


def test_split_prefers_paragraphs():
    text = "one two three.\n\nfour five six.\n\nseven eight nine."
    assert split_text(text, 7, count) == ["one two three.\n\nfour five six.", "seven eight nine."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abc .\n", min_size=0, max_size=40), min_size=1, max_size=30), st.integers(3, 50))
def test_split_never_loses_words_and_respects_budget(paragraphs, budget):
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, budget, count)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    assert all(count(p) <= budget for p in pieces) or count(text) <= budget

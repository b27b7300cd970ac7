"""Property-based tests for summarizer.ingest: cleaning is safe, dedupe is exact."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.ingest import clean, clean_text, find_duplicates, mark_duplicates
from summarizer.schema import Article
from summarizer.text.injection import injection_markers

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
# A plain story sentence: lowercase words ending with a period.
sentences = st.lists(words, min_size=1, max_size=15).map(lambda ws: " ".join(ws) + ".")
# Real boilerplate lines that may sit between sentences.
noise = st.sampled_from(
    [
        "Go to contents",
        "Text Size",
        "Close",
        "Top",
        "한국어",
        "Related Posts",
        "Join us on social!",
        "© Example Daily. All rights reserved.",
        "",
        "   ",
    ]
)
separators = st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"])


def _is_boilerplate_line(line: str) -> bool:
    """Whether ingest removes ``line`` even on its own: a menu label ("Ad", "Top"), an outlet's name, ..."""
    return clean(line).text == ""


# A headline: title-cased words, but never a line that cleaning rightly drops as boilerplate
# (a title "Ad" is navigation, so the first sentence would become the title instead).
titles = (
    st.lists(words, min_size=1, max_size=6)
    .map(lambda ws: " ".join(ws).title())
    .filter(lambda title: not _is_boilerplate_line(title))
)


@FAST
@given(st.text())
def test_clean_never_raises_and_never_lengthens(text):
    out = clean(text)
    assert len(out.text) <= len(text)
    titled = clean(text, take_title=True)
    assert len(titled.text) <= len(text)
    assert len(titled.title) <= len(text)
    injection_markers(text)


@FAST
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=8), separators)
def test_clean_of_line_soup_never_lengthens(lines, sep):
    text = sep.join(lines)
    assert len(clean_text(text)) <= len(text)


@FAST
@given(st.lists(st.tuples(sentences, noise), min_size=1, max_size=12), separators)
def test_story_sentences_survive_among_boilerplate(pairs, sep):
    text = sep.join(s + sep + n for s, n in pairs)
    out = clean_text(text)
    for sentence, _ in pairs:
        assert sentence in out
    assert "Go to contents" not in out and "All rights reserved" not in out


@FAST
@given(titles, st.lists(sentences, min_size=1, max_size=10), separators)
def test_title_taken_and_sentences_kept(title, body, sep):
    result = clean(title + sep + sep.join(body), take_title=True)
    assert result.title == title
    for sentence in body:
        assert sentence in result.text


@FAST
@given(st.lists(sentences, min_size=1, max_size=10))
def test_cleaning_is_idempotent(body):
    once = clean_text("\n\n".join(body))
    assert clean_text(once) == once


def _originals(n_texts: int):
    # Each original draws from its own vocabulary (suffix), so originals never look alike.
    return st.lists(st.lists(words, min_size=8, max_size=25), min_size=n_texts, max_size=n_texts).map(
        lambda texts: [" ".join(f"{w}q{i}" for w in ws) + "." for i, ws in enumerate(texts)]
    )


@SLOWER
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.tuples(_originals(n), st.lists(st.integers(0, n - 1), max_size=12))
    ),
    st.randoms(use_true_random=False),
)
def test_dedupe_marks_exactly_the_copies(data, rnd):
    originals, copy_of = data
    docs = [(f"o{i}", text, None) for i, text in enumerate(originals)]
    docs += [(f"c{k}", originals[i], f"o{i}") for k, i in enumerate(copy_of)]
    rnd.shuffle(docs)
    articles = [Article(id=doc_id, text=text) for doc_id, text, _ in docs]
    found = find_duplicates(articles)
    # Expected: every text's first occurrence is the original; later identical texts point at it.
    first_seen: dict[str, str] = {}
    expected: dict[str, str] = {}
    for doc_id, text, _ in docs:
        if text in first_seen:
            expected[doc_id] = first_seen[text]
        else:
            first_seen[text] = doc_id
    assert found == expected
    assert len(found) == len(copy_of)
    marked = mark_duplicates(articles)
    assert {a.id: a.duplicate_of for a in marked if a.duplicate_of} == expected
    again = mark_duplicates(marked)
    assert [(a.id, a.duplicate_of) for a in again] == [(a.id, a.duplicate_of) for a in marked]


@FAST
@given(st.lists(sentences, min_size=1, max_size=6))
def test_record_text_roundtrip_through_json(body):
    # A JSON record of plain sentences is loaded with every sentence intact.
    from summarizer.ingest import load_articles

    text = "\n\n".join(body)
    (article,) = load_articles([json.loads(json.dumps({"id": "p", "title": "T", "text": text}))])
    for sentence in body:
        assert sentence in article.text

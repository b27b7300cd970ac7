"""The neutral-voice lexicon: flags loaded words in the brief's own voice, never inside quotes."""

from __future__ import annotations

import pytest

from summarizer.text.loaded import (
    find_loaded,
    lexicon,
    loaded_terms,
    remove_intensifiers,
    subjectivity_rate,
    unquoted,
)


def test_lexicon_loads_terms_with_kinds():
    kinds = {kind for _, kind in lexicon()}
    assert {"intensifier", "loaded", "verb", "hedge"} <= kinds
    terms = {term for term, _ in lexicon()}
    assert {"illegal war", "murderer", "evasive", "regime", "so-called"} <= terms


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Putin gave an evasive answer.", ["evasive"]),
        ("Kyiv slammed the decision.", ["slammed"]),
        ("Critics call it an illegal war.", ["illegal war"]),
        ("The Regime in Moscow responded.", ["Regime"]),
        ("The so-called referendum was held.", ["so-called"]),
    ],
)
def test_loaded_word_in_own_voice_is_flagged(text, expected):
    assert loaded_terms(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Navalnaya said Guterres was “shaking hands with a murderer”.",
        'Navalnaya said Guterres was "shaking hands with a murderer".',
        "She called it an ‘illegal war’ in a post.",
    ],
)
def test_same_word_inside_quotes_is_not_flagged(text):
    assert loaded_terms(text) == []


def test_whole_words_only():
    # "regimen" and "mobile" contain lexicon words but are not them.
    assert loaded_terms("The treatment regimen uses mobile clinics.") == []


def test_unquoted_keeps_offsets():
    text = 'He said "a murderer" twice.'
    blanked = unquoted(text)
    assert len(blanked) == len(text)
    assert "murderer" not in blanked and blanked.startswith("He said")


def test_subjectivity_rate_counts_per_hundred_words():
    assert subjectivity_rate("") == 0.0
    assert subjectivity_rate("The talks resumed on Monday in Geneva.") == 0.0
    rate = subjectivity_rate("The brutal regime slammed the talks.")  # 3 hits in 6 words
    assert rate == pytest.approx(50.0)


def test_remove_intensifiers_only_where_grammatical():
    text, removed = remove_intensifiers("Troops continued the brutal assault. Brutal fighting went on.")
    assert text == "Troops continued the assault. Fighting went on."
    assert removed == ["brutal", "Brutal"]
    # After "a"/"an" deleting would leave "a assault": kept (and still flagged).
    text, removed = remove_intensifiers("It was an outrageous claim.")
    assert removed == [] and text == "It was an outrageous claim."
    # Loaded nouns are never rewritten by rule.
    text, removed = remove_intensifiers("The regime responded.")
    assert removed == [] and [h.kind for h in find_loaded(text)] == ["loaded"]

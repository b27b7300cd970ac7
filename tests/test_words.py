"""The word rules of summarizer.text.words (and the name and outlet rules of text.names and
text.outlets), table-tested on sentences of examples/putin-nk-troops."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.text import words as w
from summarizer.text.names import inner_name_words, known_caps, name_words, names_in, title_case
from summarizer.text.outlets import outlet_keys

SIGHTINGS = ("Ukrainian authorities reported sightings of North Korean troops in Russia’s front-line "
             "region of Kursk Oblast.")
IMAGES = ("“If there are images, then they reflect something,” Putin said in response to a journalist’s "
          "question about North Korean soldiers deployed in Russia.")
KURSK = ("Local reports indicate that some of the approximately 12,000 troops sent from North Korea, "
         "including three generals and 500 officers, were first seen in Kursk on Tuesday.")
AGREEMENTS = "We have never doubted in the least that the North Korean leadership takes our agreements seriously."


@pytest.mark.parametrize(("text", "expected"), [
    (SIGHTINGS, ["Ukrainian", "authorities", "reported", "sightings", "of", "North", "Korean", "troops", "in",
                 "Russia’s", "front", "line", "region", "of", "Kursk", "Oblast"]),
    ("If they're co-belligerents", ["If", "they're", "co", "belligerents"]),
])
def test_words_keep_one_inner_apostrophe(text, expected):
    assert w.words(text) == expected


def test_pieces_split_at_apostrophes_and_letter_words_drop_digits():
    assert w.pieces("Russia’s 12,000 troops") == ["Russia", "s", "12", "000", "troops"]
    assert w.letter_words("Russia’s 12,000 troops") == ["Russia", "s", "troops"]
    assert w.letter_words(KURSK, 5) == ["Local", "reports", "indicate", "approximately", "troops", "North", "Korea",
                                        "including", "three", "generals", "officers", "first", "Kursk", "Tuesday"]


@pytest.mark.parametrize(("cut", "expected"), [
    (6, {"author", "front", "korean", "kursk", "line", "north", "oblast", "region", "report", "russia", "sighti",
         "troops", "ukrain"}),
    (5, {"autho", "front", "korea", "kursk", "line", "north", "oblas", "regio", "repor", "russi", "sight", "troop",
         "ukrai"}),
])
def test_content_words_are_lowercased_without_stop_words_and_cut(cut, expected):
    assert w.content_words(SIGHTINGS, cut=cut) == expected


def test_content_core_takes_its_stop_list_and_minimum_length():
    tokens = w.words("The troops of North Korea")
    assert w.content(tokens) == ["troops", "north", "korea"]
    assert w.content(tokens, stopwords=frozenset({"the"}), min_len=3) == ["troops", "north", "korea"]
    assert w.content(tokens, stopwords=frozenset(), min_len=3) == ["the", "troops", "north", "korea"]


@pytest.mark.parametrize(("text", "expected"), [
    # Names inside a remark ("North Korean") are left out; the rest is cut to five letters.
    (AGREEMENTS, {"agree", "doubt", "leade", "least", "never", "serio", "takes"}),
    # A sentence's capitalised first word is not a name.
    ("Images are a serious thing. If there are images, then they reflect something",
     {"image", "refle", "serio", "somet", "thing"}),
])
def test_remark_words_leave_out_names_inside_the_remark(text, expected):
    assert w.remark_words(text) == expected


@pytest.mark.parametrize(("word", "stem", "term_stem"), [
    ("sanctions", "sanction", "sanction"),
    ("sanctioning", "sanction", "sanction"),
    ("deployed", "deploy", "deploy"),
    ("troops", "troop", "troop"),
    ("countries", "countri", "country"),  # only the clustering stemmer turns -ies into -y
    ("press", "pres", "press"),  # ... and leaves -ss words whole
    ("uses", "uses", "use"),  # the truth layer's stem keeps four letters, clustering's three
    ("is", "is", "is"),
])
def test_the_two_stemmers_share_a_core_but_not_their_tables(word, stem, term_stem):
    assert w.stem(word) == stem
    assert w.term_stem(word) == term_stem


def test_stem_lowercases_and_drops_the_possessive():
    assert w.stem("Korea's") == w.stem("Korea’s") == "korea"
    assert w.strip_possessive("Russia’s") == "Russia" and w.is_possessive("journalist’s")
    assert not w.is_possessive("troops")
    assert w.strip_possessives("Ukraine’s Defense Intelligence Directorate's head") == \
        "Ukraine Defense Intelligence Directorate head"


def test_content_stems_skip_quotations_and_stems_keep_every_word():
    assert w.content_stems(IMAGES) == ["putin", "response", "journalist", "question", "north", "korean", "soldier",
                                       "deploy", "russia"]
    assert {"imag", "reflect", "someth", "there", "said"} <= w.stems(IMAGES)
    assert w.stems("in the war") == frozenset({"the", "war"})  # three letters or more, stop words kept


def test_name_heuristics_live_in_text_names():
    assert names_in(KURSK, frozenset()) == [("North Korea", ["North", "Korea"]), ("Kursk", ["Kursk"]),
                                           ("Tuesday", ["Tuesday"])]
    # A lone capitalised first word is a name only when the articles write it capitalised mid-sentence.
    assert names_in("Fighting spread near Kursk.", frozenset()) == [("Kursk", ["Kursk"])]
    assert names_in("Fighting spread near Kursk.", frozenset({"Fighting"}))[0] == ("Fighting", ["Fighting"])
    assert title_case("Putin Does Not Deny North Korean Troops In Russia")
    assert not title_case("Putin acknowledges N. Korean troop deployment to Russia")
    assert known_caps((SIGHTINGS, KURSK)) == frozenset({"Korea", "Korean", "Kursk", "North", "Oblast", "Russia",
                                                        "Tuesday"})
    assert name_words(KURSK) == {"korea", "kursk", "local"}
    assert inner_name_words(KURSK) == {"korea", "kursk", "north", "tuesd"}


def test_outlet_keys_are_the_clusters_and_the_known_outlets():
    keys = outlet_keys(["Yonhap", None])
    assert {"yonhap", "the guardian", "the dong-a ilbo"} <= keys


def test_no_module_outside_text_words_writes_a_word_pattern_again():
    """The word patterns are written once, in text/words.py; a copy elsewhere would drift."""
    patterns = ["[^\\W_]+(?:['’]", "['’]s$", "['’]s\\b", 'r"[^\\W\\d_]+"', 'r"[^\\W_]+"', 'r"[^\\W\\d_]{']
    package = Path(__file__).resolve().parent.parent / "summarizer"
    copies = [f"{p.relative_to(package)}: {pat}" for p in sorted(package.rglob("*.py")) if p.name != "words.py"
              for pat in patterns if pat in p.read_text(encoding="utf-8")]
    assert copies == []

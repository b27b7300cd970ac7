"""Deterministic evidence: quotes with speakers, numbers with claimants, entities, disagreements."""

from __future__ import annotations

import pytest

from summarizer.evidence import collect
from summarizer.schema import Article
from summarizer.text.names import names_match
from summarizer.text.sentences import quote_spans, sentence_spans


@pytest.fixture(scope="module")
def seeds(seed_cluster) -> list[Article]:
    return seed_cluster.articles()


@pytest.fixture(scope="module")
def evidence(seeds):
    return collect(seeds)


def _by_text(evidence, fragment: str, article_id: str):
    return [q for q in evidence.quotes if q.article_id == article_id and fragment in q.text]


# ----------------------------------------------------------------------------- quotes


def test_quote_candidates_are_verbatim_spans(evidence, seeds):
    by_id = {a.id: a for a in seeds}
    assert evidence.quotes
    assert [q.id for q in evidence.quotes + evidence.fragments] == list(
        range(1, len(evidence.quotes) + len(evidence.fragments) + 1)
    )
    for q in evidence.quotes + evidence.fragments:
        assert by_id[q.article_id].text[q.start : q.end] == q.text
        assert q.text == q.text.strip() and q.text[0] not in '“"«‘'


@pytest.mark.parametrize(
    "article_id, fragment",
    [
        ("001", "If there are images, then they reflect something"),
        ("002", "If there are images, then they reflect something"),
        ("003", "Images — if they exist, they indicate something significant"),
        ("004", "if the photos exist, they must reflect something"),
    ],
)
def test_images_remark_found_in_every_seed_with_putin_as_speaker(evidence, article_id, fragment):
    found = _by_text(evidence, fragment, article_id)
    assert len(found) == 1
    assert found[0].speaker == "Vladimir Putin"


@pytest.mark.parametrize(
    "article_id, fragment, speaker",
    [
        ("001", "We are seeing evidence that there are North Korean troops", "Lloyd Austin"),
        ("001", "If they're co-belligerents", "Lloyd Austin"),  # a quote continuing Austin's
        ("003", "We need peace in Ukraine", "António Guterres"),
        ("003", "shaking hands with a murderer", "Yulia Navalnaya"),
        ("003", "We have always believed", "Vladimir Putin"),  # "he added"
        ("004", "We are cooperating with our North Korean friends", "Vladimir Putin"),  # "and said"
        ("004", "There is evidence that North Korean troops went to Russia", "Sabrina Singh"),
    ],
)
def test_speakers(evidence, article_id, fragment, speaker):
    found = _by_text(evidence, fragment, article_id)
    assert found and found[0].speaker == speaker


def test_treaty_text_has_no_speaker(evidence):
    found = _by_text(evidence, "mutual assistance in case of aggression", "002")
    assert found and found[0].speaker is None


def test_scare_quotes_are_fragments_not_quotes(evidence):
    assert not any(q.text.startswith("co-belligerents") for q in evidence.quotes)
    frag = [q for q in evidence.fragments if q.text == "co-belligerents"]
    assert frag and frag[0].fragment
    zakharova = [q for q in evidence.fragments if q.text.startswith("false and exaggerated")]
    assert zakharova and zakharova[0].speaker == "Maria Zakharova"


def test_headline_repeats_are_deduplicated(evidence):
    texts = [q.text for q in evidence.quotes if q.article_id == "004"]
    assert len(texts) == len(set(texts))


# ----------------------------------------------------------------------------- statements


def test_renderings_of_the_images_remark_form_one_statement(evidence, seeds):
    one = _by_text(evidence, "Images — if they exist", "003")[0]
    statements = evidence.statements([one.id])
    assert len(statements) == 1
    st = statements[0]
    assert st.speaker == "Vladimir Putin"
    assert [r.article_id for r in st.renderings] == ["001", "002", "003", "004"]
    by_id = {a.id: a for a in seeds}
    for r in st.renderings:
        assert by_id[r.article_id].text[r.start : r.end] == r.text


def test_choosing_several_renderings_still_gives_one_statement(evidence):
    ids = [q.id for q in evidence.quotes if "image" in q.text.lower() and q.speaker == "Vladimir Putin"]
    assert len(ids) == 4
    assert len(evidence.statements(ids)) == 1


def test_different_remarks_stay_apart(evidence):
    images = _by_text(evidence, "Images — if they exist", "003")[0]
    process = _by_text(evidence, "We’ll see how this process develops", "002")[0]
    assert len(evidence.statements([images.id, process.id])) == 2


def test_misattributed_choice_is_left_out(evidence):
    guterres = _by_text(evidence, "We need peace in Ukraine", "003")[0]
    assert evidence.statements([guterres.id], speaker="Vladimir Putin") == []
    assert evidence.statements([guterres.id], speaker="Guterres")[0].speaker == "António Guterres"


def test_unknown_ids_are_ignored(evidence):
    assert evidence.statements([9999]) == []


def test_names_match():
    assert names_match("Putin", "Vladimir Putin")
    assert names_match("President Putin", "Vladimir Putin")
    assert not names_match("Lloyd Austin", "Vladimir Putin")
    # a compass word makes another place: the seed's "North Korean troops" and "South Korean intelligence"
    assert not names_match("South Korean", "North Korean") and not names_match("South Korea", "Korea")
    assert not names_match("West Virginia", "Virginia")
    assert names_match("North Korea", "North Korea") and names_match("North Korean leader Kim Jong Un", "Kim Jong Un")


# ----------------------------------------------------------------------------- numbers


def test_numbers_have_units_and_claimants(evidence):
    n = [m for m in evidence.numbers if m.raw == "11,000"]
    assert n and n[0].unit == "infantry" and "Budanov" in (n[0].claimant or "")
    assert n[0].qualifier == "about"
    years = [m for m in evidence.numbers if m.raw == "2024"]
    assert years and all(m.kind in ("year", "date") for m in years)


def test_troop_disagreement_lists_each_figure_with_its_claimant(evidence):
    troops = [d for d in evidence.disagreements if "soldiers" in d.subject or "troops" in d.subject]
    assert len(troops) == 1
    claims = {c.value.split()[-2]: c for c in troops[0].claims}
    assert set(claims) == {"3,000", "10,000", "11,000", "12,000"}
    assert "South Korea" in claims["3,000"].claimant and "United States" in claims["3,000"].claimant
    assert "Zelenskyy" in claims["10,000"].claimant
    assert "Budanov" in claims["11,000"].claimant
    assert "Ukraine" in claims["12,000"].claimant and "Local reports" in claims["12,000"].claimant
    assert claims["3,000"].sources == ["002", "003", "004"]
    for c in troops[0].claims:
        assert c.evidence and c.value.split()[-2] in c.evidence


def test_one_article_listing_unrelated_counts_is_no_disagreement():
    art = Article(
        id="a", text="Police arrested 12 protesters in Paris. In Lyon, 40 people attended a concert."
    )
    assert collect([art]).disagreements == []


def test_two_claimants_in_one_article_disagree():
    # From the dev set (allsides-5651): two accounts of the injured in one sentence.
    art = Article(
        id="a",
        text="The Taliban say five people have been killed and 10 injured, but medical sources "
        "say the death toll stands at 10 with over 30 injured.",
    )
    ds = collect([art]).disagreements
    assert len(ds) == 1
    assert {(c.value, c.claimant) for c in ds[0].claims} == {
        ("10 injured", "Taliban"),
        ("over 30 injured", "medical sources"),
    }


# ----------------------------------------------------------------------------- entities


def test_entities_include_the_story_actors(evidence):
    persons = {e.name for e in evidence.entities.persons}
    countries = {e.name for e in evidence.entities.countries}
    orgs = {e.name for e in evidence.entities.organizations}
    assert {"Vladimir Putin", "Lloyd Austin", "Kim Jong Un", "Volodymyr Zelenskyy"} <= persons
    assert {"Russia", "North Korea", "South Korea", "Ukraine"} <= countries
    assert "BRICS" in orgs


def test_every_entity_occurs_in_the_articles(evidence, seeds):
    texts = " ".join(a.text for a in seeds)
    ents = evidence.entities
    for e in ents.persons + ents.countries + ents.organizations:
        assert e.name in texts, e.name
        assert e.mentions >= 1 and e.sources


def test_surname_mentions_count_towards_the_full_name(evidence):
    putin = next(e for e in evidence.entities.persons if e.name == "Vladimir Putin")
    assert putin.mentions > 10 and putin.sources == ["001", "002", "003", "004"]


def test_no_byline_or_place_as_person(evidence):
    persons = {e.name for e in evidence.entities.persons}
    assert not persons & {"Valerie Hopkins", "Kursk Oblast", "White House", "Eun-A Cho"}


def test_duplicates_are_skipped(seeds):
    dup = Article(id="dup", text=seeds[0].text, duplicate_of="001")
    ev = collect([*seeds, dup])
    assert all(q.article_id != "dup" for q in ev.quotes)
    assert [a.id for a in ev.articles] == ["001", "002", "003", "004"]


# ----------------------------------------------------------------------------- text helpers


def test_sentence_spans_respect_abbreviations():
    text = "U.S. Defense Secretary Lloyd Austin spoke. Sen. Markey agreed.\nA headline"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["U.S. Defense Secretary Lloyd Austin spoke.", "Sen. Markey agreed.", "A headline"]


def test_quote_spans_pair_marks_and_skip_apostrophes():
    text = '“One two,” he said. "Three four." It’s ‘five six’ and don’t.\n“Unclosed at paragraph end'
    inner = [text[o + 1 : c] for o, c in quote_spans(text)]
    assert inner == ["One two,", "Three four.", "five six"]


def test_person_finder_finds_what_a_search_for_every_person_finds(seeds, evidence):
    from summarizer.evidence.model import Person
    from summarizer.evidence.persons import PersonFinder, person_mentions

    persons = list(evidence.persons) + [
        Person(name="Kim Jong Un", keys=frozenset({"Kim"})),
        Person(name="’Odd Name", keys=frozenset({"Odd"})),  # starts with no word character: always searched
    ]
    finder = PersonFinder(persons)
    texts = [a.text for a in seeds] + ["Kim Jong Un met ’Odd Name; Kim said.", "Nothing here.", "Putin's aides"]
    for text in texts:
        assert finder.mentions(text) == person_mentions(text, persons)
    assert finder.candidates("Nothing here.") == [persons[-1]]
    assert len(finder.candidates(seeds[0].text)) < len(persons)  # it does skip persons

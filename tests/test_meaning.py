"""Meaning: sentences built from their source's words that say the opposite never pass as verified.

The sentences are the seed articles' own (examples/putin-nk-troops/) and, where the shared dev set is
beside the repository, the dev clusters'; each rule must catch its change, and paraphrase, compression,
pronouns, merged sentences and added attributions must pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer import truth
from summarizer.schema import Article, CitedSentence, SentenceRef, StoryBrief, Summary
from summarizer.text.clauses import tokens
from summarizer.truth import meaning
from summarizer.truth.contradiction import contradictions
from summarizer.truth.meaning import Verdict
from summarizer.truth.slots import slot_names

DEV = Path(__file__).resolve().parents[2] / "shared" / "evalsets" / "allsides-dev.jsonl"

DENY = ("Russian President Vladimir Putin did not deny the large-scale deployment of North Korean troops to "
        "Russia on the 24th (local time), stating, \"It is our business to decide what and how to do with North Korea.")
HUR = ("Meanwhile, Ukraine’s Defense Intelligence Directorate (HUR) announced that the first deployed North Korean "
       "troops have been stationed in Russia’s southwestern Kursk Oblast, bordering Ukraine.")
LOCAL = ("Local reports indicate that some of the approximately 12,000 troops sent from North Korea, including three "
         "generals and 500 officers, were first seen in Kursk on Tuesday.")
SOUTH = ("This follows South Korean intelligence reports that North Korea has deployed 3,000 troops to Russia, with "
         "sources indicating that Pyongyang is taking measures to isolate the families of selected soldiers to "
         "prevent information leaks.")
FIRST = ("Russian President Vladimir Putin, for the first time, addressed the deployment of North Korean troops to "
         "Russia on Thursday (local time), stating it is up to Moscow how to run its mutual defense clause with Pyongyang.")


def rules(sentence: str, *sources: str) -> set[str]:
    return {f.rule for f in contradictions(sentence, sources)}


@pytest.mark.parametrize(("sentence", "source", "rule"), [
    # negation inserted, removed, and the denial verb turned around (the 1.5B's own error on article 004)
    ("Putin denied the large-scale deployment of North Korean troops to Russia.", DENY, "negation"),
    ("Putin did not address the deployment of North Korean troops to Russia on Thursday.", FIRST, "negation"),
    ("South Korean intelligence reports that North Korea has not deployed 3,000 troops to Russia.", SOUTH, "negation"),
    # opposites, anywhere in the source or at the aligned place
    ("Putin, for the last time, addressed the deployment of North Korean troops to Russia.", FIRST, "antonym"),
    ("The last deployed North Korean troops have been stationed in Russia’s Kursk Oblast.", HUR, "antonym"),
    # a figure of the same sentence bound to another thing, or one the sentence does not give
    ("Some of the approximately 500 troops sent from North Korea were first seen in Kursk.", LOCAL, "figure"),
    ("North Korea has deployed 12,000 troops to Russia, South Korean intelligence reports.", SOUTH, "figure"),
    # a weekday swapped for another
    ("Some of the troops sent from North Korea were first seen in Kursk on Friday.", LOCAL, "date"),
    # the subject and the object swapped; a name swapped for another name of the cluster
    (("Russia’s Defense Intelligence Directorate announced that North Korean troops have been stationed in "
     "Ukraine’s Kursk Oblast."), HUR, "role"),
    ("Kim Jong Un addressed the deployment of North Korean troops to Russia on Thursday.", FIRST, "name"),
])
def test_each_rule_catches_its_change(sentence, source, rule):
    assert rule in rules(sentence, source)


@pytest.mark.parametrize(("sentence", "sources"), [
    (DENY, [DENY]),  # a verbatim copy
    ("Putin did not deny the deployment of North Korean troops to Russia.", [DENY]),  # deletions only
    ("Some of the approximately 12,000 troops sent from North Korea were first seen in Kursk on Tuesday.", [LOCAL]),
    # a legitimate paraphrase: reordering, another form of a word, a clause dropped
    ("On Thursday, Putin addressed for the first time the deployment of North Korean troops to Russia.", [FIRST]),
    ("North Korea deployed 3,000 troops to Russia, according to South Korean intelligence reports.", [SOUTH]),
    # a merged sentence: two sources, one clause of each
    (("Putin addressed the deployment of North Korean troops to Russia on Thursday, and Ukraine’s Defense "
     "Intelligence Directorate announced that they have been stationed in Kursk Oblast."), [FIRST, HUR]),
    # an attribution added, of what the sources say
    ("The first deployed North Korean troops have been stationed in Kursk Oblast, the directorate announced.", [HUR]),
    # a range whose counted thing the sentence gave before it: "spoke of" is not what 10,000 counts
    ("South Korea put the deployment at about 3,000 soldiers, while Ukrainian officials spoke of 10,000 to 12,000.",
     ["approximately 10,000 North Korean soldiers are in Russia, and Ukraine says as many as 12,000 troops.",
      "South Korea's intelligence agency said about 3,000 soldiers had been sent."]),
])
def test_faithful_sentences_pass(sentence, sources):
    assert contradictions(sentence, sources) == []


def test_a_pronoun_for_the_named_speaker_passes():
    source = "He said the troops were not sent to fight, the Kremlin spokesman Dmitry Peskov added."
    assert contradictions("Peskov said the troops were not sent to fight.", [source]) == []
    assert "negation" in rules("Peskov said the troops were sent to fight.", source)


# ------------------------------------------------------------------ in the truth layer

def _article(arts: list[Article], needle: str) -> tuple[Article, SentenceRef]:
    for a in arts:
        at = a.text.find(needle)
        if at >= 0:
            return a, SentenceRef(article_id=a.id, start=at, end=at + len(needle), text=needle)
    raise AssertionError(f"not in the seed: {needle!r}")


def _brief(text: str, ref: SentenceRef) -> StoryBrief:
    sentence = CitedSentence(text=text, sources=[ref.article_id], evidence=[ref])
    return StoryBrief(title="Putin and the North Korean troops", summary=[sentence], key_points=[],
                      perspectives=[])


@pytest.fixture(scope="module")
def arts(seed_cluster) -> list[Article]:
    return seed_cluster.articles()


def test_strict_validation_rejects_a_reversed_sentence_and_keeps_a_faithful_one(arts):
    _, ref = _article(arts, "Putin did not deny the large-scale deployment of North Korean troops")
    faithful = _brief("Putin did not deny the large-scale deployment of North Korean troops.", ref)
    reversed_ = _brief("Putin denied the large-scale deployment of North Korean troops.", ref)
    StoryBrief.model_validate(faithful.model_dump(), context={"articles": arts})
    with pytest.raises(ValidationError, match="contradicts the source sentences it cites"):
        StoryBrief.model_validate(reversed_.model_dump(), context={"articles": arts})


def test_repair_lets_the_cited_source_sentence_stand_in(arts):
    _, ref = _article(arts, "Putin did not deny the large-scale deployment of North Korean troops")
    repaired = truth.repair(_brief("Putin denied the large-scale deployment of North Korean troops.", ref), arts)
    assert repaired.summary[0].text == ref.text
    assert repaired.summary[0].origin == "fact"  # a source sentence now, not the model's
    issues = [i for i in repaired.grounding.issues if "contradicts" in i.detail]
    assert all(i.action == "repaired" for i in issues) and any("'deny'" in i.detail for i in issues)


def test_a_second_judge_is_asked_only_about_flagged_sentences():
    asked: list[str] = []

    class Lenient:
        def judge(self, sentence, sources):
            asked.append(sentence)
            return Verdict("entailed")

    meaning.use_judge(Lenient())
    try:
        assert meaning.findings(DENY, [DENY]) == []
        assert meaning.findings("Putin denied the deployment of North Korean troops.", [DENY]) == []
    finally:
        meaning.use_judge(None)
    assert asked == ["Putin denied the deployment of North Korean troops."]
    assert meaning.findings("Putin denied the deployment of North Korean troops.", [DENY])


# ------------------------------------------------------------------ dev sentences

def _dev_sentence(needle: str) -> str:
    """The sentence of a dev article (as the pipeline reads it) that contains ``needle``."""
    from summarizer.ingest import load_clusters
    from summarizer.text.sentences import sentence_spans

    for cluster in load_clusters(str(DEV)):
        for a in cluster.articles:
            at = a.text.find(needle)
            if at >= 0:
                return next(a.text[s:e] for s, e in sentence_spans(a.text) if s <= at < e)
    raise AssertionError(f"not in the dev set: {needle!r}")


@pytest.mark.skipif(not DEV.exists(), reason="needs the shared AllSides dev set beside the repository")
def test_dev_sentences():
    police = _dev_sentence("Police said a 25-year-old man was arrested")
    assert contradictions("A 25-year-old man was arrested on suspicion of murder, police said.", [police]) == []
    assert "negation" in rules("Police said a 25-year-old man was not arrested on suspicion of murder.", police)
    assert "figure" in rules("Police said a 52-year-old man was arrested on suspicion of murder.", police)
    claims = _dev_sentence("Unemployment claims dropped 36,000 to 293,000")
    assert contradictions("Unemployment claims dropped 36,000 to 293,000 last week.", [claims]) == []
    assert "antonym" in rules("Unemployment claims rose 36,000 to 293,000 last week.", claims)
    assert "figure" in rules("Unemployment claims dropped 36,000 to 36,000 last week.", claims)


def test_the_perturbation_suite_counts_what_ships(arts):
    from summarizer_evals import perturb

    _, ref = _article(arts, "Putin did not deny the large-scale deployment of North Korean troops")
    brief = _brief("Putin did not deny the large-scale deployment of North Korean troops.", ref)
    rows = perturb.strict_suite([(brief.model_dump(mode="json"), arts)]).rows()
    assert rows["control"] == {"tried": 1, "shipped": 1, "rate": 1.0}
    assert rows["negation"]["tried"] == 1 and rows["negation"]["shipped"] == 0


@pytest.mark.skipif(not DEV.exists(), reason="needs the shared AllSides dev set beside the repository")
def test_dev_paraphrases_the_default_model_wrote_pass():
    schumer = _dev_sentence("Senate majority leader Chuck Schumer (D., N.Y.) railed against Republicans")
    assert contradictions("Sen. Chuck Schumer (D., N.Y.) criticized Republicans in a speech Thursday night after "
                          "eleven GOP senators joined Democrats in breaking a filibuster on the debt-ceiling hike.",
                          [schumer]) == []
    bls = _dev_sentence("in September, the Bureau of Labor Statistics said")
    labor = _dev_sentence("Friday’s report from the Labor Department also showed")
    assert contradictions("The Bureau of Labor Statistics reported that the unemployment rate declined to 4.8% in "
                          "September, down from 5.2% in August.", [bls, labor]) == []
    biden = _dev_sentence("President Biden on Monday said he did not agree with activists")
    assert contradictions("President Biden said on Monday that he did not agree with activists who followed "
                          "Sen. Kyrsten Sinema (D-Ariz.) into a bathroom.", [biden]) == []
    assert "negation" in rules("President Biden said on Monday that he agreed with activists who followed "
                               "Sen. Kyrsten Sinema (D-Ariz.) into a bathroom.", biden)


def test_a_repair_that_restores_a_sentence_the_summary_already_has_does_not_repeat_it(arts):
    # Issue 27, item 13: coverage put a source sentence in, and a repair put the same one in again.
    _, ref = _article(arts, "Putin did not deny the large-scale deployment of North Korean troops")
    copied = CitedSentence(text=ref.text, sources=[ref.article_id], evidence=[ref], origin="coverage")
    reversed_ = CitedSentence(text="Putin denied the large-scale deployment of North Korean troops.",
                              sources=[ref.article_id], evidence=[ref])
    brief = StoryBrief(title="Putin and the North Korean troops", summary=[copied, reversed_],
                       key_points=[reversed_], perspectives=[])
    repaired = truth.repair(brief, arts)
    assert [s.text for s in repaired.summary] == [ref.text]
    assert repaired.key_points == []
    dropped = [i for i in repaired.grounding.issues if i.action == "dropped" and "word for word" in i.detail]
    assert [(i.kind, i.where) for i in dropped] == [("redundant", "summary[1]")]


@pytest.mark.parametrize(("sentence", "source"), [
    # a denial verb is a negation cue only before "to"; elsewhere an ordinary verb
    ("Oil prices fell 5% on Monday.", "Oil prices declined 5% on Monday."),
    ("The court dismissed the appeal on Monday.", "The court rejected the appeal on Monday."),
    # words with a second meaning are opposites only at the aligned place
    ("At least five people were killed in the storm.", "The most powerful storm in years killed five people."),
    ("A gunman fired shots close to the school.", "A gunman opened fire near the school."),
    ("Police released new details about the 84-year-old victim.", "Police identified the victim as an 84-year-old man."),
    ("Smith, a close ally of the mayor, resigned on Friday.", "Smith, who opened the inquiry, resigned on Friday."),
    ("Two people were killed in the attack.", "Two people died and five others were injured in the attack, police said."),
    # figures compared by value
    ("Unemployment rose to 5 percent in March.", "Unemployment rose to 5% in March."),
    ("Police said 3,000 people attended the rally.", "Police said 3000 people attended the rally."),
    # passive to active: the "by" name is the doer; an adjective of the lexicon is no verb
    ("Trump attacked Biden in a speech.", "Biden was attacked by Trump in a speech."),
    ("Sunak, the new prime minister, said he would cut taxes.",
     "At a rally in London the new prime minister, Sunak, said he would cut taxes."),
    # a spelled count found where it stands, not at its first occurrence
    ("Officials said 3 soldiers boarded the plane.",
     "The search lasted three days. Officials said the plane crashed after three soldiers boarded it."),
])
def test_rewordings_of_the_source_pass(sentence, source):
    assert contradictions(sentence, [source]) == []


@pytest.mark.parametrize(("sentence", "source", "rule"), [
    ("Smith declined to comment on the report.", "Smith commented on the report.", "negation"),
    ("Five people were injured in the attack.", "Five people were killed in the attack.", "antonym"),
    ("Biden attacked Trump in a speech.", "Biden was attacked by Trump in a speech.", "role"),
])
def test_reworded_rules_still_catch_their_change(sentence, source, rule):
    assert rule in rules(sentence, source)


# Two names trading places around the same words (real dev sentences, perturbed), and the orders that
# say the same thing: an appositive turned into a title, names joined by "and", a passive.
@pytest.mark.parametrize(("sentence", "source", "swapped"), [
    (("Essex has died after being stabbed multiple times at his constituency surgery in Conservative MP Sir "
      "David Amess."),
     ("Conservative MP Sir David Amess has died after being stabbed multiple times at his "
      "constituency surgery in Essex."), True),
    ("A commission formed by Supreme Court to study potential changes to the President Biden expressed concerns.",
     "A commission formed by President Biden to study potential changes to the Supreme Court expressed concerns.",
     True),
    ("Black Male Voter Project founder Robinson faces challenges due to COVID-19 and Afghanistan exit",
     "But Robinson, founder of the Black Male Voter Project, thinks the case would be a lot harder to make now.",
     False),
    ("BioNTech and Pfizer said the vaccine works.", "Pfizer and BioNTech said the vaccine works.", False),
    ("Biden was criticized by Trump at the rally.", "Trump criticized Biden at the rally.", False),
    # a passive in both, the names traded: the source's words in the other order
    ("Sen. Bernie Sanders was criticized by Sen. Joe Manchin over the bill.",
     "Sen. Joe Manchin was criticized by Sen. Bernie Sanders over the bill.", True),
    ("Sen. Bernie Sanders criticized Sen. Joe Manchin over the bill.",
     "Sen. Joe Manchin was criticized by Sen. Bernie Sanders over the bill.", False),
])
def test_names_that_trade_places_are_a_role_change(sentence, source, swapped):
    assert ("role" in rules(sentence, source)) is swapped


def test_a_sentence_that_reverses_its_fact_is_not_repointed_to_others_that_hold_its_words(arts):
    from summarizer.evidence import collect
    from summarizer.truth.support import supporting_facts

    evidence = collect(arts)
    by_id = {a.id: a for a in arts}
    fact = next(f for f in evidence.facts if " not " in f.text)
    assert supporting_facts(fact.text, evidence.facts, by_id)  # as written: its own fact holds it
    assert supporting_facts(fact.text.replace(" not ", " ", 1), evidence.facts, by_id) == []


# Dev sentences (AllSides, a fused sentence the default model wrote from three outlets' sentences):
# a negated clause too short to align alone is read with the clause after it.
PILL_SOURCES = (
    ("The pill, called molnupiravir, cut the risk of hospitalization or death in patients with mild to moderate "
    "COVID-19 by about 50 percent in a late-stage trial."),
    ("It was created by researchers at Emory University in Atlanta and is given as four pills taken twice a day "
    "for five days."),
)
PILL = ("The pill is given as four pills taken twice a day for five days and cut the risk of hospitalization or "
        "death in patients with mild to moderate COVID-19 by about 50 percent in a late-stage trial.")


def test_a_short_negated_clause_is_read_with_the_clause_after_it():
    assert "negation" in rules(PILL.replace(" is given", " is not given"), *PILL_SOURCES)
    assert not rules(PILL, *PILL_SOURCES)  # the model's own fusion passes
    # the source negates the same pair of clauses: no finding
    same = "The pill is not given as four pills taken twice a day for five days, researchers said."
    assert not rules("The pill is not given as four pills taken twice a day for five days.", same)


# A quote inside a sentence is someone's words: word for word, or the sentence says what they did not.
ROGAN = ('"You\'re probably the only one at CNN who\'s glad … The rest of them are all lying about me taking horse '
         'medication," Rogan said.')
ROGAN_SOURCE = ('"You\'re probably the only one at CNN who\'s glad that I got better," Rogan told Gupta. '
                '"The rest of them are all lying about me taking horse medication."')


@pytest.mark.parametrize(("sentence", "flagged"), [
    (ROGAN, False),  # pieces joined by an ellipsis, each verbatim
    (ROGAN.replace("are all lying", "are not all lying"), True),
    (ROGAN.replace("horse medication", "cattle medication"), True),
    ('Rogan called the coverage "all lying," he said.', False),  # two words: a term, not a quote
])
def test_quoted_words_stand_word_for_word_in_the_sources(sentence, flagged):
    assert ("quote" in rules(sentence, ROGAN_SOURCE)) is flagged


def test_a_verbatim_quote_cited_to_the_wrong_article_is_cited_to_the_one_that_has_it():
    articles = [
        Article(id="left", text="Taiwan will not bow to pressure, President Tsai Ing-wen said Sunday."),
        Article(id="center", text=("“We will do our utmost to prevent the status quo from being unilaterally "
                                   "altered,” President Tsai said.")),
    ]
    ref = SentenceRef(article_id="left", start=0, end=len(articles[0].text), text=articles[0].text)
    text = "“We will do our utmost to prevent the status quo from being unilaterally altered,” President Tsai said."
    brief = _brief(text, ref)
    with pytest.raises(ValidationError, match="word for word"):
        StoryBrief.model_validate(brief.model_dump(), context={"articles": articles})
    repaired = truth.repair(brief, articles)
    assert repaired.summary[0].text == text and repaired.summary[0].sources == ["center"]
    StoryBrief.model_validate(repaired.model_dump(), context={"articles": articles})


def test_a_disagreement_line_must_be_its_disagreement_s_own_rendering(arts):
    from summarizer.schema.parts import Claim, Disagreement
    from summarizer.truth.claims import disagreement_sentence

    d = Disagreement(subject="number of North Korean soldiers", claims=[
        Claim(value="3,000 troops", claimant="South Korean intelligence", sources=["001"]),
        Claim(value="approximately 12,000 troops", claimant="Local reports", sources=["002"]),
    ])
    line = disagreement_sentence(d)
    _, ref = _article(arts, "Putin did not deny the large-scale deployment of North Korean troops")
    first = CitedSentence(text=ref.text + ".", sources=[ref.article_id], evidence=[ref])

    def brief(*summary: CitedSentence) -> StoryBrief:
        return StoryBrief(title="Putin and the North Korean troops", summary=Summary(list(summary)),
                          disagreements=[d])

    StoryBrief.model_validate(brief(first, line).model_dump(), context={"articles": arts})
    changed = line.model_copy(update={"text": line.text.replace("number of North Korean soldiers", "number of dead")})
    with pytest.raises(ValidationError, match="not the line of any of the brief's disagreements"):
        StoryBrief.model_validate(brief(first, changed).model_dump(), context={"articles": arts})
    assert [s.text for s in truth.repair(brief(first, changed), arts).summary] == [first.text]  # dropped


# ------------------------------------------------------------------ slots: a copied sentence, one name or word put in

OFFICIAL = ("The House committee issued a subpoena on Wednesday to Jeffrey Clark, a former Justice Department "
            "official under President Donald J. Trump who was involved in efforts to overturn the election.")
SELECT = "The Democratic-led House select committee investigating the riot issued a subpoena Wednesday."


@pytest.mark.parametrize(("sentence", "rule"), [
    # a name of the cluster in another name's place: another cited sentence holding its words licenses nothing
    (OFFICIAL.replace("President Donald J. Trump", "Select Committee"), "name"),
    (OFFICIAL.replace("President Donald J. Trump", "Jeffrey Clark"), "name"),
    (OFFICIAL.replace("The House committee", "Wednesday’s committee"), "name"),  # a weekday for whose it is
    (OFFICIAL.replace("The House committee", "The committee"), None),  # a word dropped
])
def test_a_name_put_in_a_copied_sentence_s_slot_is_caught_whatever_else_is_cited(sentence, rule):
    found = rules(sentence, OFFICIAL, SELECT)
    assert (rule in found) if rule else not found


@pytest.mark.parametrize("sentence", [
    OFFICIAL.replace("President Donald J. Trump", "Trump"),  # a shorter spelling
    OFFICIAL.replace("President Donald J. Trump", "Mr. Trump"),
    "Merck asked the FDA for emergency approval of its pill.",  # initials
])
def test_spellings_initials_and_roots_in_a_slot_pass(sentence):
    assert not rules(sentence, OFFICIAL, "Merck asked the Food and Drug Administration for emergency approval of "
                                         "its pill.")


def test_a_compass_word_in_a_slot_is_another_place():
    assert "name" in rules(SOUTH.replace("North Korea has deployed", "South Korea has deployed"), SOUTH)


def test_an_opposite_in_a_copied_sentence_s_slot_is_caught_though_another_source_has_the_word():
    court = ("The Supreme Court reversed lower court decisions that allowed the officers to be sued for their "
             "on-the-job conduct.")
    other = "Civil rights groups have campaigned against qualified immunity for years."
    assert "antonym" in rules(court.replace("sued for", "sued against"), court, other)
    assert not rules(court, court, other)


def test_negation_counts_its_cues_and_a_falling_figure_is_no_denial():
    source = "The unemployment rate declined to 4.8% in September, the Bureau of Labor Statistics said Friday."
    assert "negation" in rules(source.replace("declined to", "did not decline to"), source)
    talks = ("Biden's meetings with two key Democratic moderates yielded nothing in the form of a public "
             "commitment.")
    assert "negation" in rules(talks.replace("yielded nothing", "did not yield nothing"), talks)
    assert not rules(talks.replace("yielded nothing", "did not yield anything"), talks)  # one cue on each side


def test_a_figure_scaled_twice_is_not_its_source_s_figure():
    leak = "The Pandora Papers is a leak of almost 12 million documents."
    assert "figure" in rules(leak.replace("12 million", "12 million million"), leak)
    assert not rules(leak, leak)


@pytest.mark.skipif(not DEV.exists(), reason="needs the shared AllSides dev set beside the repository")
def test_dev_slots_and_roots():
    # the default model's sentence: "Senate Democrats" for "Democratic senators" is one actor
    senators = _dev_sentence("Democratic senators on Wednesday signaled they will accept a proposal")
    mine = ("Senate Democrats are signaling they will accept a proposal from Senate Minority Leader Mitch "
            "McConnell to raise the debt ceiling for two months, according to multiple senators.")
    assert slot_names(tokens(mine), [tokens(senators)]) == []
    # the two traded ("a proposal by" is no passive)
    swapped = ("Senate Minority Leader Mitch McConnell are signaling they will accept a proposal from Senate "
               "Democrats to raise the debt ceiling for two months, according to multiple senators.")
    assert "role" in rules(swapped, senators)
    hopes = _dev_sentence("President Biden hopes the political fallout")
    traded = hopes.replace("President Biden", "@").replace("Tuesday’s", "President Biden").replace("@", "Tuesday’s")
    assert "name" in rules(traded, hopes)


def test_a_present_tense_verb_of_a_past_source_verb_has_the_source_s_subject():
    source = ("Homeland Security Secretary Alejandro Mayorkas on Tuesday ordered Immigration and Customs "
              "Enforcement (ICE) to immediately stop any mass worksite deportation raids.")
    assert "role" in rules("Customs Enforcement orders mass worksite raids stopped.", source)
    assert not rules("Alejandro Mayorkas orders mass worksite raids stopped.", source)


def test_the_pipeline_suite_counts_a_sentence_shipped_with_its_people_named_in_full():
    from summarizer.schema import Entities, Entity
    from summarizer_evals.perturb import _forms

    article = Article(id="a", text="Film scholar Matthew Bernstein said the studio was upset.")
    brief = StoryBrief(title="t", summary=[{"text": "x.", "sources": ["a"]}],
                       entities=Entities(persons=[Entity(name="Matthew Bernstein")]))
    assert _forms("The studio was upset, said Bernstein.", brief, [article]) == {
        "The studio was upset, said Bernstein.", "The studio was upset, said Matthew Bernstein."}

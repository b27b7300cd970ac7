"""Which sentences are fit for a reader: the page's furniture out, the story's sentences kept.

The sentences are real: from the full-length articles of the Multi-News dev set, the AllSides dev
excerpts and the seed articles (quoted here as short fragments of what the rules decide on).
"""

from __future__ import annotations

import pytest

from summarizer.evidence.facts import article_sentences
from summarizer.schema import Article
from summarizer.text.fitness import RULES, has_finite_verb, unfit

FURNITURE = [
    ("credit_line", "The Associated Press contributed to this report."),
    ("credit_line", "Associated Press writer Jill Colvin in Washington contributed to this report."),
    ("credit_line", "Follow Michael Balsamo on Twitter at http://twitter.com/MikeBalsamo1 ."),
    ("credit_line", "Contact David Jesse: 313-222-8851 or djesse@freepress.com."),
    ("prompt", "Email Sign Up By signing up you agree to receive email newsletters or alerts from POLITICO."),
    ("prompt", "Read or Share this story: https://usat.ly/2BWn3mr"),
    ("prompt", "Advertisement Continue reading the main story"),
    ("credit", "Enlarge this image toggle caption Bryan Bedder/Getty Images Bryan Bedder/Getty Images"),
    ("credit", ("FILE - In this Feb. 11, 2007, file photo, adult film actress Stormy Daniels arrives for the "
               "49th Annual Grammy Awards in Los Angeles.")),
    ("credit", "Amber Pasztor (Photo: Provided by Elkhart County Sheriff's Office)"),
    ("correction", ("Correction: An earlier version of this story said that an email from Yusupov was sent to "
                   "HQ employees.")),
    ("correction", "Editor's note: This story has been revised."),
    ("correction", ("This article has been updated to reflect the fact that anti-fascist activists were the first "
                   "to expose Ghoul, not 8chan posters.")),
    ("appeal", "Anyone with information is asked to call police at 412-555-0123."),
    ("appeal", "Call IndyStar reporter Holly Hays at (317) 444-6156."),
    ("caption", "Donald Trump before opening the Nasdaq on September 20, 2005."),
    ("caption", "North Korean soldiers receiving military-issued gear at a base in Russia, October 2024."),
    ("caption", "President Trump speaks at a rally in Tampa, Florida, July 31, 2018."),
    ("credit", "In this Saturday, July 1, 2017, photo, people line up at the NuLeaf marijuana dispensary in Las Vegas."),
    ("credit", "A photo from the 1998 excavation, with the brachiosaur foot bones below a tail of a Camarasaurus."),
    ("credit", "(AP) — The Latest on the April Fools' Day storm to hit northern New England."),
    ("question", "Will the league sanction the organization in some way?"),
    ("question", "Did you approach Spirit owner Bill Lynch before kickoff?"),
    ("verbless", "HQ Trivia Co-Founder and CEO Colin Kroll Dead at 34 of Apparent Drug Overdose"),
    ("verbless", "MPAA Rating: R. Running time: 91 MIN."),
    ("verbless", "Presiding Judges Yitzhak Raveh, Benjamin Halevi, and Moshe Landau"),
]

STORY = [
    # past, present, passive, contractions, irregular verbs, a date at the end
    "Prodigy co-founded the Queens-based Mobb Deep in the early '90s, alongside partner Havoc.",
    "U.S. soccer star Megan Rapinoe never got a chance to kneel during the national anthem Wednesday.",
    "On Sunday, a judge set bond for Hayes at $1 million.",
    "Meanwhile, Rose underwent surgery at Detroit Receiving Hospital.",
    "However, Paramount and CBS disagree.",
    "Children with Williams syndrome tend to be social, friendly and endearing.",
    "Violators face a misdemeanor citation and a $600 fine.",
    "Democrats aren't happy with the plan.",
    "She's currently free on a $100,000 bond and forbidden from contacting the child.",
    "Prodigy, one-half of the legendary '90s rap group Mobb Deep, died Tuesday (June 20) at age 42.",
    "The treaty was signed on March 15, 2016.",
    "Putin did not deny that North Korean troops were in Russia.",
    "The teacher, identified as 29-year-old Geraldine Alcorn, is facing a number of charges.",
    # a photo is the story's subject, not its credit
    "The senator posted a photo of the letter on Twitter on Monday.",
    "Police said they had received more than 200 calls about the case.",
    "Megan Rapinoe, the Seattle Reign star, first knelt for the national anthem Sunday during her game at Chicago.",
    "The video shows a Mercedes SUV speeding off after the collision.",
    # a question someone asked, reported
    "The reporter asked whether the league would sanction the team."
]


@pytest.mark.parametrize(("rule", "text"), FURNITURE)
def test_furniture_is_unfit_by_its_rule(rule: str, text: str) -> None:
    assert unfit(text) == rule


@pytest.mark.parametrize("text", STORY)
def test_story_sentences_are_kept(text: str) -> None:
    assert unfit(text) is None


def test_a_participle_before_by_is_not_a_finite_verb() -> None:
    assert not has_finite_verb("The first remarks regarding the assessment made by Western officials")
    assert has_finite_verb("The assessment was made by Western officials.")
    assert has_finite_verb("Officials made the assessment public.")


def test_every_rule_says_why() -> None:
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.why for r in RULES)


def test_furniture_never_becomes_a_fact_sentence() -> None:
    text = ("The city council approved the budget on Tuesday after a long debate. "
            "The Associated Press contributed to this report. "
            "Sign up for our newsletter to get the news in your inbox every morning. "
            "The mayor said the plan would add 200 teachers to the schools.")
    found = [s.text for s in article_sentences([Article(id="a", text=text)])]
    assert found == ["The city council approved the budget on Tuesday after a long debate.",
                     "The mayor said the plan would add 200 teachers to the schools."]


def test_an_update_line_is_the_story_s_latest_state_and_keeps_its_sentence() -> None:
    text = ("The girl is still missing, police said on Monday night after a long search. "
            "UPDATE: The missing girl was located safe on Tuesday morning, police said.")
    found = [s.text for s in article_sentences([Article(id="a", text=text)])]
    assert found[-1] == "The missing girl was located safe on Tuesday morning, police said."
    assert unfit("UPDATE: The missing girl was located safe on Tuesday morning, police said.") is None

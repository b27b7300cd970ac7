"""A model sentence that fuses source sentences is kept only where one source sentence holds it."""

from __future__ import annotations

import pytest

from summarizer import truth
from summarizer.schema.article import Article
from summarizer.schema.brief import StoryBrief
from summarizer.schema.parts import CitedSentence, SentenceRef, Summary
from summarizer.truth import meaning

# dev (AllSides), shortened: the model fused the request for approval into an approval
MERCK = "Merck and Ridgeback Biotherapeutics asked the Food and Drug Administration for emergency approval of molnupiravir."
EMORY = "The antiviral pill was created by researchers at Emory University in Atlanta."
ARTICLES = [Article(id="a", text=MERCK + " The company expects a decision soon."),
            Article(id="b", text=EMORY + " It is taken twice a day.")]


def _ref(article: Article, sentence: str) -> SentenceRef:
    start = article.text.index(sentence)
    return SentenceRef(article_id=article.id, start=start, end=start + len(sentence), text=sentence)


def _brief(text: str, origin: str = "model") -> StoryBrief:
    s = CitedSentence(text=text, sources=["a", "b"], evidence=[_ref(ARTICLES[0], MERCK), _ref(ARTICLES[1], EMORY)],
                      origin=origin)
    return StoryBrief(title="FDA asked to approve pill", summary=Summary([s]))


FUSED = ("Molnupiravir, an antiviral pill created by researchers at Emory University, has been approved by the "
         "Food and Drug Administration for emergency use.")


def test_a_fusion_no_source_sentence_holds_is_replaced_by_its_best_source_sentence():
    assert truth.verify(_brief(FUSED), ARTICLES) == []  # every word is in the cited sentences: the rules pass it
    repaired = truth.repair(_brief(FUSED), ARTICLES)
    assert [s.text for s in repaired.summary] in ([MERCK], [EMORY])
    assert repaired.summary[0].origin == "fact"
    assert any(i.detail.startswith("fuses source sentences") for i in repaired.grounding.issues)


@pytest.mark.parametrize("text", [
    MERCK,  # a copy
    "Merck and Ridgeback Biotherapeutics asked the Food and Drug Administration for emergency approval.",  # a deletion
])
def test_a_sentence_one_source_sentence_holds_stays(text):
    assert [s.text for s in truth.repair(_brief(text), ARTICLES).summary] == [text]


def test_only_the_models_sentences_are_read():
    assert [s.text for s in truth.repair(_brief(FUSED, origin="coverage"), ARTICLES).summary] == [FUSED]


def test_an_entailment_judge_may_vouch_for_a_fusion():
    class Yes:
        def judge(self, sentence, sources):
            return meaning.Verdict("entailed")

    meaning.use_judge(Yes())
    try:
        assert [s.text for s in truth.repair(_brief(FUSED), ARTICLES).summary] == [FUSED]
    finally:
        meaning.use_judge(None)

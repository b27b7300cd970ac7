"""Coverage: the brief never says less than the extractive selection would.

After the draft, code lists the highest-ranked facts of the sheet that no surviving summary
sentence or key point states (neither cites it nor says most of its words), and adds each one
as its own source sentence, cited to every outlet that reports it. It does the same while the
summary is shorter than the cluster's target length. The key points then carry the next-ranked
facts that neither the summary nor the model's key points state, up to KEY_POINTS. Each addition
is recorded in the grounding report.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import truth
from ..evidence import Fact
from ..schema import CitedSentence, GroundingIssue, StoryBrief, Summary
from ..truth.provenance import content_stems
from .assembly import fact_sentence
from .prepare import Prepared

MUST_COVER = 3  # the top facts of every sheet (the lead, the angle, the next most central)
COVERED_SHARE = 0.6  # a sentence covers a fact when it says this share of the fact's content words
MAX_SUMMARY_SENTENCES = 10
KEY_POINTS = 4  # the brief's key points: what the summary leaves out, most important first


def says(sentence: CitedSentence, fact: Fact) -> bool:
    cited = {(r.article_id, r.start) for r in sentence.evidence}
    if any((s.article_id, s.start) in cited for s in fact.sentences[:1]):
        return True
    words = set(content_stems(fact.text))
    return bool(words) and len(words & set(content_stems(sentence.text))) / len(words) >= COVERED_SHARE


def _surviving(brief: StoryBrief, prep: Prepared) -> list[CitedSentence]:
    """The summary sentences and key points the truth layer will not drop."""
    doomed = {i.where for i in truth.check(brief, prep.all_articles, prep.evidence) if i.fatal}
    return [s for i, s in enumerate(brief.summary) if f"summary[{i}]" not in doomed] + [
        s for i, s in enumerate(brief.key_points) if f"key_points[{i}]" not in doomed
    ]


def _uncovered(prep: Prepared, said: list[CitedSentence]) -> Iterator[tuple[int, CitedSentence]]:
    """The sheet's facts that nothing in ``said`` states, as (rank, source sentence), best first.

    ``said`` is read lazily: a sentence the caller adds to it covers the facts after it."""
    assert prep.sheet is not None
    for rank, fact in enumerate(prep.sheet.facts, 1):
        if any(says(s, fact) for s in said):
            continue
        sentence = fact_sentence(fact)
        if sentence is not None:
            yield rank, sentence


def cover(brief: StoryBrief, prep: Prepared) -> StoryBrief:
    """``brief`` with the top facts it leaves out added to its summary (before the disagreement line)."""
    if prep.sheet is None:
        return brief
    said = _surviving(brief, prep)
    words = sum(len(s.text.split()) for s in said if s in list(brief.summary))
    summary = list(brief.summary)
    tail = [s for s in summary if s.text.startswith("Sources differ on the ")]
    body = [s for s in summary if s not in tail]
    added: list[GroundingIssue] = []
    for rank, sentence in _uncovered(prep, said):
        if len(body) + len(tail) >= MAX_SUMMARY_SENTENCES or (rank > MUST_COVER and words >= prep.sheet.words[0]):
            break
        body.append(sentence)
        said.append(sentence)
        words += len(sentence.text.split())
        added.append(GroundingIssue(kind="coverage", where=f"summary[{len(body) - 1}]", action="repaired",
                                    detail=f"added fact {rank} of the sheet, which the draft left out"))
    points = list(brief.key_points)
    surviving_points = sum(1 for s in said if s in points)
    for rank, sentence in _uncovered(prep, said):
        if surviving_points >= KEY_POINTS:
            break
        points.append(sentence)
        said.append(sentence)
        surviving_points += 1
        added.append(GroundingIssue(kind="coverage", where=f"key_points[{len(points) - 1}]", action="repaired",
                                    detail=f"added fact {rank} of the sheet as a key point"))
    if not added:
        return brief
    grounding = brief.grounding.model_copy(update={"issues": list(brief.grounding.issues) + added})
    return brief.model_copy(update={"summary": Summary(body + tail), "key_points": points, "grounding": grounding})

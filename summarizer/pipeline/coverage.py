"""Coverage: the brief never says less than the extractive selection would.

After the draft, code lists the highest-ranked facts of the sheet that no surviving summary
sentence states (see :func:`said_by`). A key point that states one moves into the summary;
otherwise the fact comes in as its own source sentence, cited to every outlet that reports it, or
merged into the summary's sentence about the same actor ("X faces two counts and has not been
charged with ...", :mod:`summarizer.text.merging`) when the meaning rules find nothing to doubt.
It does the same while the summary is shorter than the cluster's target length, and moves its
last sentences to the key points while it is longer. The key points then carry the next-ranked
facts that neither the summary nor the model's key points state, up to KEY_POINTS. Each change
is recorded in the grounding report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .. import truth
from ..evidence import Fact
from ..evidence.facts import fact_sentence
from ..evidence.statements import similar_remarks
from ..schema.brief import StoryBrief
from ..schema.meta import GroundingIssue
from ..schema.parts import CitedSentence, Summary
from ..text.compression import compress
from ..text.merging import merge
from ..text.sentences import quote_spans
from ..text.words import content_stems
from ..truth.meaning import findings
from .prepare import Prepared
from .sheet import Sheet

MUST_COVER = 3  # the top facts of every sheet (the lead, the angle, the next most central)
COVERED_SHARE = 0.6  # a sentence covers a fact when it says this share of the fact's content words
CITED_SHARE = 0.3  # ... or this share, when it also cites the fact
MAX_SUMMARY_SENTENCES = 10
KEY_POINTS = 4  # the brief's key points: what the summary leaves out, most important first


def story_words(facts: Sequence[Fact]) -> frozenset[str]:
    """The content words that most of the sheet's facts share (the story's own: its actors, its
    place): saying them says nothing about which fact a sentence states."""
    counts = Counter(w for f in facts for w in set(content_stems(f.text)))
    return frozenset(w for w, n in counts.items() if n > len(facts) / 2)


def _fact_words(fact: Fact, common: frozenset[str]) -> set[str]:
    words = set(content_stems(fact.text))
    return (words - common) or words


def says(sentence: CitedSentence, fact: Fact, common: frozenset[str] = frozenset()) -> bool:
    """Whether ``sentence`` states ``fact``: it says most of the fact's content words (those not
    ``common`` to the story), or cites the fact and says a fair share of them (a model may cite
    facts its sentence does not state)."""
    words = _fact_words(fact, common)
    cited = {(r.article_id, r.start) for r in sentence.evidence}
    cites = any((s.article_id, s.start) in cited for s in fact.sentences[:1])
    if not words:
        return cites
    share = len(words & set(content_stems(sentence.text))) / len(words)
    return share >= (CITED_SHARE if cites else COVERED_SHARE)


MIN_QUOTED = 12  # characters: shorter quoted bits are labels or scare quotes, not remarks


def quoted(text: str) -> list[str]:
    """The quoted passages of a sentence (:func:`~summarizer.text.sentences.quote_spans`)."""
    return [text[o + 1 : c] for o, c in quote_spans(text) if c - o - 1 >= MIN_QUOTED]


def echoes(fact: Fact, sentences: Sequence[CitedSentence]) -> bool:
    """Whether one of ``sentences`` quotes a rendering of a remark the fact quotes: two outlets'
    translations of one remark are one fact."""
    mine = [q for s in fact.sentences for q in quoted(s.text)]
    if not mine:
        return False
    theirs = [q for s in sentences for q in quoted(s.text)]
    return any(similar_remarks(a, b) for a in mine for b in theirs)


def said_by(fact: Fact, sentences: Sequence[CitedSentence], common: frozenset[str] = frozenset()) -> bool:
    """Whether ``sentences`` state ``fact``: one of them does, or together they say most of its words
    (three outlets' versions of the lead are one fact to a reader, even when grouping kept them
    apart), or one of them quotes a rendering of the statement the fact quotes (two outlets'
    translations of one remark are one fact). A disagreement's attributed line states a disagreement, not a fact."""
    if any(says(s, fact, common) for s in sentences):
        return True
    if echoes(fact, sentences):
        return True
    words = _fact_words(fact, common)
    together = {w for s in sentences if s.origin != "disagreement" for w in content_stems(s.text)}
    return bool(words) and len(words & together) / len(words) >= COVERED_SHARE


def _surviving(brief: StoryBrief, prep: Prepared) -> list[CitedSentence]:
    """The summary sentences and key points the truth layer will not drop."""
    doomed = {i.where for i in truth.check(brief, prep.all_articles, prep.evidence) if i.fatal}
    return [s for i, s in enumerate(brief.summary) if f"summary[{i}]" not in doomed] + [
        s for i, s in enumerate(brief.key_points) if f"key_points[{i}]" not in doomed
    ]


def coverage_sentence(fact: Fact) -> CitedSentence | None:
    """A fact as coverage states it: its source sentence compressed by deletion (where a statement was
    made, asides, connectives: :mod:`summarizer.text.compression`), so more facts fit the same words."""
    sentence = fact_sentence(fact, "coverage")
    if sentence is None:
        return None
    short = compress(sentence.text)
    return sentence if short == sentence.text else sentence.model_copy(update={"text": short})


def _uncovered(prep: Prepared, said: list[CitedSentence], common: frozenset[str]) -> Iterator[tuple[int, CitedSentence]]:
    """The sheet's facts that nothing in ``said`` states, as (rank, source sentence), best first.

    ``said`` is read lazily: a sentence the caller adds to it covers the facts after it."""
    assert prep.sheet is not None
    for rank, fact in enumerate(prep.sheet.facts, 1):
        if said_by(fact, said, common):
            continue
        sentence = coverage_sentence(fact)
        if sentence is not None:
            yield rank, sentence


def _over_length(body: list[CitedSentence], stated: list[CitedSentence], prep: Prepared,
                 common: frozenset[str]) -> list[CitedSentence]:
    """The summary sentences to move to the key points so that the summary keeps to its target length.

    From the last sentence back (the model orders by importance, and additions come last), a
    sentence goes when the summary is over the longest target length, what stays is at least
    the shortest, and no other sentence states a top fact it states."""
    assert prep.sheet is not None
    shortest, longest = prep.sheet.words
    words = sum(len(s.text.split()) for s in stated)
    top = prep.sheet.facts[:MUST_COVER]
    moved: list[CitedSentence] = []
    for sentence in reversed(body):
        if words <= longest or len(body) - len(moved) <= 2:
            break
        n = len(sentence.text.split())
        if sentence not in stated or words - n < shortest:
            continue
        rest = [s for s in stated if s is not sentence and s not in moved]
        if any(says(sentence, f, common) and not said_by(f, rest, common) for f in top):
            continue
        moved.append(sentence)
        words -= n
    return moved


@dataclass
class _Draft:
    """The brief's summary and key points while coverage edits them, and what it did."""

    body: list[CitedSentence]  # the summary before its disagreement lines
    tail: list[CitedSentence]  # disagreements' attributed lines, kept last
    points: list[CitedSentence]
    stated: list[CitedSentence]  # the summary sentences the truth layer will keep
    kept: list[CitedSentence]  # the key points it will keep
    common: frozenset[str]
    added: list[GroundingIssue] = field(default_factory=list)

    def note(self, code: str, where: str, detail: str, action: str = "repaired") -> None:
        """Record a change as an issue of the truth layer's policy (``code`` is a row of its table)."""
        self.added.append(truth.Issue(code, where, detail).record(action))


def merged(kept: CitedSentence, new: CitedSentence) -> CitedSentence | None:
    """``kept`` and ``new`` said as one sentence about their shared actor (:func:`~summarizer.text.merging.merge`,
    either order), citing both; None when they do not merge, or when the meaning rules doubt the
    merged sentence against the two sentences' sources."""
    text = merge(kept.text, new.text) or merge(new.text, kept.text)
    if text is None:
        return None
    if findings(text, [r.text for r in kept.evidence + new.evidence]):
        return None
    sources = list(dict.fromkeys(kept.sources + new.sources))
    return kept.model_copy(update={"text": text, "sources": sources, "evidence": kept.evidence + new.evidence})


def _merge_into(d: _Draft, sentence: CitedSentence) -> tuple[int, int] | None:
    """Merge ``sentence`` into the summary sentence about the same actor, if one merges: (its index,
    the words the summary grew by); else None."""
    for j, kept in enumerate(d.body):
        if kept not in d.stated or kept.origin == "disagreement":
            continue
        both = merged(kept, sentence)
        if both is not None:
            d.stated[d.stated.index(kept)] = both
            d.body[j] = both
            return j, len(both.text.split()) - len(kept.text.split())
    return None


def _fill_summary(d: _Draft, sheet: Sheet) -> None:
    """The top facts, then more until the shortest target length, each stated by the summary itself."""
    words = sum(len(s.text.split()) for s in d.stated)
    for rank, fact in enumerate(sheet.facts, 1):
        if len(d.body) + len(d.tail) >= MAX_SUMMARY_SENTENCES or (rank > MUST_COVER and words >= sheet.words[0]):
            break
        if said_by(fact, d.stated, d.common):
            continue
        point = next((p for p in d.kept if says(p, fact, d.common)), None)
        sentence = point or coverage_sentence(fact)
        if sentence is None:
            continue
        if point is not None:
            d.kept.remove(point)
            d.points.remove(point)
            code, detail = "coverage_moved", f"moved the key point that states fact {rank} of the sheet into the summary"
        elif (into := _merge_into(d, sentence)) is not None:
            words += into[1]
            d.note("coverage_merged", f"summary[{into[0]}]", f"merged fact {rank} of the sheet into the sentence about its actor")
            continue
        else:
            code, detail = "coverage_added", f"added fact {rank} of the sheet, which the draft left out"
        d.body.append(sentence)
        d.stated.append(sentence)
        words += len(sentence.text.split())
        d.note(code, f"summary[{len(d.body) - 1}]", detail)


def _fill_points(d: _Draft, prep: Prepared) -> None:
    """Key points carry what the summary leaves out: one that states only facts the summary states
    goes, and the next-ranked facts nothing states come in, up to KEY_POINTS."""
    assert prep.sheet is not None
    for point in list(d.kept):
        facts = [f for f in prep.sheet.facts if says(point, f, d.common)]
        if facts and all(said_by(f, d.stated, d.common) for f in facts):
            d.note("redundant_key_point", f"key_points[{d.points.index(point)}]",
                   "states only facts the summary states", action="dropped")
            d.kept.remove(point)
            d.points.remove(point)
    said = d.stated + d.kept
    for rank, sentence in _uncovered(prep, said, d.common):
        if len(d.kept) >= KEY_POINTS:
            break
        d.points.append(sentence)
        said.append(sentence)
        d.kept.append(sentence)
        d.note("coverage_added", f"key_points[{len(d.points) - 1}]", f"added fact {rank} of the sheet as a key point")


def cover(brief: StoryBrief, prep: Prepared) -> StoryBrief:
    """``brief`` with the top facts its summary leaves out added to it (before the disagreement line).

    The summary alone must state the top facts and reach the target length: a reader (and the
    extractive selection it is measured against) gets them there, not in a key point. A fact
    that only a key point states moves, with the model's wording, from the key points into the
    summary; any other missing fact comes in as its own source sentence. A summary over its
    longest target length moves its last sentences to the key points."""
    if prep.sheet is None:
        return brief
    said = _surviving(brief, prep)
    summary, points = list(brief.summary), list(brief.key_points)
    tail = [s for s in summary if s.origin == "disagreement"]
    d = _Draft(body=[s for s in summary if s.origin != "disagreement"], tail=tail, points=points,
               stated=[s for s in said if s in summary], kept=[s for s in said if s in points],
               common=story_words(prep.sheet.facts))
    _fill_summary(d, prep.sheet)
    for sentence in _over_length(d.body, d.stated, prep, d.common):
        where = f"summary[{d.body.index(sentence)}]"
        d.body.remove(sentence)
        d.stated.remove(sentence)
        d.points.insert(0, sentence)
        d.kept.insert(0, sentence)
        d.note("coverage_moved", where, f"moved to the key points: the summary was over {prep.sheet.words[1]} words")
    _fill_points(d, prep)
    if not d.added:
        return brief
    grounding = brief.grounding.model_copy(update={"issues": list(brief.grounding.issues) + d.added})
    return brief.model_copy(update={"summary": Summary(d.body + d.tail), "key_points": d.points,
                                    "grounding": grounding})

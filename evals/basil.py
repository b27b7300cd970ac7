"""Quote attribution on BASIL: does the evidence step credit each quote to the person who said it?

BASIL (Fan et al., 2019) annotates, in full-length articles by Fox News, The New York Times and
HuffPost about one event, the quoted spans and who speaks them. ``basil-quotes-dev.jsonl`` holds
the dev years as clusters with one extra key: ``quotes``, a list of ``{article_id, text, speaker}``,
``text`` being an exact span of the article and ``speaker`` a label such as ``Michael_Steele`` or
``other_anti``.

How a span is scored (only spans whose speaker label names a person, see :func:`person_of`):

* **found** when a quote the evidence step finds (quotes and fragments alike) in the same article
  overlaps it by at least half of the shorter of the two spans, quote marks left out (of several,
  the one with the largest overlap stands for it); failing that, when a found quote of the article
  contains its words (the step keeps one copy of a phrase an article quotes twice). A label that
  annotates the same text twice in an article is looked up at its first occurrence both times.
* **right** when that quote's speaker is the annotated person by
  :func:`summarizer.text.names.names_match` (a subset of name tokens, or the same last name:
  "Bibi Netanyahu" = "Benjamin Netanyahu");
* **wrong** when it has a speaker and that speaker is anyone (or anything) else;
* **none** when it has no speaker (the step abstained).

Shares: ``found`` of person spans; ``right``/``wrong``/``none`` of found spans; ``precision`` is
right among found spans that have a speaker (right + wrong).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.evidence import QuoteCandidate, find_quotes
from summarizer.schema import Cluster
from summarizer.text.names import names_match

from .datasets import EVALS_DIR

# Read in place beside the repository, never copied: its texts belong to their publishers.
DEFAULT_BASIL_SET = EVALS_DIR.parent.parent / "shared" / "evalsets" / "basil-quotes-dev.jsonl"

# Label words that make a capitalised BASIL label a group or an organisation, not a person
# ("Tea_Party", "Republican_Lawmakers", "Obama_campaign", "Secure_America_Now").
GROUP_WORDS = frozenset({
    "campaign", "party", "lawmakers", "officials", "democrats", "republicans", "companies",
    "department", "house", "now", "committee", "administration", "protestors", "plaintiffs",
})
# Minimum overlap of an annotated span and a found quote, as a share of the shorter one.
MIN_OVERLAP = 0.5
_MARKS = "\"'“”‘’«»„ \n\t"
OUTCOMES = ("right", "wrong", "none")


def person_of(label: str) -> str | None:
    """The person a speaker label names ("Michael_Steele" -> "Michael Steele"), or None for groups,
    organisations and stance labels ("other_anti", "Obama_campaign", "NAACP", "Tea_Party")."""
    toks = label.split("_")
    if not 2 <= len(toks) <= 4 or not all(t[:1].isupper() for t in toks):
        return None
    if any(t.lower() in GROUP_WORDS for t in toks):
        return None
    return " ".join(toks)


@dataclass(frozen=True)
class Attribution:
    """One annotated person span and what the evidence step made of it."""

    cluster_id: str
    article_id: str
    text: str
    speaker: str  # the annotated person
    outcome: str  # "right", "wrong", "none" or "missed"
    found_speaker: str | None = None


@dataclass
class QuoteScore:
    """Counts over annotated spans whose speaker is a person."""

    spans: int = 0
    found: int = 0
    right: int = 0
    wrong: int = 0
    none: int = 0
    items: list[Attribution] = field(default_factory=list)

    def add(self, a: Attribution) -> None:
        self.items.append(a)
        self.spans += 1
        if a.outcome != "missed":
            self.found += 1
            setattr(self, a.outcome, getattr(self, a.outcome) + 1)

    def rates(self) -> dict[str, float]:
        """found (of spans), right/wrong/none (of found), precision (right of right + wrong)."""
        f = self.found or 1
        return {
            "found": self.found / (self.spans or 1),
            "right": self.right / f,
            "wrong": self.wrong / f,
            "none": self.none / f,
            "precision": self.right / ((self.right + self.wrong) or 1),
        }


def _core(start: int, end: int, text: str) -> tuple[int, int]:
    """The span without the quote marks and spaces at its ends."""
    while start < end and text[start] in _MARKS:
        start += 1
    while end > start and text[end - 1] in _MARKS:
        end -= 1
    return start, end


def _norm(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", text.casefold())) + " "


def best_match(start: int, end: int, text: str, found: Sequence[QuoteCandidate]) -> QuoteCandidate | None:
    """The found quote (of the same article) that overlaps ``[start, end)`` most, if enough; else
    one whose words contain the span's (the step keeps one copy of a phrase quoted twice)."""
    best, best_overlap = None, 0
    for q in found:
        overlap = min(end, q.end) - max(start, q.start)
        if overlap > best_overlap and overlap >= MIN_OVERLAP * min(end - start, q.end - q.start):
            best, best_overlap = q, overlap
    if best is None:
        words = _norm(text[start:end])
        best = next((q for q in found if words.strip() and words in _norm(q.text)), None)
    return best


def score_cluster(cluster: Cluster, score: QuoteScore | None = None) -> QuoteScore:
    """Run the evidence step's quote finding on one cluster and score its annotated person spans."""
    score = score if score is not None else QuoteScore()
    quotes, fragments = find_quotes(cluster.articles)
    by_article: dict[str, list[QuoteCandidate]] = {}
    for q in quotes + fragments:
        by_article.setdefault(q.article_id, []).append(q)
    texts = {a.id: a.text for a in cluster.articles}
    for ann in cluster.meta.get("quotes", []):
        person = person_of(ann["speaker"])
        text = texts.get(ann["article_id"])
        if person is None or text is None:
            continue
        at = text.find(ann["text"])
        if at < 0:
            continue
        s, e = _core(at, at + len(ann["text"]), text)
        match = best_match(s, e, text, by_article.get(ann["article_id"], []))
        if match is None:
            outcome = "missed"
        elif match.speaker is None:
            outcome = "none"
        else:
            outcome = "right" if names_match(person, match.speaker) else "wrong"
        found = None if match is None else match.speaker
        score.add(Attribution(cluster.id, ann["article_id"], text[s:e], person, outcome, found))
    return score


def score_clusters(clusters: Sequence[Cluster]) -> QuoteScore:
    score = QuoteScore()
    for c in clusters:
        score_cluster(c, score)
    return score


def load_basil(path: str | Path = DEFAULT_BASIL_SET) -> list[Cluster]:
    """The clusters of a BASIL quotes file, through the same loader as any cluster file."""
    from summarizer.ingest import load_clusters

    return load_clusters(str(path))


def render(score: QuoteScore, details: bool = False) -> str:
    """A Markdown table of the rates, and (with ``details``) every span not attributed rightly."""
    r = score.rates()
    lines = [
        f"Quote attribution: {score.spans} annotated spans whose speaker is a person",
        "",
        "| found | right | wrong | none | precision (right of named) |",
        "|---|---|---|---|---|",
        (f"| {score.found} ({r['found']:.0%}) | {score.right} ({r['right']:.0%}) | {score.wrong} ({r['wrong']:.0%})"
        f" | {score.none} ({r['none']:.0%}) | {r['precision']:.1%} |"),
    ]
    if details:
        lines.append("")
        for a in score.items:
            if a.outcome != "right":
                snippet = re.sub(r"\s+", " ", a.text)[:70]
                lines.append(f"- {a.outcome:6} {a.cluster_id}/{a.article_id} [{a.speaker} -> {a.found_speaker}] {snippet}")
    return "\n".join(lines)

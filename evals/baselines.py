"""Extractive baselines (no model): the lead sentence of each article, and a LexRank-style selection.

It uses no model, so its row in the eval table is the reference point a model
must beat: it quotes nothing, invents nothing, and states only what the
articles' first sentences state.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from summarizer.schema import Article, CitedSentence, RunMetadata, Source, StoryBrief, Summary

if TYPE_CHECKING:
    from summarizer.evidence import Fact

# Abbreviations after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Gov|Sen|Rep|St|Jr|Sr|Inc|Corp|Co|Ltd|No|Vol|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
MIN_WORDS = 8
MAX_SUMMARY_SENTENCES = 5


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, paragraph by paragraph; periods after abbreviations and initials don't split."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            candidate = para[start : m.start()].rstrip()
            if _ABBREV.search(candidate.rstrip("\"'\u201d\u2019)")):
                continue
            out.append(para[start : m.end()].strip())
            start = m.end()
        out.append(para[start:].strip())
    return [s for s in out if s]


def _is_prose(sentence: str, title: str) -> bool:
    # Headlines, datelines and captions are short or unterminated; the lead is the first real sentence.
    s = sentence.strip()
    tokens = [w for w in s.split() if w[:1].isalpha()]
    headline_case = bool(tokens) and sum(w[0].isupper() for w in tokens) / len(tokens) > 0.6
    return (
        len(s.split()) >= MIN_WORDS
        and s.rstrip("\"'\u201d\u2019)")[-1:] in ".!?"
        and not s.endswith(("...", "\u2026"))
        and not headline_case
        and s.casefold() != title.strip().casefold()
    )


def lead_sentences(article: Article, k: int = 1) -> list[str]:
    """The first ``k`` prose sentences of an article."""
    return [s for s in split_sentences(article.text) if _is_prose(s, article.title)][:k]


def extractive_brief(articles: Sequence[Article], *, per_article: int | None = None) -> StoryBrief:
    """A brief whose summary is the lead sentence(s) of each article, each citing its article.

    ``per_article`` defaults to one sentence per article (three for a single
    article), capped at five summary sentences in all, the schema's draft limit.
    """
    started = time.perf_counter()
    unique = [a for a in articles if not a.duplicate_of] or list(articles)
    k = per_article or (3 if len(unique) == 1 else 1)
    sentences: list[CitedSentence] = []
    for a in unique:
        for s in lead_sentences(a, k):
            if len(sentences) < MAX_SUMMARY_SENTENCES:
                sentences.append(CitedSentence(text=s, sources=[a.id]))
    title = next((a.title for a in unique if a.title), "") or (sentences[0].text[:120] if sentences else "")
    return StoryBrief(
        title=title,
        summary=Summary(sentences),
        sources=[Source.from_article(a) for a in articles],
        run=RunMetadata(
            model=f"lead-{k}",
            backend="baseline",
            plan="extractive",
            duration_s=time.perf_counter() - started,
        ),
    )


def top_fact_sentences(facts: Sequence[Fact], words: int) -> list[CitedSentence]:
    """The LexRank-style selection: each fact's own sentence, in rank order, until ``words`` words are reached."""
    from summarizer.evidence.facts import fact_sentence

    sentences: list[CitedSentence] = []
    count = 0
    for fact in facts:
        if count >= words:
            break
        sentence = fact_sentence(fact)
        if sentence is not None:
            sentences.append(sentence)
            count += len(sentence.text.split())
    return sentences


def lexrank_brief(articles: Sequence[Article]) -> StoryBrief:
    """A LexRank-style extractive brief: the top-ranked fact sentences of the cluster, in rank order.

    It carries the pipeline's coverage section (how each outlet and stance told it), which is built
    from the same facts without a model. The ranking is the pipeline's own (:func:`summarizer.evidence.facts.find_facts`: LexRank
    centrality, outlet count, position, headlines, diversity), so this row is also the selection
    the model's brief must never fall below. Its length is the pipeline's target length.
    """
    from summarizer.evidence.facts import find_facts
    from summarizer.evidence.outlets import build_coverage
    from summarizer.pipeline.sheet import summary_length

    started = time.perf_counter()
    unique = [a for a in articles if not a.duplicate_of] or list(articles)
    facts = find_facts(unique)
    sentences = top_fact_sentences(facts, summary_length(sum(len(a.text.split()) for a in unique))[0][0])
    title = next((a.title for a in unique if a.title), "") or (sentences[0].text[:120] if sentences else "")
    return StoryBrief(
        title=title,
        summary=Summary(sentences),
        sources=[Source.from_article(a) for a in articles],
        coverage=build_coverage(facts, unique),  # deterministic, so this row measures it without a model
        run=RunMetadata(model="lexrank", backend="baseline", plan="extractive",
                        duration_s=time.perf_counter() - started),
    )

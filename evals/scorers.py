"""Scorers: small pure functions from (brief, articles, references) to numbers.

Each scorer returns a :class:`Scored`: ``metrics`` (name -> number, or None when
the metric does not apply, e.g. no quotes to check) and ``details`` (what was
found, for the report's worst-cluster section). :data:`METRICS` says, per metric,
whether higher or lower is better. None of this touches the network or a GPU.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from summarizer.schema import Article, StoryBrief
from summarizer.text.fitness import unfit

from .datasets import DATA_DIR, ENTITY_KINDS, Fact, Reference
from .matching import SourceIndex, find_verbatim, match_entities, names_in, numbers_in, words

Better = Literal["higher", "lower", "none"]


@dataclass(frozen=True)
class Metric:
    description: str
    better: Better = "none"
    percent: bool = False  # shown as a percentage in reports


METRICS: dict[str, Metric] = {
    "schema_valid": Metric("brief validates against the StoryBrief schema (1/0)", "higher", True),
    "reasks": Metric("validation re-asks the pipeline needed", "lower"),
    "quotes": Metric("quotes in the brief"),
    "quote_verbatim_rate": Metric("quotes found verbatim in their cited article", "higher", True),
    "quotes_fabricated": Metric("quotes not found in their cited article", "lower"),
    "evidence_verbatim_rate": Metric(
        "disagreement evidence sentences found in a cited article", "higher", True
    ),
    "citations": Metric("article ids cited anywhere in the brief"),
    "dangling_citations": Metric("cited article ids that do not exist", "lower"),
    "citation_validity": Metric("cited ids that exist", "higher", True),
    "citation_support_rate": Metric(
        "cited sentences/claims whose numbers and names are in the cited articles", "higher", True
    ),
    "uncited_sentences": Metric("summary/key-point sentences with no citation", "lower"),
    "hallucinated_numbers": Metric("numbers in the brief found in no source", "lower"),
    "hallucinated_names": Metric("capitalised names in the brief found in no source", "lower"),
    "hallucination_rate": Metric("unsupported numbers+names / all checked", "lower", True),
    "key_fact_coverage": Metric("key facts stated (seed facts list)", "higher", True),
    "entity_precision_ref": Metric("brief entities matching the reference lists", "higher", True),
    "entity_recall_ref": Metric("reference entities the brief lists", "higher", True),
    "entity_recall_gold": Metric("hand-annotated article entities the brief lists", "higher", True),
    "entity_precision_text": Metric("brief entities that occur in the articles", "higher", True),
    "loaded_per_100w": Metric("loaded/subjective terms per 100 summary words", "lower"),
    "loaded_per_100w_ref": Metric("same, in the reference summary"),
    "loaded_delta": Metric("loaded_per_100w minus the reference's", "lower"),
    "rouge1": Metric("ROUGE-1 F1 vs reference summary", "higher"),
    "rouge2": Metric("ROUGE-2 F1 vs reference summary", "higher"),
    "rougeL": Metric("ROUGE-L F1 vs reference summary", "higher"),
    "rougeLsum": Metric("ROUGE-Lsum F1 vs reference summary (sentence-split)", "higher"),
    "lexrank_rouge1": Metric("ROUGE-1 F1 of the LexRank-style selection cut to this summary's word count", "none"),
    "lexrank_rougeLsum": Metric("ROUGE-Lsum F1 of the LexRank-style selection cut to this summary's word count", "none"),
    "rouge1_gain": Metric("rouge1 minus lexrank_rouge1: what the brief adds over extraction at equal length", "higher"),
    "rougeLsum_gain": Metric("rougeLsum minus lexrank_rougeLsum", "higher"),
    "framing_rouge1": Metric("ROUGE-1 F1 of the per-stance coverage sentences vs the reference framing", "higher"),
    "framing_rougeL": Metric("ROUGE-L F1 of the per-stance coverage sentences vs the reference framing", "higher"),
    "framing_headline_rouge1": Metric("baseline: ROUGE-1 F1 of each stance's headline vs the reference framing"),
    "framing_headline_rougeL": Metric("baseline: ROUGE-L F1 of each stance's headline vs the reference framing"),
    "sentence_support_rate": Metric(
        "summary/key-point sentences whose names, numbers and most words are in the source sentences they cite",
        "higher", True,
    ),
    "sentences_with_evidence": Metric("summary/key-point sentences that cite source sentences", "higher", True),
    "perspectives": Metric("perspectives in the brief", "higher"),
    "perspectives_with_evidence": Metric("perspectives resting on a quote or a reported-speech sentence", "higher"),
    "summary_words": Metric("words in the summary"),
    "summary_sentences": Metric("sentences in the summary"),
    "compression": Metric("summary words / source words", "none", True),
    "verbatim_sentences": Metric("summary sentences that stand verbatim in an article", "none", True),
    "novel_words": Metric("summary words no article has (human summaries: about a third)", "none", True),
    "model_sentences": Metric("summary sentences the model wrote that the truth layer kept", "none", True),
    "unfit_sentences": Metric(
        "captions, credits, prompts, correction notes, appeals or verbless lines among the brief's sentences", "lower"
    ),
    "unintroduced_people": Metric(
        "people the summary first names by surname alone, though the articles give their full name", "lower"
    ),
    "llm_calls": Metric("model calls", "lower"),
    "prompt_tokens": Metric("prompt tokens", "lower"),
    "completion_tokens": Metric("completion tokens", "lower"),
    "duration_s": Metric("wall time per cluster (s)", "lower"),
    "cache_hits": Metric("model answers served from the pipeline cache"),
    "judge_coherence": Metric("LLM judge: coherence 1-5", "higher"),
    "judge_neutrality": Metric("LLM judge: neutrality 1-5", "higher"),
}


@dataclass
class Scored:
    metrics: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def merge(self, other: Scored) -> Scored:
        self.metrics.update(other.metrics)
        self.details.update(other.details)
        return self


def _source_texts(articles: Iterable[Article]) -> list[str]:
    """What a brief may draw on: each article's headline and text."""
    return [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]


def _rate(good: int, total: int) -> float | None:
    return good / total if total else None


# --------------------------------------------------------------------------- schema


def score_schema(data: Mapping[str, Any] | StoryBrief | None, reasks: int | None = None) -> Scored:
    """1.0 when ``data`` validates as a StoryBrief (structure only; grounding is scored separately)."""
    asked = None if reasks is None else float(reasks)
    if data is None:
        return Scored({"schema_valid": 0.0, "reasks": asked})
    try:
        brief = data if isinstance(data, StoryBrief) else StoryBrief.model_validate(data)
    except ValidationError as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]]
        return Scored({"schema_valid": 0.0, "reasks": asked}, {"schema_errors": errors})
    return Scored({"schema_valid": 1.0, "reasks": float(brief.run.reasks) if asked is None else asked})


# --------------------------------------------------------------------------- quotes


def score_quotes(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """Quote verbatim rate: each quote must occur (normalised) in the article it cites."""
    texts = {a.id: a.text for a in articles}
    fabricated: list[str] = []
    quotes = brief.quotes
    for q in quotes:
        if not find_verbatim(q.text, texts.get(q.article_id, "")):
            fabricated.append(f"{q.speaker} [{q.article_id}]: {q.text[:120]}")
    evidence_total = evidence_ok = 0
    for d in brief.disagreements:
        for c in d.claims:
            if c.evidence.strip():
                evidence_total += 1
                evidence_ok += any(find_verbatim(c.evidence, texts.get(s, "")) for s in c.sources)
    return Scored(
        {
            "quotes": float(len(quotes)),
            "quote_verbatim_rate": _rate(len(quotes) - len(fabricated), len(quotes)),
            "quotes_fabricated": float(len(fabricated)),
            "evidence_verbatim_rate": _rate(evidence_ok, evidence_total),
        },
        {"fabricated_quotes": fabricated} if fabricated else {},
    )


# --------------------------------------------------------------------------- citations


def cited_ids(brief: StoryBrief) -> list[tuple[str, str]]:
    """(where, article id) for every citation in the brief."""
    out: list[tuple[str, str]] = []
    for i, s in enumerate(brief.summary):
        out += [(f"summary[{i}]", a) for a in s.sources]
    for i, s in enumerate(brief.key_points):
        out += [(f"key_points[{i}]", a) for a in s.sources]
    for i, p in enumerate(brief.perspectives):
        out += [(f"perspectives[{i}]", a) for a in p.sources]
        for st in p.statements:
            out += [(f"perspectives[{i}].quote", q.article_id) for q in st.renderings]
    for i, d in enumerate(brief.disagreements):
        for j, c in enumerate(d.claims):
            out += [(f"disagreements[{i}].claims[{j}]", a) for a in c.sources]
    out += [(f"sources[{i}]", s.article_id) for i, s in enumerate(brief.sources)]
    for kind in ENTITY_KINDS:
        for e in getattr(brief.entities, kind):
            out += [(f"entities.{kind}", a) for a in e.sources]
    return out


def _cited_units(brief: StoryBrief) -> list[tuple[str, str, list[str]]]:
    """(where, text, sources) for every statement that carries its own citations."""
    units = [(f"summary[{i}]", s.text, list(s.sources)) for i, s in enumerate(brief.summary)]
    units += [(f"key_points[{i}]", s.text, list(s.sources)) for i, s in enumerate(brief.key_points)]
    for i, d in enumerate(brief.disagreements):
        for j, c in enumerate(d.claims):
            units.append((f"disagreements[{i}].claims[{j}]", f"{c.value}. {c.claimant}", list(c.sources)))
    return units


def unsupported_in(text: str, index: SourceIndex) -> list[str]:
    """The numbers and names of ``text`` that ``index`` does not contain."""
    missing = [surface for surface, value in numbers_in(text) if not index.has_number(value)]
    missing += [name for name in names_in(text) if not index.has_name(name)]
    return missing


def score_citations(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """Citation validity (cited ids exist) and support (the cited articles hold the sentence's facts)."""
    by_id = {a.id: a for a in articles}
    cites = cited_ids(brief)
    dangling = [f"{where}: {aid}" for where, aid in cites if aid not in by_id]
    supported = 0
    unsupported: list[str] = []
    units = _cited_units(brief)
    uncited = 0
    for where, text, sources in units:
        real = [by_id[s] for s in sources if s in by_id]
        if not sources and where.startswith(("summary", "key_points")):
            uncited += 1
        if not real:
            unsupported.append(f"{where}: no valid citation")
            continue
        missing = unsupported_in(text, SourceIndex(_source_texts(real)))
        if missing:
            unsupported.append(f"{where}: {', '.join(missing)} not in {', '.join(a.id for a in real)}")
        else:
            supported += 1
    details: dict[str, Any] = {}
    if dangling:
        details["dangling_citations"] = dangling
    if unsupported:
        details["unsupported_citations"] = unsupported
    return Scored(
        {
            "citations": float(len(cites)),
            "dangling_citations": float(len(dangling)),
            "citation_validity": _rate(len(cites) - len(dangling), len(cites)),
            "citation_support_rate": _rate(supported, len(units)),
            "uncited_sentences": float(uncited),
        },
        details,
    )


# --------------------------------------------------------------------------- hallucinations


def _output_texts(brief: StoryBrief) -> tuple[list[str], list[str]]:
    """(texts checked for numbers, texts checked for names). Titles are title-cased, so only their numbers count."""
    prose = [s.text for s in brief.summary] + [s.text for s in brief.key_points]
    for p in brief.perspectives:
        prose += [p.actor, p.role, p.stance]
    for d in brief.disagreements:
        prose.append(d.subject)
        for c in d.claims:
            prose += [c.value, c.claimant]
    names = prose + [e.name for kind in ENTITY_KINDS for e in getattr(brief.entities, kind)]
    return [brief.title, *prose], names


def score_hallucinations(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """Numbers and capitalised names in the brief that no source article contains."""
    index = SourceIndex(_source_texts(articles))
    number_texts, name_texts = _output_texts(brief)
    numbers = [n for t in number_texts for n in numbers_in(t)]
    names = [n for t in name_texts for n in names_in(t)]
    bad_numbers = sorted({s for s, v in numbers if not index.has_number(v)})
    bad_names = sorted({n for n in names if not index.has_name(n)})
    checked = len({v for _, v in numbers}) + len(set(names))
    return Scored(
        {
            "hallucinated_numbers": float(len(bad_numbers)),
            "hallucinated_names": float(len(bad_names)),
            "hallucination_rate": _rate(len(bad_numbers) + len(bad_names), checked),
        },
        {"hallucinated": bad_numbers + bad_names} if bad_numbers or bad_names else {},
    )


# --------------------------------------------------------------------------- key facts


def fact_units(brief: StoryBrief) -> list[str]:
    """Where key facts are looked for: each summary sentence, key point and disagreement claim."""
    units = [s.text for s in brief.summary] + [s.text for s in brief.key_points]
    for d in brief.disagreements:
        units += [f"{d.subject}: {c.value} ({c.claimant})" for c in d.claims]
    return units


def fact_matches(fact: Fact, units: str | Sequence[str]) -> bool:
    """True when one unit of text matches every group of ``fact``.

    The groups must meet in one sentence (or one claim): 'serious' in a Putin
    sentence and 'United States' in another do not state the US reaction.
    """
    for unit in [units] if isinstance(units, str) else units:
        if all(any(re.search(rx, unit, re.IGNORECASE) for rx in group) for group in fact.all_of):
            return True
    return False


def score_facts(brief: StoryBrief, facts: Sequence[Fact]) -> Scored:
    """Share of ``facts`` the brief states; None when the dataset has no facts list."""
    if not facts:
        return Scored({"key_fact_coverage": None})
    units = fact_units(brief)
    missing = [f.id for f in facts if not fact_matches(f, units)]
    return Scored(
        {"key_fact_coverage": (len(facts) - len(missing)) / len(facts)},
        {"missing_facts": missing} if missing else {},
    )


# --------------------------------------------------------------------------- entities


def _brief_entities(brief: StoryBrief) -> dict[str, list[str]]:
    return {k: [e.name for e in getattr(brief.entities, k)] for k in ENTITY_KINDS}


def entity_scores(
    predicted: Mapping[str, Sequence[str]], reference: Mapping[str, Sequence[str]]
) -> tuple[float | None, float | None, dict[str, list[str]]]:
    """Micro precision and recall over the entity kinds, with fuzzy name matching; plus misses."""
    tp = n_pred = n_ref = 0
    missed: dict[str, list[str]] = {}
    for kind in ENTITY_KINDS:
        pred, ref = list(predicted.get(kind, ())), list(reference.get(kind, ()))
        pairs = match_entities(pred, ref, kind)
        tp += len(pairs)
        n_pred += len(pred)
        n_ref += len(ref)
        matched = {r for _, r in pairs}
        if ref and len(matched) < len(ref):
            missed[kind] = [r for r in ref if r not in matched]
    return _rate(tp, n_pred), _rate(tp, n_ref), missed


def score_entities(
    brief: StoryBrief,
    articles: Sequence[Article],
    reference: Reference | None = None,
    gold: Mapping[str, Sequence[str]] | None = None,
) -> Scored:
    """Entity precision/recall vs the reference lists, recall vs gold lists, precision vs the articles' text."""
    predicted = _brief_entities(brief)
    out = Scored()
    if reference is not None and reference.has_entities:
        p, r, _ = entity_scores(predicted, {k: reference.entities(k) for k in ENTITY_KINDS})
        out.metrics.update(entity_precision_ref=p, entity_recall_ref=r)
    else:
        out.metrics.update(entity_precision_ref=None, entity_recall_ref=None)
    if gold:
        _, r, missed = entity_scores(predicted, gold)
        out.metrics["entity_recall_gold"] = r
        if missed:
            out.details["missed_entities"] = missed
    else:
        out.metrics["entity_recall_gold"] = None
    index = SourceIndex(_source_texts(articles))
    names = [n for k in ENTITY_KINDS for n in predicted[k]]
    absent = [n for n in names if not index.has_name(n)]
    out.metrics["entity_precision_text"] = _rate(len(names) - len(absent), len(names))
    if absent:
        out.details["entities_not_in_text"] = absent
    return out


# --------------------------------------------------------------------------- neutrality


@functools.lru_cache(maxsize=1)
def _loaded_pattern() -> re.Pattern[str]:
    terms = json.loads((DATA_DIR / "loaded_terms.json").read_text(encoding="utf-8"))["terms"]
    return re.compile(r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b", re.IGNORECASE)


def loaded_terms_in(text: str) -> list[str]:
    """The loaded or subjective terms of the eval's own lexicon found in ``text``."""
    return [m.group(0) for m in _loaded_pattern().finditer(text)]


def loaded_rate(text: str) -> float | None:
    """Loaded terms per 100 words; None for empty text."""
    n = len(words(text))
    return 100 * len(loaded_terms_in(text)) / n if n else None


def score_neutrality(brief: StoryBrief, reference: Reference | None = None) -> Scored:
    """Loaded terms per 100 words in the summary and key points, and relative to the reference summary."""
    text = " ".join([s.text for s in brief.summary] + [s.text for s in brief.key_points])
    rate = loaded_rate(text)
    ref = loaded_rate(reference.summary) if reference and reference.summary else None
    found = loaded_terms_in(text)
    return Scored(
        {
            "loaded_per_100w": rate,
            "loaded_per_100w_ref": ref,
            "loaded_delta": None if rate is None or ref is None else rate - ref,
        },
        {"loaded_terms": found} if found else {},
    )


# --------------------------------------------------------------------------- ROUGE, length, cost


@functools.lru_cache(maxsize=1)
def _rouge() -> Any:
    from rouge_score import rouge_scorer  # type: ignore[import-untyped]

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)


ROUGE_KEYS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def _by_sentence(text: str) -> str:
    # ROUGE-Lsum reads sentences from newlines.
    from summarizer.text.sentences import sentence_spans

    return "\n".join(text[a:b] for a, b in sentence_spans(text))


def score_rouge(summary: str, reference: Reference | None) -> Scored:
    """ROUGE-1/2/L/Lsum F1 of the summary against the reference summary (None without one)."""
    if reference is None or not reference.summary.strip() or not summary.strip():
        return Scored(dict.fromkeys(ROUGE_KEYS))
    s = _rouge().score(_by_sentence(reference.summary), _by_sentence(summary))
    return Scored({k: s[k].fmeasure for k in ROUGE_KEYS})


def lexrank_at_length(articles: Sequence[Article], n_words: int) -> str:
    """The LexRank-style selection (the pipeline's fact ranking, each fact's own sentence, in rank order)
    cut to exactly ``n_words`` words: extraction at the brief's own length, since ROUGE F1 moves with
    length and a longer summary is not a better one."""
    from summarizer.evidence.facts import find_facts

    from .baselines import top_fact_sentences

    unique = [a for a in articles if not a.duplicate_of] or list(articles)
    picked = [s.text for s in top_fact_sentences(find_facts(unique), n_words)]
    out: list[str] = []
    left = n_words
    for text in picked:
        toks = text.split()
        out.append(" ".join(toks[:left]))
        left -= len(toks[:left])
        if left <= 0:
            break
    return " ".join(out)


def score_extraction_gain(brief: StoryBrief, articles: Sequence[Article], reference: Reference | None) -> Scored:
    """ROUGE of the LexRank-style selection at this summary's word count, and the brief's gain over it."""
    keys = ("lexrank_rouge1", "lexrank_rougeLsum", "rouge1_gain", "rougeLsum_gain")
    n = len(brief.summary.text.split())
    if reference is None or not reference.summary.strip() or not n:
        return Scored(dict.fromkeys(keys))
    mine = score_rouge(brief.summary.text, reference).metrics
    theirs = score_rouge(lexrank_at_length(articles, n), reference).metrics
    if theirs["rouge1"] is None or mine["rouge1"] is None:
        return Scored(dict.fromkeys(keys))
    return Scored({
        "lexrank_rouge1": theirs["rouge1"], "lexrank_rougeLsum": theirs["rougeLsum"],
        "rouge1_gain": mine["rouge1"] - theirs["rouge1"],
        "rougeLsum_gain": (mine["rougeLsum"] or 0.0) - (theirs["rougeLsum"] or 0.0),
    })


FRAMING_KEYS = ("rouge1", "rougeL")


def framing_text(brief: StoryBrief) -> str:
    """The coverage section's one sentence per stance, in stance order, as one text."""
    sides = brief.coverage.stances if brief.coverage is not None else []
    return " ".join(s.summary.text for s in sides if s.summary is not None)


def headline_framing(articles: Sequence[Article]) -> str:
    """The baseline the coverage section must beat: each stance's first headline, in stance order."""
    from summarizer.evidence.outlets import STANCE_ORDER, stance_of

    first: dict[str, str] = {}
    for a in articles:
        label = stance_of(a)
        if label and a.title.strip() and not a.duplicate_of:
            first.setdefault(label, " ".join(a.title.split()))
    order = sorted(first, key=lambda s: (STANCE_ORDER.index(s) if s in STANCE_ORDER else len(STANCE_ORDER), s))
    return " ".join(t if t.endswith((".", "?", "!")) else t + "." for t in (first[s] for s in order))


def score_framing(brief: StoryBrief, articles: Sequence[Article], reference: Reference | None) -> Scored:
    """ROUGE-1/L F1 of how the brief says each side told the story against the reference framing note,
    beside the same score for the stances' headlines (None without a framing note or stance labels)."""
    keys = [f"framing_{k}" for k in FRAMING_KEYS] + [f"framing_headline_{k}" for k in FRAMING_KEYS]
    baseline = headline_framing(articles)
    if reference is None or not reference.framing.strip() or not baseline:
        return Scored(dict.fromkeys(keys))
    ours = framing_text(brief)
    scores: dict[str, float | None] = {}
    for name, text in (("framing", ours), ("framing_headline", baseline)):
        s = _rouge().score(reference.framing, text) if text else None
        scores.update({f"{name}_{k}": (s[k].fmeasure if s else 0.0) for k in FRAMING_KEYS})
    return Scored(scores, {"framing": ours} if ours else {})


def score_support(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """Sentence-level support: each summary sentence and key point against the source sentences it cites.

    A sentence with no source sentences (an extractive baseline, the disagreement line) counts as
    unsupported here; ``sentences_with_evidence`` says how many cite any.
    """
    from summarizer.truth.support import support

    by_id = {a.id: a for a in articles}
    units = list(brief.summary) + list(brief.key_points)
    good = with_evidence = 0
    for s in units:
        refs = [r for r in s.evidence if r.article_id in by_id and by_id[r.article_id].text[r.start : r.end] == r.text]
        if not refs:
            continue
        with_evidence += 1
        missing, share = support(s.text, refs)
        good += not missing and share >= 0.5
    resting = sum(1 for p in brief.perspectives if p.statements or p.evidence)
    return Scored({
        "sentence_support_rate": _rate(good, len(units)),
        "sentences_with_evidence": _rate(with_evidence, len(units)),
        "perspectives": float(len(brief.perspectives)),
        "perspectives_with_evidence": float(resting),
    })


def score_length(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """Summary length and compression (summary words / words of all source articles)."""
    n = len(words(brief.summary.text))
    source = sum(len(words(a.text)) for a in articles)
    return Scored(
        {
            "summary_words": float(n),
            "summary_sentences": float(len(brief.summary)),
            "compression": n / source if source else None,
        }
    )


def score_abstraction(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """How much the summary copies: the share of its sentences that stand verbatim in an article
    (spacing and case aside), the share of its words no article has (human summaries: about a third
    on the dev set), and the share of its sentences the model wrote that survived the truth layer."""
    sentences = list(brief.summary)
    if not sentences:
        return Scored({"verbatim_sentences": None, "novel_words": None, "model_sentences": None})
    corpus = " ".join(" ".join(a.text.split()) for a in articles).casefold()
    vocabulary = {w.casefold() for a in articles for w in words(a.text)}
    mine = [w.casefold() for w in words(brief.summary.text)]
    return Scored({
        "verbatim_sentences": sum(" ".join(s.text.split()).casefold() in corpus for s in sentences) / len(sentences),
        "novel_words": sum(w not in vocabulary for w in mine) / len(mine) if mine else None,
        "model_sentences": sum(s.origin == "model" for s in sentences) / len(sentences),
    })


def reader_sentences(brief: StoryBrief) -> list[tuple[str, str]]:
    """(where, text) of every sentence the brief gives a reader as a statement of the story: summary,
    key points, timeline events, what's new, and each outlet's and stance's coverage sentences."""
    out = [(f"summary[{i}]", s.text) for i, s in enumerate(brief.summary)]
    out += [(f"key_points[{i}]", s.text) for i, s in enumerate(brief.key_points)]
    out += [(f"timeline[{i}]", e.text) for i, e in enumerate(brief.timeline)]
    if brief.whats_new is not None:
        out += [(f"whats_new[{i}]", s.text) for i, s in enumerate(brief.whats_new.summary)]
    if brief.coverage is not None:
        for o in brief.coverage.outlets:
            for part in ("angle", "leads", "only_here"):
                out += [(f"coverage.{o.article_id}.{part}", r.text) for r in getattr(o, part)]
        for st in brief.coverage.stances:
            out += [(f"coverage.{st.stance}.{part}", r.text) for part in ("emphasis", "only_this_side")
                    for r in getattr(st, part)]
            if st.summary is not None:
                out.append((f"coverage.{st.stance}.summary", st.summary.text))
    return out


def score_fitness(brief: StoryBrief) -> Scored:
    """Sentences of the brief that are the page's furniture, not the story (:mod:`summarizer.text.fitness`).

    The pipeline keeps such sentences out of its facts with the same rules, so this counts those that
    reach a brief some other way (the model's text, a fallback, an older or third-party brief), not how
    much furniture the rules miss; docs/quality.md says what a reading of the briefs found."""
    found = [(where, rule, text) for where, text in dict.fromkeys(reader_sentences(brief))
             if (rule := unfit(text)) is not None]
    return Scored({"unfit_sentences": float(len(found))},
                  {"unfit": [{"where": w, "rule": r, "text": t} for w, r, t in found]} if found else {})


def score_introductions(brief: StoryBrief, articles: Sequence[Article]) -> Scored:
    """People the summary first names by surname alone ("said Bernstein") though the articles give
    their full name (:mod:`summarizer.pipeline.introductions`, which the pipeline applies)."""
    from summarizer.pipeline.introductions import first_mentions

    found = [(brief.summary[i].text[a:b], full) for i, (a, b), full in first_mentions(brief, articles)]
    return Scored({"unintroduced_people": float(len(found))},
                  {"unintroduced": [{"named": n, "full": f} for n, f in found]} if found else {})


def score_cost(brief: StoryBrief) -> Scored:
    """LLM calls, tokens and wall time, as the pipeline recorded them."""
    r = brief.run
    return Scored(
        {
            "llm_calls": float(r.llm_calls),
            "prompt_tokens": float(r.prompt_tokens),
            "completion_tokens": float(r.completion_tokens),
            "duration_s": float(r.duration_s),
            "cache_hits": float(r.cache_hits),
        }
    )


# --------------------------------------------------------------------------- all at once


def score_brief(
    data: Mapping[str, Any] | StoryBrief | None,
    articles: Sequence[Article],
    *,
    reference: Reference | None = None,
    facts: Sequence[Fact] = (),
    gold_entities: Mapping[str, Sequence[str]] | None = None,
    reasks: int | None = None,
) -> Scored:
    """Every scorer on one brief. ``data`` None (no brief produced) or invalid scores schema only."""
    out = score_schema(data, reasks)
    if not out.metrics["schema_valid"]:
        return out
    brief = data if isinstance(data, StoryBrief) else StoryBrief.model_validate(data)
    for part in (
        score_quotes(brief, articles),
        score_citations(brief, articles),
        score_hallucinations(brief, articles),
        score_facts(brief, facts),
        score_entities(brief, articles, reference, gold_entities),
        score_neutrality(brief, reference),
        score_rouge(brief.summary.text, reference),
        score_extraction_gain(brief, articles, reference),
        score_framing(brief, articles, reference),
        score_support(brief, articles),
        score_length(brief, articles),
        score_abstraction(brief, articles),
        score_fitness(brief),
        score_introductions(brief, articles),
        score_cost(brief),
    ):
        out.merge(part)
    return out


# --------------------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Aggregate:
    mean: float
    se: float  # standard error of the mean; 0 for a single value
    n: int
    min: float
    max: float

    def as_dict(self) -> dict[str, float | int]:
        return {"mean": self.mean, "se": self.se, "n": self.n, "min": self.min, "max": self.max}


def aggregate(values: Iterable[float | None]) -> Aggregate | None:
    """Mean ± standard error over the values that are not None (None if there are none)."""
    xs = [float(v) for v in values if v is not None and not math.isnan(v)]
    if not xs:
        return None
    n = len(xs)
    mean = sum(xs) / n
    se = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1) / n) if n > 1 else 0.0
    return Aggregate(mean, se, n, min(xs), max(xs))


def aggregate_all(per_cluster: Sequence[Mapping[str, float | None]]) -> dict[str, Aggregate]:
    """Aggregate each metric of :data:`METRICS` (and any extra one) across clusters."""
    names = list(METRICS) + sorted({k for m in per_cluster for k in m} - set(METRICS))
    out: dict[str, Aggregate] = {}
    for name in names:
        agg = aggregate(m.get(name) for m in per_cluster)
        if agg is not None:
            out[name] = agg
    return out

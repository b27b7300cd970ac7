"""What is decided before any model call: which articles, their evidence, the call plan, the draft schema."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from .. import errors
from ..backends.base import ChatBackend, ChatRequest
from ..config import Config
from ..evidence import Evidence, collect
from ..evidence.speech import reported_actors, same_actor
from ..schema.article import Article
from ..schema.draft import MAX_PERSPECTIVES, draft_model
from ..text.outlets import outlet_keys
from .plan import Plan, plan
from .sheet import Sheet, build_sheet

log = logging.getLogger("summarizer.pipeline")

# Tokens reserved in each call for the system prompt, instructions and the speaker list.
PROMPT_OVERHEAD_TOKENS = 600
MAX_SPEAKERS = 8
MAX_ACTORS = 12  # quoted speakers plus actors whose positions are only reported


@dataclass
class Prepared:
    """Everything decided before the synthesis call: which articles, evidence, plan, request."""

    all_articles: list[Article]
    articles: list[Article]  # without near-duplicates
    evidence: Evidence
    plan: Plan
    numbers: dict[str, int]  # article id -> number used in prompts
    speakers: list[str]  # the actors the model may choose (quoted, then reported), most quoted first
    draft: type[BaseModel]
    request: ChatRequest | None = None  # the synthesis request (None until notes exist, in map-reduce)
    sheet: Sheet | None = None  # the fact sheet (synthesis="facts")

    def all_actors(self) -> list[str]:
        """Every actor the evidence finds (see :func:`actors`), whichever the synthesis offers the model."""
        return actors(self.evidence)


def quoted_speakers(ev: Evidence) -> list[str]:
    """Distinct quoted speakers, most quoted first (ties: first seen)."""
    counts: dict[str, int] = {}
    for q in ev.quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])[:MAX_SPEAKERS]


def actors(ev: Evidence) -> list[str]:
    """Quoted speakers, then actors whose positions are reported without a quote; never an outlet
    of the cluster ("according to The Guardian" says where a quote was read, not who holds a view)."""
    outlets = outlet_keys(a.outlet for a in ev.articles)
    out = [s for s in quoted_speakers(ev) if s.casefold() not in outlets]
    for actor in reported_actors(ev.reported):
        if actor.casefold() in outlets:
            continue
        if len(out) < MAX_ACTORS and not any(same_actor(actor, a) for a in out):
            out.append(actor)
    return out


def prepare(articles: Sequence[Article], config: Config, backend: ChatBackend) -> Prepared:
    """Choose articles, collect evidence, plan the calls and narrow the draft schema to this cluster."""
    all_articles = list(articles)
    usable = [a for a in all_articles if not a.duplicate_of]
    if not usable:
        raise errors.InputError("no articles to summarize; pass at least one article with text")
    for a in all_articles:
        if a.duplicate_of:
            log.warning("article %s is a near-duplicate of %s; it is listed as a source only", a.id, a.duplicate_of)
    ev = collect(usable)
    budget = config.context_budget or max(
        256, backend.context_window - config.max_output_tokens - PROMPT_OVERHEAD_TOKENS
    )
    numbers = {a.id: i for i, a in enumerate(usable, 1)}
    sheet = build_sheet(ev.facts, usable, backend.count_tokens) if config.synthesis == "facts" else None
    if sheet is not None:
        speakers = actors(ev)
        # The schema only bounds the summary; the prompt asks for the sheet's length (coverage fills the rest).
        # With no reported speaker there is no actor to give a stance to: the model writes none.
        draft = draft_model(len(usable), speakers, n_facts=len(sheet.facts), summary_sentences=(2, sheet.sentences[1]),
                            max_perspectives=MAX_PERSPECTIVES if speakers else 0)
        return Prepared(all_articles, usable, ev, Plan("fact-sheet", (), budget), numbers, speakers, draft,
                        sheet=sheet)
    speakers = quoted_speakers(ev)
    return Prepared(all_articles, usable, ev, plan(usable, budget, backend.count_tokens), numbers, speakers,
                    draft_model(len(usable), speakers))

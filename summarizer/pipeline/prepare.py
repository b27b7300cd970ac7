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
from ..schema import Article, draft_model
from .plan import Plan, plan

log = logging.getLogger("summarizer.pipeline")

# Tokens reserved in each call for the system prompt, instructions and the speaker list.
PROMPT_OVERHEAD_TOKENS = 600
MAX_SPEAKERS = 8


@dataclass
class Prepared:
    """Everything decided before the synthesis call: which articles, evidence, plan, request."""

    all_articles: list[Article]
    articles: list[Article]  # without near-duplicates
    evidence: Evidence
    plan: Plan
    numbers: dict[str, int]  # article id -> number used in prompts
    speakers: list[str]  # quoted speakers found by the evidence step, most quoted first
    draft: type[BaseModel]
    request: ChatRequest | None = None  # the synthesis request (None until notes exist, in map-reduce)


def quoted_speakers(ev: Evidence) -> list[str]:
    """Distinct quoted speakers, most quoted first (ties: first seen)."""
    counts: dict[str, int] = {}
    for q in ev.quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])[:MAX_SPEAKERS]


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
    the_plan = plan(usable, budget, backend.count_tokens)
    numbers = {a.id: i for i, a in enumerate(usable, 1)}
    speakers = quoted_speakers(ev)
    return Prepared(all_articles, usable, ev, the_plan, numbers, speakers, draft_model(len(usable), speakers))

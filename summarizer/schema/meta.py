"""What a brief records about itself: the grounding report, how it was made, and its versions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .base import SchemaModel
from .parts import CitedSentence, Claim, Perspective, Statement


class GroundingIssue(SchemaModel):
    kind: Literal[
        "quote_fabricated",
        "quote_repaired",
        "quote_speaker",
        "citation_dangling",
        "citation_unsupported",
        "citation_repaired",
        "number_unsupported",
        "name_unsupported",
        "loaded_language",
        "unattributed_claim",
        "injection",
        "entity_unsupported",
        "coverage",
        "redundant",
    ] = Field(
        description="The check that raised the issue (e.g. quote_not_found, unsupported_number).",
    )
    where: str = Field(description="Which part of the brief, e.g. 'summary[2]'.")
    detail: str = Field(description="What was wrong, for a person.")
    action: Literal["reasked", "repaired", "dropped", "kept", "flagged"] = Field(
        default="flagged",
        description="What was done about it: kept, repaired, dropped or flagged.",
    )


class GroundingReport(SchemaModel):
    """What the truth layer checked, repaired and dropped."""

    quotes_checked: int = Field(default=0, description="Quotes compared verbatim with their articles.")
    quotes_repaired: int = Field(
        default=0,
        description="Quotes snapped to the source text, re-cited or trimmed to their verbatim part.",
    )
    quotes_dropped: int = Field(default=0, description="Quotes found in no article and removed.")
    sentences_checked: int = Field(
        default=0,
        description="Summary and key-point sentences whose citations were checked.",
    )
    sentences_repaired: int = Field(
        default=0,
        description="Sentences whose citations were re-pointed to the articles that support them.",
    )
    sentences_dropped: int = Field(default=0, description="Sentences no article supports, removed.")
    numbers_checked: int = Field(
        default=0,
        description="Figures and dates in the brief compared with the articles.",
    )
    numbers_unsupported: int = Field(default=0, description="Figures or dates found in no article.")
    names_checked: int = Field(default=0, description="Names in the brief compared with the articles.")
    names_unsupported: int = Field(default=0, description="Names found in no article.")
    loaded_terms: int = Field(
        default=0,
        description="Loaded words found in the brief's own voice (not inside quotes).",
    )
    reasks: int = Field(default=0, description="Times the model was asked again to fix problems.")
    issues: list[GroundingIssue] = Field(
        default_factory=list,
        description="One line per problem found, with what was done about it.",
    )


class RunMetadata(SchemaModel):
    """How the brief was made: model, calls, tokens (summed over every attempt), time."""

    model: str = Field(default="", description="The model that wrote the brief.")
    backend: str = Field(
        default="",
        description="openai (any OpenAI-compatible server) or local (the embedded llama.cpp model).",
    )
    llm_calls: int = Field(
        default=0,
        description="Model calls made for this brief, re-asks included; 0 when answered from the cache.",
    )
    prompt_tokens: int = Field(default=0, description="Prompt tokens over every call.")
    completion_tokens: int = Field(default=0, description="Completion tokens over every call.")
    cache_hits: int = Field(default=0, description="Model answers taken from the answer cache.")
    reasks: int = Field(default=0, description="Validation re-asks made.")
    transport_retries: int = Field(
        default=0,
        description="HTTP retries (rate limits, server errors, timeouts) over every call.",
    )
    duration_s: float = Field(default=0.0, description="Wall time for the brief, in seconds.")
    plan: str = Field(default="", description="'single' (one synthesis call), 'map-reduce', 'fact-sheet' or 'update'.")
    prompts: dict[str, str] = Field(default_factory=dict, description="Prompt name -> content hash.")
    estimated_cost_usd: float | None = Field(
        default=None,
        description="Estimated cost from the price table; null for local or unknown models.",
    )
    created_at: datetime | None = Field(default=None, description="When the brief was made (UTC).")
    summarizer_version: str = Field(default="", description="Version of the summarizer that made the brief.")


class FigureChange(SchemaModel):
    """A disputed figure that new articles changed: a claim they brought, or a claim they now also report."""

    subject: str = Field(description="What the figures count, as in the brief's disagreements.")
    claims: list[Claim] = Field(description="The claims now, every side attributed.")
    added: list[Claim] = Field(min_length=1, description="The claims the new articles report.")
    previous: list[Claim] = Field(
        default_factory=list, description="The previous version's claims of the same figures (empty: a new figure).")


class WhatsNew(SchemaModel):
    """What the articles added in the latest update brought, each item resting on those articles."""

    articles: list[str] = Field(description="Ids of the articles this update added.")
    summary: list[CitedSentence] = Field(
        default_factory=list,
        description="One to three sentences on what the new articles add, each resting on their sentences.",
    )
    facts: list[CitedSentence] = Field(
        default_factory=list,
        description="Facts only the new articles report, each as its source sentence, cited.",
    )
    figures: list[FigureChange] = Field(
        default_factory=list,
        description="Disputed figures that the new articles changed or added to, every claim attributed.",
    )
    actors: list[Perspective] = Field(
        default_factory=list,
        description="Actors the previous version did not have, with what the new articles report of them.",
    )
    quotes: list[Statement] = Field(
        default_factory=list,
        description="Statements only the new articles quote, verbatim.",
    )


class BriefVersion(SchemaModel):
    """One entry of a brief's changelog."""

    version: int = Field(description="The version number, from 1 (the first brief).")
    created_at: datetime | None = Field(default=None, description="When this version was made (UTC).")
    articles_added: list[str] = Field(
        default_factory=list,
        description="Ids of the articles this version added.",
    )
    changes: list[str] = Field(default_factory=list, description="What changed, one short line each.")
    llm_calls: int = Field(default=0, description="Model calls this version cost.")
    prompt_tokens: int = Field(default=0, description="Prompt tokens this version cost.")
    completion_tokens: int = Field(default=0, description="Completion tokens this version cost.")

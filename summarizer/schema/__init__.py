"""The data model: articles in, a StoryBrief out.

Every stage of the pipeline passes these models along. ``StoryBrief`` is the
public output; the draft models are what the language model is asked to
fill (small, bounded, and referring to articles and quotes by number so that a
model cannot cite something that does not exist).

=============  ==================================================================
module         holds
=============  ==================================================================
``article``    ``Article`` and ``Cluster``: the input
``parts``      a brief's parts: cited sentences, quotes, perspectives, sources,
               entities, coverage, disagreements, the timeline
``meta``       what a brief records about itself: grounding report, run
               metadata, what's new and versions
``brief``      ``StoryBrief``
``draft``      what the model fills: ``draft_model``, ``BriefDraft``,
               ``ArticleNotes``
=============  ==================================================================

Validation covers truth, not only types: ``StoryBrief.model_validate(data,
context={"articles": articles})`` also checks every quote, citation, number and
name against the source articles (see :func:`summarizer.truth.verify`). Layers
below the pipeline import the submodules, never this package, so the data model
does not depend on the truth layer that checks it.
"""

from __future__ import annotations

from .article import Article, Cluster
from .base import SchemaModel
from .brief import SCHEMA_VERSION, StoryBrief
from .draft import DRAFT_SENTENCE_CHARS, MAX_PERSPECTIVES, ArticleNotes, BriefDraft, draft_model
from .meta import BriefVersion, FigureChange, GroundingIssue, GroundingReport, RunMetadata, WhatsNew
from .parts import (
    CitedSentence,
    Claim,
    Coverage,
    DatePrecision,
    Disagreement,
    Entities,
    Entity,
    EventDate,
    KeyPlayer,
    Origin,
    OutletCoverage,
    Perspective,
    Quote,
    Reaction,
    RelatedStory,
    SentenceRef,
    Source,
    StanceCoverage,
    Statement,
    Summary,
    TimelineEvent,
    text_digest,
)

__all__ = [
    "DRAFT_SENTENCE_CHARS", "MAX_PERSPECTIVES", "SCHEMA_VERSION", "Article", "ArticleNotes", "BriefDraft",
    "BriefVersion", "CitedSentence", "Claim", "Cluster", "Coverage", "DatePrecision", "Disagreement", "Entities",
    "Entity", "EventDate", "FigureChange", "GroundingIssue", "GroundingReport", "KeyPlayer", "Origin",
    "OutletCoverage", "Perspective", "Quote", "Reaction", "RelatedStory", "RunMetadata", "SchemaModel", "SentenceRef", "Source",
    "StanceCoverage", "Statement", "StoryBrief", "Summary", "TimelineEvent", "WhatsNew", "draft_model",
    "text_digest",
]

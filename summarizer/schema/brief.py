"""The output: a StoryBrief."""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, model_validator

from .base import SchemaModel
from .meta import BriefVersion, GroundingReport, RunMetadata, WhatsNew
from .parts import (
    CitedSentence,
    Coverage,
    Disagreement,
    Entities,
    KeyPlayer,
    Perspective,
    Quote,
    Reaction,
    RelatedStory,
    Source,
    Summary,
    TimelineEvent,
)

SCHEMA_VERSION = "1.0"


class StoryBrief(SchemaModel):
    """A neutral, source-grounded brief of one story told by several articles."""

    schema_version: str = Field(
        default=SCHEMA_VERSION,
        description="Version of this schema; a change that breaks readers changes the major number.",
    )
    title: str = Field(description="A neutral headline for the story, written from the articles.")
    summary: Summary = Field(
        description="The neutral summary: a few sentences, each citing the articles that support it.",
    )
    key_points: list[CitedSentence] = Field(
        default_factory=list,
        description="The story's main facts, most important first, each with its citations.",
    )
    perspectives: list[Perspective] = Field(
        default_factory=list,
        description="The actors of the story, their stance as the articles report it, and what they said.",
    )
    disagreements: list[Disagreement] = Field(
        default_factory=list,
        description="Facts the sources state differently (e.g. figures), with who claims which value.",
    )
    timeline: list[TimelineEvent] = Field(
        default_factory=list,
        description="Dated events in date order, each a source sentence; disputed dates kept per outlet.",
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="One entry per article of the cluster, in input order, with its metadata.",
    )
    entities: Entities = Field(
        default_factory=Entities,
        description="Countries, organizations and persons named in the articles.",
    )
    coverage: Coverage | None = Field(default=None, description="How each outlet and each stance told the story.")
    location: list[str] = Field(
        default_factory=list, description="Where the story happens: countries the articles name.")
    key_players: list[KeyPlayer] = Field(default_factory=list, description="The story's main people and bodies.")
    topics: list[str] = Field(default_factory=list, description="Topic lenses, e.g. 'Russia-North Korea Relations'.")
    reactions: list[Reaction] = Field(
        default_factory=list,
        description="Reactions by country: governments, officials and institutions of two or more countries, "
                    "each with the source sentence that reports it (empty for a one-country story).",
    )
    related: list[RelatedStory] = Field(
        default_factory=list,
        description="Other stories of the same digest that share key players, places or topic (empty outside a digest).",
    )
    whats_new: WhatsNew | None = Field(
        default=None,
        description="What the articles of the latest update added (null for a brief never updated).",
    )
    versions: list[BriefVersion] = Field(
        default_factory=list,
        description="The changelog: one entry per version of the brief, oldest first (empty before any update).",
    )
    grounding: GroundingReport = Field(
        default_factory=GroundingReport,
        description="What the truth layer checked, repaired and dropped in this brief.",
    )
    run: RunMetadata = Field(
        default_factory=RunMetadata,
        description="How the brief was made: model, backend, calls, tokens, time and cost.",
    )

    @property
    def quotes(self) -> list[Quote]:
        """Every verified quote in the brief, across perspectives."""
        return [q for p in self.perspectives for s in p.statements for q in s.renderings]

    # Renderers as methods (summarizer.output.render holds them; imported on use, it needs Jinja2 templates).
    def to_json(self, *, indent: int | None = 2) -> str:
        """The brief as JSON in its schema's shape."""
        from ..output.render import to_json

        return to_json(self, indent=indent)

    def to_markdown(self) -> str:
        """The brief as Markdown: citation markers, a sources list and a disagreement table."""
        from ..output.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The brief as one self-contained HTML5 page (inline CSS, no scripts, no external assets)."""
        from ..output.render import to_html

        return to_html(self)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> StoryBrief:
        # Truth checks need the source texts; they run when the caller passes them as context.
        ctx: Any = info.context
        if ctx and ctx.get("articles"):
            # Imported here, not at the top: the truth layer is built on these models.
            from ..truth import verify

            problems = verify(self, ctx["articles"])
            if problems:
                raise ValueError("brief is not grounded in its sources: " + "; ".join(problems))
        return self

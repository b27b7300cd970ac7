"""The parts of a brief: cited sentences, quotes and perspectives, sources, entities, coverage,
disagreements and the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Literal

from pydantic import Field, RootModel

from .article import Article
from .base import SchemaModel


class SentenceRef(SchemaModel):
    """One source sentence: an exact span of an article (``text == article.text[start:end]``)."""

    article_id: str = Field(description="The article the sentence is in.")
    start: int = Field(description="Character offset of the sentence in the article text.")
    end: int = Field(description="End offset (exclusive).")
    text: str = Field(description="The sentence as the article writes it.")


Origin = Literal["model", "fact", "disagreement", "coverage", "update"]
"""Where a brief's sentence came from (:attr:`CitedSentence.origin`)."""


class CitedSentence(SchemaModel):
    """A sentence in the brief's own voice with the articles (and source sentences) that support it."""

    text: str = Field(description="The sentence, in the brief's own neutral voice.")
    sources: list[str] = Field(description="Ids of the articles that support this sentence.")
    evidence: list[SentenceRef] = Field(
        default_factory=list,
        description="The source sentences this sentence rests on (its names and numbers must occur in them).",
    )
    # Code decides by this, never by a sentence's wording; briefs saved before it existed read as "model".
    origin: Origin = Field(
        default="model",
        description="Where the sentence came from: 'model' (written by the model), 'fact' (a source sentence "
                    "standing in, e.g. for a model sentence the checks could not keep), 'disagreement' (the "
                    "attributed line code writes for disputed figures), 'coverage' (a top fact the draft left "
                    "out, added as its source sentence), 'update' (written by the model for an update's what's new).",
    )


class Summary(RootModel[list[CitedSentence]]):
    """The neutral summary: a few cited sentences. ``str(summary)`` gives plain text."""

    def __str__(self) -> str:
        return " ".join(s.text for s in self.root)

    def __iter__(self) -> Iterator[CitedSentence]:  # type: ignore[override]
        return iter(self.root)

    def __len__(self) -> int:
        return len(self.root)

    def __getitem__(self, i: int) -> CitedSentence:
        return self.root[i]

    @property
    def text(self) -> str:
        return str(self)


class Quote(SchemaModel):
    """A verbatim span of one article, with its speaker."""

    text: str = Field(description="Exact text of the span in the cited article.")
    speaker: str = Field(description="Who said it, as the article names them.")
    article_id: str = Field(description="Id of the article the quote is taken from.")
    start: int | None = Field(default=None, description="Character offset of the span in the article text.")
    end: int | None = Field(
        default=None,
        description="Offset in the article text where the quote ends (exclusive): text == article.text[start:end].",
    )


class Statement(SchemaModel):
    """One thing someone said, possibly rendered differently (translated) by several outlets."""

    speaker: str = Field(description="Who made the statement.")
    renderings: list[Quote] = Field(
        min_length=1,
        description="The statement as each outlet quotes it, verbatim, with offsets (translations differ).",
    )


class Perspective(SchemaModel):
    """An actor in the story and where they stand, with what they said."""

    actor: str = Field(description="The person or body whose position this is.")
    role: str = Field(default="", description="Who the actor is, e.g. 'President of Russia'.")
    stance: str = Field(default="", description="The actor's position in one neutral line.")
    statements: list[Statement] = Field(
        default_factory=list,
        description="What the actor said, each statement with its verbatim renderings by outlet.",
    )
    evidence: list[SentenceRef] = Field(
        default_factory=list, description="Source sentences that report the actor's position (reported speech)."
    )
    sources: list[str] = Field(
        default_factory=list,
        description="Ids of the articles that report this actor's position.",
    )


class Source(SchemaModel):
    """One input article as a source of the brief."""

    article_id: str = Field(description="The article's id, which citations elsewhere in the brief refer to.")
    outlet: str | None = Field(default=None, description="The publication, e.g. 'The New York Times'.")
    title: str = Field(default="", description="The article's headline.")
    url: str | None = Field(default=None, description="Where the article was published, when known.")
    author: str | None = Field(default=None, description="The byline, when known.")
    published_at: datetime | None = Field(
        default=None,
        description="Publication date and time, when known (ISO 8601).",
    )
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code of the article's language, as detected or declared.",
    )
    duplicate_of: str | None = Field(
        default=None,
        description="Id of an earlier article this one nearly repeats (wire copy); null if none.",
    )
    source_path: str | None = Field(
        default=None,
        description="Where the article was loaded from; an update reloads it from there.",
    )
    digest: str | None = Field(
        default=None,
        description="Short SHA-256 of the article's text, so an update can tell a reloaded file is unchanged.",
    )

    @classmethod
    def from_article(cls, article: Article) -> Source:
        return cls(article_id=article.id, outlet=article.outlet, title=article.title, url=article.url,
                   author=article.author, published_at=article.published_at, language=article.language,
                   duplicate_of=article.duplicate_of, source_path=article.source_path,
                   digest=text_digest(article.text))


def text_digest(text: str) -> str:
    """A short SHA-256 of an article's text: an update reloading it can tell it is the text summarized."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Entity(SchemaModel):
    name: str = Field(description="The entity's name as the articles write it most often.")
    mentions: int = Field(default=0, description="How many times the articles mention it.")
    sources: list[str] = Field(default_factory=list, description="Ids of the articles that mention it.")


class Entities(SchemaModel):
    countries: list[Entity] = Field(
        default_factory=list,
        description="Countries and territories named in the articles.",
    )
    organizations: list[Entity] = Field(
        default_factory=list,
        description="Organizations named in the articles.",
    )
    persons: list[Entity] = Field(default_factory=list, description="People named in the articles.")


class OutletCoverage(SchemaModel):
    """How one outlet told the story: its headline's angle, what it leads with, what only it reports."""

    article_id: str = Field(description="The article.")
    outlet: str | None = Field(default=None, description="Its publisher.")
    stance: str | None = Field(default=None, description="The outlet's stance label (left/center/right), if given.")
    headline: str = Field(default="", description="The article's headline.")
    angle: list[SentenceRef] = Field(
        default_factory=list, description="Its own sentences that its headline matches best.")
    leads: list[SentenceRef] = Field(default_factory=list, description="The facts it leads with: its first sentences.")
    only_here: list[SentenceRef] = Field(default_factory=list, description="Facts no other article of the cluster reports.")


class StanceCoverage(SchemaModel):
    """What the outlets of one stance emphasise, and what only they report (the other sides' blindspot)."""

    stance: str = Field(description="The stance label, e.g. 'left'.")
    articles: list[str] = Field(default_factory=list, description="Ids of the articles with this stance.")
    emphasis: list[SentenceRef] = Field(default_factory=list, description="What this side's headlines and leads stress.")
    only_this_side: list[SentenceRef] = Field(
        default_factory=list, description="Facts that only this side's outlets report: a blindspot of the others.")
    summary: CitedSentence | None = Field(default=None, description="One neutral sentence on what this side stresses.")


class Coverage(SchemaModel):
    """How each outlet, and each stance, told the story (deterministic, from the fact groups)."""

    outlets: list[OutletCoverage] = Field(default_factory=list, description="One entry per original article.")
    stances: list[StanceCoverage] = Field(
        default_factory=list, description="One entry per stance when the articles carry stance labels.")


class KeyPlayer(SchemaModel):
    """A person or body central to the story, as the articles name them."""

    name: str = Field(description="The name as the articles write it.")
    role: str = Field(default="", description="Who they are, when the articles say so.")
    sources: list[str] = Field(default_factory=list, description="Ids of the articles that name them.")


class Claim(SchemaModel):
    """One side of a disagreement: what is claimed, by whom, reported where."""

    value: str = Field(description="The claimed figure or account, e.g. '3,000 troops'.")
    claimant: str = Field(description="Who makes the claim, e.g. 'South Korea's intelligence agency'.")
    sources: list[str] = Field(description="Articles that report this claim.")
    evidence: str = Field(default="", description="The source sentence the claim comes from.")


class Disagreement(SchemaModel):
    """Sources differ on the same thing; the brief lists each claim instead of picking one."""

    subject: str = Field(description="What the sources disagree about, e.g. 'number of soldiers'.")
    claims: list[Claim] = Field(
        min_length=2,
        description="The differing values, each with its claimant and the articles that report it.",
    )


DatePrecision = Literal["day", "week", "month", "year"]


class EventDate(SchemaModel):
    """One outlet's date for a timeline event whose date the sources disagree on."""

    date: str = Field(description="ISO 8601 at its precision: '2024-10-23', '2024-W43', '2024-06' or '2024'.")
    precision: DatePrecision = Field(description="How long the dated period is: day, week, month or year.")
    date_text: str = Field(description="The date as the sentence writes it, e.g. 'Tuesday'.")
    resolved_from: str = Field(default="", description="How a relative date was resolved ('' if written in full).")
    sources: list[str] = Field(description="Ids of the articles that give this date.")
    evidence: SentenceRef = Field(description="The sentence that gives this date.")


class TimelineEvent(SchemaModel):
    """One dated event of the story, told by a source sentence; undisputed or with each outlet's date."""

    date: str = Field(description="ISO 8601 at its precision; 'first/last' (an ISO interval) when disputed.")
    precision: DatePrecision = Field(description="How long the dated period is: day, week, month or year.")
    date_text: str = Field(default="", description="The date as the first evidence sentence writes it.")
    resolved_from: str = Field(default="", description="How a relative date was resolved ('' if written in full).")
    text: str = Field(description="The event: a source sentence, as written.")
    evidence: list[SentenceRef] = Field(min_length=1, description="One sentence per article that reports it.")
    sources: list[str] = Field(description="Ids of the articles that report the event.")
    disputed: list[EventDate] = Field(default_factory=list, description="Each outlet's date when they differ.")


class Reaction(SchemaModel):
    """One government's, official's or institution's reaction, as one source sentence reports it."""

    country: str = Field(description="The country the actor speaks for, e.g. 'South Korea'.")
    actor: str = Field(description="Who reacted, as the brief's perspectives name them.")
    role: str = Field(default="", description="Who the actor is, as the articles say.")
    sentence: SentenceRef = Field(description="The source sentence that reports the reaction (an exact span).")


class RelatedStory(SchemaModel):
    """Another story of the same digest that shares this one's key players, places or topic."""

    story_id: str = Field(description="The related story's id (its cluster id in the digest).")
    title: str = Field(description="Its headline.")
    shared: list[str] = Field(default_factory=list, description="What the two stories share, most telling first.")
    score: float = Field(default=0.0, description="How much they share (higher is closer); the list is ranked by it.")
    link: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]*\.html$",
                             description="Its page's file name, beside this story's page, in a digest site.")

"""The data model: articles in, a StoryBrief out.

Every stage of the pipeline passes these models along. ``StoryBrief`` is the
public output; the ``Draft*`` models are what the language model is asked to
fill (small, bounded, and referring to articles and quotes by number so that a
model cannot cite something that does not exist).

Validation covers truth, not only types: ``StoryBrief.model_validate(data,
context={"articles": articles})`` also checks every quote, citation, number and
name against the source articles (see :mod:`summarizer.truth`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationInfo, create_model, model_validator

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- input


class Article(_Model):
    """One source article, cleaned of navigation and boilerplate."""

    id: str = Field(description="Stable id used in citations, e.g. 'a1' or the record's own id.")
    outlet: str | None = Field(default=None, description="Publisher, e.g. 'The New York Times'.")
    title: str = Field(default="", description="Headline.")
    url: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code, e.g. 'en' or 'ko'.")
    text: str = Field(description="The story's text: every sentence kept, boilerplate removed.")
    source_path: str | None = Field(default=None, description="Where it was loaded from.")
    stance: str | None = Field(default=None, description="Optional outlet stance label (left/center/right).")
    duplicate_of: str | None = Field(
        default=None, description="Set when this article is a near-duplicate (wire copy) of another."
    )
    warnings: list[str] = Field(default_factory=list, description="What ingest noticed (injection, size).")


# --------------------------------------------------------------------------- brief parts


class SentenceRef(_Model):
    """One source sentence: an exact span of an article (``text == article.text[start:end]``)."""

    article_id: str = Field(description="The article the sentence is in.")
    start: int = Field(description="Character offset of the sentence in the article text.")
    end: int = Field(description="End offset (exclusive).")
    text: str = Field(description="The sentence as the article writes it.")


class CitedSentence(_Model):
    """A sentence in the brief's own voice with the articles (and source sentences) that support it."""

    text: str = Field(description="The sentence, in the brief's own neutral voice.")
    sources: list[str] = Field(description="Ids of the articles that support this sentence.")
    evidence: list[SentenceRef] = Field(
        default_factory=list,
        description="The source sentences this sentence rests on (its names and numbers must occur in them).",
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


class Quote(_Model):
    """A verbatim span of one article, with its speaker."""

    text: str = Field(description="Exact text of the span in the cited article.")
    speaker: str = Field(description="Who said it, as the article names them.")
    article_id: str = Field(description="Id of the article the quote is taken from.")
    start: int | None = Field(default=None, description="Character offset of the span in the article text.")
    end: int | None = Field(
        default=None,
        description="Offset in the article text where the quote ends (exclusive): text == article.text[start:end].",
    )


class Statement(_Model):
    """One thing someone said, possibly rendered differently (translated) by several outlets."""

    speaker: str = Field(description="Who made the statement.")
    renderings: list[Quote] = Field(
        min_length=1,
        description="The statement as each outlet quotes it, verbatim, with offsets (translations differ).",
    )


class Perspective(_Model):
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


class Source(_Model):
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


class Entity(_Model):
    name: str = Field(description="The entity's name as the articles write it most often.")
    mentions: int = Field(default=0, description="How many times the articles mention it.")
    sources: list[str] = Field(default_factory=list, description="Ids of the articles that mention it.")


class Entities(_Model):
    countries: list[Entity] = Field(
        default_factory=list,
        description="Countries and territories named in the articles.",
    )
    organizations: list[Entity] = Field(
        default_factory=list,
        description="Organizations named in the articles.",
    )
    persons: list[Entity] = Field(default_factory=list, description="People named in the articles.")


class OutletCoverage(_Model):
    """How one outlet told the story: its headline's angle, what it leads with, what only it reports."""

    article_id: str = Field(description="The article.")
    outlet: str | None = Field(default=None, description="Its publisher.")
    stance: str | None = Field(default=None, description="The outlet's stance label (left/center/right), if given.")
    headline: str = Field(default="", description="The article's headline.")
    angle: list[SentenceRef] = Field(
        default_factory=list, description="Its own sentences that its headline matches best.")
    leads: list[SentenceRef] = Field(default_factory=list, description="The facts it leads with: its first sentences.")
    only_here: list[SentenceRef] = Field(default_factory=list, description="Facts no other article of the cluster reports.")


class StanceCoverage(_Model):
    """What the outlets of one stance emphasise, and what only they report (the other sides' blindspot)."""

    stance: str = Field(description="The stance label, e.g. 'left'.")
    articles: list[str] = Field(default_factory=list, description="Ids of the articles with this stance.")
    emphasis: list[SentenceRef] = Field(default_factory=list, description="What this side's headlines and leads stress.")
    only_this_side: list[SentenceRef] = Field(
        default_factory=list, description="Facts that only this side's outlets report: a blindspot of the others.")
    summary: CitedSentence | None = Field(default=None, description="One neutral sentence on what this side stresses.")


class Coverage(_Model):
    """How each outlet, and each stance, told the story (deterministic, from the fact groups)."""

    outlets: list[OutletCoverage] = Field(default_factory=list, description="One entry per original article.")
    stances: list[StanceCoverage] = Field(
        default_factory=list, description="One entry per stance when the articles carry stance labels.")


class KeyPlayer(_Model):
    """A person or body central to the story, as the articles name them."""

    name: str = Field(description="The name as the articles write it.")
    role: str = Field(default="", description="Who they are, when the articles say so.")
    sources: list[str] = Field(default_factory=list, description="Ids of the articles that name them.")


class Claim(_Model):
    """One side of a disagreement: what is claimed, by whom, reported where."""

    value: str = Field(description="The claimed figure or account, e.g. '3,000 troops'.")
    claimant: str = Field(description="Who makes the claim, e.g. 'South Korea's intelligence agency'.")
    sources: list[str] = Field(description="Articles that report this claim.")
    evidence: str = Field(default="", description="The source sentence the claim comes from.")


class Disagreement(_Model):
    """Sources differ on the same thing; the brief lists each claim instead of picking one."""

    subject: str = Field(description="What the sources disagree about, e.g. 'number of soldiers'.")
    claims: list[Claim] = Field(
        min_length=2,
        description="The differing values, each with its claimant and the articles that report it.",
    )


DatePrecision = Literal["day", "week", "month", "year"]


class EventDate(_Model):
    """One outlet's date for a timeline event whose date the sources disagree on."""

    date: str = Field(description="ISO 8601 at its precision: '2024-10-23', '2024-W43', '2024-06' or '2024'.")
    precision: DatePrecision = Field(description="How long the dated period is: day, week, month or year.")
    date_text: str = Field(description="The date as the sentence writes it, e.g. 'Tuesday'.")
    resolved_from: str = Field(default="", description="How a relative date was resolved ('' if written in full).")
    sources: list[str] = Field(description="Ids of the articles that give this date.")
    evidence: SentenceRef = Field(description="The sentence that gives this date.")


class TimelineEvent(_Model):
    """One dated event of the story, told by a source sentence; undisputed or with each outlet's date."""

    date: str = Field(description="ISO 8601 at its precision; 'first/last' (an ISO interval) when disputed.")
    precision: DatePrecision = Field(description="How long the dated period is: day, week, month or year.")
    date_text: str = Field(default="", description="The date as the first evidence sentence writes it.")
    resolved_from: str = Field(default="", description="How a relative date was resolved ('' if written in full).")
    text: str = Field(description="The event: a source sentence, as written.")
    evidence: list[SentenceRef] = Field(min_length=1, description="One sentence per article that reports it.")
    sources: list[str] = Field(description="Ids of the articles that report the event.")
    disputed: list[EventDate] = Field(default_factory=list, description="Each outlet's date when they differ.")


class GroundingIssue(_Model):
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


class GroundingReport(_Model):
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


class RunMetadata(_Model):
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


class FigureChange(_Model):
    """A disputed figure that new articles changed: a claim they brought, or a claim they now also report."""

    subject: str = Field(description="What the figures count, as in the brief's disagreements.")
    claims: list[Claim] = Field(description="The claims now, every side attributed.")
    added: list[Claim] = Field(min_length=1, description="The claims the new articles report.")
    previous: list[Claim] = Field(
        default_factory=list, description="The previous version's claims of the same figures (empty: a new figure).")


class WhatsNew(_Model):
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


class BriefVersion(_Model):
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


class StoryBrief(_Model):
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
        from .output.render import to_json

        return to_json(self, indent=indent)

    def to_markdown(self) -> str:
        """The brief as Markdown: citation markers, a sources list and a disagreement table."""
        from .output.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The brief as one self-contained HTML5 page (inline CSS, no scripts, no external assets)."""
        from .output.render import to_html

        return to_html(self)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> StoryBrief:
        # Truth checks need the source texts; they run when the caller passes them as context.
        ctx: Any = info.context
        if ctx and ctx.get("articles"):
            # Imported here, not at the top: the truth layer is built on these models.
            from .truth import verify

            problems = verify(self, ctx["articles"])
            if problems:
                raise ValueError("brief is not grounded in its sources: " + "; ".join(problems))
        return self


# --------------------------------------------------------------------------- what the model fills
# The pipeline narrows the draft per cluster (article numbers and quoted speakers become enums), so a
# constrained decoder cannot cite a non-existent article or give a perspective to someone never quoted.

MAX_PERSPECTIVES = 4
# A draft sentence's length bound (see draft_model): a sentence the model copies past it is cut off,
# which the truth layer detects and repairs from the source sentence.
DRAFT_SENTENCE_CHARS = 320


def draft_model(
    n_articles: int | None = None, speakers: Sequence[str] = (), *, n_facts: int | None = None,
    summary_sentences: tuple[int, int] = (2, 5), max_perspectives: int = MAX_PERSPECTIVES,
) -> type[BaseModel]:
    """The JSON the model fills for one cluster.

    Sentences cite article numbers, or with ``n_facts`` the numbers of the fact sheet's facts;
    either way an enum, so a grammar-constrained model cannot cite something that does not
    exist. When the evidence found quoted or reported speakers, the perspectives' actors are an
    enum of them: quotes are attached in code, so the model cannot invent a quote or hand one
    to the wrong person. With no arguments it gives the general shape.
    """
    # Length bounds keep a small model from copying whole paragraphs (each token costs ~0.1 s on a
    # laptop CPU); they are generous enough that a normal sentence never reaches them.
    article_no: Any = Literal[tuple(range(1, n_articles + 1))] if n_articles else int  # type: ignore[valid-type]
    actor: Any = Literal[tuple(speakers)] if speakers else str  # type: ignore[valid-type]
    if n_facts:
        fact_no: Any = Literal[tuple(range(1, n_facts + 1))]  # type: ignore[valid-type]
        cites: Any = ("facts", (list[fact_no], Field(min_length=1, max_length=4)))
    else:
        cites = ("sources", (list[article_no], Field(min_length=1, max_length=4)))
    sentence = create_model(
        "DraftSentence", text=(str, Field(min_length=3, max_length=DRAFT_SENTENCE_CHARS)), **{cites[0]: cites[1]}
    )
    perspective = create_model(
        "DraftPerspective",
        actor=(actor, Field(min_length=2, max_length=80) if not speakers else ...),
        role=(str, Field(max_length=60)),
        stance=(str, Field(min_length=3, max_length=180)),
    )
    low, high = summary_sentences
    return create_model(
        "BriefDraft",
        title=(str, Field(min_length=3, max_length=120)),
        summary=(list[sentence], Field(min_length=low, max_length=high)),  # type: ignore[valid-type]
        key_points=(list[sentence], Field(max_length=3)),  # type: ignore[valid-type]
        perspectives=(list[perspective], Field(max_length=max_perspectives)),  # type: ignore[valid-type]
        topics=(list[Annotated[str, Field(max_length=50)]], Field(max_length=4)),
    )


BriefDraft = draft_model()
"""The draft's general shape (any article number, any actor): ``summarizer schema --draft`` prints it."""


class ArticleNotes(_Model):
    """Map step for clusters that do not fit one call: the facts of one article (or chunk)."""

    facts: list[str] = Field(min_length=1, max_length=8)
    actors: list[str] = Field(default_factory=list, max_length=6)


class Cluster(_Model):
    """A story cluster: several articles about one event, with an optional reference.

    This is one line of the cluster JSONL format used by ``batch`` and the evals:
    ``{"id", "title", "articles": [{"id", "source", "stance", "title", "url", "text"}, ...],
    "reference": {"summary", "framing"}}`` (extra keys such as topic/date are kept in ``meta``).
    """

    id: str
    title: str = ""
    articles: list[Article]
    reference: dict[str, Any] | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

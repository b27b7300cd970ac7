"""What the model fills: the draft of a brief, narrowed per cluster, and the map step's notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model

from .base import SchemaModel

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


class ArticleNotes(SchemaModel):
    """Map step for clusters that do not fit one call: the facts of one article (or chunk)."""

    facts: list[str] = Field(min_length=1, max_length=8)
    actors: list[str] = Field(default_factory=list, max_length=6)

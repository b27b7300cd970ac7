"""The input: one article, and a story cluster of articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from .base import SchemaModel


class Article(SchemaModel):
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


class Cluster(SchemaModel):
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

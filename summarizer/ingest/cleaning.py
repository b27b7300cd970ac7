"""Cleaning one article's text: drop boilerplate lines, then read metadata from what was dropped.

The two steps are separate on purpose: :mod:`.boilerplate` only decides which lines go, and
:mod:`.metadata` then reads the author, date and outlet from the removed lines, each line by
the reason it was removed for. Text, title and metadata come back together as :class:`Cleaned`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .boilerplate import find_boilerplate
from .lines import join_lines, split_lines
from .metadata import metadata_from_removed

__all__ = ["Cleaned", "clean", "clean_text"]


@dataclass
class Cleaned:
    """The result of :func:`clean`: story text plus metadata found in removed lines."""

    text: str
    title: str = ""
    author: str | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)


def clean(text: str, *, title: str | None = None, take_title: bool = False) -> Cleaned:
    """Remove navigation and boilerplate lines from ``text``, keeping every story sentence.

    ``title``: the known headline; lines repeating it (also as an image caption) are removed.
    ``take_title``: when no title is given, use the first non-boilerplate line as the title
    and remove it from the text (plain-text and Markdown articles). A first line longer than
    300 characters is not a headline and stays in the text.
    """
    lines = split_lines(text)
    scan = find_boilerplate(lines, title=(title or "").strip(), take_title=take_title)
    found = metadata_from_removed(scan.removed)
    return Cleaned(
        text=join_lines(lines, scan.keep),
        title=scan.title,
        author=found.author,
        published_at=found.published_at,
        outlet=found.outlet,
        removed=scan.removed,
    )


def clean_text(text: str) -> str:
    """Return ``text`` with navigation and boilerplate lines removed (see :func:`clean`)."""
    return clean(text).text

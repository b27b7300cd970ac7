"""A brief for people and programs: JSON in its schema's shape, Markdown, and one HTML story page.

:mod:`~summarizer.output.render` holds the renderers; the Jinja2 templates and CSS ship in
:mod:`summarizer.output.templates`.
"""

from __future__ import annotations

from .render import to_html, to_json, to_markdown

__all__ = ["to_html", "to_json", "to_markdown"]

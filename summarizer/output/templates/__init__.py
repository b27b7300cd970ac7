"""Jinja2 templates and the stylesheet for rendering a StoryBrief (HTML page and Markdown)."""

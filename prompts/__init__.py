"""Jinja2 prompt templates (``*.j2``). Shipped inside the wheel as ``summarizer.prompt_templates``."""

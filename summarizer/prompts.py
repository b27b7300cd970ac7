"""Prompt templates: ``prompts/*.j2`` rendered through one strict Jinja2 environment.

A prompt's name plus a hash of its text identifies its version; both go into
cache keys and into each brief's run metadata.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2


def _source(name: str) -> str:
    # Run from a checkout (a strict editable install, or another working tree of the repository whose
    # install points elsewhere): the source tree's summarizer/ shadows the installed one, and the
    # prompts that belong to it are the ones beside it.
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "prompts" / name).is_file():
        return (checkout / "prompts" / name).read_text(encoding="utf-8")
    try:
        root: Any = resources.files("summarizer.prompt_templates")
    except ModuleNotFoundError:
        root = checkout / "prompts"
    return str(root.joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    def load(name: str) -> tuple[str, None, Any]:
        try:
            return _source(name), None, lambda: True
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(name) from None

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,  # a missing variable is a bug, not an empty string
        autoescape=False,  # prompts are plain text, not HTML
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **variables: Any) -> str:
    """Render ``prompts/<name>`` with ``variables``."""
    return environment().get_template(name).render(**variables).strip()


@functools.lru_cache(maxsize=32)
def version(name: str) -> str:
    """A short content hash of the template, for cache keys and run metadata."""
    return hashlib.sha256(_source(name).encode("utf-8")).hexdigest()[:12]

"""The wheel ships every package of the source tree, and no top-level name that could collide."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]


def _listed() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])


def test_every_package_directory_is_listed():
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "summarizer").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - _listed() == set()


def test_only_summarizer_names_are_installed():
    assert {name.split(".")[0] for name in _listed()} == {"summarizer", "summarizer_evals"}

"""Which checks run on which kind of item: every module of this package that defines ``CHECKS``.

A new check is one module with a ``CHECKS`` list (plus its row in :data:`~summarizer.truth.policy.POLICY`);
nothing else needs to know about it. Checks of one kind run in their ``order``.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from .base import Check

# Item kinds that are a special case of another: they get that kind's checks as well as their own.
REFINES = {"key_point": "sentence"}  # a key point is a sentence that must add to the summary


@functools.cache
def all_checks() -> tuple[Check, ...]:
    package = importlib.import_module(__package__ or "summarizer.truth")
    found: list[Check] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "CHECKS", ()))
    return tuple(found)


@functools.cache
def checks_for(kind: str) -> tuple[Check, ...]:
    """The checks of one item kind ("title", "sentence", "key_point", "quote", ...), with those of the
    kind it refines (:data:`REFINES`), in the order they run."""
    kinds = {kind, REFINES.get(kind, kind)}
    return tuple(sorted((c for c in all_checks() if kinds & set(c.kinds)), key=lambda c: c.order))

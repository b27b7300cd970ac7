"""The truth layer: hold every brief to its source articles, repair what code can, drop the rest.

The same small checks run over one walker in three modes (all pure: a brief is never mutated):

* :func:`check` lists :class:`~summarizer.truth.base.Issue` s; :func:`describe_for_reask` words
  those worth a re-ask for the model (:func:`summarizer.truth.policy.reaskable`).
* :func:`repair` returns a new brief: quotes snapped to the exact source span, citations
  re-pointed to the articles that hold a sentence's facts, unsupported material dropped, and
  the :class:`~summarizer.schema.GroundingReport` filled in.
* :func:`verify` is the strict mode behind ``StoryBrief.model_validate(..., context={"articles":
  ...})``: the problems that make a brief untrustworthy.

==================  ============================================================
module              holds
==================  ============================================================
``base``            Issue, the Check interface, the Context checks share
``policy``          ONE table: issue code -> kind, fatal, re-ask fields, strictness, advice
``walk``            the only traversal of a StoryBrief, and the structural rules
``registry``        which checks run on which item kind (modules defining ``CHECKS``)
``report``          the GroundingReport counted from the walk
``injection``       instruction-like text in the brief's voice
``citations``       dangling citations; cited articles must hold the sentence's facts
``support``         sentences against the source sentences they cite; cut-off copies
``meaning``         sentences and stances that reverse what their sources say (rules: ``contradiction``)
``fusion``          a model sentence that fuses source sentences none of which holds it alone
``states``          a state given as current that an article says ended ("is missing" / "was found")
``provenance``      words and writing systems the articles never use
``facts``           numbers and names no article holds; actors and roles
``neutrality``      loaded words; unattributed figures or remarks
``quotes``          verbatim quotes and their speakers
``claims``          the figures and citations of disagreements' claims
``entities``        entities no article names
``timeline``        timeline events: verbatim source sentences, dates those sentences give
``outlets``         coverage entries (own article's sentences), places, key players
==================  ============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..schema.article import Article
from . import report
from .base import Context, Issue
from .policy import POLICY, reaskable, strict
from .provenance import word_support
from .quotes import speaker_supported, verify_quote
from .walk import Walker

if TYPE_CHECKING:
    from ..evidence import Evidence
    from ..schema.brief import StoryBrief

__all__ = [
    "POLICY",
    "Issue",
    "check",
    "describe_for_reask",
    "reaskable_issues",
    "repair",
    "speaker_supported",
    "verify",
    "verify_quote",
    "word_support",
]


def check(brief: StoryBrief, articles: Sequence[Article], evidence: Evidence | None = None) -> list[Issue]:
    """Everything in ``brief`` that its sources do not support (the brief is not changed)."""
    walker = Walker(Context.for_brief(brief, articles, evidence), "check")
    walker.run(brief)
    return walker.issues


def repair(brief: StoryBrief, articles: Sequence[Article], evidence: Evidence | None = None) -> StoryBrief:
    """A new brief with every repairable problem repaired and the rest dropped or flagged.

    ``brief.grounding`` of the result counts what was checked, repaired and dropped; its
    ``reasks`` and any issues already recorded are kept.
    """
    ctx = Context.for_brief(brief, articles, evidence)
    repaired = Walker(ctx, "repair").run(brief)
    return repaired.model_copy(update={"grounding": report.build(brief, ctx)})


def verify(brief: StoryBrief, articles: Sequence[Article]) -> list[str]:
    """Problems that make ``brief`` untrustworthy; ``[]`` for a grounded brief.

    Strict: every quote verbatim in its cited article (offsets, when given, must point at it)
    with its speaker named nearby; every citation names an article of the cluster; every
    number and name of the summary and key points appears in some article; no sentence reverses
    the source sentences it cites (a negation, an opposite, a figure, a weekday or month, a name
    or who did what: :mod:`summarizer.truth.meaning`).
    """
    walker = Walker(Context.for_brief(brief, articles, strict=True), "verify")
    walker.run(brief)
    return [f"{i.where}: {i.detail}" for i in walker.issues if strict(i.code, i.where)]


def reaskable_issues(issues: Sequence[Issue]) -> list[Issue]:
    """The issues worth a whole extra model call (policy: their code, in the fields it names)."""
    return [i for i in issues if reaskable(i.code, i.where)]


def describe_for_reask(issues: Sequence[Issue]) -> list[str]:
    """One short instruction per re-askable issue, for the re-ask prompt."""
    return [f"{i.where} {i.detail}; {POLICY[i.code].advice}." for i in reaskable_issues(issues)]

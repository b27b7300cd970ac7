"""The pipeline's steps, public: prepare -> request -> finish.

:class:`~summarizer.pipeline.Pipeline` runs them to summarize a cluster; another flow (an update,
:mod:`summarizer.updates`) runs them around a request of its own. Code outside this package uses
these names, from :mod:`summarizer.pipeline`, and none of the modules behind them.

===================  ========================================================================
step                 what it does
===================  ========================================================================
``prepare_cluster``  articles -> :class:`Prepared`: sizes bounded, near-duplicates set aside,
                     evidence collected, calls planned, the draft schema narrowed
``Caller``           request -> completion, through the answer cache, counted in a
                     :class:`RunState` (``Pipeline.caller`` is the pipeline's own);
                     ``remember`` caches an answer once it proved usable. ``messages``
                     frames a prompt as every request of the pipeline does
``finish``           a brief -> the brief returned: the truth layer's repair against every
                     article, its people introduced at first mention, the run's own fields
                     set, then the strict check
===================  ========================================================================

Between request and finish a flow makes its brief's sentences as the pipeline's assembly does:
:func:`model_sentence` (the model's, cleaned), :func:`fact_sentence` (a fact's source sentence),
:func:`disagreement_lines` (the attributed line of each disputed figure), :func:`perspectives`
(actors' statements found in the articles, for any :class:`ChosenActor`), and :func:`says`
(whether a sentence states a fact). Each sentence says where it came from (``origin``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from .. import errors, truth
from ..backends.base import ChatBackend
from ..config import Config
from ..evidence.facts import fact_sentence
from ..evidence.reactions import find_reactions
from ..ingest.records import check_article_size
from ..schema.article import Article
from ..schema.brief import StoryBrief
from .assembly import ChosenActor, disagreement_lines, model_sentence, perspectives
from .calls import Caller, RunState
from .coverage import says
from .introductions import introduce
from .prepare import Prepared, prepare
from .requests import messages

__all__ = [
    "Caller", "ChosenActor", "Prepared", "RunState", "disagreement_lines", "fact_sentence", "finish", "messages",
    "model_sentence", "perspectives", "prepare_cluster", "says",
]


def prepare_cluster(articles: Sequence[Article], config: Config, backend: ChatBackend) -> Prepared:
    """Step 1: what is decided before any call (:class:`Prepared`). Raises
    :class:`~summarizer.errors.InputError` for an article over the size limit, before any work on it,
    or for a cluster with no article to summarize."""
    for a in articles:
        check_article_size(a.text, f"article {a.id}")
    return prepare(articles, config, backend)


def finish(prep: Prepared, brief: StoryBrief, stamp: Callable[[StoryBrief], dict[str, Any]]) -> StoryBrief:
    """Step 3: ``brief`` repaired by the truth layer against all of ``prep``'s articles, with the fields
    ``stamp(repaired)`` gives (the run's metadata, a changelog) set, and validated strictly: what a
    flow returns. Raises :class:`~summarizer.errors.OutputValidationError` when the repaired brief
    still fails its guarantees."""
    # people are introduced in the sentences the truth layer kept, including those it put in
    repaired = introduce(truth.repair(brief, prep.all_articles, prep.evidence), prep.all_articles)
    # reactions by country come from the perspectives the truth layer kept, and are checked again below
    reactions = find_reactions(repaired.perspectives, prep.all_articles)
    final = repaired.model_copy(update={**stamp(repaired), "reactions": reactions})
    try:
        return StoryBrief.model_validate(final.model_dump(), context={"articles": prep.all_articles})
    except ValidationError as exc:
        raise errors.OutputValidationError(f"the repaired brief still failed grounding: {exc}") from exc

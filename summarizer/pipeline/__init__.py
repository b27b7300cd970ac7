"""The pipeline: articles in, a validated, grounded StoryBrief out.

==============  ============================================================
module          holds
==============  ============================================================
``flow``        :class:`Pipeline`: the steps as one generator, sync and async drivers
``steps``       the public steps (prepare -> request -> finish) other flows build on
``prepare``     articles, evidence, plan and draft schema, decided before any call
``plan``        one synthesis call, or map-reduce within the context budget
``requests``    the synthesis, extraction and re-ask requests
``calls``       model calls through the answer cache, with the run's accounting
``assembly``    the model's draft turned into a brief (quotes from the evidence)
``coverage``    the top facts a draft left out, added; the summary kept to its length
==============  ============================================================

The rest of the package imports from here only: :class:`Pipeline`, :func:`summarize` and
:func:`asummarize`, and the step API (:mod:`summarizer.pipeline.steps`).
"""

from __future__ import annotations

from .flow import Pipeline, asummarize, summarize
from .steps import (
    Caller,
    ChosenActor,
    Prepared,
    RunState,
    disagreement_lines,
    fact_sentence,
    finish,
    messages,
    model_sentence,
    perspectives,
    prepare_cluster,
    says,
)

__all__ = [
    "Caller", "ChosenActor", "Pipeline", "Prepared", "RunState", "asummarize", "disagreement_lines",
    "fact_sentence", "finish", "messages", "model_sentence", "perspectives", "prepare_cluster", "says",
    "summarize",
]

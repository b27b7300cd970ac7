"""The pipeline: articles in, a validated, grounded StoryBrief out.

==============  ============================================================
module          holds
==============  ============================================================
``flow``        :class:`Pipeline`: the steps as one generator, sync and async drivers
``prepare``     articles, evidence, plan and draft schema, decided before any call
``plan``        one synthesis call, or map-reduce within the context budget
``requests``    the synthesis, extraction and re-ask requests
``calls``       model calls through the answer cache, with the run's accounting
``assembly``    the model's draft turned into a brief (quotes from the evidence)
==============  ============================================================
"""

from __future__ import annotations

from .flow import Pipeline, asummarize, summarize
from .prepare import Prepared

__all__ = ["Pipeline", "Prepared", "asummarize", "summarize"]

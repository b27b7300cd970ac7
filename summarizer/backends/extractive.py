"""The backend that writes nothing: the instant, extractive brief.

With ``--backend extractive`` (``Config(backend="extractive")``) the pipeline makes no model call.
The summary is the cluster's top-ranked facts in their sources' own words, with the coverage step's
length rule; key points, perspectives, coverage, timeline and entities are built by code as in
every brief, and the truth layer checks the result like any other. The title is the headline of the
article that reports the lead fact (see :func:`summarizer.pipeline.drafts.extractive_draft`).

It costs no model load and tens of milliseconds per cluster: the mode for a thousand stories in a
minute. Its measured quality is in ``docs/quality.md``.
"""

from __future__ import annotations

from ..errors import BackendError
from .base import ChatRequest, Completion

EXTRACTIVE = "extractive"


class ExtractiveBackend:
    """A :class:`~summarizer.backends.base.ChatBackend` that is never asked anything.

    The pipeline checks :attr:`writes` and builds the brief without a call; ``complete`` raises for
    any other caller. Tokens are counted as the OpenAI path counts them (tiktoken), so the fact
    sheet has the same size whichever backend reads it.
    """

    name = EXTRACTIVE
    model = EXTRACTIVE
    writes = False  # the pipeline asks it nothing
    context_window = 1_000_000

    def complete(self, request: ChatRequest) -> Completion:
        raise BackendError(
            f"the extractive backend writes nothing (asked for {request.purpose or 'a completion'}); "
            "choose --backend local or openai for a model's answer")

    async def acomplete(self, request: ChatRequest) -> Completion:
        return self.complete(request)

    def count_tokens(self, text: str) -> int:
        from .tokens import count_tokens

        return count_tokens(text)

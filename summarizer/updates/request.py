"""The one model call of an update: the old summary and only the new facts in, 1-3 sentences out.

The prompt is ``prompts/update.j2``; the answer's schema numbers the new facts as an enum, as the
fact-sheet draft does (:func:`summarizer.schema.draft_model`), so a constrained model cannot cite
a fact that does not exist. Text from articles enters the prompt only through
:func:`~summarizer.text.injection.neutralize_delimiters`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from .. import prompts
from ..backends.base import ChatRequest
from ..evidence import Fact
from ..pipeline import messages
from ..schema.meta import FigureChange
from ..schema.parts import Summary
from ..text.injection import neutralize_delimiters as data

PROMPT_NAMES = ("system.j2", "update.j2")
MAX_SENTENCES = 3
MAX_TOKENS = 400  # three sentences and their fact numbers


def update_draft(n_facts: int) -> type[BaseModel]:
    """The JSON the model fills: ``{"whats_new": [{"text", "facts": [n, ...]}, ...]}``."""
    fact_no: Any = Literal[tuple(range(1, n_facts + 1))]  # type: ignore[valid-type]
    sentence = create_model("DraftUpdateSentence", text=(str, Field(min_length=3, max_length=320)),
                            facts=(list[fact_no], Field(min_length=1, max_length=3)))
    return create_model("UpdateDraft",
                        whats_new=(list[sentence], Field(min_length=1, max_length=MAX_SENTENCES)))  # type: ignore[valid-type]


def update_request(summary: Summary, facts: Sequence[Fact], figures: Sequence[FigureChange],
                   outlets: dict[str, str], draft: type[BaseModel]) -> ChatRequest:
    """The update call's request."""
    numbered = [{"number": n, "outlets": [data(outlets.get(a) or a) for a in f.articles], "text": data(f.text)}
                for n, f in enumerate(facts, 1)]
    changed = [{"subject": data(d.subject),
                "claims": [{"value": data(c.value), "claimant": data(c.claimant)} for c in d.added]}
               for d in figures]
    user = prompts.render("update.j2", summary=data(str(summary)), facts=numbered, figures=changed,
                          max_sentences=min(MAX_SENTENCES, len(facts)))
    return ChatRequest(messages=messages(user, "facts"), schema=draft.model_json_schema(), schema_name="brief_update",
                       max_tokens=MAX_TOKENS, purpose="update")

"""The model requests of a brief: synthesis, per-article extraction (map step), and re-asks.

Article text enters prompts only through :func:`~summarizer.text.injection.neutralize_delimiters`,
so it cannot close or open an ``<article>`` block of the prompt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import prompts
from ..backends.base import ChatRequest
from ..schema.draft import ArticleNotes
from ..text.injection import neutralize_attribute as attribute
from ..text.injection import neutralize_delimiters as data

if TYPE_CHECKING:
    from .prepare import Prepared

PROMPT_NAMES = ("system.j2", "prose.j2", "fuse.j2", "synthesize.j2", "extract.j2", "reask.j2")
NOTES_MAX_TOKENS = 400
PROSE_FACTS = 8  # the sheet facts the prose call shows the model (coverage reads them all)
PROSE_HEADER = "Facts, the most important first:"  # the line before the prose call's facts


def messages(user: str, cites: str = "articles") -> tuple[dict[str, str], ...]:
    system = prompts.render("system.j2", cites=cites)
    return ({"role": "system", "content": system}, {"role": "user", "content": user})


def _speakers(prep: Prepared) -> list[dict[str, Any]]:
    return [
        {"name": name, "numbers": sorted({prep.numbers[q.article_id] for q in prep.evidence.quotes
                                          if q.speaker == name})}
        for name in prep.speakers
    ]


def _disagreements(prep: Prepared) -> list[dict[str, Any]]:
    return [
        {"subject": d.subject, "claims": [
            {"value": c.value, "claimant": c.claimant,
             "numbers": [prep.numbers[s] for s in c.sources if s in prep.numbers]}
            for c in d.claims]}
        for d in prep.evidence.disagreements
    ]


def _claims(prep: Prepared) -> list[dict[str, Any]]:
    """Each disagreement's subject and its claims (figure, claimant), as the fact-sheet prompts list them."""
    return [
        {"subject": d.subject, "claims": [{"value": c.value, "claimant": c.claimant} for c in d.claims]}
        for d in prep.evidence.disagreements
    ]


def fusion(prep: Prepared, max_tokens: int) -> ChatRequest:
    """The one call that writes the brief from the fact sheet: the model fuses facts chosen by code."""
    assert prep.sheet is not None
    # Outlets are counted, not named: their names are metadata no article text holds, and a model
    # shown them writes "according to <outlet>", a name the sources cannot back.
    facts = [
        {"number": n, "outlets": len(f.articles), "text": data(f.text)}
        for n, f in enumerate(prep.sheet.facts, 1)
    ]
    user = prompts.render("fuse.j2", facts=facts, actors=prep.speakers, disagreements=_claims(prep),
                          words=prep.sheet.words, sentences=prep.sheet.sentences,
                          n_perspectives=min(4, len(prep.speakers)))
    return ChatRequest(messages=messages(user, "facts"), schema=prep.draft.model_json_schema(),
                       schema_name="story_brief", max_tokens=max_tokens, purpose="synthesize")


def prose(prep: Prepared) -> ChatRequest:
    """The lean call: a headline and one paragraph fusing the sheet's top facts, as plain text.

    The instructions come before the facts, so every cluster's prompt opens with the same tokens and
    the local backend evaluates them once per process (llama.cpp reuses the longest cached prefix).
    No grammar, no JSON, no citations: code cites each sentence by alignment
    (:func:`~summarizer.pipeline.drafts.prose_draft`) and writes the rest of the brief."""
    assert prep.sheet is not None
    facts = [data(f.text) for f in prep.sheet.facts[:PROSE_FACTS]]
    low, high = prep.sheet.prose_sentences
    user = prompts.render("prose.j2", facts=facts, header=PROSE_HEADER, disagreements=_claims(prep),
                          sentences=f"{low} to {high}", words=prep.sheet.prose_words)
    return ChatRequest(messages=messages(user, "prose"), max_tokens=prose_tokens(prep.sheet.prose_words),
                       purpose="prose")


def prose_tokens(words: int) -> int:
    """The answer's token bound: the headline and the paragraph, with room for a word count overrun."""
    return 2 * words + 40


def synthesis(prep: Prepared, notes: list[tuple[Any, ArticleNotes]] | None, max_tokens: int) -> ChatRequest:
    """The one call that writes the brief: the fact sheet, whole articles (single plan) or notes (map-reduce)."""
    if prep.sheet is not None:
        return fusion(prep, max_tokens)
    by_id = {a.id: a for a in prep.articles}
    if notes is None:
        units = [
            {"number": prep.numbers[a.id], "outlet": attribute(a.outlet or "unknown"), "title": data(a.title),
             "text": data(a.text)}
            for a in prep.articles
        ]
    else:
        units = [
            {"number": prep.numbers[u.article_id], "outlet": attribute(by_id[u.article_id].outlet or "unknown"),
             "facts": [data(f) for f in n.facts]}
            for u, n in notes
        ]
    user = prompts.render("synthesize.j2", units=units, notes=notes is not None, speakers=_speakers(prep),
                          disagreements=_disagreements(prep))
    return ChatRequest(messages=messages(user), schema=prep.draft.model_json_schema(), schema_name="story_brief",
                       max_tokens=max_tokens, purpose="synthesize")


def extraction(prep: Prepared, unit: Any) -> ChatRequest:
    """The map step for one article (or one chunk of a long article): its facts and actors."""
    article = next(a for a in prep.articles if a.id == unit.article_id)
    user = prompts.render("extract.j2", number=prep.numbers[article.id], outlet=attribute(article.outlet or "unknown"),
                          title=data(article.title) if unit.part == 1 else "", text=data(unit.text),
                          part=unit.part, part_count=unit.part_count)
    return ChatRequest(
        messages=messages(user),
        schema=ArticleNotes.model_json_schema(),
        schema_name="article_notes",
        max_tokens=NOTES_MAX_TOKENS,
        purpose=f"extract {article.id}" + (f" part {unit.part}" if unit.part_count > 1 else ""),
    )


def reask(request: ChatRequest, previous: str, problems: list[str]) -> ChatRequest:
    """A new request: the original conversation, the bad answer, and what was wrong. Never mutates."""
    msgs = (
        *request.messages,
        {"role": "assistant", "content": previous},
        {"role": "user", "content": prompts.render("reask.j2", problems=problems)},
    )
    return ChatRequest(messages=msgs, schema=request.schema, schema_name=request.schema_name,
                       max_tokens=request.max_tokens, temperature=request.temperature, purpose="reask")

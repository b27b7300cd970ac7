"""Descriptions of the public schema's fields, so ``python -m summarizer schema`` reads as documentation.

They live in one table rather than beside each field so the data model in :mod:`summarizer.schema`
stays readable; :func:`describe` copies them onto the models (a field that already has its own
description keeps it) and rebuilds them, leaves first. ``tests/test_schema_docs.py`` requires every
property of the ``StoryBrief`` JSON Schema to have a description.
"""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "StoryBrief": {
        "schema_version": "Version of this schema; a change that breaks readers changes the major number.",
        "title": "A neutral headline for the story, written from the articles.",
        "summary": "The neutral summary: a few sentences, each citing the articles that support it.",
        "key_points": "The story's main facts, most important first, each with its citations.",
        "perspectives": "The actors of the story, their stance as the articles report it, and what they said.",
        "disagreements": "Facts the sources state differently (e.g. figures), with who claims which value.",
        "timeline": "Dated events in date order, each a source sentence; disputed dates kept per outlet.",
        "sources": "One entry per article of the cluster, in input order, with its metadata.",
        "entities": "Countries, organizations and persons named in the articles.",
        "whats_new": "What the articles of the latest update added (null for a brief never updated).",
        "versions": "The changelog: one entry per version of the brief, oldest first (empty before any update).",
        "grounding": "What the truth layer checked, repaired and dropped in this brief.",
        "run": "How the brief was made: model, backend, calls, tokens, time and cost.",
    },
    "CitedSentence": {"text": "The sentence, in the brief's own neutral voice."},
    "Disagreement": {
        "subject": "What the sources disagree about, e.g. 'number of soldiers'.",
        "claims": "The differing values, each with its claimant and the articles that report it.",
    },
    "Entities": {
        "countries": "Countries and territories named in the articles.",
        "organizations": "Organizations named in the articles.",
        "persons": "People named in the articles.",
    },
    "Entity": {
        "name": "The entity's name as the articles write it most often.",
        "mentions": "How many times the articles mention it.",
        "sources": "Ids of the articles that mention it.",
    },
    "GroundingIssue": {
        "kind": "The check that raised the issue (e.g. quote_not_found, unsupported_number).",
        "detail": "What was wrong, for a person.",
        "action": "What was done about it: kept, repaired, dropped or flagged.",
    },
    "GroundingReport": {
        "quotes_checked": "Quotes compared verbatim with their articles.",
        "quotes_repaired": "Quotes snapped to the source text, re-cited or trimmed to their verbatim part.",
        "quotes_dropped": "Quotes found in no article and removed.",
        "sentences_checked": "Summary and key-point sentences whose citations were checked.",
        "sentences_repaired": "Sentences whose citations were re-pointed to the articles that support them.",
        "sentences_dropped": "Sentences no article supports, removed.",
        "numbers_checked": "Figures and dates in the brief compared with the articles.",
        "numbers_unsupported": "Figures or dates found in no article.",
        "names_checked": "Names in the brief compared with the articles.",
        "names_unsupported": "Names found in no article.",
        "loaded_terms": "Loaded words found in the brief's own voice (not inside quotes).",
        "reasks": "Times the model was asked again to fix problems.",
        "issues": "One line per problem found, with what was done about it.",
    },
    "Perspective": {
        "actor": "The person or body whose position this is.",
        "statements": "What the actor said, each statement with its verbatim renderings by outlet.",
        "sources": "Ids of the articles that report this actor's position.",
    },
    "Quote": {
        "speaker": "Who said it, as the article names them.",
        "article_id": "Id of the article the quote is taken from.",
        "end": "Offset in the article text where the quote ends (exclusive): text == article.text[start:end].",
    },
    "RunMetadata": {
        "model": "The model that wrote the brief.",
        "backend": "openai (any OpenAI-compatible server) or local (the embedded llama.cpp model).",
        "llm_calls": "Model calls made for this brief, re-asks included; 0 when answered from the cache.",
        "prompt_tokens": "Prompt tokens over every call.",
        "completion_tokens": "Completion tokens over every call.",
        "cache_hits": "Model answers taken from the answer cache.",
        "reasks": "Validation re-asks made.",
        "transport_retries": "HTTP retries (rate limits, server errors, timeouts) over every call.",
        "duration_s": "Wall time for the brief, in seconds.",
        "estimated_cost_usd": "Estimated cost from the price table; null for local or unknown models.",
        "created_at": "When the brief was made (UTC).",
        "summarizer_version": "Version of the summarizer that made the brief.",
    },
    "Source": {
        "article_id": "The article's id, which citations elsewhere in the brief refer to.",
        "outlet": "The publication, e.g. 'The New York Times'.",
        "title": "The article's headline.",
        "url": "Where the article was published, when known.",
        "author": "The byline, when known.",
        "published_at": "Publication date and time, when known (ISO 8601).",
        "language": "ISO 639-1 code of the article's language, as detected or declared.",
        "duplicate_of": "Id of an earlier article this one nearly repeats (wire copy); null if none.",
        "source_path": "Where the article was loaded from; an update reloads it from there.",
        "digest": "Short SHA-256 of the article's text, so an update can tell a reloaded file is unchanged.",
    },
    "FigureChange": {"subject": "What the figures count, as in the brief's disagreements."},
    "WhatsNew": {
        "summary": "One to three sentences on what the new articles add, each resting on their sentences.",
        "facts": "Facts only the new articles report, each as its source sentence, cited.",
        "figures": "Disputed figures that the new articles changed or added to, every claim attributed.",
        "actors": "Actors the previous version did not have, with what the new articles report of them.",
        "quotes": "Statements only the new articles quote, verbatim.",
    },
    "BriefVersion": {
        "version": "The version number, from 1 (the first brief).",
        "created_at": "When this version was made (UTC).",
        "articles_added": "Ids of the articles this version added.",
        "changes": "What changed, one short line each.",
        "llm_calls": "Model calls this version cost.",
        "prompt_tokens": "Prompt tokens this version cost.",
        "completion_tokens": "Completion tokens this version cost.",
    },
    "Statement": {
        "speaker": "Who made the statement.",
        "renderings": "The statement as each outlet quotes it, verbatim, with offsets (translations differ).",
    },
}


# Leaves first: a container's rebuilt schema embeds its parts' schemas as they are at that moment.
_REBUILD_ORDER = ("Quote", "SentenceRef", "CitedSentence", "Claim", "Statement", "Perspective", "Disagreement",
                  "EventDate", "TimelineEvent",
                  "Entity", "Entities", "OutletCoverage", "StanceCoverage", "Coverage", "KeyPlayer", "FigureChange",
                  "WhatsNew", "BriefVersion", "GroundingIssue", "GroundingReport", "Source", "RunMetadata", "Summary",
                  "StoryBrief")


def describe(namespace: dict[str, Any]) -> None:
    """Give the models in ``namespace`` their field descriptions, then rebuild them, leaves first."""
    for model_name, fields in DESCRIPTIONS.items():
        model = namespace.get(model_name)
        for name, text in fields.items():
            info = model.model_fields.get(name) if model is not None else None
            if info is not None and not info.description:
                info.description = text
    for model_name in _REBUILD_ORDER:
        if namespace.get(model_name) is not None:
            namespace[model_name].model_rebuild(force=True)

"""An optional LLM judge: a G-Eval-style rubric for coherence and neutrality (1-5 each).

It runs only when an OpenAI-protocol model is configured (an API key or a base
URL), and only when asked (``--judge``); CI never needs it. The rubric lives in
``prompts/judge.j2``. Unlike G-Eval's probability-weighted score this asks once
at temperature 0, so the score is an integer; average over clusters for a
finer measure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from summarizer import errors
from summarizer.backends.base import ChatBackend, ChatRequest
from summarizer.backends.openai import OpenAIBackend
from summarizer.prompts import render
from summarizer.schema import Article, StoryBrief
from summarizer.settings import DEFAULT_OPENAI_MODEL

from .datasets import EvalCase

MAX_ARTICLE_CHARS = 6_000  # keeps a judge call well inside small context windows
DEFAULT_JUDGE_MODEL = DEFAULT_OPENAI_MODEL  # the judge defaults to the summarizer's own OpenAI default


class Judgement(BaseModel):
    coherence: int = Field(ge=1, le=5)
    neutrality: int = Field(ge=1, le=5)
    rationale: str = ""


def judge_request(articles: Sequence[Article], brief: StoryBrief) -> ChatRequest:
    """The judge's request for one brief (articles are cut to ``MAX_ARTICLE_CHARS`` each)."""
    shown = [
        a.model_copy(update={"text": a.text[:MAX_ARTICLE_CHARS]}) for a in articles if not a.duplicate_of
    ]
    prompt = render("judge.j2", articles=shown, brief=brief)
    return ChatRequest(
        messages=({"role": "user", "content": prompt},),
        schema=Judgement.model_json_schema(),
        schema_name="judgement",
        max_tokens=200,
        temperature=0.0,
        purpose="judge",
    )


def parse_judgement(text: str) -> Judgement:
    """Decode the judge's JSON answer; raises OutputValidationError naming what was wrong."""
    from summarizer.backends.base import strip_fences

    try:
        return Judgement.model_validate(json.loads(strip_fences(text)))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise errors.OutputValidationError(
            f"the judge's answer is not a valid judgement ({exc.__class__.__name__}); try a stronger --judge-model",
            attempts=[{"output": text, "errors": str(exc)}],
        ) from None


def judge_brief(
    backend: ChatBackend, articles: Sequence[Article], brief: StoryBrief
) -> dict[str, float | None]:
    """Scores for one brief: ``judge_coherence`` and ``judge_neutrality``."""
    completion = backend.complete(judge_request(articles, brief))
    j = parse_judgement(completion.text)
    return {"judge_coherence": float(j.coherence), "judge_neutrality": float(j.neutrality)}


def make_judge(backend: ChatBackend) -> Callable[[EvalCase, StoryBrief], Mapping[str, float | None]]:
    """A judge function for :func:`summarizer_evals.runner.score_records`.

    A malformed answer scores None, not zero.
    """

    def judge(case: EvalCase, brief: StoryBrief) -> Mapping[str, float | None]:
        try:
            return judge_brief(backend, case.articles, brief)
        except errors.OutputValidationError:
            return {"judge_coherence": None, "judge_neutrality": None}

    return judge


JudgeFn = Callable[[EvalCase, StoryBrief], Mapping[str, float | None]]


def cached_judge(judge: JudgeFn, cache_dir: Path, model: str) -> JudgeFn:
    """Remember each (judge model, brief) verdict in ``cache_dir``, so re-scoring costs no API calls."""

    def cached(case: EvalCase, brief: StoryBrief) -> Mapping[str, float | None]:
        material = json.dumps(
            [model, brief.model_dump(mode="json", exclude={"run"})], sort_keys=True, default=str
        )
        path = cache_dir / f"{hashlib.sha256(material.encode()).hexdigest()[:20]}.json"
        if path.exists():
            return dict(json.loads(path.read_text(encoding="utf-8")))
        verdict = dict(judge(case, brief))
        if all(v is not None for v in verdict.values()):  # a malformed answer is asked again next time
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(verdict), encoding="utf-8")
        return verdict

    return cached


def judge_backend(
    *, model: str | None = None, api_key: str | None = None, base_url: str | None = None
) -> OpenAIBackend:
    """The judge's backend. Raises ConfigError when neither an API key nor a base URL is configured."""
    from summarizer.config import resolve

    cfg = resolve({"backend": "openai", "model": model, "api_key": api_key, "base_url": base_url})
    return OpenAIBackend(
        model=cfg.model or DEFAULT_JUDGE_MODEL,
        api_key=cfg.api_key,
        base_url=cfg.base_url,
        timeout=cfg.timeout,
        max_retries=cfg.max_retries,
        response_format=cfg.response_format,  # type: ignore[arg-type]
    )

"""The pipeline's flow: the steps written once, as a generator, driven sync or async.

The generator yields the model requests it needs and receives their completions.
:meth:`Pipeline.run` drives it with blocking calls, :meth:`Pipeline.arun` with concurrent async
calls, so the two forms cannot drift apart (sans-IO). Budgets are separate: transport retries
live in the backend (:mod:`summarizer.backends`); validation re-asks (bad JSON, schema errors,
grounding problems) are counted here against ``Config.max_reasks``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Generator, Sequence
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from .. import errors, prompts, truth
from ..backends.base import ChatBackend, ChatRequest, Completion
from ..backends.factory import make_backend
from ..cache import Cache
from ..config import Config, resolve
from ..pricing import estimate_cost
from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.draft import ArticleNotes
from ..schema.meta import RunMetadata
from . import drafts, requests
from .assembly import assemble
from .calls import Caller, RunState
from .coverage import cover
from .prepare import Prepared
from .steps import finish, prepare_cluster

Progress = Callable[[str], None]
Flow = Generator[list[ChatRequest], list[Completion], StoryBrief]
CUT_OFF = "your answer was cut off at the length limit: write a shorter answer"


class Pipeline:
    """Summarize clusters with one backend and one configuration.

    With no ``config`` the settings are :func:`summarizer.config.resolve`'s, as for :func:`summarize`;
    with no ``backend`` the configuration picks one. It runs the steps of
    :mod:`summarizer.pipeline.steps`; ``caller`` (a :class:`~summarizer.pipeline.Caller`) is its request
    step, which another flow sharing this pipeline's backend and cache calls too.

    >>> from summarizer.backends.testing import FakeBackend
    >>> pipeline = Pipeline(backend=FakeBackend([...]))        # doctest: +SKIP
    >>> brief = pipeline.run(articles)                          # doctest: +SKIP
    """

    def __init__(
        self,
        backend: ChatBackend | None = None,
        config: Config | None = None,
        *,
        cache: Cache | None = None,
        progress: Progress | None = None,
    ) -> None:
        # No config: the same resolution as summarize() and the CLI (SUMMARIZER_* and OPENAI_* variables).
        self.config = config if config is not None else resolve()
        self.progress: Progress = progress or (lambda message: None)
        backend = backend if backend is not None else make_backend(self.config, self.progress)
        if cache is None and self.config.use_cache:
            cache = Cache(self.config.cache_dir / "responses")
        self.caller = Caller(backend, cache, self.progress, self.config.concurrency)

    @property
    def backend(self) -> ChatBackend:
        return self.caller.backend

    @backend.setter
    def backend(self, backend: ChatBackend) -> None:
        self.caller.backend = backend

    @property
    def cache(self) -> Cache | None:
        return self.caller.cache

    # ------------------------------------------------------------------ drivers

    def run(self, articles: Sequence[Article]) -> StoryBrief:
        """Summarize one cluster, blocking."""
        state = RunState()
        flow = self._flow(list(articles), state)
        # Only the flow's own end may stop the loop: a StopIteration raised by a backend is an error.
        batch, brief = _step(flow, None)
        while brief is None:
            batch, brief = _step(flow, [self.caller.call(r, state) for r in batch])
        return brief

    async def arun(self, articles: Sequence[Article]) -> StoryBrief:
        """Summarize one cluster; independent model calls (per-article extraction) run concurrently."""
        state = RunState()
        flow = self._flow(list(articles), state)
        # The steps between calls (evidence, planning, grounding) are CPU-bound: they run in a
        # worker thread so one long article cannot hold up the other clusters on this event loop.
        batch, brief = await asyncio.to_thread(_step, flow, None)
        while brief is None:
            done = await asyncio.gather(*(self.caller.acall(r, state) for r in batch))
            batch, brief = await asyncio.to_thread(_step, flow, list(done))
        return brief

    # ------------------------------------------------------------------ the steps, written once

    @property
    def writes(self) -> bool:
        """Whether the backend writes anything (the extractive backend does not: no call is made)."""
        return getattr(self.backend, "writes", True)

    def prepare(self, articles: Sequence[Article]) -> Prepared:
        """Choose articles, collect evidence, plan the calls, and (single plan) build the request."""
        config = self.config if self.writes else self.config.with_(synthesis="facts")
        prepared = prepare_cluster(articles, config, self.backend)
        if not self.writes:
            return prepared
        if prepared.sheet is not None and self.config.draft == "prose":
            prepared.request = requests.prose(prepared)
        elif prepared.plan.mode in ("single", "fact-sheet"):
            prepared.request = requests.synthesis(prepared, None, self.config.max_output_tokens)
        return prepared

    def _flow(self, articles: list[Article], state: RunState) -> Flow:
        self.progress(f"reading {len(articles)} article(s)")
        prep = self.prepare(articles)
        if not self.writes:
            return self._finish(prep, assemble(prep, drafts.extractive_draft(prep)), state)
        if prep.request is not None and _is_prose(prep):
            self.progress("writing the brief")
            answer = (yield [prep.request])[0]
            if drafts.usable_prose(answer.text):  # an answer with no headline or sentence is asked again next run
                self.caller.remember(prep.request, answer)
            return self._finish(prep, _prose(prep, answer), state)
        if prep.request is None:  # map-reduce: notes per article or chunk first
            units = prep.plan.units
            self.progress(f"cluster exceeds {prep.plan.budget} tokens: extracting from {len(units)} part(s)")
            asks = [requests.extraction(prep, u) for u in units]
            completions = yield asks
            notes = [_parse_notes(c, u.article_id) for c, u in zip(completions, units)]
            for ask, completion in zip(asks, completions):  # cached only now that they validated
                self.caller.remember(ask, completion)
            prep.request = requests.synthesis(prep, list(zip(units, notes)), self.config.max_output_tokens)
        request = prep.request
        attempts: list[dict[str, Any]] = []
        brief: StoryBrief | None = None  # the latest answer that parsed; a later bad answer doesn't erase it
        for attempt in range(self.config.max_reasks + 1):
            self.progress("writing the brief" if attempt == 0 else f"re-asking ({attempt}/{self.config.max_reasks})")
            completion = (yield [request])[0]
            parsed, problems = _interpret(prep, completion)
            if parsed is not None:  # a truncated or schema-breaking answer is never cached
                self.caller.remember(request, completion)
            attempts.append({"output": completion.text, "errors": problems})
            brief = parsed or brief
            if (parsed is not None and not problems) or attempt == self.config.max_reasks:
                break
            state.reasks += 1
            request = requests.reask(request, completion.text, problems)
        if brief is None:
            if completion.finish_reason == "length":
                raise errors.LengthError(
                    f"the model hit max_tokens ({request.max_tokens}) before finishing its answer on every "
                    "attempt; raise max_output_tokens or use a larger model")
            raise errors.OutputValidationError(
                f"the model's output failed validation on all {len(attempts)} attempt(s); try again, or use a "
                "larger model",  # for people (failures.jsonl, the digest index); code reads exc.attempts
                attempts)
        return self._finish(prep, brief, state)

    def finalize(self, prepared: Prepared, completion: Completion) -> StoryBrief:
        """Turn one synthesis completion into a brief without re-asking (used by the Batch API path)."""
        brief, problems = (_prose(prepared, completion), []) if _is_prose(prepared) else \
            _interpret(prepared, completion)
        if brief is None:
            raise errors.OutputValidationError("the model's output failed validation",
                                               [{"output": completion.text, "errors": problems}])
        state = RunState(llm_calls=1, prompt_tokens=completion.usage.prompt_tokens,
                         completion_tokens=completion.usage.completion_tokens, model=completion.model)
        return self._finish(prepared, brief, state)

    def _finish(self, prep: Prepared, brief: StoryBrief, state: RunState) -> StoryBrief:
        return finish(prep, cover(brief, prep), lambda repaired: {
            "grounding": repaired.grounding.model_copy(update={"reasks": state.reasks}),
            "run": self._metadata(prep, state),
        })

    def _metadata(self, prep: Prepared, state: RunState) -> RunMetadata:
        from .. import __version__

        backend_name = getattr(self.backend, "name", "")
        return RunMetadata(
            model=state.model or self.backend.model,
            backend=backend_name or type(self.backend).__name__,
            llm_calls=state.llm_calls,
            prompt_tokens=state.prompt_tokens,
            completion_tokens=state.completion_tokens,
            cache_hits=state.cache_hits,
            reasks=state.reasks,
            transport_retries=state.retries,
            duration_s=round(time.perf_counter() - state.started, 3),
            plan=prep.plan.mode,
            prompts={name: prompts.version(name) for name in requests.PROMPT_NAMES},
            estimated_cost_usd=estimate_cost(self.backend.model, state.prompt_tokens, state.completion_tokens,
                                             self.config.prices) if backend_name == "openai" else None,
            created_at=datetime.now(timezone.utc),
            summarizer_version=__version__,
        )


def _step(flow: Flow, completions: list[Completion] | None) -> tuple[list[ChatRequest], StoryBrief | None]:
    """Advance ``flow`` once: ``(requests, None)``, or ``([], brief)`` when it is done.

    StopIteration cannot cross a thread's future, so the end of the flow becomes a value here.
    """
    try:
        return (next(flow) if completions is None else flow.send(completions)), None
    except StopIteration as finished:
        return [], finished.value


# --------------------------------------------------------------------------- interpreting an answer


def _raise_for_refusal(completion: Completion) -> None:
    if completion.refusal:
        raise errors.RefusalError(f"the model refused: {completion.refusal}")


def _parse_notes(completion: Completion, article_id: str) -> ArticleNotes:
    _raise_for_refusal(completion)
    try:
        return ArticleNotes.model_validate(completion.json())
    except (ValueError, ValidationError) as exc:
        # A part whose notes cannot be read still counts: its text must not vanish silently.
        raise errors.OutputValidationError(
            f"notes for article {article_id} were not valid JSON for the notes schema: {exc}",
            [{"output": completion.text, "errors": [str(exc)]}]) from exc


def _describe_validation_error(err: Any) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    return f"{loc or 'answer'}: {err.get('msg', 'invalid')}"


def _is_prose(prep: Prepared) -> bool:
    return prep.request is not None and prep.request.purpose == "prose"


def _prose(prep: Prepared, completion: Completion) -> StoryBrief:
    """The brief of a prose answer. Nothing is re-asked: a sentence the sources do not bear out is
    repaired or dropped by the truth layer, and coverage states the top facts the paragraph leaves out."""
    _raise_for_refusal(completion)
    return assemble(prep, drafts.prose_draft(prep, completion.text, cut_off=completion.finish_reason == "length"))


def _interpret(prep: Prepared, completion: Completion) -> tuple[StoryBrief | None, list[str]]:
    """Parse, validate and ground-check one answer. Returns the brief and what to re-ask about."""
    _raise_for_refusal(completion)
    try:
        draft = prep.draft.model_validate(completion.json())
    except ValidationError as exc:
        problems = [_describe_validation_error(e) for e in exc.errors()[:8]]
        if completion.finish_reason == "length":
            problems.insert(0, CUT_OFF)
        return None, problems
    except ValueError as exc:
        return None, [CUT_OFF if completion.finish_reason == "length" else f"your answer was not valid JSON ({exc})"]
    brief = assemble(prep, draft)
    return brief, truth.describe_for_reask(truth.check(brief, prep.all_articles, prep.evidence))


def summarize(
    articles: Sequence[Article],
    *,
    backend: ChatBackend | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> StoryBrief:
    """Summarize one cluster of articles into a :class:`StoryBrief`.

    With no backend, the configuration decides: the embedded local model unless
    ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL`` is set (see :func:`summarizer.config.resolve`).
    """
    return Pipeline(backend, config, progress=progress).run(articles)


async def asummarize(
    articles: Sequence[Article],
    *,
    backend: ChatBackend | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> StoryBrief:
    """Async form of :func:`summarize`."""
    return await Pipeline(backend, config, progress=progress).arun(articles)

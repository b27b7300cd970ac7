"""The pipeline: articles in, a validated, grounded StoryBrief out.

The steps are written once, as a generator that yields the model requests it
needs and receives their completions. :meth:`Pipeline.run` drives it with
blocking calls, :meth:`Pipeline.arun` with concurrent async calls, so the two
forms cannot drift apart.

Budgets are separate: transport retries live in the backend
(:mod:`summarizer.backends`); validation re-asks (bad JSON, schema errors, grounding
problems) are counted here against ``Config.max_reasks``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import weakref
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ValidationError

from . import errors, prompts, truth
from . import evidence as evidence_mod
from .text.names import name_tokens, names_match
from .backends.base import ChatBackend, ChatRequest, Completion
from .backends.factory import make_backend
from .cache import Cache
from .chunking import Plan
from .chunking import plan as make_plan
from .config import Config
from .pricing import estimate_cost
from .schema import (
    Article,
    ArticleNotes,
    CitedSentence,
    Disagreement,
    Perspective,
    RunMetadata,
    Source,
    StoryBrief,
    Summary,
    draft_model,
)

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

# Tokens reserved in each call for the system prompt, instructions and the speaker list.
PROMPT_OVERHEAD_TOKENS = 600
MAX_STATEMENTS_PER_ACTOR = 3
MAX_SPEAKERS = 8


# --------------------------------------------------------------------------- state


@dataclass
class Prepared:
    """Everything decided before the synthesis call: which articles, evidence, plan, request."""

    all_articles: list[Article]
    articles: list[Article]  # without near-duplicates
    evidence: evidence_mod.Evidence
    plan: Plan
    numbers: dict[str, int]  # article id -> number used in prompts
    speakers: list[str]  # quoted speakers found by the evidence step, most quoted first
    draft: type[BaseModel]
    request: ChatRequest | None = None  # the synthesis request (None until notes exist, in map-reduce)


@dataclass
class _RunState:
    started: float = field(default_factory=time.perf_counter)
    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    model: str = ""


Flow = Generator[list[ChatRequest], list[Completion], StoryBrief]


class Pipeline:
    """Summarize clusters with one backend and one configuration.

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
        self.config = config or Config()
        self.progress: Progress = progress or (lambda message: None)
        self.backend = backend if backend is not None else make_backend(self.config, self.progress)
        if cache is None and self.config.use_cache:
            cache = Cache(self.config.cache_dir / "responses")
        self.cache = cache
        # One semaphore per event loop: a Pipeline may serve several asyncio.run() calls in turn.
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary())

    # ------------------------------------------------------------------ drivers

    def run(self, articles: Sequence[Article]) -> StoryBrief:
        """Summarize one cluster, blocking."""
        state = _RunState()
        flow = self._flow(list(articles), state)
        try:
            requests = next(flow)
            while True:
                requests = flow.send([self._call(r, state) for r in requests])
        except StopIteration as done:
            return done.value

    async def arun(self, articles: Sequence[Article]) -> StoryBrief:
        """Summarize one cluster; independent model calls (per-article extraction) run concurrently."""
        state = _RunState()
        flow = self._flow(list(articles), state)
        try:
            requests = next(flow)
            while True:
                done = await asyncio.gather(*(self._acall(r, state) for r in requests))
                requests = flow.send(list(done))
        except StopIteration as finished:
            return finished.value

    # ------------------------------------------------------------------ calls, with cache and accounting

    def _cache_key(self, request: ChatRequest) -> str:
        return Cache.key(getattr(self.backend, "name", "?"), self.backend.model, request.key_material())

    def _cached(self, request: ChatRequest, state: _RunState) -> Completion | None:
        if self.cache is None:
            return None
        hit = self.cache.get(self._cache_key(request))
        if hit is None:
            return None
        state.cache_hits += 1
        state.model = state.model or hit.get("model", "")
        self.progress(f"{request.purpose}: cached answer")
        return Completion(text=hit["text"], finish_reason=hit.get("finish_reason", "stop"),
                          model=hit.get("model", ""), cached=True)

    def _record(self, request: ChatRequest, completion: Completion, state: _RunState) -> Completion:
        state.llm_calls += 1
        state.prompt_tokens += completion.usage.prompt_tokens
        state.completion_tokens += completion.usage.completion_tokens
        state.retries += completion.retries
        state.model = completion.model or state.model
        # Only finished answers are worth replaying; a cut-off or refused one is asked again next time.
        if self.cache is not None and completion.finish_reason == "stop" and not completion.refusal:
            self.cache.put(self._cache_key(request), {
                "text": completion.text, "finish_reason": completion.finish_reason, "model": completion.model,
            })
        return completion

    def _call(self, request: ChatRequest, state: _RunState) -> Completion:
        cached = self._cached(request, state)
        if cached is not None:
            return cached
        self.progress(f"{request.purpose}: asking {self.backend.model}")
        return self._record(request, self.backend.complete(request), state)

    async def _acall(self, request: ChatRequest, state: _RunState) -> Completion:
        cached = self._cached(request, state)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(max(1, self.config.concurrency))
        async with semaphore:
            self.progress(f"{request.purpose}: asking {self.backend.model}")
            completion = await self.backend.acomplete(request)
        return self._record(request, completion, state)

    # ------------------------------------------------------------------ the steps, written once

    def prepare(self, articles: Sequence[Article]) -> Prepared:
        """Choose articles, collect evidence, plan the calls, and (single plan) build the request."""
        all_articles = list(articles)
        usable = [a for a in all_articles if not a.duplicate_of]
        if not usable:
            raise errors.InputError("no articles to summarize; pass at least one article with text")
        for a in all_articles:
            if a.duplicate_of:
                log.warning("article %s is a near-duplicate of %s; it is listed as a source only",
                            a.id, a.duplicate_of)
        ev = evidence_mod.collect(usable)
        budget = self.config.context_budget or max(
            256, self.backend.context_window - self.config.max_output_tokens - PROMPT_OVERHEAD_TOKENS
        )
        the_plan = make_plan(usable, budget, self.backend.count_tokens)
        numbers = {a.id: i for i, a in enumerate(usable, 1)}
        speakers = _speakers(ev)
        prepared = Prepared(all_articles, usable, ev, the_plan, numbers, speakers,
                            draft_model(len(usable), speakers))
        if the_plan.mode == "single":
            prepared.request = self._synthesis_request(prepared, notes=None)
        return prepared

    def _flow(self, articles: list[Article], state: _RunState) -> Flow:
        self.progress(f"reading {len(articles)} article(s)")
        prep = self.prepare(articles)
        if prep.request is None:  # map-reduce: notes per article or chunk first
            units = prep.plan.units
            self.progress(f"cluster exceeds {prep.plan.budget} tokens: extracting from {len(units)} part(s)")
            completions = yield [self._extract_request(prep, u) for u in units]
            notes = [self._parse_notes(c, u.article_id) for c, u in zip(completions, units)]
            prep.request = self._synthesis_request(prep, notes=list(zip(units, notes)))
        request = prep.request
        attempts: list[dict[str, Any]] = []
        brief: StoryBrief | None = None  # the latest answer that parsed; a later bad answer doesn't erase it
        for attempt in range(self.config.max_reasks + 1):
            self.progress("writing the brief" if attempt == 0 else f"re-asking ({attempt}/{self.config.max_reasks})")
            completion = (yield [request])[0]
            parsed, problems = self._interpret(prep, completion)
            attempts.append({"output": completion.text, "errors": problems})
            brief = parsed or brief
            if parsed is not None and not problems:
                break
            if attempt == self.config.max_reasks:
                break
            state.reasks += 1
            request = _reask(request, completion.text, problems)
        if brief is None:
            if completion.finish_reason == "length":
                raise errors.LengthError(
                    f"the model hit max_tokens ({request.max_tokens}) before finishing its answer on every "
                    "attempt; raise max_output_tokens or use a larger model")
            raise errors.OutputValidationError(
                f"the model's output failed validation on all {len(attempts)} attempt(s); see .attempts",
                attempts)
        return self._finish(prep, brief, state)

    def finalize(self, prepared: Prepared, completion: Completion) -> StoryBrief:
        """Turn one synthesis completion into a brief without re-asking (used by the Batch API path)."""
        brief, problems = self._interpret(prepared, completion)
        if brief is None:
            raise errors.OutputValidationError("the model's output failed validation",
                                               [{"output": completion.text, "errors": problems}])
        state = _RunState(llm_calls=1, prompt_tokens=completion.usage.prompt_tokens,
                          completion_tokens=completion.usage.completion_tokens, model=completion.model)
        return self._finish(prepared, brief, state)

    # ------------------------------------------------------------------ requests

    def _messages(self, user: str) -> tuple[dict[str, str], ...]:
        return ({"role": "system", "content": prompts.render("system.j2")}, {"role": "user", "content": user})

    def _synthesis_request(self, prep: Prepared, notes: list[tuple[Any, ArticleNotes]] | None) -> ChatRequest:
        by_id = {a.id: a for a in prep.articles}
        speakers = [
            {"name": name, "numbers": sorted({prep.numbers[q.article_id] for q in prep.evidence.quotes
                                              if q.speaker == name})}
            for name in prep.speakers
        ]
        disagreements = [
            {"subject": d.subject, "claims": [
                {"value": c.value, "claimant": c.claimant, "numbers": [prep.numbers[s] for s in c.sources
                                                                          if s in prep.numbers]}
                for c in d.claims]}
            for d in prep.evidence.disagreements
        ]
        if notes is None:
            units = [
                {"number": prep.numbers[a.id], "outlet": _data(a.outlet or "unknown"), "title": _data(a.title),
                 "text": _data(a.text)}
                for a in prep.articles
            ]
        else:
            units = [
                {"number": prep.numbers[u.article_id], "outlet": _data(by_id[u.article_id].outlet or "unknown"),
                 "facts": [_data(f) for f in n.facts]}
                for u, n in notes
            ]
        user = prompts.render("synthesize.j2", units=units, notes=notes is not None, speakers=speakers,
                              disagreements=disagreements)
        return ChatRequest(
            messages=self._messages(user),
            schema=prep.draft.model_json_schema(),
            schema_name="story_brief",
            max_tokens=self.config.max_output_tokens,
            purpose="synthesize",
        )

    def _extract_request(self, prep: Prepared, unit: Any) -> ChatRequest:
        article = next(a for a in prep.articles if a.id == unit.article_id)
        user = prompts.render("extract.j2", number=prep.numbers[article.id],
                              outlet=_data(article.outlet or "unknown"),
                              title=_data(article.title) if unit.part == 1 else "", text=_data(unit.text),
                              part=unit.part, part_count=unit.part_count)
        return ChatRequest(
            messages=self._messages(user),
            schema=ArticleNotes.model_json_schema(),
            schema_name="article_notes",
            max_tokens=400,
            purpose=f"extract {article.id}" + (f" part {unit.part}" if unit.part_count > 1 else ""),
        )

    def _parse_notes(self, completion: Completion, article_id: str) -> ArticleNotes:
        _raise_for_refusal(completion)
        try:
            return ArticleNotes.model_validate(completion.json())
        except (ValueError, ValidationError) as exc:
            # A part whose notes cannot be read still counts: its text must not vanish silently.
            raise errors.OutputValidationError(
                f"notes for article {article_id} were not valid JSON for the notes schema: {exc}",
                [{"output": completion.text, "errors": [str(exc)]}]) from exc

    # ------------------------------------------------------------------ interpreting an answer

    def _interpret(self, prep: Prepared, completion: Completion) -> tuple[StoryBrief | None, list[str]]:
        """Parse, validate and ground-check one answer. Returns the brief and what to re-ask about."""
        _raise_for_refusal(completion)
        try:
            data = completion.json()
            draft = prep.draft.model_validate(data)
        except ValidationError as exc:
            problems = [_describe_validation_error(e) for e in exc.errors()[:8]]
            if completion.finish_reason == "length":
                problems.insert(0, "your answer was cut off at the length limit: write a shorter answer")
            return None, problems
        except ValueError as exc:
            problem = ("your answer was cut off at the length limit: write a shorter answer"
                       if completion.finish_reason == "length" else f"your answer was not valid JSON ({exc})")
            return None, [problem]
        brief = self._assemble(prep, draft)
        issues = truth.check(brief, prep.all_articles, prep.evidence)
        return brief, truth.describe_for_reask(issues)

    def _assemble(self, prep: Prepared, draft: Any) -> StoryBrief:
        ids = {n: a for a, n in prep.numbers.items()}

        def cited(sentences: Sequence[Any]) -> list[CitedSentence]:
            out: list[CitedSentence] = []
            for s in sentences:
                text = _clean_model_text(s.text)
                # Fragments like "President Putin in article 1" say nothing; a sentence needs a few words.
                if len(text.split()) >= MIN_SENTENCE_WORDS and all(text != o.text for o in out):
                    out.append(CitedSentence(text=text, sources=list(dict.fromkeys(ids[n] for n in s.sources))))
            return out

        perspectives: list[Perspective] = []
        for p in draft.perspectives:
            actor = " ".join(p.actor.split())
            # Quotes come from the evidence, never from the model: every quote this actor is found saying.
            said = [q.id for q in prep.evidence.quotes if q.speaker and _same_actor(actor, q.speaker)]
            statements = prep.evidence.statements(said, speaker=actor) if said else []
            # Statements quoted by more outlets first; a few per actor.
            statements = sorted(statements, key=lambda st: -len(st.renderings))[:MAX_STATEMENTS_PER_ACTOR]
            sources = sorted({r.article_id for s in statements for r in s.renderings}
                             | {a.id for a in prep.articles if _mentions(a, actor)},
                             key=lambda i: prep.numbers.get(i, 0))
            if any(_same_actor(actor, q.actor) for q in perspectives):
                continue
            perspectives.append(Perspective(actor=actor, role=_clean_model_text(p.role),
                                            stance=_clean_model_text(p.stance), statements=statements,
                                            sources=sources))
        summary = cited(draft.summary)
        for d in prep.evidence.disagreements:
            if not _mentions_claims(summary, d):
                summary.append(_disagreement_sentence(d))
        return StoryBrief(
            title=" ".join(draft.title.split()),
            summary=Summary(summary),
            key_points=cited(draft.key_points),
            perspectives=perspectives,
            disagreements=list(prep.evidence.disagreements),
            sources=[Source.from_article(a) for a in prep.all_articles],
            entities=prep.evidence.entities,
            topics=list(dict.fromkeys(t.strip() for t in draft.topics if t.strip())),
        )

    def _finish(self, prep: Prepared, brief: StoryBrief, state: _RunState) -> StoryBrief:
        brief = truth.repair(brief, prep.all_articles, prep.evidence)
        report = brief.grounding.model_copy(update={"reasks": state.reasks})
        from . import __version__

        model = state.model or self.backend.model
        run = RunMetadata(
            model=model,
            backend=getattr(self.backend, "name", type(self.backend).__name__),
            llm_calls=state.llm_calls,
            prompt_tokens=state.prompt_tokens,
            completion_tokens=state.completion_tokens,
            cache_hits=state.cache_hits,
            reasks=state.reasks,
            transport_retries=state.retries,
            duration_s=round(time.perf_counter() - state.started, 3),
            plan=prep.plan.mode,
            prompts={name: prompts.version(name) for name in ("system.j2", "synthesize.j2", "extract.j2",
                                                                "reask.j2")},
            estimated_cost_usd=estimate_cost(self.backend.model, state.prompt_tokens, state.completion_tokens,
                                             self.config.prices)
            if getattr(self.backend, "name", "") == "openai" else None,
            created_at=datetime.now(timezone.utc),
            summarizer_version=__version__,
        )
        final = brief.model_copy(update={"grounding": report, "run": run})
        # The truth layer's guarantees are checked once more, strictly, on what we return.
        try:
            return StoryBrief.model_validate(final.model_dump(), context={"articles": prep.all_articles})
        except ValidationError as exc:
            raise errors.OutputValidationError(f"the repaired brief still failed grounding: {exc}") from exc


# --------------------------------------------------------------------------- helpers


def _raise_for_refusal(completion: Completion) -> None:
    if completion.refusal:
        raise errors.RefusalError(f"the model refused: {completion.refusal}")


def _reask(request: ChatRequest, previous: str, problems: list[str]) -> ChatRequest:
    """A new request: the original conversation, the bad answer, and what was wrong. Never mutates."""
    messages = (
        *request.messages,
        {"role": "assistant", "content": previous},
        {"role": "user", "content": prompts.render("reask.j2", problems=problems)},
    )
    return ChatRequest(messages=messages, schema=request.schema, schema_name=request.schema_name,
                       max_tokens=request.max_tokens, temperature=request.temperature, purpose="reask")


def _describe_validation_error(err: Any) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    return f"{loc or 'answer'}: {err.get('msg', 'invalid')}"


MIN_SENTENCE_WORDS = 4
# Prompt scaffolding a small model sometimes copies into its answer.
_SCAFFOLDING = re.compile(r"\s*[\[(]\s*(?:articles?|sources?|Q)\s*\d+(?:\s*(?:,|and)\s*\d+)*\s*[\])]"
                          r"|\s+\b(?:in|from|according to) articles? \d+(?:\s*(?:,|and)\s*\d+)*\b", re.IGNORECASE)


_DELIMITER = re.compile(r"<(/?)(article)\b", re.IGNORECASE)


def _data(text: str) -> str:
    """Article-derived text for a prompt: it must not be able to close or open an <article> block."""
    return _DELIMITER.sub(r"‹\1\2", text)


_SPACED_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")  # "U. S." -> "U.S." (a small-model tokenizer quirk)


def _clean_model_text(text: str) -> str:
    return " ".join(_SPACED_INITIALS.sub(r"\1.", _SCAFFOLDING.sub("", text)).split())


def _figures(text: str) -> set[str]:
    return {m.replace(",", "") for m in re.findall(r"\d[\d,.]*\d|\d", text)}


def _mentions_claims(summary: Sequence[CitedSentence], d: Disagreement) -> bool:
    """True when the summary already states at least two of the disputed figures."""
    said = set().union(*(_figures(s.text) for s in summary)) if summary else set()
    return sum(1 for c in d.claims if _figures(c.value) & said) >= 2


def _disagreement_sentence(d: Disagreement) -> CitedSentence:
    """One attributed sentence listing each side's figure, so the summary never picks one silently."""
    parts = [f"{c.value} according to {' and '.join(x.strip() for x in c.claimant.split(';'))}" for c in d.claims]
    sources = list(dict.fromkeys(s for c in d.claims for s in c.sources))
    return CitedSentence(text=f"Sources differ on the {d.subject}: {'; '.join(parts)}.", sources=sources)


def _speakers(ev: evidence_mod.Evidence) -> list[str]:
    """Distinct quoted speakers, most quoted first (ties: first seen)."""
    counts: dict[str, int] = {}
    for q in ev.quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])[:MAX_SPEAKERS]


def _same_actor(a: str | None, b: str | None) -> bool:
    return bool(a and b) and names_match(a, b)  # type: ignore[arg-type]


def _mentions(article: Article, actor: str) -> bool:
    """The article names the actor (by their last significant name token, e.g. a surname)."""
    tokens = name_tokens(actor)
    return bool(tokens) and re.search(rf"\b{re.escape(tokens[-1])}\b", article.text, re.IGNORECASE) is not None


# --------------------------------------------------------------------------- convenience entry points


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
    from .config import resolve

    return Pipeline(backend, config or resolve(), progress=progress).run(articles)


async def asummarize(
    articles: Sequence[Article],
    *,
    backend: ChatBackend | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> StoryBrief:
    """Async form of :func:`summarize`."""
    from .config import resolve

    return await Pipeline(backend, config or resolve(), progress=progress).arun(articles)

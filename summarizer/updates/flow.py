"""Updating a brief as new articles arrive: at most one small model call, and the same guarantees.

Everything checkable is recomputed over old and new articles together (evidence, quotes, figures,
disagreements, entities, perspectives' statements), deterministically. The old summary and key
points are kept: their articles are still sources, and the truth layer checks them again against
the whole new set. What the new articles add (:mod:`summarizer.updates.changes`) is found by code;
the one model call (``prompts/update.j2``) sees the old summary and only the new facts and writes
1-3 "what's new" sentences, each verified against the new facts' source sentences like summary
sentences. If none survive, the new facts' own source sentences stand in; with no new facts there
is no call at all. The changelog (``StoryBrief.versions``) gains an entry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import prompts, truth
from ..backends.base import ChatBackend, ChatRequest, Completion
from ..config import Config
from ..ingest.dedupe import find_duplicates
from ..ingest.records import check_article_size
from ..pipeline import (
    Pipeline,
    Prepared,
    RunState,
    disagreement_lines,
    fact_sentence,
    finish,
    model_sentence,
    perspectives,
    prepare_cluster,
)
from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.meta import BriefVersion, GroundingIssue, GroundingReport, RunMetadata
from ..schema.parts import CitedSentence, Perspective, Source, Summary, text_digest
from ..truth.policy import unusable
from .changes import Changes, change_lines, find_changes
from .request import PROMPT_NAMES, update_draft, update_request
from .sources import old_articles

FALLBACK_SENTENCES = 2


@dataclass
class Job:
    """An update decided before any call: the articles, their evidence, the carried-over brief, the request."""

    old: StoryBrief
    prep: Prepared
    new_ids: list[str]
    skipped: list[str]  # given articles that are already sources of the brief (same text)
    base: StoryBrief  # the old brief carried over to the whole cluster, without a "what's new"
    changes: Changes
    draft: type[BaseModel] | None = None
    request: ChatRequest | None = None
    issues: list[GroundingIssue] = field(default_factory=list)


def merge(old: Sequence[Article], new: Sequence[Article]) -> tuple[list[Article], list[str]]:
    """The new articles to add (ids unique against the old ones, near-duplicates marked) and the ids of
    those skipped because an old article has the same text."""
    digests = {text_digest(a.text) for a in old}
    taken = {a.id for a in old}
    added: list[Article] = []
    skipped: list[str] = []
    for a in new:
        digest = text_digest(a.text)
        if digest in digests:
            skipped.append(a.id)
            continue
        digests.add(digest)
        uid, n = a.id, 1
        while uid in taken:  # two loads each number their files from scratch: "article" and "article"
            n += 1
            uid = f"{a.id}-{n}"
        taken.add(uid)
        added.append(a.model_copy(update={"id": uid}))
    marks = find_duplicates([*old, *added])
    return [a.model_copy(update={"duplicate_of": marks.get(a.id)}) for a in added], skipped


def carry_over(old: StoryBrief, prep: Prepared, new_actors: Sequence[Perspective]) -> StoryBrief:
    """The old brief over the whole cluster: its summary and key points kept (the attributed disagreement
    lines written afresh), the previous update's news folded into the key points, and everything
    checkable taken from the new evidence."""
    ev = prep.evidence
    summary = [s for s in old.summary if s.origin != "disagreement"]
    summary += disagreement_lines(summary, ev.disagreements)
    previous_news = list(old.whats_new.summary) if old.whats_new else []
    key_points = list(old.key_points) + [s for s in previous_news
                                         if all(s.text != k.text for k in [*summary, *old.key_points])]
    chosen = list(old.perspectives) + [Perspective(actor=p.actor) for p in new_actors]
    return StoryBrief(
        title=old.title, summary=Summary(summary), key_points=key_points,
        perspectives=perspectives(prep, chosen), disagreements=list(ev.disagreements),
        sources=[Source.from_article(a) for a in prep.all_articles], entities=ev.entities, topics=list(old.topics),
    )


class Updater:
    """Update briefs with one backend and one configuration (answers cached like the pipeline's)."""

    def __init__(self, backend: ChatBackend | None = None, config: Config | None = None, *,
                 pipeline: Pipeline | None = None) -> None:
        self.pipeline = pipeline or Pipeline(backend, config)

    @property
    def config(self) -> Config:
        return self.pipeline.config

    # ------------------------------------------------------------------ drivers

    def run(self, brief: StoryBrief, new_articles: Sequence[Article], old: Sequence[Article] | None = None,
            *, base: Path | None = None) -> StoryBrief:
        """Update ``brief`` with ``new_articles``, blocking."""
        state = RunState()
        job = self.prepare(brief, new_articles, old, base=base)
        completion = self.pipeline.caller.call(job.request, state) if job.request is not None else None
        return self.finish(job, completion, state)

    async def arun(self, brief: StoryBrief, new_articles: Sequence[Article], old: Sequence[Article] | None = None,
                   *, base: Path | None = None) -> StoryBrief:
        """Async form of :meth:`run` (the CPU-bound steps run in a worker thread)."""
        state = RunState()
        job = await asyncio.to_thread(self.prepare, brief, new_articles, old, base=base)
        completion = await self.pipeline.caller.acall(job.request, state) if job.request is not None else None
        return await asyncio.to_thread(self.finish, job, completion, state)

    # ------------------------------------------------------------------ the steps

    def prepare(self, brief: StoryBrief, new_articles: Sequence[Article], old: Sequence[Article] | None = None,
                *, base: Path | None = None) -> Job:
        """Find the old articles again, add the new ones, collect the evidence and decide the call."""
        progress = self.pipeline.progress
        for a in new_articles:  # before the old articles are looked for
            check_article_size(a.text, f"article {a.id}")
        previous = old_articles(brief, old or (), base=base)
        added, skipped = merge(previous, new_articles)
        progress(f"updating a brief of {len(previous)} article(s) with {len(added)} new one(s)")
        prep = prepare_cluster([*previous, *added], self.config, self.pipeline.backend)
        new_ids = [a.id for a in added]
        changes = find_changes(brief, prep.evidence, prep.all_actors(), new_ids)
        job = Job(brief, prep, new_ids, skipped, carry_over(brief, prep, changes.whats_new.actors), changes)
        if changes.facts:  # nothing new to say in prose: no call at all
            job.draft = update_draft(len(changes.facts))
            job.request = update_request(brief.summary, changes.facts, changes.whats_new.figures,
                                         _outlets(prep.all_articles), job.draft)
        return job

    def finish(self, job: Job, completion: Completion | None, state: RunState) -> StoryBrief:
        """The updated brief: what's new written (or extractive), the truth layer run, the changelog extended."""
        sentences = self._sentences(job, completion) if completion is not None else []
        if job.changes.facts and not sentences:
            sentences = [s for f in job.changes.facts[:FALLBACK_SENTENCES] if (s := fact_sentence(f)) is not None]
            if completion is not None:
                job.issues.append(truth.Issue(
                    "update_fallback", "whats_new.summary", "no sentence of the model's answer was supported by "
                    "the new facts; used the new facts' own source sentences").record("repaired"))
        whats_new = job.changes.whats_new.model_copy(update={"summary": sentences})
        draft = job.base.model_copy(update={"whats_new": whats_new, "grounding": GroundingReport(issues=job.issues)})
        return finish(job.prep, draft, lambda repaired: self._stamp(job, repaired, state))

    def _stamp(self, job: Job, brief: StoryBrief, state: RunState) -> dict[str, Any]:
        """The run's metadata, and the changelog with an entry for what the repaired brief's "what's new" says."""
        run = self._metadata(state)
        assert brief.whats_new is not None
        lines = change_lines(brief.whats_new, _outlets(job.prep.all_articles))
        if job.skipped:
            lines.append(f"already sources, not added again: {', '.join(job.skipped)}")
        return {"versions": next_versions(job.old, job.new_ids, lines, run), "run": run}

    def _sentences(self, job: Job, completion: Completion) -> list[CitedSentence]:
        """The model's sentences that the truth layer accepts as they are; [] when none (or no answer)."""
        assert job.draft is not None and job.request is not None
        try:
            if completion.refusal:
                raise ValueError(f"the model refused: {completion.refusal}")
            answer = job.draft.model_validate(completion.json())
        except (ValueError, ValidationError) as exc:
            job.issues.append(truth.Issue("update_unreadable", "whats_new.summary",
                                          f"the model's answer was unusable ({exc})"[:300]).record("repaired"))
            return []
        facts = job.changes.facts
        candidates: list[CitedSentence] = []
        for s in answer.whats_new:  # type: ignore[attr-defined]
            cited = [facts[n - 1] for n in dict.fromkeys(s.facts)]
            sentence = model_sentence(s.text, list(dict.fromkeys(a for f in cited for a in f.articles)),
                                      [x.ref() for f in cited for x in f.sentences], origin="update")
            if sentence is not None and all(sentence.text != c.text for c in candidates):
                candidates.append(sentence)
        kept = verified(job, candidates)
        if kept:  # cached only once it proved usable, like the pipeline's answers
            self.pipeline.caller.remember(job.request, completion)
        return kept

    def _metadata(self, state: RunState) -> RunMetadata:
        from .. import __version__

        backend = self.pipeline.backend
        return RunMetadata(
            model=state.model or backend.model, backend=getattr(backend, "name", "") or type(backend).__name__,
            llm_calls=state.llm_calls, prompt_tokens=state.prompt_tokens, completion_tokens=state.completion_tokens,
            cache_hits=state.cache_hits, transport_retries=state.retries,
            duration_s=round(time.perf_counter() - state.started, 3), plan="update",
            prompts={name: prompts.version(name) for name in PROMPT_NAMES},
            created_at=datetime.now(timezone.utc), summarizer_version=__version__,
        )


def verified(job: Job, sentences: list[CitedSentence]) -> list[CitedSentence]:
    """The sentences the truth layer finds nothing wrong with, checked in place in the updated brief."""
    if not sentences:
        return []
    trial = job.base.model_copy(update={"whats_new": job.changes.whats_new.model_copy(update={"summary": sentences})})
    issues = truth.check(trial, job.prep.all_articles, job.prep.evidence)
    bad = {i.where for i in issues if i.where.startswith("whats_new.summary[") and unusable(i.code, i.where)}
    return [s for k, s in enumerate(sentences) if f"whats_new.summary[{k}]" not in bad]


def next_versions(old: StoryBrief, added: Sequence[str], changes: list[str], run: RunMetadata) -> list[BriefVersion]:
    """The old brief's changelog (its first version made up from its own metadata if it has none) plus one."""
    versions = list(old.versions) or [BriefVersion(
        version=1, created_at=old.run.created_at, articles_added=[s.article_id for s in old.sources],
        changes=[f"first brief, from {len(old.sources)} article(s)"], llm_calls=old.run.llm_calls,
        prompt_tokens=old.run.prompt_tokens, completion_tokens=old.run.completion_tokens)]
    return [*versions, BriefVersion(
        version=versions[-1].version + 1, created_at=run.created_at, articles_added=list(added), changes=changes,
        llm_calls=run.llm_calls, prompt_tokens=run.prompt_tokens, completion_tokens=run.completion_tokens)]


def _outlets(articles: Sequence[Article]) -> dict[str, str]:
    return {a.id: a.outlet or a.id for a in articles}


def update(brief: StoryBrief, new_articles: Sequence[Article], *, old_articles: Sequence[Article] | None = None,
           backend: ChatBackend | None = None, config: Config | None = None) -> StoryBrief:
    """A new version of ``brief`` that also covers ``new_articles``: everything checkable recomputed over
    all the articles, a ``whats_new`` section, and one more ``versions`` entry.

    The old articles are reloaded from the paths the brief's sources recorded, unless given as
    ``old_articles``; one that cannot be found raises :class:`~summarizer.errors.MissingArticlesError`.
    It costs at most one small model call (none when the new articles bring no new fact).
    """
    from ..config import resolve

    return Updater(backend, config or resolve()).run(brief, new_articles, old_articles)


async def aupdate(brief: StoryBrief, new_articles: Sequence[Article], *,
                  old_articles: Sequence[Article] | None = None, backend: ChatBackend | None = None,
                  config: Config | None = None) -> StoryBrief:
    """Async form of :func:`update`."""
    from ..config import resolve

    return await Updater(backend, config or resolve()).arun(brief, new_articles, old_articles)

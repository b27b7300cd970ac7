"""Continuing a digest site: plan a run against the site's stories, and update the stories that go on.

:func:`plan_run` sorts a run's clusters (:mod:`summarizer.stories.threads` says how): a cluster a story
already took in is skipped, one that continues a story becomes an update of that story's brief
(:func:`summarizer.updates.aupdate`: a "what's new" section and a changelog entry, at most one small
model call), and the others are new stories for the batch. :func:`update_stories` runs the updates and
puts each new version in place of the story's line of ``briefs.jsonl``, so the story keeps its id and page.
An update that fails leaves the story as it was and the cluster untaken: the next run tries again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from ..atomic import write_atomic
from ..batch.input import read_clusters
from ..batch.run import FATAL_ERRORS, brief_line, read_ids
from ..schema.article import Article, Cluster
from ..schema.brief import StoryBrief
from ..schema.parts import text_digest
from ..updates import aupdate
from ..updates.flow import merge
from .cluster import ClusterOptions, story_meta
from .threads import THREAD_DAYS, THREAD_MIN, SiteState, continuations

__all__ = ["RunPlan", "plan_run", "stored_stories", "update_stories"]

log = logging.getLogger(__name__)


@dataclass
class RunPlan:
    """What one digest run does with each of its clusters."""

    new: list[Cluster] = field(default_factory=list)  # open a story each (the batch summarizes them)
    updates: dict[str, list[Cluster]] = field(default_factory=dict)  # story id -> the clusters that continue it
    known: dict[str, str] = field(default_factory=dict)  # cluster id -> the story that took it in before


def stored_stories(path: Path) -> dict[str, Cluster]:
    """The stories of a site's ``clusters.jsonl`` (none when there is none), by id."""
    if not path.exists():
        return {}
    return {c.id: c for c in read_clusters(path) if isinstance(c, Cluster)}


def plan_run(clusters: Sequence[Cluster], stories: dict[str, Cluster], state: SiteState, *,
             briefs: set[str], threshold: float = THREAD_MIN, days: float = THREAD_DAYS,
             options: ClusterOptions | None = None) -> RunPlan:
    """Sort ``clusters`` into new stories, updates of ``stories`` (those with a brief, in ``briefs``) and
    clusters already taken in."""
    plan = RunPlan()
    fresh = []
    owners = state.owners()
    for c in clusters:
        owner = owners.get(c.id) or (c.id if c.id in stories else None)
        if owner is not None:
            plan.known[c.id] = owner
        else:
            fresh.append(c)
    found = continuations(fresh, [s for sid, s in stories.items() if sid in briefs], threshold=threshold,
                          days=days, options=options)
    for c in fresh:
        if c.id in found:
            plan.updates.setdefault(found[c.id][0], []).append(c)
        else:
            plan.new.append(c)
    return plan


def _merged(story: Cluster, added: Sequence[Article]) -> Cluster:
    articles = [*story.articles, *added]
    return story.model_copy(update={"articles": articles, "meta": {**story.meta, **story_meta(articles)}})


async def _update(story: Cluster, brief: StoryBrief, clusters: Sequence[Cluster], pipeline: Any) -> tuple[Cluster, StoryBrief | None]:
    """The story with the clusters' articles, and its updated brief (None: nothing new to add)."""
    added, _skipped = merge(story.articles, [a for c in clusters for a in c.articles])
    # An article the brief already has (a run stopped after its update, before the story was saved) is
    # merged into the story without asking again.
    known = {s.digest for s in brief.sources if s.digest}
    fresh = [a for a in added if text_digest(a.text) not in known]
    if not fresh:
        return _merged(story, added), None
    updated = await aupdate(brief, fresh, old_articles=[*story.articles, *(a for a in added if a not in fresh)],
                            backend=pipeline.backend, config=pipeline.config)
    return _merged(story, added), updated


def update_stories(plan: RunPlan, stories: dict[str, Cluster], briefs: dict[str, StoryBrief], briefs_path: Path, *,
                   pipeline: Any, progress: Callable[[str], None] | None = None) -> tuple[list[str], dict[str, str]]:
    """Run ``plan``'s updates one story at a time, putting each new version in place of its story's line
    of ``briefs_path`` and merging the new articles into ``stories`` (in place). Returns (updated story ids, {story id: why an
    update failed})."""
    say = progress or (lambda message: None)
    updated: list[str] = []
    failed: dict[str, str] = {}
    for story_id, clusters in plan.updates.items():
        say(f"updating {story_id} with {sum(len(c.articles) for c in clusters)} article(s)")
        try:
            story, brief = asyncio.run(_update(stories[story_id], briefs[story_id], clusters, pipeline))
        except FATAL_ERRORS:
            raise  # every other story would fail the same way, as in the batch
        except Exception as exc:  # one story's failure must not stop the site; the next run retries it
            if not isinstance(exc, errors.SummarizerError):
                log.exception("story %s: unexpected error in its update", story_id)
            else:
                log.warning("could not update %s: %s: %s", story_id, type(exc).__name__, exc)
            failed[story_id] = f"{type(exc).__name__}: {exc}"
            continue
        stories[story_id] = story
        if brief is not None:
            briefs[story_id] = brief
            updated.append(story_id)
            _replace(briefs_path, story_id, brief)  # after each: an interrupted run keeps what it did
    return updated, failed


def _replace(path: Path, story_id: str, brief: StoryBrief) -> None:
    """Put ``brief`` in place of the story's line of the briefs file (one line per story, as the batch
    keeps it: the batch compacts a file to each id's first line), atomically."""
    records, _ = read_ids(path)
    lines = [brief_line(story_id, brief) if key == story_id else json.dumps(rec, ensure_ascii=False)
             for key, rec in records]
    write_atomic(path, "".join(line + "\n" for line in lines))

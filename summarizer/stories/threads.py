"""Stories that continue across digest runs: the site's state, and which new cluster continues which story.

A digest site is its own state. ``clusters.jsonl`` holds one line per story with all its articles so
far (the story's id is the id of the cluster that opened it), ``briefs.jsonl`` its latest brief (one
line per story; the brief's ``versions`` is its changelog), and ``stories.json`` what each run did:

.. code-block:: json

    {"version": 1,
     "runs": [{"at": "2021-10-09T12:00:00+00:00", "clusters": 12, "new": ["story-…"], "updated": ["story-…"],
               "unchanged": [], "failed": []}],
     "stories": {"story-…": {"first_run": 1, "last_run": 2, "clusters": ["story-…", "story-…"],
                             "status": "updated"}}}

A new run's cluster is *known* when its id is one a story already took in (the same articles: nothing
to do), *continues* a story when :func:`continuations` pairs it with one, and is *new* otherwise.
A story continues when the new cluster is about the same thing (its titles and leads, and the
names in them, by the clustering's own similarity) and its articles came out within
:data:`THREAD_DAYS` days of the story's latest article. The rule and its threshold are measured on
the AllSides dev set split by day (``benchmarks/threads_dev.py``; docs/operations.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..atomic import write_text
from ..schema.article import Article, Cluster
from .cluster import ClusterOptions, aware, features

if TYPE_CHECKING:
    from .continuing import RunPlan

__all__ = ["STATE_FILE", "THREAD_DAYS", "THREAD_MIN", "SiteState", "StoryState", "continuations", "similarity"]

STATE_FILE = "stories.json"
STATE_VERSION = 1
THREAD_DAYS = 10.0  # a story continues only within this many days of its latest article
THREAD_MIN = 0.20  # similarity a new cluster needs to an earlier story to continue it (dev: benchmarks/threads_dev.py)

Status = Literal["new", "updated", "unchanged"]


@dataclass
class StoryState:
    """What the site knows of one story across runs."""

    first_run: int
    last_run: int
    clusters: list[str] = field(default_factory=list)  # the ids of the clusters it took in, its own first
    status: Status = "new"  # what the latest run did to it


@dataclass
class SiteState:
    """The state of a digest site (``stories.json``): its runs and its stories."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    stories: dict[str, StoryState] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: str | os.PathLike[str]) -> SiteState:
        """The state in ``out_dir`` (a site never built, or built before threads: empty)."""
        path = Path(out_dir) / STATE_FILE
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(runs=list(data.get("runs", [])),
                   stories={k: StoryState(**v) for k, v in dict(data.get("stories", {})).items()})

    def save(self, out_dir: str | os.PathLike[str]) -> Path:
        data = {"version": STATE_VERSION, "runs": self.runs,
                "stories": {k: asdict(v) for k, v in self.stories.items()}}
        return write_text(Path(out_dir) / STATE_FILE, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def record(self, clusters: int, plan: RunPlan, updated: Sequence[str], failed: Mapping[str, str]) -> None:
        """Add one run: its new stories, the stories it updated (and the clusters each took in), and
        what it found already taken. A story whose update failed takes in nothing: the next run retries."""
        run = len(self.runs) + 1
        for s in self.stories.values():
            s.status = "unchanged"
        for c in plan.new:
            self.stories[c.id] = StoryState(first_run=run, last_run=run, clusters=[c.id], status="new")
        for sid, taken in plan.updates.items():
            if sid in failed:
                continue
            story = self.stories.setdefault(sid, StoryState(first_run=run, last_run=run, clusters=[sid]))
            story.clusters += [c.id for c in taken if c.id not in story.clusters]
            if sid in updated:
                story.last_run, story.status = run, "updated"
        self.runs.append({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "clusters": clusters,
                          "new": [c.id for c in plan.new], "updated": list(updated),
                          "unchanged": sorted(plan.known), "failed": sorted(failed)})

    def owner(self, cluster_id: str) -> str | None:
        """The story that took in the cluster ``cluster_id`` already, if one did."""
        return self.owners().get(cluster_id)

    def owners(self) -> dict[str, str]:
        """``{cluster id: the story that took it in}``, for every cluster the site holds."""
        return {cid: sid for sid, s in self.stories.items() for cid in [sid, *s.clusters]}


def _dates(articles: Sequence[Article]) -> list[datetime]:
    return [aware(a.published_at) for a in articles if a.published_at]


def similarity(new: Sequence[Cluster], old: Sequence[Cluster], options: ClusterOptions | None = None) -> np.ndarray:
    """``len(new) x len(old)`` similarities of whole stories: each story one document of its titles and
    leads, scored as the clustering scores two articles (text TF-IDF and shared names, weighted alike)."""
    opts = options or ClusterOptions()
    docs = [Article(id=c.id, title=" ".join(a.title for a in c.articles if not a.duplicate_of),
                    text="\n".join(a.text[: opts.lead_chars] for a in c.articles if not a.duplicate_of))
            for c in [*new, *old]]
    text, names = features(docs, opts)
    n = len(new)
    score = (1 - opts.entity_weight) * (text[:n] @ text[n:].T).toarray() \
        + opts.entity_weight * (names[:n] @ names[n:].T).toarray()
    return np.asarray(score)


def continuations(new: Sequence[Cluster], old: Sequence[Cluster], *, threshold: float = THREAD_MIN,
                  days: float = THREAD_DAYS, options: ClusterOptions | None = None) -> dict[str, tuple[str, float]]:
    """``{new cluster id: (the earlier story it continues, similarity)}``: for each new cluster, the most
    similar earlier story at ``threshold`` or above whose latest article is at most ``days`` days older
    than the cluster's first one (and not newer than it by more than a day: feeds lag)."""
    if not new or not old:
        return {}
    score = similarity(new, old, options)
    out: dict[str, tuple[str, float]] = {}
    latest = [max(d) if (d := _dates(s.articles)) else None for s in old]
    for i, cluster in enumerate(new):
        start = min(_dates(cluster.articles), default=None)
        ranked = sorted(range(len(old)), key=lambda j: -score[i, j])
        for j in ranked:
            if score[i, j] < threshold:
                break
            last = latest[j]
            if start is not None and last is not None and not -1 <= (start - last).total_seconds() / 86400 <= days:
                continue
            out[cluster.id] = (old[j].id, float(score[i, j]))
            break
    return out

"""From a pile of articles to a browsable site: cluster, summarize each story, write the pages.

``digest(inputs, "site/", pipeline=Pipeline())`` does the whole job:

1. gathers the articles (:func:`summarizer.ingest.gather.gather_articles`: files, folders, feeds, URLs);
2. clusters them into stories (:func:`summarizer.stories.cluster.cluster_articles`) and writes
   ``site/clusters.jsonl``;
3. summarizes every story with :func:`summarizer.batch.run.run_batch` into ``site/briefs.jsonl``
   (failures in ``site/briefs.failures.jsonl``), which makes the digest resumable: story ids are
   hashes of their articles' ids, so a re-run skips the stories already done;
4. writes one page per story, ``site/stories/<id>.html`` (:func:`summarizer.output.render.to_html`), and
   ``site/index.html``: the stories ranked by how many outlets cover each, with the headline, a
   one-line summary and the sources. The index is one self-contained, autoescaped page.

A story whose brief failed is still listed (with its articles' headline and lead), never dropped.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup
from pydantic import ValidationError

from ..atomic import write_text
from ..batch.run import BatchReport, SupportsArun, run_batch
from ..jsoninput import parse_json
from ..output.render import format_date, safe_url, source_label, to_html
from ..output.saved import page_name
from ..schema.article import Article, Cluster
from ..schema.brief import StoryBrief
from ..schema.parts import Source
from ..settings import DEFAULT_CONCURRENCY
from ..text.sentences import sentence_spans
from .cluster import ClusterOptions, aware, cluster_articles, outlet_key, write_clusters
from .continuing import plan_run, stored_stories, update_stories
from .related import related_stories
from .threads import THREAD_DAYS, SiteState

if TYPE_CHECKING:
    from ..ingest.fetch import Fetcher

__all__ = ["DigestReport", "SourceLink", "StoryEntry", "build_site", "digest", "render_index"]

log = logging.getLogger(__name__)

STORIES_DIR = "stories"
# A cluster id used as a file name as it is: letters, digits, '.', '_', '-', not starting with a dot.
_SUMMARY_CHARS = 280  # a one-line summary longer than this is cut at a word


@dataclass(frozen=True)
class SourceLink:
    """One article of a story as the index lists it."""

    label: str
    title: str
    url: str | None  # only http(s) links survive (render.safe_url)
    duplicate: bool


@dataclass(frozen=True)
class StoryEntry:
    """One row of the index: a story, its brief's headline and first sentence, its sources."""

    cluster_id: str
    headline: str
    summary: str
    outlets: int
    articles: int
    sources: list[SourceLink]
    page: str | None  # relative link to the story page; None when the brief failed
    failure: str | None
    date: str
    status: str = ""  # what this run did to the story: "new", "updated", or "" (as an earlier run left it)
    version: int = 0  # the brief's version (0: never updated)


@dataclass
class DigestReport:
    """What a digest run produced, and where."""

    out_dir: Path
    articles: int = 0
    stories: int = 0
    pages: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    unread: dict[str, str] = field(default_factory=dict)  # input -> why it could not be read
    batch: BatchReport | None = None
    new: list[str] = field(default_factory=list)  # stories this run opened
    updated: list[str] = field(default_factory=list)  # earlier stories this run continued (updated in place)
    unchanged: list[str] = field(default_factory=list)  # clusters an earlier run had already taken in

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    def summary(self) -> str:
        """One line for a person."""
        line = (f"{self.articles} article(s) in {self.stories} stories: {self.pages} page(s) written, "
                f"{len(self.failed)} without a brief; open {self.index}")
        if self.updated or self.unchanged:
            line += (f"\nthis run: {len(self.new)} new, {len(self.updated)} updated, "
                     f"{len(self.unchanged)} already in the site")
        unread = "".join(f"\n  not read: {reason}" for reason in self.unread.values())
        return line + (f"\n{len(self.unread)} input(s) could not be read:{unread}" if unread else "")


# --------------------------------------------------------------------------- index


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SUMMARY_CHARS else text[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _lead_sentence(cluster: Cluster) -> str:
    art = next((a for a in cluster.articles if not a.duplicate_of), cluster.articles[0])
    spans = sentence_spans(art.text)
    return _one_line(art.text[spans[0][0]:spans[0][1]] if spans else art.text)


def _entry(cluster: Cluster, brief: StoryBrief | None, failure: str | None, status: str = "") -> StoryEntry:
    sources = []
    for n, a in enumerate(cluster.articles, 1):
        src = Source.from_article(a)
        sources.append(SourceLink(label=source_label(src, n), title=a.title, url=safe_url(a.url),
                                  duplicate=bool(a.duplicate_of)))
    # A page's "+09:00" beside a record's bare date: naive times are read as UTC, as clustering does.
    dates = [aware(a.published_at) for a in cluster.articles if a.published_at]
    summary = _one_line(brief.summary[0].text) if brief and len(brief.summary) else _lead_sentence(cluster)
    version = brief.versions[-1].version if brief and brief.versions else 0
    return StoryEntry(
        cluster_id=cluster.id,
        headline=(brief.title if brief else "") or cluster.title or "(untitled story)",
        summary=summary,
        outlets=len({outlet_key(a) for a in cluster.articles}),
        articles=len(cluster.articles),
        sources=sources,
        page=f"{STORIES_DIR}/{page_name(cluster.id)}" if brief else None,
        failure=failure,
        date=format_date(min(dates)) if dates else "",
        status=status or ("updated" if version > 1 else ""),  # an earlier run's update stays marked
        version=version,
    )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.output", "templates"),
        autoescape=True,  # every headline, summary and outlet name may come from a scraped page
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_index(entries: Sequence[StoryEntry], *, generated_at: datetime | None = None,
                 title: str = "Today's stories") -> str:
    """The index page: one self-contained HTML5 document (inline CSS, no scripts), entries in order."""
    css = resources.files("summarizer.output.templates").joinpath("index.css").read_text(encoding="utf-8")
    when = generated_at or datetime.now(timezone.utc)
    return _environment().get_template("index.html.j2").render(
        css=Markup(css),  # our own stylesheet, not article text
        entries=list(entries),
        title=title,
        generated=when.strftime("%d %b %Y, %H:%M UTC"),
        total_articles=sum(e.articles for e in entries),
    )


# --------------------------------------------------------------------------- site


_BACK_LINK = '<nav class="back"><a href="../index.html">&larr; All stories</a></nav>\n'


def _story_page(brief: StoryBrief) -> str:
    """The story page of ``render.to_html``, with a link back to the index (our own fixed markup)."""
    page = to_html(brief)
    at = page.find('<main class="page">')
    if at < 0:
        return page
    at += len('<main class="page">')
    return page[:at] + "\n" + _BACK_LINK + page[at:]


def _records(path: Path) -> dict[str, dict[str, Any]]:
    """The last record per ``cluster_id`` of a batch output file (missing file: none)."""
    out: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = parse_json(line)
            out[str(rec["cluster_id"])] = rec
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a partial last line of an interrupted run; the batch cuts it on resume
    return out


def saved_briefs(path: Path) -> tuple[dict[str, StoryBrief], dict[str, int]]:
    """The latest brief per story of a briefs file, and the count of problems of each line that no
    longer reads as a brief (hand-edited, or saved by another version)."""
    briefs: dict[str, StoryBrief] = {}
    broken: dict[str, int] = {}
    for cluster_id, rec in _records(path).items():
        try:
            briefs[cluster_id] = StoryBrief.model_validate(rec["brief"])
        except ValidationError as exc:
            broken[cluster_id] = exc.error_count()
    return briefs, broken


def build_site(clusters: Sequence[Cluster], out_dir: str | os.PathLike[str], *,
               briefs_path: Path | None = None, failures_path: Path | None = None,
               title: str = "Today's stories", status: Mapping[str, str] | None = None) -> DigestReport:
    """Write each story's page (``stories/<id>.html``, with its brief as ``.md`` and ``.json`` beside
    it) and ``index.html`` for ``clusters`` from the batch's output files. Each brief gains its related
    stories among ``clusters`` (:func:`summarizer.stories.related.related_stories`); ``status`` marks
    what this run did to a story ("new", "updated") for the index.

    Pages of stories no longer among ``clusters`` are removed, so the site always matches its index.
    """
    out = Path(out_dir)
    saved, broken = saved_briefs(briefs_path or out / "briefs.jsonl")
    briefs = {c.id: saved[c.id] for c in clusters if c.id in saved}
    related = related_stories(briefs, links={sid: page_name(sid) for sid in briefs})
    failures = _records(failures_path or out / "briefs.failures.jsonl")
    pages_dir = out / STORIES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    report = DigestReport(out_dir=out, stories=len(clusters), articles=sum(len(c.articles) for c in clusters))
    entries = []
    for cluster in clusters:
        brief, failure = None, None
        if cluster.id in briefs:
            brief = briefs[cluster.id].model_copy(update={"related": related.get(cluster.id, [])})
            page = pages_dir / page_name(cluster.id)
            write_text(page, _story_page(brief))
            write_text(page.with_suffix(".md"), brief.to_markdown())
            write_text(page.with_suffix(".json"), brief.to_json() + "\n")
            report.pages += 1
        elif cluster.id in broken:
            failure = "its saved brief no longer reads as a brief; rerun with --retry-failed after removing it"
            report.failed[cluster.id] = f"unreadable saved brief: {broken[cluster.id]} problem(s)"
        else:
            rec = failures.get(cluster.id, {})
            report.failed[cluster.id] = f"{rec.get('error_type', 'not summarized')}: {rec.get('message', '')}".strip(": ")
            failure = str(rec.get("message") or "not summarized yet")  # readers get the sentence, not the class name
        entries.append(_entry(cluster, brief, failure, (status or {}).get(cluster.id, "")))
    keep = {Path(page_name(c.id)).stem for c in clusters}
    for stale in pages_dir.glob("story-*.*"):
        if stale.stem not in keep and stale.suffix in (".html", ".md", ".json"):
            stale.unlink()
    write_text(out / "index.html", render_index(entries, title=title))
    return report


def digest(
    inputs: Sequence[str | Path] | Sequence[Article],
    out_dir: str | os.PathLike[str],
    *,
    pipeline: SupportsArun,
    options: ClusterOptions | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    progress: Callable[[str], None] | None = None,
    title: str = "Today's stories",
    threads: bool = True,
    thread_days: float = THREAD_DAYS,
) -> DigestReport:
    """Cluster ``inputs`` (paths, URLs with a ``fetcher``, or Articles), summarize, write the site.

    Re-running with the same inputs resumes: finished stories are not summarized again, and
    ``retry_failed`` retries the failed ones. ``title`` heads the index page. An input that cannot
    be read (a dead feed, a broken file) does not stop the run: the site is built from the rest
    and the input is listed in ``report.unread``. Returns a :class:`DigestReport`; the site's
    entry point is ``report.index``.

    With ``threads`` (the default) the site is its own state (:mod:`summarizer.stories.threads`): a
    later run into the same folder keeps the earlier stories, and a cluster that continues one of
    them (within ``thread_days`` of its latest article) becomes an update of that story's brief
    (its "what's new" and changelog), keeping its id and page, instead of a new brief. Without,
    the site holds this run's stories only.
    """
    from ..ingest.gather import gather_inputs

    say = progress or (lambda message: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    given = [a for a in inputs if isinstance(a, Article)]
    unread: dict[str, str] = {}
    if given and len(given) == len(inputs):
        articles = given
    else:
        paths = [p for p in inputs if not isinstance(p, Article)]
        gathered = gather_inputs(paths, fetcher=fetcher, fetch_pages=fetch_pages)
        articles = gathered.articles
        unread = {item: str(exc) for item, exc in gathered.failed.items()}
    say(f"clustering {len(articles)} article(s)")
    clusters = cluster_articles(articles, options)
    briefs_path = out / "briefs.jsonl"
    state = SiteState.load(out) if threads else SiteState()
    stories = stored_stories(out / "clusters.jsonl") if state.runs else {}
    done, _ = saved_briefs(briefs_path) if stories else ({}, {})
    updatable = set(done) if hasattr(pipeline, "backend") and hasattr(pipeline, "config") else set()
    plan = plan_run(clusters, stories, state, briefs=updatable, days=thread_days, options=options)
    stories.update({c.id: c for c in plan.new})
    write_clusters(list(stories.values()), out / "clusters.jsonl")  # before any model call: a crash resumes
    todo = plan.new + [stories[sid] for sid in dict.fromkeys(plan.known.values()) if sid not in done]
    say(f"{len(clusters)} stories: {len(plan.new)} new, {len(plan.updates)} continuing, "
        f"{len(plan.known)} already in the site; summarizing")
    batch = run_batch(todo, briefs_path, pipeline=pipeline, concurrency=concurrency,
                      progress=progress, retry_failed=retry_failed)
    updated, failed = update_stories(plan, stories, done, briefs_path, pipeline=pipeline, progress=progress)
    write_clusters(list(stories.values()), out / "clusters.jsonl")
    status = {**{c.id: "new" for c in plan.new}, **dict.fromkeys(updated, "updated")}
    if threads:
        state.record(len(clusters), plan, updated, failed)
        state.save(out)
    ordered = sorted(stories.values(), key=lambda c: (c.id not in status, -c.meta.get("outlets", 0),
                                                       -len(c.articles), c.meta.get("first_published", "~")))
    report = build_site(ordered, out, title=title, status=status)
    report.batch = batch
    report.unread = unread
    report.new, report.updated, report.unchanged = [c.id for c in plan.new], updated, list(plan.known)
    report.failed.update({sid: f"update failed: {why}" for sid, why in failed.items()})
    say(report.summary())
    return report

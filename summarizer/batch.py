"""Summarize many clusters, resumably: bounded concurrency, durable output, recorded failures.

``run_batch(clusters, "briefs.jsonl", pipeline=...)`` reads clusters (a cluster
JSONL path, or ``Cluster`` objects), runs up to ``concurrency`` of them at once
through :meth:`Pipeline.arun`, and appends each brief as one line
``{"cluster_id": ..., "brief": {...}}`` to the output as soon as it is done.
A cluster that fails is appended to the failures file with its error type and
message, and the rest of the batch goes on.

Every line is written with one ``write`` on an append-only descriptor and
fsynced, so an interrupted run (Ctrl-C, ``kill -9``, power loss) leaves at most
a partial last line. Running the same command again truncates that line, skips
the clusters already in either file, and does the rest: each cluster ends up
summarized or listed as failed, once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from . import errors
from .atomic import LineAppender, truncate_partial_tail, write_atomic
from .progress import ProgressEvent, eta_seconds, format_eta
from .schema import Article, Cluster, StoryBrief

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

MAX_OUTPUT_CHARS = 2000  # of each failed attempt's raw output kept in the failures file

# Errors that would fail every remaining cluster the same way: stop the batch instead of
# filling the failures file, and leave those clusters to a re-run once the cause is fixed.
FATAL_ERRORS: tuple[type[BaseException], ...] = (
    errors.AuthenticationError, errors.UnknownModelError, errors.ConfigError, errors.ModelNotFoundError)


class SupportsArun(Protocol):
    """What the batch needs of a pipeline: :class:`summarizer.pipeline.Pipeline` fits."""

    async def arun(self, articles: list[Article]) -> StoryBrief: ...


@dataclass(frozen=True)
class BadRecord:
    """An input line that could not become a cluster; it is recorded as failed."""

    cluster_id: str
    error: errors.InputError


@dataclass
class BatchReport:
    """What a batch run did, and an audit of its output files."""

    out_path: Path
    failures_path: Path
    total: int = 0  # distinct clusters in the input
    completed: list[str] = field(default_factory=list)  # summarized in this run
    failed: dict[str, str] = field(default_factory=dict)  # failed in this run: id -> "ErrorType: message"
    skipped: list[str] = field(default_factory=list)  # already summarized by an earlier run
    previously_failed: list[str] = field(default_factory=list)  # listed as failed earlier, not retried
    input_duplicates: list[str] = field(default_factory=list)  # ids that appeared again in the input
    truncated_bytes: int = 0  # partial trailing lines removed on start
    duplicated: int = 0  # extra output lines for an id (audit; must be 0)
    lost: int = 0  # input ids in neither file (audit; must be 0)
    wall_s: float = 0.0

    def failure_reasons(self) -> Counter[str]:
        """How many clusters failed with each error type."""
        return Counter(reason.split(":", 1)[0] for reason in self.failed.values())

    def summary(self) -> str:
        """One paragraph for a person: counts, reasons, audit and time."""
        reasons = ", ".join(f"{k} {v}" for k, v in self.failure_reasons().most_common()) or "none"
        parts = [
            (f"{self.total} cluster(s): {len(self.completed)} summarized, {len(self.failed)} failed "
             f"({reasons}), {len(self.skipped)} already done, {len(self.previously_failed)} failed earlier "
             "(--retry-failed retries them)"),
            f"audit: {self.lost} lost, {self.duplicated} duplicated",
            f"{self.wall_s:.1f}s; briefs in {self.out_path}, failures in {self.failures_path}",
        ]
        if self.input_duplicates:
            parts.insert(1, f"{len(self.input_duplicates)} repeated id(s) in the input were ignored")
        return "; ".join(parts)


def default_failures_path(out_path: str | os.PathLike[str]) -> Path:
    """``briefs.jsonl`` -> ``briefs.failures.jsonl``."""
    p = Path(out_path)
    return p.with_name(p.stem + ".failures.jsonl") if p.suffix else p.with_name(p.name + ".failures.jsonl")


# --------------------------------------------------------------------------- input


def _cluster_from_record(obj: Any, where: str) -> Cluster:
    from .ingest import load_articles

    if not isinstance(obj, dict):
        raise errors.InputError(f"expected a cluster object, got {type(obj).__name__}", path=where)
    missing = [k for k in ("id", "articles") if obj.get(k) in (None, "", [])]
    if missing:
        raise errors.InputError(
            f"cluster is missing required field(s) {', '.join(missing)}; a cluster line is "
            '{"id", "title", "articles": [{"id", "source", "title", "url", "text"}, ...]}',
            path=where,
        )
    if not isinstance(obj["articles"], list):
        raise errors.InputError("'articles' must be a list of article objects", path=where)
    articles = load_articles(obj["articles"])
    reference = obj.get("reference")
    return Cluster(
        id=str(obj["id"]),
        title=obj["title"] if isinstance(obj.get("title"), str) else "",
        articles=articles,
        reference=reference if isinstance(reference, dict) else None,
        meta={k: v for k, v in obj.items() if k not in ("id", "title", "articles", "reference")},
    )


def read_clusters(path: str | os.PathLike[str]) -> Iterator[Cluster | BadRecord]:
    """Clusters from a cluster JSONL file, one per line; a bad line becomes a :class:`BadRecord`.

    Unlike :func:`summarizer.ingest.load_clusters`, one bad line does not stop the rest:
    a batch records it as failed and goes on. A missing or unreadable file raises InputError.
    """
    p = Path(path)
    if not p.is_file():
        raise errors.InputError("no such cluster file; check the path", path=str(p))
    with open(p, "rb") as fh:
        head = fh.read(64).lstrip()
    if head.startswith(b"["):  # a JSON array of clusters: nothing to stream, ingest reads it whole
        from .ingest import load_clusters

        yield from load_clusters(p)
        return
    with open(p, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{p}: line {n}"
            if not raw.strip():
                continue
            line_id = f"line-{n}"
            try:
                obj = json.loads(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield BadRecord(line_id, errors.InputError("line is not UTF-8 text; re-save the file as UTF-8",
                                                           path=where))
                continue
            except json.JSONDecodeError as exc:
                yield BadRecord(line_id, errors.InputError(
                    f"not valid JSON ({exc.msg}, column {exc.colno}); each line must be one cluster object",
                    path=where))
                continue
            if isinstance(obj, dict) and obj.get("id") not in (None, ""):
                line_id = str(obj["id"])
            try:
                yield _cluster_from_record(obj, where)
            except errors.InputError as exc:
                yield BadRecord(line_id, exc)


# --------------------------------------------------------------------------- output files


def read_ids(path: Path, key: str = "cluster_id") -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """``([(id, record), ...], bytes cut)`` of a batch JSONL file, after cutting a partial trailing line;
    a missing file has no records, a whole line that is not a record with ``key`` raises InputError."""
    cut = truncate_partial_tail(path)
    if cut:
        log.warning("%s: removed a partial last line (%d bytes) left by an interrupted run", path, cut)
    records: list[tuple[str, dict[str, Any]]] = []
    if not path.exists():
        return records, cut
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                records.append((str(obj[key]), obj))
            except (json.JSONDecodeError, KeyError, TypeError):
                # Only whole lines are ever written, so a bad line in the middle is not ours.
                raise errors.InputError(
                    f"line {n} is not a batch record with {key!r}; this file was not written by "
                    "summarizer batch, or was edited: fix or remove that line, or use another output path",
                    path=str(path),
                ) from None
    return records, cut


def brief_line(cluster_id: str, brief: StoryBrief) -> str:
    """One output line (without newline): ``{"cluster_id": ..., "brief": {...}}``."""
    return json.dumps({"cluster_id": cluster_id, "brief": brief.model_dump(mode="json")}, ensure_ascii=False)


def failure_line(cluster_id: str, exc: BaseException) -> str:
    """One failures-file line: error type, message, retryable, when, and each attempt's errors and output."""
    record: dict[str, Any] = {
        "cluster_id": cluster_id,
        "error_type": type(exc).__name__,
        "message": str(exc),
        "retryable": bool(getattr(exc, "retryable", False)),
        "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    attempts = getattr(exc, "attempts", None)
    if attempts:
        # What the model said and what was wrong with it, bounded so one failure stays one short line.
        record["attempts"] = [
            {"errors": [str(e)[:300] for e in (a.get("errors") or [])][:8],
             "output": str(a.get("output", ""))[:MAX_OUTPUT_CHARS]}
            for a in attempts if isinstance(a, dict)
        ]
    return json.dumps(record, ensure_ascii=False)


def audit(ids: Iterable[str], out_path: Path, failures_path: Path) -> tuple[int, int]:
    """``(lost, duplicated)``: input ids in neither file, and extra lines for any id.

    A cluster both summarized and listed as failed counts as duplicated too.
    """
    done = Counter(cid for cid, _ in read_ids(out_path)[0])
    failed = Counter(cid for cid, _ in read_ids(failures_path)[0])
    duplicated = sum(n - 1 for n in done.values()) + sum(n - 1 for n in failed.values())
    duplicated += len(set(done) & set(failed))
    lost = sum(1 for cid in set(ids) if cid not in done and cid not in failed)
    return lost, duplicated


# --------------------------------------------------------------------------- the run


def _dedupe(items: Iterable[Cluster | BadRecord], report: BatchReport) -> dict[str, Cluster | BadRecord]:
    """Each cluster id's first item, in input order; later repeats go to ``report.input_duplicates``."""
    todo: dict[str, Cluster | BadRecord] = {}
    for item in items:
        cid = item.cluster_id if isinstance(item, BadRecord) else item.id
        if cid in todo:
            log.warning("cluster id %r appears more than once in the input; only the first is used", cid)
            report.input_duplicates.append(cid)
        else:
            todo[cid] = item
    report.total = len(todo)
    return todo


def _plan_resume(
    todo: dict[str, Cluster | BadRecord], report: BatchReport, *, retry_failed: bool
) -> list[Cluster | BadRecord]:
    """The clusters still to run; those done, or failed earlier and not retried, go into ``report``.
    ``retry_failed`` drops the old failure lines of those about to be retried: each ends up in one file."""
    done_records, cut_out = read_ids(report.out_path)
    failed_records, cut_fail = read_ids(report.failures_path)
    report.truncated_bytes = cut_out + cut_fail
    done = {cid for cid, _ in done_records}
    failed_before = {cid for cid, _ in failed_records}
    if retry_failed and failed_before & (retry := todo.keys() - done):
        keep = [rec for cid, rec in failed_records if cid not in retry]
        write_atomic(report.failures_path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep))
        failed_before -= retry
    pending: list[Cluster | BadRecord] = []
    for cid, item in todo.items():
        if cid in done:
            report.skipped.append(cid)
        elif cid in failed_before:
            report.previously_failed.append(cid)
        else:
            pending.append(item)
    return pending


@dataclass
class _Runner:
    """Runs clusters as the semaphore allows, recording each result; a fatal error stops them all."""

    pipeline: SupportsArun
    report: BatchReport
    say: Progress
    out_file: LineAppender
    fail_file: LineAppender
    semaphore: asyncio.Semaphore
    total: int  # clusters to run: the denominator of the progress counter
    finished: int = 0
    started: float = field(default_factory=time.perf_counter)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    fatal: list[BaseException] = field(default_factory=list)

    def record_failure(self, cid: str, exc: BaseException) -> None:
        self.fail_file.append(failure_line(cid, exc))
        self.report.failed[cid] = f"{type(exc).__name__}: {exc}"

    async def one(self, cluster: Cluster) -> None:
        t0 = time.perf_counter()
        try:
            brief = await self.pipeline.arun(cluster.articles)
        except FATAL_ERRORS:
            raise
        except Exception as exc:
            if not isinstance(exc, errors.SummarizerError):
                log.exception("cluster %s: unexpected error", cluster.id)
            else:
                log.warning("cluster %s failed: %s: %s", cluster.id, type(exc).__name__, exc)
            self.record_failure(cluster.id, exc)
            status = f"failed ({type(exc).__name__})"
        else:
            self.out_file.append(brief_line(cluster.id, brief))
            self.report.completed.append(cluster.id)
            status = "done"
        self.tick(cluster.id, f"{status} in {time.perf_counter() - t0:.1f}s")

    def tick(self, cid: str, status: str) -> None:
        """Count one finished cluster and report it, with an ETA at the pace so far."""
        self.finished += 1
        eta = eta_seconds(self.finished, self.total, time.perf_counter() - self.started)
        self.say(ProgressEvent(f"[{self.finished}/{self.total}] {cid}: {status}{format_eta(eta)}",
                               stage="batch", done=self.finished, total=self.total, eta_s=eta, item=cid))

    async def guarded(self, cluster: Cluster) -> None:
        try:
            await self.one(cluster)
        except BaseException as exc:
            self.fatal.append(exc)
            raise
        finally:
            self.semaphore.release()

    async def run(self, pending: list[Cluster | BadRecord]) -> None:
        try:
            for item in pending:
                if isinstance(item, BadRecord):
                    self.record_failure(item.cluster_id, item.error)
                    self.tick(item.cluster_id, "failed (InputError)")
                    continue
                await self.semaphore.acquire()  # at most `concurrency` clusters in flight
                if self.fatal:
                    self.semaphore.release()
                    break
                task = asyncio.create_task(self.guarded(item))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
            if self.tasks:
                await asyncio.gather(*list(self.tasks), return_exceptions=True)
        finally:
            for task in list(self.tasks):
                task.cancel()
            if self.tasks:
                await asyncio.gather(*list(self.tasks), return_exceptions=True)
        if self.fatal:
            raise self.fatal[0]


async def arun_batch(
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str], out_path: str | os.PathLike[str], *,
    pipeline: SupportsArun, failures_path: str | os.PathLike[str] | None = None, concurrency: int = 4,
    progress: Progress | None = None, retry_failed: bool = False,
) -> BatchReport:
    """Async form of :func:`run_batch`."""
    if concurrency < 1:
        raise errors.ConfigError(f"concurrency must be at least 1, not {concurrency}")
    started = time.perf_counter()
    out = Path(out_path)
    fails = Path(failures_path) if failures_path is not None else default_failures_path(out)
    say = progress or (lambda message: None)
    report = BatchReport(out_path=out, failures_path=fails)
    items = read_clusters(clusters) if isinstance(clusters, (str, os.PathLike)) else clusters
    todo = _dedupe(items, report)
    pending = _plan_resume(todo, report, retry_failed=retry_failed)
    say(f"{report.total} cluster(s): {len(report.skipped)} already done, {len(report.previously_failed)} failed "
        f"earlier, {len(pending)} to do")
    with LineAppender(out) as out_file, LineAppender(fails) as fail_file:
        runner = _Runner(pipeline, report, say, out_file, fail_file, asyncio.Semaphore(concurrency), len(pending))
        await runner.run(pending)

    report.lost, report.duplicated = audit(todo, out, fails)
    report.wall_s = round(time.perf_counter() - started, 3)
    say(report.summary())
    return report


def run_batch(
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str], out_path: str | os.PathLike[str], *,
    pipeline: SupportsArun, failures_path: str | os.PathLike[str] | None = None, concurrency: int = 4,
    progress: Progress | None = None, retry_failed: bool = False,
) -> BatchReport:
    """Summarize every cluster into ``out_path`` (JSONL), resuming where an earlier run stopped.

    ``clusters`` is a cluster JSONL path (the format of the eval sets) or an iterable of
    :class:`~summarizer.schema.Cluster`. Up to ``concurrency`` clusters run at once. Each
    brief is appended as ``{"cluster_id", "brief"}`` when it finishes; each failure goes to
    ``failures_path`` (default ``<out>.failures.jsonl``) as ``{"cluster_id", "error_type",
    "message", "retryable", "failed_at"}``. Clusters already in either file are skipped;
    ``retry_failed=True`` runs the failed ones again. Authentication and configuration
    errors stop the batch (raised), since every other cluster would fail the same way.
    """
    return asyncio.run(arun_batch(clusters, out_path, pipeline=pipeline, failures_path=failures_path,
                                  concurrency=concurrency, progress=progress, retry_failed=retry_failed))

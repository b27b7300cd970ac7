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
summarized or listed as failed, once. One batch at a time may write an output
(:class:`~summarizer.batch.locking.OutputLock`); clusters are known by the exact JSON
value of their id (:mod:`summarizer.batch.input`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from .. import errors
from ..atomic import LineAppender, truncate_partial_tail, write_atomic
from ..jsoninput import parse_json
from ..progress import ProgressEvent, eta_seconds, format_eta
from ..schema.article import Article, Cluster
from ..schema.brief import StoryBrief
from ..settings import DEFAULT_CONCURRENCY
from .input import BadRecord, id_fields, id_key, item_key, read_clusters, record_key
from .locking import OutputLock

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
    repaired_duplicates: int = 0  # extra lines for an id found on start (an old unlocked run) and removed
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
        if self.repaired_duplicates:
            parts.insert(1, f"{self.repaired_duplicates} duplicate line(s) left by an earlier run were removed")
        return "; ".join(parts)


def default_failures_path(out_path: str | os.PathLike[str]) -> Path:
    """``briefs.jsonl`` -> ``briefs.failures.jsonl``."""
    p = Path(out_path)
    return p.with_name(p.stem + ".failures.jsonl") if p.suffix else p.with_name(p.name + ".failures.jsonl")


# --------------------------------------------------------------------------- input


__all__ = [
    "BadRecord", "BatchReport", "arun_batch", "audit", "audit_keys", "brief_line", "default_failures_path", "failure_line",
    "read_clusters", "read_ids", "read_keys", "run_batch",
]


# --------------------------------------------------------------------------- output files


def _read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The records of a batch JSONL file, after cutting a partial trailing line (returns bytes cut)."""
    cut = truncate_partial_tail(path)
    if cut:
        log.warning("%s: removed a partial last line (%d bytes) left by an interrupted run", path, cut)
    records: list[dict[str, Any]] = []
    if not path.exists():
        return records, cut
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = parse_json(line)
                record_key(obj)  # a record says who it is
            except (json.JSONDecodeError, KeyError, TypeError):
                # Only whole lines are ever written, so a bad line in the middle is not ours.
                raise errors.InputError(
                    f"line {n} is not a batch record with 'cluster_id'; this file was not written by "
                    "summarizer batch, or was edited: fix or remove that line, or use another output path",
                    path=str(path),
                ) from None
            records.append(obj)
    return records, cut


def read_ids(path: Path, key: str = "cluster_id") -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """``([(id, record), ...], bytes cut)`` of a batch JSONL file, ids as strings (see :func:`read_keys`
    for identities); a missing file has no records, a line that is not a record raises InputError."""
    records, cut = _read_records(path)
    return [(str(r.get(key)), r) for r in records], cut


def read_keys(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """``([(identity key, record), ...], bytes cut)``: as :func:`read_ids`, keyed by exact JSON id."""
    records, cut = _read_records(path)
    return [(record_key(r), r) for r in records], cut


def brief_line(cluster_id: str, brief: StoryBrief, *, key: str | None = None) -> str:
    """One output line (without newline): ``{"cluster_id": ..., "brief": {...}}``; with ``key`` the id is
    written as the exact JSON value it had in the input."""
    who = id_fields(key) if key else {"cluster_id": cluster_id}
    return json.dumps({**who, "brief": brief.model_dump(mode="json")}, ensure_ascii=False)


def failure_line(cluster_id: str, exc: BaseException, *, key: str | None = None) -> str:
    """One failures-file line: error type, message, retryable, when, and each attempt's errors and output."""
    record: dict[str, Any] = {
        **(id_fields(key) if key else {"cluster_id": cluster_id}),
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
    return audit_keys([id_key(i) for i in ids], out_path, failures_path)


def audit_keys(keys: Iterable[str], out_path: Path, failures_path: Path) -> tuple[int, int]:
    """As :func:`audit`, for identity keys (:func:`summarizer.batch.input.item_key`)."""
    ids = list(keys)
    done = Counter(k for k, _ in read_keys(out_path)[0])
    failed = Counter(k for k, _ in read_keys(failures_path)[0])
    duplicated = sum(n - 1 for n in done.values()) + sum(n - 1 for n in failed.values())
    duplicated += len(set(done) & set(failed))
    lost = sum(1 for cid in set(ids) if cid not in done and cid not in failed)
    return lost, duplicated


# --------------------------------------------------------------------------- the run


def _name(item: Cluster | BadRecord) -> str:
    return item.cluster_id if isinstance(item, BadRecord) else item.id


def _dedupe(items: Iterable[Cluster | BadRecord], report: BatchReport) -> dict[str, Cluster | BadRecord]:
    """Each cluster's first item by identity key, in input order; repeats go to ``report.input_duplicates``."""
    todo: dict[str, Cluster | BadRecord] = {}
    for item in items:
        key = item_key(item)
        if key in todo:
            log.warning("cluster id %s appears more than once in the input; only the first is used", key)
            report.input_duplicates.append(_name(item))
        else:
            todo[key] = item
    report.total = len(todo)
    return todo


def _compact(path: Path, records: list[tuple[str, dict[str, Any]]], drop: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """``records`` without repeats of a key and without the keys in ``drop``, rewritten atomically if
    anything goes (an earlier run without the lock may have left duplicates)."""
    seen: set[str] = set()
    keep = []
    for key, rec in records:
        if key not in seen and key not in drop:
            seen.add(key)
            keep.append((key, rec))
    if len(keep) < len(records):
        log.warning("%s: removed %d duplicate line(s) left by an earlier run", path, len(records) - len(keep))
        write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for _, r in keep))
    return keep


def _plan_resume(
    todo: dict[str, Cluster | BadRecord], report: BatchReport, *, retry_failed: bool
) -> list[Cluster | BadRecord]:
    """The clusters still to run; those done, or failed earlier and not retried, go into ``report``.
    ``retry_failed`` drops the old failure lines of those about to be retried: each ends up in one file.
    Duplicate lines already present are reported and removed (the caller holds the output's lock)."""
    done_records, cut_out = read_keys(report.out_path)
    failed_records, cut_fail = read_keys(report.failures_path)
    report.truncated_bytes = cut_out + cut_fail
    done = {key for key, _ in done_records}
    failed_keys = {key for key, _ in failed_records}
    report.repaired_duplicates = (len(done_records) - len(done) + len(failed_records) - len(failed_keys)
                                  + len(done & failed_keys))
    _compact(report.out_path, done_records, set())
    retry = (todo.keys() - done) if retry_failed else set()
    kept = _compact(report.failures_path, failed_records, done | retry)
    failed_before = {key for key, _ in kept}
    pending: list[Cluster | BadRecord] = []
    for key, item in todo.items():
        if key in done:
            report.skipped.append(_name(item))
        elif key in failed_before:
            report.previously_failed.append(_name(item))
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

    def record_failure(self, item: Cluster | BadRecord, exc: BaseException) -> None:
        self.fail_file.append(failure_line(_name(item), exc, key=item_key(item)))
        self.report.failed[_name(item)] = f"{type(exc).__name__}: {exc}"

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
            self.record_failure(cluster, exc)
            status = f"failed ({type(exc).__name__})"
        else:
            self.out_file.append(brief_line(cluster.id, brief, key=item_key(cluster)))
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
                    self.record_failure(item, item.error)
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
    pipeline: SupportsArun, failures_path: str | os.PathLike[str] | None = None, concurrency: int = DEFAULT_CONCURRENCY,
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
    # One writer per output, from before reading the input to the audit: a second batch fails fast.
    with OutputLock(out), OutputLock(fails):
        items = read_clusters(clusters) if isinstance(clusters, (str, os.PathLike)) else clusters
        todo = _dedupe(items, report)
        pending = _plan_resume(todo, report, retry_failed=retry_failed)
        say(f"{report.total} cluster(s): {len(report.skipped)} already done, {len(report.previously_failed)} "
            f"failed earlier, {len(pending)} to do")
        with LineAppender(out) as out_file, LineAppender(fails) as fail_file:
            runner = _Runner(pipeline, report, say, out_file, fail_file, asyncio.Semaphore(concurrency),
                             len(pending))
            await runner.run(pending)
        report.lost, report.duplicated = audit_keys(todo, out, fails)
    report.wall_s = round(time.perf_counter() - started, 3)
    say(report.summary())
    return report


def run_batch(
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str], out_path: str | os.PathLike[str], *,
    pipeline: SupportsArun, failures_path: str | os.PathLike[str] | None = None, concurrency: int = DEFAULT_CONCURRENCY,
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

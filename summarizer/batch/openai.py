"""The OpenAI Batch API path: write the request file, read the results back into briefs.

For large volumes the Batch API runs requests asynchronously (within 24 hours, at
a lower price). The flow:

1. :func:`write_requests` writes one line per cluster,
   ``{"custom_id": <cluster id>, "method": "POST", "url": "/v1/chat/completions", "body": {...}}``,
   where ``body`` is exactly what :class:`~summarizer.backends.openai.OpenAIBackend` would send.
2. Upload it and create the batch (``client.files.create(purpose="batch")``,
   ``client.batches.create(endpoint="/v1/chat/completions", completion_window="24h")``).
3. Download the output (and error) file, then :func:`read_results` turns each line,
   ``{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}``,
   into a brief through :meth:`Pipeline.finalize` (validated, grounded and repaired,
   without re-asking), or into a typed error. :func:`collect_results` writes those
   into the same files as ``summarizer batch``, so a normal batch run can finish the rest.

Only clusters that fit one synthesis call go through the Batch API; map-reduce
clusters need several dependent calls and are left to ``summarizer batch``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .. import errors
from ..atomic import LineAppender, write_atomic
from ..backends.base import Completion, Usage
from ..schema.article import Article, Cluster
from ..schema.brief import StoryBrief
from .input import item_key
from .locking import OutputLock
from .run import (
    BadRecord,
    BatchReport,
    audit_keys,
    brief_line,
    default_failures_path,
    failure_line,
    read_clusters,
    read_keys,
)

log = logging.getLogger(__name__)

ENDPOINT = "/v1/chat/completions"
MAX_REQUESTS_PER_FILE = 50_000  # the Batch API's limit per input file


class SupportsFinalize(Protocol):
    """What this module needs of a pipeline: :class:`summarizer.pipeline.Pipeline` fits."""

    backend: Any

    def prepare(self, articles: Sequence[Article]) -> Any: ...

    def finalize(self, prepared: Any, completion: Completion) -> StoryBrief: ...


@dataclass
class RequestsFile:
    """What :func:`write_requests` wrote, and which clusters it left for ``summarizer batch``."""

    path: Path
    written: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # cluster id -> why


def _clusters(clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str]) -> Iterator[Cluster | BadRecord]:
    return read_clusters(clusters) if isinstance(clusters, (str, os.PathLike)) else iter(clusters)


def write_requests(
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str],
    pipeline: SupportsFinalize,
    path: str | os.PathLike[str],
) -> RequestsFile:
    """Write a Batch API input file with one synthesis request per cluster (atomically).

    The request bodies come from the pipeline's backend, which must speak the OpenAI
    protocol (:class:`~summarizer.backends.openai.OpenAIBackend`), so the model name and the
    structured-output format are the ones a direct run would use. Clusters that need
    map-reduce, or that cannot be read, are listed in ``.skipped`` with the reason.
    """
    backend = pipeline.backend
    if not hasattr(backend, "request_body"):
        raise errors.ConfigError(
            f"the Batch API needs the openai backend, not {getattr(backend, 'name', type(backend).__name__)!r}; "
            "pass --backend openai (and a model name)"
        )
    result = RequestsFile(Path(path))
    lines: list[str] = []
    for item in _clusters(clusters):
        if isinstance(item, BadRecord):
            result.skipped[item.cluster_id] = f"InputError: {item.error}"
            continue
        if item.id in result.skipped or item.id in result.written:
            log.warning("cluster id %r appears more than once; only the first is written", item.id)
            continue
        try:
            prepared = pipeline.prepare(item.articles)
        except errors.InputError as exc:
            result.skipped[item.id] = f"InputError: {exc}"
            continue
        if prepared.request is None:
            result.skipped[item.id] = ("needs map-reduce (its articles exceed one call's context budget); "
                                       "run it with `summarizer batch`")
            continue
        body = backend.request_body(prepared.request)
        lines.append(json.dumps({"custom_id": item.id, "method": "POST", "url": ENDPOINT, "body": body},
                                ensure_ascii=False))
        result.written.append(item.id)
    if len(lines) > MAX_REQUESTS_PER_FILE:
        raise errors.InputError(
            f"{len(lines)} requests exceed the Batch API's {MAX_REQUESTS_PER_FILE} per file; "
            "split the cluster file and write one request file per part"
        )
    write_atomic(result.path, "".join(line + "\n" for line in lines))
    return result


# --------------------------------------------------------------------------- results


def _status_error(status: int, body: Any, request_id: str | None) -> errors.BackendError:
    err = body.get("error") if isinstance(body, dict) else None
    message = (err or {}).get("message") if isinstance(err, dict) else None
    detail = f"HTTP {status}" + (f": {message}" if message else "")
    if status in (401, 403):
        return errors.AuthenticationError(f"the batch request was rejected ({detail}); check the API key",
                                          status_code=status, request_id=request_id)
    if status == 429:
        return errors.RateLimitError(f"the batch request was rate limited ({detail}); resubmit it",
                                     status_code=status, retryable=True, request_id=request_id)
    return errors.BackendError(f"the batch request failed ({detail})", status_code=status,
                               retryable=status >= 500, request_id=request_id)


def completion_from_body(body: dict[str, Any], request_id: str | None = None) -> Completion:
    """A :class:`Completion` from a ``chat.completion`` JSON body (as found in Batch API output)."""
    try:
        choice = body["choices"][0]
        message = choice.get("message") or {}
    except (KeyError, IndexError, TypeError):
        raise errors.BackendError("the batch result has no choices; resubmit this request") from None
    usage = body.get("usage") or {}
    return Completion(
        text=message.get("content") or "",
        finish_reason=choice.get("finish_reason") or "stop",
        usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        model=body.get("model") or "",
        request_id=request_id or body.get("id"),
        refusal=message.get("refusal"),
    )


def _result_lines(paths: Sequence[Path]) -> Iterator[tuple[str, int, dict[str, Any] | None]]:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    obj = None
                yield f"{path}: line {n}", n, obj if isinstance(obj, dict) else None


def read_results(
    results_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str],
    pipeline: SupportsFinalize,
) -> Iterator[tuple[str, StoryBrief | Exception]]:
    """Yield ``(cluster_id, brief or error)`` for every cluster, from Batch API output file(s).

    Pass the output file and, if the batch had one, the error file. Each result is
    finalized against its cluster's articles (the same preparation as when written).
    A cluster with no result (expired or cancelled batch, or never submitted) yields a
    :class:`~summarizer.errors.BackendError` saying so. Errors are yielded, not raised,
    so one bad result never hides the others.
    """
    paths = [Path(results_path)] if isinstance(results_path, (str, os.PathLike)) else [Path(p) for p in results_path]
    for p in paths:
        if not p.is_file():
            raise errors.InputError("no such results file; download the batch's output file first", path=str(p))
    by_id: dict[str, Cluster] = {}
    for item in _clusters(clusters):
        if isinstance(item, Cluster):
            by_id.setdefault(item.id, item)
    seen: set[str] = set()
    for where, _, obj in _result_lines(paths):
        if obj is None or not isinstance(obj.get("custom_id"), str):
            log.warning("%s: not a Batch API result line (no custom_id); ignored", where)
            continue
        cid = obj["custom_id"]
        if cid in seen:
            log.warning("%s: a second result for %r; ignored", where, cid)
            continue
        seen.add(cid)
        cluster = by_id.get(cid)
        if cluster is None:
            yield cid, errors.InputError(f"result for {cid!r}, which is not in the given clusters", path=where)
            continue
        yield cid, _finalize_one(obj, cluster, pipeline)
    for cid in by_id:
        if cid not in seen:
            yield cid, errors.BackendError(
                "no result for this cluster in the batch output (not submitted, or the batch expired or was "
                "cancelled); run it with `summarizer batch`", retryable=True)


def _finalize_one(obj: dict[str, Any], cluster: Cluster, pipeline: SupportsFinalize) -> StoryBrief | Exception:
    error = obj.get("error")
    response = obj.get("response")
    if error:
        code = error.get("code", "error") if isinstance(error, dict) else "error"
        message = error.get("message", "") if isinstance(error, dict) else str(error)
        return errors.BackendError(f"the batch request failed ({code}): {message}")
    if not isinstance(response, dict):
        return errors.BackendError("the batch result has neither a response nor an error; resubmit it")
    status = int(response.get("status_code") or 0)
    body = response.get("body")
    request_id = response.get("request_id")
    if status != 200:
        return _status_error(status, body, request_id)
    try:
        completion = completion_from_body(body if isinstance(body, dict) else {}, request_id)
        prepared = pipeline.prepare(cluster.articles)
        if prepared.request is None:
            return errors.InputError(f"cluster {cluster.id!r} needs map-reduce, so its batch result cannot be used; "
                                     "run it with `summarizer batch`")
        return pipeline.finalize(prepared, completion)
    except errors.OutputValidationError as exc:
        if completion.finish_reason == "length":
            return errors.LengthError("the model hit max_tokens before finishing its answer; raise "
                                      "max_output_tokens and resubmit", request_id=request_id)
        return exc
    except errors.SummarizerError as exc:
        return exc


def collect_results(
    results_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    clusters: Iterable[Cluster | BadRecord] | str | os.PathLike[str],
    pipeline: SupportsFinalize,
    out_path: str | os.PathLike[str],
    *,
    failures_path: str | os.PathLike[str] | None = None,
) -> BatchReport:
    """Write Batch API results to the files ``summarizer batch`` uses, skipping clusters already there.

    Afterwards ``summarizer batch CLUSTERS -o OUT --retry-failed`` finishes the clusters the
    Batch API could not (map-reduce ones, failures), with the same resume guarantees.
    """
    started = time.perf_counter()
    out = Path(out_path)
    fails = Path(failures_path) if failures_path is not None else default_failures_path(out)
    items = list(_clusters(clusters))
    keys = {(i.cluster_id if isinstance(i, BadRecord) else i.id): item_key(i) for i in items}  # custom_id -> key
    report = BatchReport(out_path=out, failures_path=fails, total=len(keys))
    # The same files and the same rules as `summarizer batch`: one writer, ids by exact JSON value.
    with OutputLock(out), OutputLock(fails), LineAppender(out) as out_file, LineAppender(fails) as fail_file:
        done = {k for k, _ in read_keys(out)[0]} | {k for k, _ in read_keys(fails)[0]}
        for cid, result in read_results(results_path, items, pipeline):
            if cid not in keys:
                log.warning("batch result for unknown cluster %r ignored", cid)
                continue
            if keys[cid] in done:
                report.skipped.append(cid)
                continue
            done.add(keys[cid])
            if isinstance(result, StoryBrief):
                out_file.append(brief_line(cid, result, key=keys[cid]))
                report.completed.append(cid)
            else:
                fail_file.append(failure_line(cid, result, key=keys[cid]))
                report.failed[cid] = f"{type(result).__name__}: {result}"
        for item in items:
            if isinstance(item, BadRecord) and item.key not in done:
                done.add(item.key)
                fail_file.append(failure_line(item.cluster_id, item.error, key=item.key))
                report.failed[item.cluster_id] = f"InputError: {item.error}"
        report.lost, report.duplicated = audit_keys(keys.values(), out, fails)
    report.wall_s = round(time.perf_counter() - started, 3)
    return report

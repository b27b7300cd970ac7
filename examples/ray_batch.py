"""Summarize clusters on Ray Data: ``map_batches`` runs the batch function on blocks of clusters.

    pip install "ray[data]"
    python examples/ray_batch.py clusters.jsonl -o briefs.jsonl --workers 2 --concurrency 4
    python examples/ray_batch.py clusters.jsonl -o briefs.jsonl --fake-server     # self-contained demo

Each Ray actor resolves one configuration (like the CLI: OPENAI_API_KEY,
OPENAI_BASE_URL, SUMMARIZER_MODEL or the flags below) and summarizes its block with
``summarizer.batch.run_batch`` into a scratch file, so the per-actor concurrency
bound, the failure records and the typed errors are the batch function's own. The
driver appends the rows it gets back to OUTPUT and OUTPUT.failures.jsonl, one durable
line each, and skips clusters already there, so re-running resumes. On a cluster,
``ray.init(address="auto")`` connects to it instead of starting a local instance.

``--fake-server`` starts the test suite's fault-injecting Chat Completions server on
127.0.0.1 (tests/fault_server.py) so the example runs without a model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import ray

from summarizer.atomic import LineAppender
from summarizer.batch.input import id_key, record_key
from summarizer.batch.run import default_failures_path, run_batch
from summarizer.settings import DEFAULT_CONCURRENCY


class SummarizeBlock:
    """A Ray Data actor: one Pipeline per actor, ``run_batch`` per block of cluster lines."""

    def __init__(self, flags: dict[str, Any], concurrency: int) -> None:
        from summarizer.config import resolve

        self.config = resolve(flags)  # once per actor: a bad key or URL fails here, loudly
        self.concurrency = concurrency

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[str]]:
        from summarizer.pipeline import Pipeline

        # A fresh Pipeline per block: each block runs in its own event loop (run_batch calls
        # asyncio.run), and a pipeline's async state belongs to one loop. Building one is cheap.
        pipeline = Pipeline(config=self.config)
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
            src.write_text("".join(str(line).rstrip("\n") + "\n" for line in batch["line"]), encoding="utf-8")
            run_batch(src, out, pipeline=pipeline, concurrency=self.concurrency)
            rows: dict[str, list[str]] = {"cluster_id": [], "kind": [], "record": []}
            for kind, path in (("brief", out), ("failure", default_failures_path(out))):
                for record in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
                    rows["cluster_id"].append(json.loads(record)["cluster_id"])
                    rows["kind"].append(kind)
                    rows["record"].append(record)
        return rows


def _ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.add(record_key(json.loads(line)))  # ids by exact JSON value, as run_batch keys them
        except (json.JSONDecodeError, KeyError, TypeError):
            pass  # a torn last line: that cluster is simply done again
    return out


def _line_id(line: str, n: int) -> str:
    try:
        return id_key(json.loads(line)["id"])
    except (json.JSONDecodeError, KeyError, TypeError):
        # run_batch keys an unreadable line by its number; here that is its number within its block,
        # so such a line is tried again on a rerun (it fails fast).
        return f"line:{n}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clusters", type=Path, help="cluster JSONL")
    ap.add_argument("-o", "--output", type=Path, required=True, help="briefs JSONL (appended, resumable)")
    ap.add_argument("--workers", type=int, default=2, help="Ray actors, each with its own Pipeline")
    ap.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="clusters in flight per actor")
    ap.add_argument("--block-size", type=int, default=8, help="clusters per map_batches call")
    ap.add_argument("--model")
    ap.add_argument("--base-url")
    ap.add_argument("--fake-server", action="store_true", help="serve answers from tests/fault_server.py")
    args = ap.parse_args(argv)

    out, fails = args.output, default_failures_path(args.output)
    already = _ids(out) | _ids(fails)
    lines = [ln for ln in args.clusters.read_text(encoding="utf-8").splitlines() if ln.strip()]
    todo = [ln for n, ln in enumerate(lines, 1) if _line_id(ln, n) not in already]
    print(f"{len(lines)} cluster(s), {len(lines) - len(todo)} already done, {len(todo)} to do", file=sys.stderr)
    if not todo:
        return 0

    server = None
    flags: dict[str, Any] = {"model": args.model, "base_url": args.base_url, "concurrency": args.concurrency}
    if args.fake_server:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from fault_server import FaultServer

        server = FaultServer(latency=0.1).start()
        flags.update(backend="openai", base_url=server.base_url, api_key="demo", model="fault-model",
                     use_cache=False)

    ray.init(num_cpus=args.workers + 1, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    t0 = time.perf_counter()
    counts = {"brief": 0, "failure": 0}
    try:
        ds = ray.data.from_items([{"line": ln} for ln in todo]).map_batches(
            SummarizeBlock,
            fn_constructor_kwargs={"flags": flags, "concurrency": args.concurrency},
            batch_size=args.block_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=args.workers),
            num_cpus=1,
        )
        with LineAppender(out) as out_file, LineAppender(fails) as fail_file:
            for row in ds.iter_rows():  # rows stream back as blocks finish; each line is durable
                (out_file if row["kind"] == "brief" else fail_file).append(str(row["record"]))
                counts[str(row["kind"])] += 1
    finally:
        ray.shutdown()
        if server is not None:
            server.stop()
    print(f"{counts['brief']} summarized, {counts['failure']} failed in {time.perf_counter() - t0:.1f}s; "
          f"briefs in {out}, failures in {fails}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Batch under fire: >= 200 clusters against a fault-injecting server, through the real pipeline.

    python benchmarks/batch_faults.py                       # 200 clusters, concurrency 8, 10% faults
    python benchmarks/batch_faults.py --n 400 --concurrency 16 --latency 0.3

Clusters are the 40 dev clusters (../shared/evalsets/allsides-dev.jsonl) cycled with
distinct ids, or synthetic ones when that file is absent. Every request goes through
``OpenAIBackend`` (the real openai SDK over HTTP) to ``tests/fault_server.py``, which
answers after ``--latency`` seconds and injects a fault into ``--fault-rate`` of the
requests, evenly mixed: 429 (Retry-After), 500, dropped connection, hang past the
client timeout, truncated JSON, and JSON that fails the schema.

It prints clusters completed, failed (with reasons), lost and duplicated (both from an
independent read of the output files), and wall time against the ideal for the chosen
concurrency: ``n_clusters / concurrency * latency`` (one call per cluster, no faults).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fault_server import Fault, FaultServer

from summarizer.backends.openai import OpenAIBackend
from summarizer.batch.run import default_failures_path, read_clusters, run_batch
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.schema import Article, Cluster
from summarizer.settings import DEFAULT_MAX_RETRIES

DEV_SET = ROOT.parent / "shared" / "evalsets" / "allsides-dev.jsonl"


def synthetic_cluster(i: int) -> Cluster:
    town = f"Town{i}"
    return Cluster(id=f"synthetic-{i}", articles=[
        Article(id=side, outlet=f"{side.title()} Daily", title=f"{town} passes budget",
                text=f"The council of {town} approved a budget of {i + 3} million dollars on Monday. "
                     f"The {side} paper said the vote was close. Residents will see new services next year.")
        for side in ("left", "center", "right")
    ])


def make_clusters(n: int, source: Path | None) -> list[Cluster]:
    """``n`` clusters with distinct ids, cycling the source clusters."""
    base = [c for c in read_clusters(source) if isinstance(c, Cluster)] if source and source.exists() else []
    if not base:
        return [synthetic_cluster(i) for i in range(n)]
    out = []
    for i in range(n):
        c = base[i % len(base)]
        out.append(c.model_copy(update={"id": f"{c.id}#{i // len(base)}"}))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="clusters (default 200)")
    ap.add_argument("--concurrency", type=int, default=8, help="clusters in flight (default 8)")
    ap.add_argument("--latency", type=float, default=0.25, help="server seconds per answer (default 0.25)")
    ap.add_argument("--fault-rate", type=float, default=0.10, help="share of requests faulted (default 0.10)")
    ap.add_argument("--timeout", type=float, default=1.0, help="client timeout in seconds (hangs last 3x this)")
    ap.add_argument("--max-retries", type=int, default=DEFAULT_MAX_RETRIES,
                    help=f"transport retries per call (default {DEFAULT_MAX_RETRIES})")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clusters", type=Path, default=DEV_SET, help="cluster JSONL to cycle (default: dev set)")
    ap.add_argument("--out", type=Path, help="directory for briefs/failures (default: a temp dir)")
    ap.add_argument("-v", "--verbose", action="store_true", help="log each retry and failure")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")

    clusters = make_clusters(args.n, args.clusters)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="batch-faults-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "briefs.jsonl"
    for p in (out, default_failures_path(out)):
        p.unlink(missing_ok=True)  # a fresh run, not a resume

    mix = [Fault.rate_limit(retry_after=0.2), Fault.server_error(500), Fault.drop(),
           Fault.hang(args.timeout * 3), Fault.truncated(), Fault.bad_schema()]
    with FaultServer(fault_rate=args.fault_rate, fault_mix=mix, seed=args.seed, latency=args.latency,
                     hang_s=args.timeout * 3) as srv:
        backend = OpenAIBackend("fault-model", api_key="benchmark-key", base_url=srv.base_url,
                                timeout=args.timeout, max_retries=args.max_retries)
        # The pipeline's own call semaphore must not be the bottleneck; the cache would skip the server.
        config = Config(use_cache=False, concurrency=args.concurrency, max_reasks=1, timeout=args.timeout)
        pipeline = Pipeline(backend, config)
        t0 = time.perf_counter()
        report = run_batch(clusters, out, pipeline=pipeline, concurrency=args.concurrency)
        wall = time.perf_counter() - t0
        served = Counter(srv.served)
        n_requests = len(srv.completions)

    # An independent audit of the files, not the report's own counters.
    done = Counter(json.loads(x)["cluster_id"] for x in out.read_text().splitlines())
    fails_path = default_failures_path(out)
    failed = Counter(json.loads(x)["cluster_id"] for x in fails_path.read_text().splitlines()) \
        if fails_path.exists() else Counter()
    ids = {c.id for c in clusters}
    lost = len(ids - set(done) - set(failed))
    duplicated = sum(n - 1 for n in done.values()) + sum(n - 1 for n in failed.values()) + len(set(done) & set(failed))
    briefs = [json.loads(x)["brief"] for x in out.read_text().splitlines()]
    retries = sum(b["run"]["transport_retries"] for b in briefs)
    reasks = sum(b["run"]["reasks"] for b in briefs)
    ideal = args.n / args.concurrency * args.latency
    faults = {k: v for k, v in served.items() if k != "ok"}

    print(f"clusters:      {args.n} (concurrency {args.concurrency}, latency {args.latency}s, "
          f"fault rate {args.fault_rate:.0%}, client timeout {args.timeout}s, max retries {args.max_retries})")
    print(f"requests:      {n_requests} ({sum(faults.values())} faulted: "
          + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())) + ")")
    print(f"completed:     {len(done)}  (transport retries {retries}, re-asks {reasks} in completed briefs)")
    print(f"failed:        {len(failed)}" + (f"  ({', '.join(f'{k} {v}' for k, v in report.failure_reasons().most_common())})"
                                             if failed else ""))
    for cid, reason in list(report.failed.items())[:10]:
        print(f"  {cid}: {reason[:160]}")
    print(f"lost:          {lost}")
    print(f"duplicated:    {duplicated}")
    print(f"wall time:     {wall:.1f}s vs ideal {ideal:.1f}s ({args.n}/{args.concurrency} x {args.latency}s) "
          f"= {wall / ideal:.2f}x")
    print(f"output:        {out}")
    return 0 if lost == 0 and duplicated == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

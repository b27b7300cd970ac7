"""Reliability scenarios of issue #16, against the loopback fault server (no model, no network).

    python benchmarks/reliability.py                 # all four scenarios, a Markdown table at the end
    python benchmarks/reliability.py --only faults   # one of: faults, writers, huge, kill

Every request goes through ``OpenAIBackend`` (the real openai SDK over HTTP) to
``tests/fault_server.py``; clusters are the dev clusters (or synthetic ones, see
``batch_faults.py``). Lost and duplicated come from an independent read of the output files.

* faults: 200 clusters, 10% faults (429, 500, drops, hangs, truncated and schema-breaking JSON),
  answer cache on; then the same server turned healthy and ``retry_failed=True``.
* writers: two ``summarizer batch`` processes on one output, the second started 1 s later.
* huge: 20 small clusters alone, then the same 20 plus one cluster with a 20 MB article.
* kill: ``summarizer batch`` killed with SIGKILL five times while it writes, rerun after each.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch_faults import DEV_SET, make_clusters
from fault_server import Fault, FaultServer

from summarizer.backends.openai import OpenAIBackend
from summarizer.batch.run import default_failures_path, run_batch
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.schema import Cluster

Row = dict[str, str]


def audit(out: Path, ids: set[str]) -> tuple[int, int, int]:
    """(completed, lost, duplicated) from the files themselves."""
    def read(p: Path) -> Counter[str]:
        return Counter(json.dumps(json.loads(x)["cluster_id"]) for x in p.read_text().splitlines()) \
            if p.exists() else Counter()
    done, failed = read(out), read(default_failures_path(out))
    keys = {json.dumps(i) for i in ids}
    lost = len(keys - set(done) - set(failed))
    dup = sum(n - 1 for n in done.values()) + sum(n - 1 for n in failed.values()) + len(set(done) & set(failed))
    return len(set(done) & keys), lost, dup


def write_clusters(path: Path, clusters: list[Cluster]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": c.id, "title": c.title, "articles": [
                {"id": a.id, "source": a.outlet, "title": a.title, "text": a.text} for a in c.articles]},
                ensure_ascii=False) + "\n" for c in clusters)
    return path


def cli_batch(src: Path, out: Path, base_url: str, cache: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SUMMARIZER_CACHE_DIR": str(cache)}
    env.pop("OPENAI_API_KEY", None)
    return subprocess.Popen([sys.executable, "-m", "summarizer", "batch", str(src), "-o", str(out),
                             "--base-url", base_url, "--model", "fault-model", "-q", *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def pipeline(base_url: str, cache: Path, *, use_cache: bool = True, timeout: float = 1.0) -> Pipeline:
    backend = OpenAIBackend("fault-model", base_url=base_url, timeout=timeout, max_retries=4)
    return Pipeline(backend, Config(cache_dir=cache, use_cache=use_cache, concurrency=8, max_reasks=1,
                                    timeout=timeout))


def faults(work: Path, n: int) -> Row:
    clusters = make_clusters(n, DEV_SET)
    out, cache = work / "faults.jsonl", work / "cache-faults"
    mix = [Fault.rate_limit(retry_after=0.2), Fault.server_error(500), Fault.drop(), Fault.hang(3.0),
           Fault.truncated(), Fault.bad_schema()]
    with FaultServer(fault_rate=0.10, fault_mix=mix, seed=7, latency=0.05, hang_s=3.0) as srv:
        t0 = time.perf_counter()
        first = run_batch(clusters, out, pipeline=pipeline(srv.base_url, cache), concurrency=8)
        wall1 = time.perf_counter() - t0
        served = Counter(r.fault for r in srv.completions)
        srv.fault_rate = 0.0  # the same server (same cache key), healthy now
        before = len(srv.completions)
        t0 = time.perf_counter()
        second = run_batch(clusters, out, pipeline=pipeline(srv.base_url, cache), concurrency=8, retry_failed=True)
        wall2 = time.perf_counter() - t0
        sent = len(srv.completions) - before
    done, lost, dup = audit(out, {c.id for c in clusters})
    bad = served["truncated"] + served["bad_schema"]
    return {"scenario": f"{n} clusters, 10% faults ({bad} truncated/invalid answers), then --retry-failed "
                        "on the healed server, cache on",
            "result": f"first run {len(first.completed)} done, {len(first.failed)} failed "
                      f"({', '.join(f'{k} {v}' for k, v in first.failure_reasons().items()) or 'none'}); retry sent "
                      f"{sent} request(s) for {len(first.failed)} cluster(s), {len(second.completed)} done; "
                      f"{done}/{n} completed",
            "lost": str(lost), "duplicated": str(dup), "wall": f"{wall1:.1f} s + {wall2:.1f} s"}


def writers(work: Path) -> Row:
    clusters = make_clusters(30, DEV_SET)
    src = write_clusters(work / "writers-in.jsonl", clusters)
    out, cache = work / "writers.jsonl", work / "cache-writers"
    with FaultServer(latency=0.3) as srv:
        t0 = time.perf_counter()
        first = cli_batch(src, out, srv.base_url, cache, "--concurrency", "2", "--no-cache")
        time.sleep(1.0)
        t1 = time.perf_counter()
        second = cli_batch(src, out, srv.base_url, cache, "--concurrency", "2", "--no-cache")
        _, err = second.communicate(timeout=120)
        refused_after = time.perf_counter() - t1
        first.communicate(timeout=600)
        wall = time.perf_counter() - t0
    done, lost, dup = audit(out, {c.id for c in clusters})
    message = err.decode("utf-8", "replace").strip().splitlines()[-1][:200] if err else ""
    return {"scenario": "two `summarizer batch` processes on one output (30 clusters), second 1 s later",
            "result": f"first exit {first.returncode}, {done}/30 completed; second exit {second.returncode} "
                      f"after {refused_after:.1f} s: \"{message}\"",
            "lost": str(lost), "duplicated": str(dup), "wall": f"{wall:.1f} s"}


def _small_times(clusters: list[Cluster], out: Path, base_url: str, cache: Path) -> tuple[float, dict[str, str]]:
    """Seconds until the last small cluster finished, and each failure's reason."""
    finished: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(event: object) -> None:
        item = getattr(event, "item", None)
        if item:
            finished[item] = time.perf_counter() - t0

    report = run_batch(clusters, out, pipeline=pipeline(base_url, cache, use_cache=False), concurrency=4,
                       progress=progress)
    small = [t for cid, t in finished.items() if not cid.startswith("huge")]
    return max(small), {cid: why for cid, why in report.failed.items()} | {
        "_huge_at": f"{finished.get('huge', float('nan')):.1f}"}


def huge(work: Path) -> Row:
    clusters = make_clusters(20, DEV_SET)
    with FaultServer(latency=0.05) as srv:
        _small_times(clusters[:4], work / "huge-warmup.jsonl", srv.base_url, work / "cache-huge")  # imports, tokenizer
        alone, _ = _small_times(clusters, work / "huge-alone.jsonl", srv.base_url, work / "cache-huge")
        big_text = ("The council approved the budget on Monday after a long debate. " * 320_000)[:20_000_000]
        src = write_clusters(work / "huge-in.jsonl", [*clusters[:10], Cluster(id="huge", articles=[
            clusters[0].articles[0].model_copy(update={"id": "big", "text": big_text})]), *clusters[10:]])
        t0 = time.perf_counter()
        together, failed = _small_times(src, work / "huge.jsonl", srv.base_url, work / "cache-huge")  # type: ignore[arg-type]
        wall = time.perf_counter() - t0
    done, lost, dup = audit(work / "huge.jsonl", {c.id for c in clusters} | {"huge"})
    reason = failed.get("huge", "summarized")[:300]
    return {"scenario": "20 small clusters, then the same 20 plus one 20 MB article",
            "result": f"{done}/20 small ones done, in {alone:.1f} s alone and {together:.1f} s "
                      "with the big one; big one after "
                      f"{failed['_huge_at']} s: {reason}",
            "lost": str(lost), "duplicated": str(dup), "wall": f"{wall:.1f} s"}


def kill(work: Path, seed: int) -> Row:
    clusters = make_clusters(200, DEV_SET)
    src = write_clusters(work / "kill-in.jsonl", clusters)
    out, cache = work / "kill.jsonl", work / "cache-kill"
    rng = random.Random(seed)
    moments: list[str] = []
    with FaultServer(latency=0.2, fault_rate=0.05, seed=seed) as srv:
        t0 = time.perf_counter()
        for _ in range(5):
            proc = cli_batch(src, out, srv.base_url, cache, "--concurrency", "2")
            # Kill while it writes: after a random number of new lines, at a random moment after that.
            start = len(out.read_text().splitlines()) if out.exists() else 0
            target, extra = start + rng.randint(3, 25), rng.uniform(0.0, 0.3)
            while proc.poll() is None and (len(out.read_text().splitlines()) if out.exists() else 0) < target:
                time.sleep(0.02)
            time.sleep(extra)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                done, _, _ = audit(out, {c.id for c in clusters})
                moments.append(f"{done}")
        final = cli_batch(src, out, srv.base_url, cache, "--concurrency", "4", "--retry-failed")
        final.communicate(timeout=600)
        wall = time.perf_counter() - t0
    done, lost, dup = audit(out, {c.id for c in clusters})
    return {"scenario": "200 clusters (5% faults), `kill -9` five times while it writes (after a random 3–25 "
                        "new lines), rerun after each",
            "result": f"killed with {', '.join(moments)} briefs written; final run exit {final.returncode}, {done}/200 completed",
            "lost": str(lost), "duplicated": str(dup), "wall": f"{wall:.1f} s"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["faults", "writers", "huge", "kill"], action="append")
    ap.add_argument("--n", type=int, default=200, help="clusters in the faults scenario (default 200)")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="reliability-"))
    scenarios = {"faults": lambda: faults(work, args.n), "writers": lambda: writers(work),
                 "huge": lambda: huge(work), "kill": lambda: kill(work, args.seed)}
    rows = []
    for name in args.only or list(scenarios):
        rows.append(scenarios[name]())
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print("\n| scenario | result | lost | duplicated | wall |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scenario']} | {r['result']} | {r['lost']} | {r['duplicated']} | {r['wall']} |")
    return 0 if all(r["lost"] == "0" and r["duplicated"] == "0" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""What evaluating the shared prompt prefix once per process saves, on a batch of dev clusters.

    python benchmarks/prefix_reuse.py --clusters 40            # the 40 AllSides dev clusters
    python benchmarks/prefix_reuse.py --clusters 10 --json out.json

Every prompt of the pipeline opens with the same tokens: the system prompt and the prose call's
instructions, before the cluster's facts (``prompts/system.j2``, ``prompts/prose.j2``). llama.cpp keeps
the KV cache of the last prompt, and llama-cpp-python evaluates only what follows the longest prefix
the new prompt shares with it, so a process that summarizes many clusters (``batch``, ``digest``,
``eval``) evaluates that prefix once. This benchmark runs the same clusters through one loaded model
twice, in one process: as the pipeline does (``reuse``), and with the model's state reset before each
cluster (``cold``), as separate processes would. Per pass: prompt tokens the model evaluated, their
seconds, and wall time, in total and per cluster. The answers are the same in both passes (greedy
decoding; the check is reported), so the saving is all prompt evaluation.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness


def run_pass(backend: Any, config: Any, cases: list[Any], cold: bool) -> dict[str, Any]:
    """Summarize every case once; ``cold`` resets the model's state before each."""
    from summarizer.pipeline import Pipeline

    pipeline = Pipeline(backend, config)
    evaluated = seconds = 0.0
    texts = []
    started = time.perf_counter()
    for case in cases:
        if cold:
            backend.load().reset()  # forget the cached prompt: the next one is evaluated whole
        brief = pipeline.run(case.articles)
        timings = backend.last_timings
        evaluated += timings.prompt_tokens
        seconds += timings.prompt_seconds
        texts.append(" ".join(s.text for s in brief.summary))
    wall = time.perf_counter() - started
    n = len(cases)
    return {"pass": "cold" if cold else "reuse", "clusters": n, "prompt_tokens_evaluated": int(evaluated),
            "prompt_s": round(seconds, 1), "wall_s": round(wall, 1), "wall_per_cluster_s": round(wall / n, 2),
            "prompt_s_per_cluster": round(seconds / n, 2), "summaries": texts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=40, help="dev clusters (default all 40)")
    ap.add_argument("--json", type=Path, default=harness.RESULTS / "prefix_reuse.json")
    harness.add_backend_args(ap)
    args = ap.parse_args(argv)
    if args.backend != "local":
        ap.error("prefix reuse is measured on the embedded model (--backend local)")
    from summarizer_evals.datasets import load_dataset

    config = harness.config_from(args, use_cache=False)
    backend = harness.make_backend(config)
    cases = load_dataset("dev", limit=args.clusters).cases
    progress = lambda m: print(m, file=sys.stderr, flush=True)
    rows = []
    for cold in (True, False):
        row = run_pass(backend, config, cases, cold)
        progress(f"{row['pass']}: {row['wall_s']} s, {row['prompt_tokens_evaluated']} prompt tokens evaluated")
        rows.append(row)
    same = rows[0]["summaries"] == rows[1]["summaries"]
    table = [{k: v for k, v in r.items() if k != "summaries"} for r in rows]
    cold, warm = table
    saved = {"pass": "saved", "clusters": cold["clusters"],
             "prompt_tokens_evaluated": cold["prompt_tokens_evaluated"] - warm["prompt_tokens_evaluated"],
             "prompt_s": round(cold["prompt_s"] - warm["prompt_s"], 1), "wall_s": round(cold["wall_s"] - warm["wall_s"], 1),
             "wall_per_cluster_s": round(cold["wall_per_cluster_s"] - warm["wall_per_cluster_s"], 2),
             "prompt_s_per_cluster": round(cold["prompt_s_per_cluster"] - warm["prompt_s_per_cluster"], 2)}
    columns = [("pass", "pass"), ("clusters", "clusters"), ("prompt_tokens_evaluated", "prompt tokens evaluated"),
               ("prompt_s", "prompt s"), ("prompt_s_per_cluster", "prompt s / cluster"), ("wall_s", "wall s"),
               ("wall_per_cluster_s", "wall s / cluster")]
    print(harness.markdown([*table, saved], columns))
    print(f"\nsame summaries in both passes: {same}")
    harness.dump(args.json, {"model": backend.model, "passes": table, "saved": saved, "same_summaries": same})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

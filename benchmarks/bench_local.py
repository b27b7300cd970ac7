"""Benchmark the embedded models on the seed cluster (articles 001-004).

Each model runs in a fresh subprocess so peak RSS is its own. The cache is off,
so every run calls the model. Prints a Markdown table (docs/speed.md's) and writes
benchmarks/results/local.json.

    python benchmarks/bench_local.py [--models qwen2.5-1.5b qwen2.5-0.5b] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "putin-nk-troops"

CHILD = r"""
import json, resource, sys, time
from summarizer import load_articles
from summarizer.backends.factory import make_backend
from summarizer.config import resolve
from summarizer.pipeline import Pipeline

name, example = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
config = resolve({"backend": "local", "local_model": name, "use_cache": False})
backend = make_backend(config)
articles = load_articles(example)
backend.count_tokens("warm up")  # forces assembly check + model load, timed separately
load_s = time.perf_counter() - t0
brief = Pipeline(backend, config).run(articles)
wall = time.perf_counter() - t0
g = brief.grounding
print(json.dumps({
    "model": name, "load_s": round(getattr(backend, "load_seconds", load_s), 2), "wall_s": round(wall, 1),
    "pipeline_s": brief.run.duration_s, "llm_calls": brief.run.llm_calls, "reasks": brief.run.reasks,
    "prompt_tokens": brief.run.prompt_tokens, "completion_tokens": brief.run.completion_tokens,
    "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2),
    "summary_sentences": len(brief.summary), "quotes": len(brief.quotes),
    "perspectives": len(brief.perspectives), "disagreements": len(brief.disagreements),
    "sentences_dropped": g.sentences_dropped, "quotes_dropped": g.quotes_dropped,
    "summary": str(brief.summary),
}))
"""


def main() -> int:
    from summarizer.settings import LOCAL_MODELS

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=list(LOCAL_MODELS))
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    rows = []
    for name in args.models:
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, name, str(EXAMPLE)], capture_output=True,
                                 text=True, check=False)
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                return out.returncode
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| model | load s | LLM calls | re-asks | prompt tok | completion tok | wall s | peak RSS GB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['load_s']} | {r['llm_calls']} | {r['reasks']} | {r['prompt_tokens']} | "
              f"{r['completion_tokens']} | {r['wall_s']} | {r['peak_rss_gb']} |")
    for r in rows:
        print(f"\n{r['model']}: {r['summary']}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "local.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

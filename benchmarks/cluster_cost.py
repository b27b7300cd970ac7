"""What a brief costs as its cluster grows: 1, 4, 16, 64 and 256 articles, one model.

    python benchmarks/cluster_cost.py --no-cache                       # embedded model, all sizes
    python benchmarks/cluster_cost.py --no-cache --sizes 1 4 16 --synthesis articles
    python benchmarks/cluster_cost.py --backend openai --base-url http://127.0.0.1:8080/v1 --no-cache

Clusters come from real text (``benchmarks/corpus.py``): a cluster of N is the chosen story's own
articles first (``--story``, default the seed cluster: 4 articles; a dev story has 3), then the
real articles most similar to that story (TF-IDF cosine to the story's text, over the 120 dev
excerpts and the seed), then, past the 124 real ones, recombinations of those related articles
(sentences of 2-3 of them mixed, names kept, numbers redrawn) so a 256 cluster stays on topic
and near-duplicate detection does not fold it. Near-duplicates are marked as ingest does.

Each size runs in its own child process, so peak RSS is that size's (model included); the model
load is timed apart and left out of the wall time. Reported per size: LLM calls, re-asks, prompt
and completion tokens, wall time, peak RSS and the plan the pipeline chose. With the default
fact-sheet synthesis the prompt is the fact sheet (at most 1,200 tokens of facts), so calls and
tokens should stay nearly flat as the cluster grows; ``--synthesis articles`` shows the
whole-article path (map-reduce past the context budget) for comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus
import harness

from summarizer.errors import SummarizerError

COLUMNS = [("articles", "articles"), ("unique", "unique"), ("plan", "plan"), ("llm_calls", "LLM calls"),
           ("reasks", "re-asks"), ("cache_hits", "cache hits"), ("prompt_tokens", "prompt tok"),
           ("completion_tokens", "completion tok"), ("wall_s", "wall s"), ("load_s", "load s"),
           ("peak_rss_mb", "peak RSS MB"), ("error", "error")]


def cluster(n: int, story: str) -> list[Any]:
    """The n-article cluster (see the module docstring), near-duplicates marked."""
    from summarizer.ingest import mark_duplicates

    return mark_duplicates(corpus.related_cluster(n, corpus.real_stories(), story))


def run_size(args: argparse.Namespace, n: int) -> dict[str, Any]:
    """Summarize the n-article cluster in this process; one result row."""
    from summarizer.pipeline import Pipeline

    articles = cluster(n, args.story)
    config = harness.config_from(args, synthesis=args.synthesis)
    t0 = time.perf_counter()
    backend = harness.make_backend(config)
    load_s = getattr(backend, "load_seconds", None) or (time.perf_counter() - t0)
    row: dict[str, Any] = {"articles": len(articles), "unique": sum(1 for a in articles if not a.duplicate_of),
                           "chars": sum(len(a.text) for a in articles), "backend": config.resolved_backend,
                           "model": backend.model, "synthesis": args.synthesis, "load_s": round(load_s, 2)}
    t0 = time.perf_counter()
    try:
        brief = Pipeline(backend, config).run(articles)
    except SummarizerError as exc:  # a failed size is a result; the other sizes still run
        row.update(error=f"{type(exc).__name__}: {str(exc)[:200]}", wall_s=round(time.perf_counter() - t0, 1),
                   peak_rss_mb=harness.peak_rss_mb())
        return row
    r = brief.run
    row.update(plan=r.plan, llm_calls=r.llm_calls, reasks=r.reasks, cache_hits=r.cache_hits,
               prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens,
               wall_s=round(time.perf_counter() - t0, 1), peak_rss_mb=harness.peak_rss_mb(),
               summary_sentences=len(brief.summary), sources_cited=len({s for x in brief.summary for s in x.sources}))
    return row


def child(args: argparse.Namespace, n: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(n), "--story", args.story,
           "--synthesis", args.synthesis, *harness.backend_argv(args)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return {"articles": n, "error": (out.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16, 64, 256])
    ap.add_argument("--story", default=corpus.SEED_STORY, help="story the clusters are about (a dev id, or the seed)")
    ap.add_argument("--synthesis", choices=["facts", "articles"], default="facts",
                    help="facts: the fact sheet (default); articles: whole articles, map-reduce when too long")
    ap.add_argument("--in-process", action="store_true",
                    help="all sizes in this process, the model loaded once (peak RSS is then cumulative)")
    ap.add_argument("--json", type=Path, default=harness.RESULTS / "cluster_cost.json")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    harness.add_backend_args(ap)
    args = ap.parse_args(argv)
    if args.child is not None:
        print(json.dumps(run_size(args, args.child)))
        return 0
    rows = []
    for n in args.sizes:
        rows.append(run_size(args, n) if args.in_process else child(args, n))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(harness.markdown(rows, COLUMNS))
    harness.dump(args.json, rows)
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

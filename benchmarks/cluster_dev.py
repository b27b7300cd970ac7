"""Clustering quality on the pooled AllSides dev articles: pool, shuffle, re-cluster, score.

All articles of the 40 dev clusters (``../shared/evalsets/allsides-dev.jsonl``, read in place,
never copied) are pooled and shuffled, clustered by :func:`summarizer.stories.cluster.cluster_labels`,
and scored against the true clusters: adjusted Rand index, homogeneity and completeness
(scikit-learn), and how many true stories were split or merged. No model is loaded.

Two conditions, because the dev set dates each story, not each article:

- ``text only``: no dates at all, so two stories on one topic weeks apart look alike;
- ``dated``: each article gets the date in its URL when it has one (41 of 120; 20 of those differ
  from the story's date, by up to 7 days), else its story's date moved by a random -18 h..+6 h,
  as outlets publish around the event.

    python benchmarks/cluster_dev.py                 # the threshold table (markdown)
    python benchmarks/cluster_dev.py --seeds 5       # mean over 5 shuffles
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, completeness_score, homogeneity_score

from summarizer.schema import Article
from summarizer.stories.cluster import ClusterOptions, cluster_labels

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "evalsets" / "allsides-dev.jsonl"
URL_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)/")


def pooled(path: Path, *, seed: int, dated: bool) -> tuple[list[Article], list[str]]:
    """(shuffled articles with unique ids, their true cluster ids)."""
    rng = random.Random(seed)
    rows: list[tuple[Article, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        when = datetime.fromisoformat(story["date"]).astimezone(timezone.utc)
        for rec in story["articles"]:
            published = None
            if dated:
                m = URL_DATE.search(rec.get("url") or "")
                published = (datetime(int(m[1]), int(m[2]), int(m[3]), 12, tzinfo=timezone.utc) if m
                             else when + timedelta(hours=rng.uniform(-18, 6)))
            art = Article(id=f"{story['id']}/{rec['id']}", outlet=rec.get("source"), title=rec.get("title", ""),
                          url=None if not dated else rec.get("url"), text=rec["text"], published_at=published)
            rows.append((art, story["id"]))
    rng.shuffle(rows)
    return [a for a, _ in rows], [t for _, t in rows]


def split_merged(truth: list[str], pred: np.ndarray) -> tuple[int, int]:
    """(true stories spread over more than one cluster, clusters holding more than one true story)."""
    by_true: dict[str, set[int]] = {}
    by_pred: dict[int, set[str]] = {}
    for t, p in zip(truth, pred):
        by_true.setdefault(t, set()).add(int(p))
        by_pred.setdefault(int(p), set()).add(t)
    return sum(len(v) > 1 for v in by_true.values()), sum(len(v) > 1 for v in by_pred.values())


def score(opts: ClusterOptions, *, seeds: int, dated: bool) -> dict[str, float]:
    runs = []
    for seed in range(seeds):
        arts, truth = pooled(DEV, seed=seed, dated=dated)
        t0 = time.perf_counter()
        pred = cluster_labels(arts, opts)
        wall = time.perf_counter() - t0
        split, merged = split_merged(truth, pred)
        runs.append({"ari": adjusted_rand_score(truth, pred), "homogeneity": homogeneity_score(truth, pred),
                     "completeness": completeness_score(truth, pred), "clusters": int(pred.max()) + 1,
                     "split": split, "merged": merged, "wall_s": wall})
    return {k: statistics.fmean(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3, help="shuffles averaged per row (default 3)")
    ap.add_argument("--thresholds", default="0.08,0.10,0.12,0.14,0.16,0.20,0.25")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    if not DEV.exists():
        raise SystemExit(f"{DEV} not found: the dev set lives in the shared folder beside the repository")
    default = ClusterOptions()
    rows = []
    print("| dates | threshold | ARI | homogeneity | completeness | clusters (true 40) | stories split | "
          "clusters merged |")
    print("|---|---|---|---|---|---|---|---|")
    for dated in (True, False):
        for th in (float(t) for t in args.thresholds.split(",")):
            r = score(ClusterOptions(threshold=th), seeds=args.seeds, dated=dated)
            rows.append({"dated": dated, "threshold": th, **r})
            mark = "**" if th == default.threshold else ""
            print(f"| {'dated' if dated else 'text only'} | {mark}{th:.2f}{mark} | {mark}{r['ari']:.3f}{mark} | "
                  f"{r['homogeneity']:.3f} | {r['completeness']:.3f} | {r['clusters']:.1f} | {r['split']:.1f} | "
                  f"{r['merged']:.1f} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

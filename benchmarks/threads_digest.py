"""Digest runs day by day into one site, with the embedded model: stories that continue are updated in place.

The AllSides dev set split by date (``benchmarks/threads_dev.py``) is fed to ``digest`` one day at a
time, into one site folder, as article JSONL files (a feed reader's day). Reports, per run, the
stories opened, updated and already known; which updates were right (the gold threads of
``threads_dev.py``); and the model calls and tokens the updates cost against what a fresh brief of the
same clusters costs (the same pipeline, run once on each continuing cluster after the digest).

    python benchmarks/threads_digest.py --site /tmp/threads-site [--days 4]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from threads_dev import DEV, THREAD_OF, days

from summarizer import Pipeline
from summarizer.config import resolve
from summarizer.stories.digest import digest, saved_briefs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", required=True, help="the site folder (emptied first)")
    ap.add_argument("--days", type=int, default=0, help="only the first N days (0: all)")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    site = Path(args.site)
    if site.exists():
        for p in sorted(site.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    inputs = site.parent / (site.name + "-inputs")
    inputs.mkdir(parents=True, exist_ok=True)
    daily, truth = days(DEV)
    daily = daily[: args.days] if args.days else daily
    truth |= {k.replace("/", "-"): v for k, v in truth.items()}  # ingest makes "story/side" a file-safe id
    pipeline = Pipeline(config=resolve({"use_cache": False}))
    rows, links = [], []
    t_all = time.perf_counter()
    for articles in daily:
        day = articles[0].published_at.date().isoformat()
        path = inputs / f"{day}.jsonl"
        path.write_text("".join(json.dumps({"id": a.id, "source": a.outlet, "title": a.title, "url": a.url,
                                            "date": a.published_at.isoformat(), "text": a.text}) + "\n"
                                for a in articles), encoding="utf-8")
        t0 = time.perf_counter()
        report = digest([path], site, pipeline=pipeline)
        briefs, _ = saved_briefs(site / "briefs.jsonl")
        for sid in report.updated:
            b = briefs[sid]
            opened = Counter(truth.get(s.article_id, "?") for s in b.sources[:3]).most_common(1)[0][0]
            added = Counter(truth.get(a, "?") for a in b.versions[-1].articles_added).most_common(1)[0][0]
            v = b.versions[-1]
            links.append({"day": day, "story": sid, "opened_by": opened, "continued_by": added,
                          "right": THREAD_OF.get(opened, -1) == THREAD_OF.get(added, -2),
                          "calls": v.llm_calls, "prompt_tokens": v.prompt_tokens, "completion_tokens": v.completion_tokens})
        rows.append({"day": day, "articles": len(articles), "new": len(report.new), "updated": len(report.updated),
                     "known": len(report.unchanged), "failed": len(report.failed), "wall_s": round(time.perf_counter() - t0, 1)})
        print(rows[-1], flush=True)
    wall = time.perf_counter() - t_all
    # What re-summarizing would have cost: a fresh brief of each continuing cluster (its new articles alone).
    fresh = []
    for link in links:
        b = saved_briefs(site / "briefs.jsonl")[0][link["story"]]
        ids = set(b.versions[-1].articles_added)
        arts = [a for day in daily for a in day if a.id.replace("/", "-") in ids]
        brief = pipeline.run(arts)
        fresh.append({"calls": brief.run.llm_calls, "prompt_tokens": brief.run.prompt_tokens,
                      "completion_tokens": brief.run.completion_tokens})
    out = {"runs": rows, "updates": links, "fresh_briefs_of_the_same_clusters": fresh, "wall_s": round(wall, 1)}
    for what, items in (("updates", links), ("fresh briefs instead", fresh)):
        print(f"{what}: {len(items)}, calls {sum(i['calls'] for i in items)}, "
              f"tokens {sum(i['prompt_tokens'] for i in items)} + {sum(i['completion_tokens'] for i in items)}")
    print(f"right: {sum(x['right'] for x in links)} of {len(links)} updates")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

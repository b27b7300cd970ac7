"""Threading stories across days on the AllSides dev set: which new cluster continues which story.

The 40 dev stories (``../shared/evalsets/allsides-dev.jsonl``, read in place) are split by their
date into days, 28 Sep to 18 Oct 2021. Each day's articles are clustered as ``digest`` clusters them,
and each cluster either continues an earlier story (:func:`summarizer.stories.threads.continuations`)
or opens a new one, exactly as ``digest`` decides before any model call. No model is loaded.

The gold threads are those the issue names, fixed before any run: three Texas abortion-law rulings
(7, 9, 15 Oct), two Merck pill stories (1, 11 Oct), two debt-limit deals (6, 8 Oct), two
infrastructure votes (28 Sep, 1 Oct): five links. A link is right when the new cluster's stories
(by majority of its articles) and the story it continues belong to one gold thread.

    python benchmarks/threads_dev.py                  # the threshold table, and the links at the default
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from summarizer.schema import Article, Cluster
from summarizer.stories.cluster import cluster_articles
from summarizer.stories.threads import THREAD_DAYS, THREAD_MIN, continuations

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "evalsets" / "allsides-dev.jsonl"
GOLD = [("allsides-5638", "allsides-5631", "allsides-5615"), ("allsides-5653", "allsides-5629"),
        ("allsides-5639", "allsides-5633"), ("allsides-5663", "allsides-5654")]
THREAD_OF = {sid: n for n, group in enumerate(GOLD) for sid in group}


def days(path: Path) -> tuple[list[list[Article]], dict[str, str]]:
    """The dev articles by day (oldest first; ids ``story/side``), and each article's true story."""
    by_day: dict[str, list[Article]] = {}
    truth: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        when = datetime.fromisoformat(story["date"])
        for rec in story["articles"]:
            art = Article(id=f"{story['id']}/{rec['id']}", outlet=rec.get("source"), title=rec.get("title", ""),
                          url=rec.get("url"), text=rec["text"], published_at=when)
            by_day.setdefault(when.date().isoformat(), []).append(art)
            truth[art.id] = story["id"]
    return [by_day[d] for d in sorted(by_day)], truth


def _story(cluster: Cluster, truth: dict[str, str]) -> str:
    return Counter(truth[a.id] for a in cluster.articles).most_common(1)[0][0]


def run(threshold: float, window: float) -> tuple[list[tuple[str, str, float, bool]], int]:
    """(links: new story, continued story, similarity, right), and the gold links."""
    daily, truth = days(DEV)
    stories: dict[str, Cluster] = {}  # story id -> its merged cluster
    opened_by: dict[str, str] = {}  # story id -> the dev story that opened it
    links = []
    for articles in daily:
        clusters = cluster_articles(articles)
        found = continuations(clusters, list(stories.values()), threshold=threshold, days=window)
        for c in clusters:
            if c.id in found:
                sid, sim = found[c.id]
                s = stories[sid]
                stories[sid] = s.model_copy(update={"articles": [*s.articles, *c.articles]})
                new, old = _story(c, truth), opened_by[sid]
                links.append((new, old, sim, THREAD_OF.get(new, -1) == THREAD_OF.get(old, -2)))
            else:
                stories[c.id] = c
                opened_by[c.id] = _story(c, truth)
    return links, sum(len(g) - 1 for g in GOLD)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--thresholds", default="0.15,0.20,0.25,0.30,0.35,0.40,0.50")
    ap.add_argument("--days", type=float, default=THREAD_DAYS)
    args = ap.parse_args()
    if not DEV.exists():
        raise SystemExit(f"{DEV} not found: the dev set lives in the shared folder beside the repository")
    print(f"| threshold | links | right | precision | recall (of {sum(len(g) - 1 for g in GOLD)}) |")
    print("|---|---|---|---|---|")
    for th in (float(t) for t in args.thresholds.split(",")):
        links, gold = run(th, args.days)
        right = sum(ok for *_, ok in links)
        print(f"| {th:.2f}{' (default)' if th == THREAD_MIN else ''} | {len(links)} | {right} | "
              f"{right / len(links) if links else 1:.0%} | {right / gold:.0%} |")
    links, _ = run(THREAD_MIN, args.days)
    print(f"\nLinks at the default ({THREAD_MIN}, {args.days:g} days):")
    for new, old, sim, ok in links:
        print(f"- {new} continues {old} ({sim:.2f}) {'right' if ok else 'WRONG'}")


if __name__ == "__main__":
    main()

"""Clustering at scale: 10,000 synthetic but realistic articles, timed, with peak memory.

The articles are built from the 120 AllSides dev articles and the 5 seed articles by
recombining and perturbing them, so their vocabulary, length and entity density are those of
real news (no model, no network):

- a synthetic **story** joins the sentences of two real stories, renames its people and places
  consistently (so stories built from the same sources still name different actors), and gets
  a date in a 60-day window;
- each story is covered by 1 to 12 **outlets** (skewed: about a third are singletons); each
  outlet's article drops and reorders some of the story's sentences, rewords its headline and
  is published within hours of the story's date;
- about 8% of articles are **wire copies** of another article of the same story.

Ground truth is known, so the run also reports ARI. Peak memory is the process's peak RSS
(``ru_maxrss``) and, separately, the peak of Python and NumPy allocations during clustering
(``tracemalloc``).

    python benchmarks/cluster_scale.py                  # 10,000 articles
    python benchmarks/cluster_scale.py -n 2000          # smaller
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, completeness_score, homogeneity_score

from summarizer.schema import Article
from summarizer.stories.cluster import cluster_articles

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "evalsets" / "allsides-dev.jsonl"
SEEDS = ROOT / "examples" / "putin-nk-troops"
NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def real_stories() -> list[tuple[str, list[str]]]:
    """(title, sentences) of each real story: its articles' sentences pooled."""
    stories = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sents = [s for a in rec["articles"] for s in re.split(r"(?<=[.!?])\s+", a["text"]) if len(s) > 40]
        stories.append((rec["title"], sents))
    seed = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    title = seed[0].splitlines()[0]
    stories.append((title, [s for t in seed for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]))
    return stories


def synthetic_story(rng: random.Random, real, names: list[str]) -> tuple[str, list[str]]:
    (ta, sa), (tb, sb) = rng.sample(real, 2)
    sents = rng.sample(sa, min(len(sa), 6)) + rng.sample(sb, min(len(sb), 3))
    rename = {}

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        if word not in rename:
            rename[word] = rng.choice(names) if rng.random() < 0.7 else word
        return rename[word]

    title = NAME.sub(swap, ta if rng.random() < 0.7 else tb)
    return title, [NAME.sub(swap, s) for s in sents]


def outlet_article(rng: random.Random, title: str, sents: list[str]) -> tuple[str, str]:
    kept = [s for s in sents if rng.random() > 0.25] or sents[:2]
    for _ in range(2):  # a few neighbouring sentences change places
        i = rng.randrange(len(kept))
        j = min(len(kept) - 1, i + 1)
        kept[i], kept[j] = kept[j], kept[i]
    words = title.split()
    if len(words) > 4 and rng.random() < 0.6:
        del words[rng.randrange(len(words))]
    return " ".join(words), "\n\n".join(kept)


def build(n: int, seed: int = 0) -> tuple[list[Article], list[int]]:
    rng = random.Random(seed)
    real = real_stories()
    names = sorted({w for _, sents in real for s in sents for w in NAME.findall(s)})
    outlets = [f"Outlet {i:02d}" for i in range(80)]
    articles: list[Article] = []
    truth: list[int] = []
    story = 0
    while len(articles) < n:
        title, sents = synthetic_story(rng, real, names)
        when = START + timedelta(days=rng.uniform(0, 60))
        cover = 1 if rng.random() < 0.35 else min(12, 2 + int(rng.expovariate(1 / 3)))
        first: Article | None = None
        for outlet in rng.sample(outlets, cover):
            if first is not None and rng.random() < 0.08:
                head, text = first.title, first.text  # a wire copy
            else:
                head, text = outlet_article(rng, title, sents)
            art = Article(id=f"s{story}-{len(articles)}", outlet=outlet, title=head, text=text,
                          published_at=when + timedelta(hours=rng.gauss(0, 8)))
            first = first or art
            articles.append(art)
            truth.append(story)
        story += 1
    order = list(range(len(articles)))
    rng.shuffle(order)
    return [articles[i] for i in order[:n]], [truth[i] for i in order[:n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="articles (default 10,000)")
    ap.add_argument("--ingest", action="store_true",
                    help="afterwards, also time load_articles on the same articles as records (the CLI's path)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    articles, truth = build(args.n)
    built = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    clusters = cluster_articles(articles)
    wall = time.perf_counter() - t0
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = {a.id: k for k, c in enumerate(clusters) for a in c.articles}
    pred = [label[a.id] for a in articles]
    ingest_s = None
    if args.ingest:
        import logging

        from summarizer.ingest import load_articles

        logging.getLogger("summarizer.ingest").setLevel(logging.ERROR)  # one warning per copy otherwise
        records = [{"id": a.id, "title": a.title, "text": a.text, "source": a.outlet,
                    "date": a.published_at.isoformat() if a.published_at else None} for a in articles]
        t0 = time.perf_counter()
        load_articles(records)
        ingest_s = round(time.perf_counter() - t0, 1)
    print(json.dumps({
        "articles": len(articles), "true_stories": len(set(truth)), "clusters": len(clusters),
        "singletons": sum(len(c.articles) == 1 for c in clusters),
        "duplicates_marked": sum(c.meta["duplicates"] for c in clusters),
        "build_s": round(built, 1), "cluster_s": round(wall, 1),
        "peak_rss_mb": round(rss_peak), "rss_before_mb": round(rss_before),
        "peak_traced_alloc_mb": round(traced_peak / 2**20),
        "ari": round(adjusted_rand_score(truth, pred), 3),
        "homogeneity": round(homogeneity_score(truth, pred), 3),
        "completeness": round(completeness_score(truth, pred), 3),
        "ingest_load_articles_s": ingest_s,
    }, indent=2))


if __name__ == "__main__":
    main()

"""Adversarial input shapes: preparation time and peak memory by size, and clustering of floods.

News never looks like this, but a scraped page or a hostile feed can, and one such input must
not stall a daily run. Two families, each case in a fresh child process (its peak RSS its own):

* ``prepare``: one article of a single repeated unit, with no sentence end anywhere, at 50k,
  300k and 3M characters by default, through ``Pipeline.prepare`` (evidence, fact sheet, plan,
  request; no model, ``FakeBackend``). The shapes (``SHAPES``): opening quotation marks and
  figures (``"12 "12 ...``), curly quotes that never close, capitalised words, bare numbers,
  one endless clause, "Officials said 12" chains, and a mix of all of them.
* ``cluster``: ``cluster_articles`` on 4,000 and 100,000 near-identical feed entries (one body,
  titles numbered), the shape that took 22.8 GB before copies were blocked, and on look-alikes
  (one title, bodies drawn from a small vocabulary, so no two are wire copies).

Linear work shows as flat seconds per 100k characters (or per 1,000 entries) across sizes.

    python benchmarks/adversarial_shapes.py                         # everything (minutes; 3M is slow)
    python benchmarks/adversarial_shapes.py --chars 50000 --entries 4000
    python benchmarks/adversarial_shapes.py --only prepare --shapes mixed --json out.json
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness

SHAPES = {
    "quote_figures": '"12 ',
    "open_quotes": "“we will ",
    "capitals": "Alpha Beta Gamma ",
    "numbers": "12 34.5 6,700 ",
    "endless_clause": "and the minister said that ",
    "said_chain": "Officials said 12 ",
    "mixed": 'The Minister "said 42% of Paris according to Kyiv “it said 3,000 troops ',
}
CHARS = (50_000, 300_000, 3_000_000)
ENTRIES = (4_000, 100_000)
FLOODS = ("copies", "lookalikes")


def adversarial_text(shape: str, chars: int) -> str:
    """``chars`` characters of ``shape``'s unit, repeated: no sentence ends anywhere."""
    unit = SHAPES[shape]
    return (unit * (chars // len(unit) + 1))[:chars]


def measure_prepare(shape: str, chars: int) -> dict[str, Any]:
    """Time ``load_articles`` and ``Pipeline.prepare`` on one adversarial article (plus a normal one)."""
    from summarizer.backends.testing import FakeBackend
    from summarizer.config import Config
    from summarizer.ingest import load_articles, records
    from summarizer.pipeline import Pipeline

    logging.getLogger("summarizer").setLevel(logging.ERROR)
    records.MAX_ARTICLE_CHARS = max(records.MAX_ARTICLE_CHARS, chars)  # the size cap is not what is measured
    normal = {"title": "Second", "text": "The minister said on Monday that the budget grew 4% to 12 billion euros."}
    Pipeline(FakeBackend(), Config(use_cache=False)).prepare(load_articles([normal]))  # imports and word lists
    recs = [{"title": "Lead story", "text": adversarial_text(shape, chars)}, normal]
    rss_before = harness.peak_rss_mb()
    t = time.perf_counter()
    articles = load_articles(recs)
    ingest_s = time.perf_counter() - t
    t = time.perf_counter()
    prep = Pipeline(FakeBackend(), Config(use_cache=False)).prepare(articles)
    prepare_s = time.perf_counter() - t
    return {"case": "prepare", "shape": shape, "chars": chars, "ingest_s": round(ingest_s, 3),
            "prepare_s": round(prepare_s, 3), "facts": len(prep.evidence.facts), "quotes": len(prep.evidence.quotes),
            "numbers": len(prep.evidence.numbers),
            "s_per_100k_chars": round((ingest_s + prepare_s) / chars * 1e5, 4),
            "rss_before_mb": rss_before, "peak_rss_mb": harness.peak_rss_mb()}


def flood(kind: str, entries: int, seed: int = 0) -> list[Any]:
    """``entries`` feed entries: wire ``copies`` of one body, or ``lookalikes`` that share a title only."""
    from summarizer.schema import Article

    body = ("Officials said the river crossing near the northern border was closed on Monday after heavy "
            "flooding damaged the old bridge and several roads nearby.")
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(400)]
    out = []
    for i in range(entries):
        if kind == "copies":
            out.append(Article(id=f"e{i}", title=f"Bridge closed after floods ({i})", text=body, outlet=f"Feed {i % 50}"))
        else:
            out.append(Article(id=f"e{i}", title="Bridge closed after floods", outlet=f"Feed {i % 50}",
                               text=" ".join(rng.choice(vocab) for _ in range(40))))
    return out


def measure_cluster(kind: str, entries: int) -> dict[str, Any]:
    """Time ``cluster_articles`` on a flood of ``entries``."""
    from summarizer.stories.cluster import cluster_articles

    cluster_articles(flood(kind, 20))  # imports (SciPy, scikit-learn) outside the timing
    articles = flood(kind, entries)
    rss_before = harness.peak_rss_mb()
    t = time.perf_counter()
    clusters = cluster_articles(articles)
    wall = time.perf_counter() - t
    return {"case": "cluster", "shape": kind, "entries": entries, "cluster_s": round(wall, 3),
            "clusters": len(clusters), "duplicates_marked": sum(c.meta["duplicates"] for c in clusters),
            "s_per_1000_entries": round(wall / entries * 1000, 4),
            "rss_before_mb": rss_before, "peak_rss_mb": harness.peak_rss_mb()}


def child(case: str, shape: str, size: int, timeout: float) -> dict[str, Any]:
    """Run one case in a fresh interpreter; a case over ``timeout`` seconds is reported, not waited for."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", case, shape, str(size)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"case": case, "shape": shape, "size": size, "error": f"over {timeout:g} s"}
    if out.returncode != 0:
        return {"case": case, "shape": shape, "size": size, "error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| case | shape | size | seconds | per unit | peak RSS MB | note |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['case']} | {r['shape']} | {r['size']:,} | | | | {r['error'][:100]} |")
        elif r["case"] == "prepare":
            lines.append(f"| prepare | {r['shape']} | {r['chars']:,} chars | {r['ingest_s'] + r['prepare_s']:.2f} | "
                         f"{r['s_per_100k_chars']} s/100k chars | {r['peak_rss_mb']} | {r['numbers']} figures |")
        else:
            lines.append(f"| cluster | {r['shape']} | {r['entries']:,} entries | {r['cluster_s']:.2f} | "
                         f"{r['s_per_1000_entries']} s/1k entries | {r['peak_rss_mb']} | {r['clusters']} clusters |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["prepare", "cluster"], help="run one family only")
    ap.add_argument("--shapes", nargs="+", choices=[*SHAPES, *FLOODS], help="these shapes only")
    ap.add_argument("--chars", type=int, nargs="+", default=list(CHARS), help="article sizes (default 50k 300k 3M)")
    ap.add_argument("--entries", type=int, nargs="+", default=list(ENTRIES), help="flood sizes (default 4,000 100,000)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds one case may take (default 600)")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument("--child", nargs=3, metavar=("CASE", "SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        case, shape, size = args.child[0], args.child[1], int(args.child[2])
        row = measure_prepare(shape, size) if case == "prepare" else measure_cluster(shape, size)
        print(json.dumps(row))
        return 0
    cases = []
    if args.only != "cluster":
        cases += [("prepare", s, n) for s in SHAPES if not args.shapes or s in args.shapes for n in args.chars]
    if args.only != "prepare":
        cases += [("cluster", s, n) for s in FLOODS if not args.shapes or s in args.shapes for n in args.entries]
    rows = []
    for case, shape, size in cases:
        rows.append(child(case, shape, size, args.timeout))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(table(rows))
    harness.dump(args.json, {"rows": rows})
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

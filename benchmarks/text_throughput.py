"""Throughput of everything but the model: ingest, evidence, planning and the truth checks, by input size.

    python benchmarks/text_throughput.py                          # 1, 10, 100 MB; both shapes
    python benchmarks/text_throughput.py --sizes 1 10 --shape many --json out.json
    python benchmarks/text_throughput.py --sizes 10 --shape huge --profile

Input is real article text (the seed cluster and the dev set, see ``benchmarks/corpus.py``)
recombined to the size asked, in two shapes:

* ``many``: news-sized articles (2-8 KB each) with renamed names and redrawn numbers, so
  near-duplicate detection keeps them apart: 1 MB is about 200 articles, 100 MB about 20,000;
* ``huge``: one article of the whole size.

Each (shape, size) runs in a fresh child process, so its peak RSS is its own. The stages:

* ``ingest``: ``load_articles`` on dict records (cleaning, metadata, language, near-duplicates);
* ``prepare``: ``Pipeline.prepare`` (article size check, evidence, fact sheet, plan, request);
* ``ground``: an extractive answer that copies the fact sheet's sentences (no model; built from
  the request by ``tests/digest_fake.py``) through ``Pipeline.finalize``: assembly, coverage,
  ``truth.check``, ``truth.repair`` and the final strict validation;
* ``truth``: ``truth.check`` alone, once more, on the finished brief.

Size caps: ingest and ``Pipeline.prepare`` refuse an article over
``summarizer.ingest.records.MAX_ARTICLE_CHARS`` (3,000,000 characters). For the ``huge`` shape
the benchmark raises that cap to the article's size in the child process and says so in its
output; ``--respect-caps`` keeps it, and then a huge article over it is reported as refused
(with how long refusing took). The 1 MB size warning (``MAX_ARTICLE_BYTES``) only logs.

The linearity check divides each stage's time by the size in MB: flat seconds per MB across
sizes is linear; a ratio (largest size / smallest) well above 1 flags super-linear work, and
``--profile`` prints the child's top functions (cProfile, cumulative) to find it.
"""

from __future__ import annotations

import argparse
import json
import logging
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

STAGES = ("ingest", "prepare", "ground", "truth")
SUPERLINEAR = 2.0  # s/MB growing by more than this from the smallest size to the largest is flagged


def _answer(request: Any) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from digest_fake import extractive_answer

    answer = extractive_answer(request)  # the prose call's answer is text already
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)


def measure(shape: str, size_mb: float, *, respect_caps: bool = False, seed: int = 0) -> dict[str, Any]:
    """Build the input and time each stage, in this process. Returns one result row.

    The size cap, when raised, and the package's log level are put back afterwards."""
    from summarizer.ingest import records

    logger = logging.getLogger("summarizer")
    level, cap = logger.level, records.MAX_ARTICLE_CHARS
    logger.setLevel(logging.ERROR)  # size warnings, one per article otherwise
    try:
        return _measure(shape, size_mb, respect_caps=respect_caps, seed=seed)
    finally:
        logger.setLevel(level)
        records.MAX_ARTICLE_CHARS = cap


def _measure(shape: str, size_mb: float, *, respect_caps: bool, seed: int) -> dict[str, Any]:
    from summarizer import truth
    from summarizer.backends.base import Completion
    from summarizer.backends.testing import FakeBackend
    from summarizer.config import Config
    from summarizer.errors import InputError
    from summarizer.ingest import load_articles, records
    from summarizer.pipeline import Pipeline

    t0 = time.perf_counter()
    stories = corpus.real_stories()
    total = int(size_mb * 1_000_000)
    recs = corpus.many_articles(total, stories, seed) if shape == "many" else corpus.huge_article(total, stories, seed)
    build_s = time.perf_counter() - t0
    nbytes = sum(len(r["text"].encode("utf-8")) for r in recs)
    row: dict[str, Any] = {"shape": shape, "size_mb": size_mb, "bytes": nbytes, "articles_in": len(recs),
                           "build_s": round(build_s, 2), "rss_after_build_mb": harness.peak_rss_mb(),
                           "cap_chars": records.MAX_ARTICLE_CHARS, "cap_raised": False}
    longest = max(len(r["text"]) for r in recs)
    if longest > records.MAX_ARTICLE_CHARS and not respect_caps:
        records.MAX_ARTICLE_CHARS = longest  # read at call time by ingest and Pipeline.prepare alike
        row.update(cap_raised=True, cap_chars=longest)
    times: dict[str, float] = {}
    try:
        t = time.perf_counter()
        articles = load_articles(recs)
        times["ingest"] = time.perf_counter() - t
        del recs
        pipeline = Pipeline(FakeBackend(), Config(use_cache=False))
        t = time.perf_counter()
        prep = pipeline.prepare(articles)
        times["prepare"] = time.perf_counter() - t
        assert prep.request is not None, f"plan {prep.plan.mode} has no single synthesis request"
        t = time.perf_counter()
        brief = pipeline.finalize(prep, Completion(text=_answer(prep.request)))
        times["ground"] = time.perf_counter() - t
        t = time.perf_counter()
        issues = truth.check(brief, prep.all_articles, prep.evidence)
        times["truth"] = time.perf_counter() - t
    except InputError as exc:
        row.update(refused=str(exc)[:300], refused_after_s=round(sum(times.values()) + time.perf_counter() - t, 3))
        row.update({f"{k}_s": round(v, 3) for k, v in times.items()}, peak_rss_mb=harness.peak_rss_mb())
        return row
    mb = nbytes / 1e6
    total_s = sum(times.values())
    row.update({
        "articles": len(articles), "duplicates": sum(1 for a in articles if a.duplicate_of),
        "plan": prep.plan.mode, "facts": len(prep.evidence.facts), "sheet_facts": len(prep.sheet.facts) if prep.sheet else 0,
        "quotes": len(prep.evidence.quotes), "summary_sentences": len(brief.summary), "truth_issues": len(issues),
        **{f"{k}_s": round(v, 3) for k, v in times.items()},
        "total_s": round(total_s, 3), "mb_per_s": round(mb / total_s, 3) if total_s else None,
        "s_per_mb": {k: round(v / mb, 4) for k, v in times.items()} | {"total": round(total_s / mb, 4)},
        "peak_rss_mb": harness.peak_rss_mb(),
    })
    return row


def child(shape: str, size: float, respect_caps: bool, profile: bool, seed: int) -> dict[str, Any]:
    """Run :func:`measure` in a fresh interpreter (peak RSS of its own) and return its row."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", shape, str(size), "--seed", str(seed)]
    cmd += ["--respect-caps"] * respect_caps + ["--profile"] * profile
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if profile:
        print(out.stderr, file=sys.stderr)
    if out.returncode != 0:
        return {"shape": shape, "size_mb": size, "error": out.stderr.strip().splitlines()[-1:] or ["no output"]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def linearity(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per shape and stage: s/MB at each size and the largest/smallest ratio (about 1 when linear)."""
    out: dict[str, dict[str, Any]] = {}
    for shape in dict.fromkeys(r["shape"] for r in rows):
        ok = sorted((r for r in rows if r["shape"] == shape and "s_per_mb" in r), key=lambda r: r["bytes"])
        if len(ok) < 2:
            continue
        out[shape] = {}
        for stage in (*STAGES, "total"):
            per = [r["s_per_mb"][stage] for r in ok]
            ratio = round(per[-1] / per[0], 2) if per[0] > 0 else None
            out[shape][stage] = {"s_per_mb": per, "ratio": ratio,
                                 "superlinear": ratio is not None and ratio > SUPERLINEAR
                                 and ok[-1]["s_per_mb"]["total"] * ok[-1]["bytes"] / 1e6 > 1.0}
    return out


def table(rows: list[dict[str, Any]]) -> str:
    lines = [("| shape | MB | articles | ingest s | prepare s | ground s | truth s | total s | MB/s | "
              "peak RSS MB | note |"), "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r or "refused" in r:
            why = r.get("refused") or " ".join(r["error"])
            lines.append(f"| {r['shape']} | {r['size_mb']} | {r.get('articles_in', '')} | | | | | | | "
                         f"{r.get('peak_rss_mb', '')} | {why[:120]} |")
            continue
        note = f"cap raised to {r['cap_chars']:,} chars" if r["cap_raised"] else ""
        lines.append(f"| {r['shape']} | {r['bytes'] / 1e6:.1f} | {r['articles']} | {r['ingest_s']} | {r['prepare_s']} | "
                     f"{r['ground_s']} | {r['truth_s']} | {r['total_s']} | {r['mb_per_s']} | {r['peak_rss_mb']} | {note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 100], help="MB of text (default 1 10 100)")
    ap.add_argument("--shape", choices=["many", "huge", "both"], default="both")
    ap.add_argument("--json", type=Path, help="also write the rows and the linearity check here")
    ap.add_argument("--respect-caps", action="store_true",
                    help="keep MAX_ARTICLE_CHARS (a huge article over it is reported as refused)")
    ap.add_argument("--profile", action="store_true", help="print each child's top functions (cProfile)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", nargs=2, metavar=("SHAPE", "MB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        shape, size = args.child[0], float(args.child[1])
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            row = prof.runcall(measure, shape, size, respect_caps=args.respect_caps, seed=args.seed)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        else:
            row = measure(shape, size, respect_caps=args.respect_caps, seed=args.seed)
        print(json.dumps(row))
        return 0
    shapes = ["many", "huge"] if args.shape == "both" else [args.shape]
    rows = []
    for shape in shapes:
        for size in args.sizes:
            rows.append(child(shape, size, args.respect_caps, args.profile, args.seed))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    lin = linearity(rows)
    print(table(rows))
    for shape, stages in lin.items():
        print(f"\n{shape}: seconds per MB by size ({', '.join(str(s) for s in args.sizes)} MB), ratio largest/smallest")
        for stage, v in stages.items():
            flag = "  <-- super-linear" if v["superlinear"] else ""
            print(f"  {stage:<8} {v['s_per_mb']}  ratio {v['ratio']}{flag}")
    harness.dump(args.json, {"rows": rows, "linearity": lin})
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

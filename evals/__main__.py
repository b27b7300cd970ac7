"""``python -m summarizer eval run|score|compare|quotes|perturb``: the eval harness's command line.

Exit codes: 0 when every threshold holds, 1 when a metric breaks its threshold
(the breach is named on stderr), and the summarizer error codes (2 config,
3 input, 4 model, 5 backend, 6 output) when the run itself cannot proceed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from summarizer import errors
from summarizer.cli.parser import bounded
from summarizer.settings import DEFAULT_OPENAI_MODEL

from . import runner
from .datasets import EVALS_DIR, EVALSETS_ENV, SHARED_SETS


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m summarizer eval", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--thresholds",
            type=Path,
            default=runner.DEFAULT_THRESHOLDS,
            help="thresholds file (default: evals/thresholds.json)",
        )
        sp.add_argument("--no-thresholds", action="store_true", help="report only; never fail on a threshold")
        sp.add_argument(
            "--baseline",
            type=Path,
            default=None,
            help="baseline file to diff against (default: evals/baseline.json when it exists)",
        )
        sp.add_argument(
            "--save-baseline",
            type=Path,
            default=None,
            metavar="PATH",
            help="store this run's aggregates as the dataset's baseline in PATH",
        )
        sp.add_argument(
            "--judge",
            action="store_true",
            help="also score with the LLM judge (needs OPENAI_API_KEY or --judge-base-url)",
        )
        sp.add_argument(
            "--judge-model", default=None, help=f"judge model (default: SUMMARIZER_MODEL or {DEFAULT_OPENAI_MODEL})"
        )
        sp.add_argument("--judge-base-url", default=None, help="judge server (default: OPENAI_BASE_URL)")
        sp.add_argument("--quiet", action="store_true", help="do not print the report")

    r = sub.add_parser("run", help="generate briefs for a dataset (cached), score them, check thresholds")
    r.add_argument(
        "--dataset",
        default="seed",
        help=f"'seed', a shared eval set ({', '.join(SHARED_SETS)}; found in ${EVALSETS_ENV}, ./shared/evalsets "
        "or ../shared/evalsets) or a cluster JSONL path",
    )
    r.add_argument("--limit", type=bounded(int, 1, 1_000_000), default=None, help="only the first N clusters")
    r.add_argument(
        "--backend",
        choices=("local", "openai", "extractive", "lead", "lexrank"),
        default="local",
        help="local (embedded llama.cpp, default), openai (any OpenAI-protocol server), "
        "extractive (the pipeline's instant brief, no model), and the baselines lead (each article's lead sentence) "
        "and lexrank (the top-ranked fact sentences, in rank order)",
    )
    r.add_argument(
        "--model", default=None, help="local: qwen2.5-1.5b (default) or qwen2.5-0.5b; openai: the model name"
    )
    r.add_argument("--base-url", default=None, help="OpenAI-compatible server URL (openai backend)")
    r.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"output folder (default: ./{runner.RESULTS_DIR}/<dataset>-<backend>-<model>)",
    )
    r.add_argument("--no-cache", action="store_true", help="regenerate every brief; bypass all caches")
    r.add_argument(
        "--synthesis", choices=("facts", "articles"), default=None,
        help="facts (the model fuses a fact sheet; default) or articles (whole articles: the ablation)",
    )
    r.add_argument(
        "--draft", choices=("prose", "json"), default=None,
        help="prose (the model writes a headline and a paragraph; default) or json (the whole draft: the ablation)",
    )
    common(r)

    s = sub.add_parser("score", help="re-score the cached briefs of an earlier run without regenerating")
    s.add_argument("--out", type=Path, required=True, help="the folder of an earlier `run`")
    common(s)

    c = sub.add_parser("compare", help="one Markdown table row per scored run (for docs/quality.md)")
    c.add_argument("outs", type=Path, nargs="+", help="folders of scored runs")

    q = sub.add_parser("quotes", help="quote attribution of the evidence step on BASIL (no model): found, right, wrong, none")
    q.add_argument(
        "--dataset", type=Path, default=None,
        help="a BASIL quotes JSONL file (default: ../shared/evalsets/basil-quotes-dev.jsonl)",
    )
    q.add_argument("--details", action="store_true", help="also list every span not attributed to its person")
    m = sub.add_parser("perturb", help="meaning perturbations: how many sentences reversing their sources ship")
    m.add_argument("--dataset", default="seed", help="'seed', 'dev' or a cluster JSONL path")
    m.add_argument("--briefs", type=Path, default=None,
                   help="a folder of saved eval records (<out>/briefs) to perturb and re-validate strictly")
    m.add_argument("--pipeline", action="store_true", help="also run the pipeline with a scripted model (no model)")
    m.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    m.add_argument("--draft", choices=("prose", "json"), default="prose",
                   help="the pipeline's draft for --pipeline: the model's prose (default) or its JSON")
    m.add_argument("--json", type=Path, default=None, help="write the full result (with examples) here")
    return p


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "run"


def _generator(args: argparse.Namespace) -> runner.Generator:
    if args.backend == "lead":
        return runner.lead_generator()
    if args.backend == "lexrank":
        return runner.lexrank_generator()
    from summarizer.backends.factory import make_backend
    from summarizer.config import resolve

    flags: dict[str, Any] = {"backend": args.backend, "use_cache": not args.no_cache, "synthesis": args.synthesis,
                             "draft": args.draft}
    if args.backend == "local":
        flags["local_model"] = args.model
    else:
        flags.update(model=args.model, base_url=args.base_url)
    config = resolve(flags)
    progress = (lambda m: None) if args.quiet else (lambda m: print(f"  {m}", file=sys.stderr, flush=True))
    return runner.pipeline_generator(make_backend(config, progress), config, progress=progress)


def _judge(args: argparse.Namespace, out: Path) -> Any:
    if not args.judge:
        return None
    from .judge import cached_judge, judge_backend, make_judge

    backend = judge_backend(model=args.judge_model, base_url=args.judge_base_url)
    return cached_judge(make_judge(backend), out / "judge", backend.model)


def _finish(args: argparse.Namespace, out: Path) -> int:
    baseline = args.baseline
    if baseline is None and (EVALS_DIR / "baseline.json").exists():
        baseline = EVALS_DIR / "baseline.json"
    results, report = runner.score_run(
        out,
        thresholds=None if args.no_thresholds else args.thresholds,
        baseline=baseline,
        judge=_judge(args, out),
    )
    if not args.quiet:
        print(report)
    if args.save_baseline:
        runner.save_baseline(args.save_baseline, results)
        print(f"baseline for {results['dataset']} saved to {args.save_baseline}", file=sys.stderr)
    print(f"results: {out / runner.RESULTS}  report: {out / runner.REPORT}", file=sys.stderr)
    if results["breaches"]:
        for b in results["breaches"]:
            print(f"threshold breached: {b}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the eval command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "compare":
            from .report import compare_table

            print(compare_table([runner._read_json(o / runner.RESULTS) for o in args.outs]))
            return 0
        if args.command == "score":
            return _finish(args, args.out)
        if args.command == "quotes":
            from .basil import DEFAULT_BASIL_SET, load_basil, render, score_clusters

            print(render(score_clusters(load_basil(args.dataset or DEFAULT_BASIL_SET)), details=args.details))
            return 0
        if args.command == "perturb":
            from . import perturb

            result = perturb.run(args.dataset, args.briefs, args.pipeline, args.limit, draft=args.draft)
            if args.json:
                args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
            print(perturb.table(result))
            return 0
        from .datasets import load_dataset

        dataset = load_dataset(args.dataset, args.limit)
        gen = _generator(args)
        out = args.out or runner.RESULTS_DIR / _slug(f"{dataset.name}-{gen.backend}-{gen.model}")
        progress = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
        runner.generate(dataset, gen, out, use_cache=not args.no_cache, progress=progress)
        return _finish(args, out)
    except errors.SummarizerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())

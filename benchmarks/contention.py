"""How much a busy CPU slows a brief: the seed cluster summarized idle, then beside N busy processes.

    python benchmarks/contention.py                          # threads as configured, N = CPU count
    python benchmarks/contention.py --busy 2 --settings 2 1 2:1 1:2
    SUMMARIZER_THREADS=1 python benchmarks/contention.py --busy 1

For each thread setting (``T`` or ``T:B``: generation threads T, prompt-processing threads B,
llama.cpp's ``n_threads`` and ``n_threads_batch``; see ``--threads``/``--threads-batch`` and
``SUMMARIZER_THREADS``/``SUMMARIZER_THREADS_BATCH``) the model is loaded once and the seed
cluster (examples/putin-nk-troops) is summarized with the cache off: first with the machine as it
is ("idle"), then while ``--busy`` processes spin in pure Python (started before the run, given
a second to get going, stopped after it). The ratio busy/idle says how much the pipeline suffers
from competing load at that setting; llama.cpp's threads spin-wait on each other, so more threads
than free cores can cost far more than the lost share of CPU.

Before the first run, imports, evidence and the local model's grammar for the request's schema
are warmed up (no model call), so the idle run does not pay for them alone. Before each timed run
the local model's KV cache is reset (``Llama.reset()``), so the second run
processes its prompt again instead of reusing the first run's identical prefix. ``--runs R``
repeats the idle/busy pair and reports medians.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
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

COLUMNS = [("setting", "setting"), ("threads", "threads"), ("threads_batch", "threads batch"), ("busy", "busy procs"),
           ("idle_s", "idle s"), ("busy_s", "busy s"),
           ("idle_threads", "threads used idle"), ("busy_threads", "threads used busy"), ("ratio", "busy/idle"), ("llm_calls", "LLM calls"),
           ("prompt_tokens", "prompt tok"), ("completion_tokens", "completion tok"), ("error", "error")]


def spin(stop: Any) -> None:
    """Burn one core in pure Python until ``stop`` is set."""
    while not stop.is_set():
        for _ in range(200_000):
            pass


class Busy:
    """``n`` spinning processes for the length of a ``with`` block."""

    def __init__(self, n: int, ramp_s: float = 1.0) -> None:
        self.n, self.ramp_s = n, ramp_s
        self.stop: Any = None
        self.procs: list[Any] = []

    def __enter__(self) -> Busy:  # noqa: PYI034 - Self needs Python 3.11
        ctx = mp.get_context("spawn")  # no fork of a process holding a loaded model
        self.stop = ctx.Event()
        self.procs = [ctx.Process(target=spin, args=(self.stop,), daemon=True) for _ in range(self.n)]
        for p in self.procs:
            p.start()
        time.sleep(self.ramp_s)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join()


def parse_setting(text: str) -> tuple[int | None, int | None]:
    """``"T"`` or ``"T:B"`` -> (threads, threads_batch)."""
    t, _, b = text.partition(":")
    try:
        return int(t), int(b) if b else None
    except ValueError:
        raise argparse.ArgumentTypeError(f"a setting is T or T:B (threads, batch threads), not {text!r}") from None


def one_run(pipeline: Any, backend: Any, articles: list[Any]) -> tuple[float, Any]:
    llm = backend.load() if hasattr(backend, "load") else None
    if llm is not None and hasattr(llm, "reset"):
        llm.reset()  # no KV prefix reuse from the previous, identical run
    t0 = time.perf_counter()
    brief = pipeline.run(articles)
    return time.perf_counter() - t0, brief


def ran_with(backend: Any) -> str:
    """The threads the last call used (the automatic setting picks them per call), as ``T:B``."""
    timings = getattr(backend, "last_timings", None)
    threads = getattr(timings, "threads", None)
    return ":".join(str(t) for t in threads) if threads else ""


def measure(args: argparse.Namespace, setting: tuple[int | None, int | None] | None) -> dict[str, Any]:
    """Idle and busy runs for one thread setting; one row."""
    from summarizer.ingest import load_articles
    from summarizer.pipeline import Pipeline

    extra: dict[str, Any] = {"use_cache": False}
    if setting is not None:
        extra.update(threads=setting[0], threads_batch=setting[1])
    config = harness.config_from(args, **extra)
    backend = harness.make_backend(config)
    row: dict[str, Any] = {
        "setting": "configured" if setting is None else ":".join(str(x) for x in setting if x is not None),
        "threads": getattr(backend, "threads", None), "threads_batch": getattr(backend, "threads_batch", None),
        "busy": args.busy, "backend": config.resolved_backend, "model": backend.model}
    articles = load_articles(args.seeds)
    pipeline = Pipeline(backend, config)
    # Warm up what only the first run would pay for: imports and evidence, and the local model's
    # grammar for this schema (built once per schema). No model call.
    prep = pipeline.prepare(articles)
    if prep.request is not None and prep.request.schema is not None and hasattr(backend, "grammar_for"):
        backend.grammar_for(prep.request.schema)
    idle: list[float] = []
    busy: list[float] = []
    try:
        if args.warmup:
            one_run(pipeline, backend, articles)
        for _ in range(args.runs):
            wall, brief = one_run(pipeline, backend, articles)
            idle.append(wall)
            row["idle_threads"] = ran_with(backend)
            with Busy(args.busy, args.ramp):
                wall, _ = one_run(pipeline, backend, articles)
            busy.append(wall)
            row["busy_threads"] = ran_with(backend)
    except SummarizerError as exc:  # a failed setting is a result; the other settings still run
        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        return row
    finally:
        if hasattr(backend, "close"):
            backend.close()  # the next setting loads its own
    row.update(idle_s=round(statistics.median(idle), 2), busy_s=round(statistics.median(busy), 2),
               idle_runs=[round(x, 2) for x in idle], busy_runs=[round(x, 2) for x in busy],
               llm_calls=brief.run.llm_calls, prompt_tokens=brief.run.prompt_tokens,
               completion_tokens=brief.run.completion_tokens)
    row["ratio"] = round(row["busy_s"] / row["idle_s"], 2) if row["idle_s"] else None
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--busy", type=int, default=os.cpu_count() or 1, help="busy processes (default: CPU count)")
    ap.add_argument("--settings", type=parse_setting, nargs="+", metavar="T[:B]",
                    help="thread settings to compare (default: one, from --threads/--threads-batch or the env)")
    ap.add_argument("--runs", type=int, default=1, help="idle/busy pairs per setting (medians reported)")
    ap.add_argument("--ramp", type=float, default=1.0, help="seconds the busy processes run before the brief")
    ap.add_argument("--warmup", action="store_true",
                    help="one untimed run per setting first (one more model call; evens out first-call costs)")
    ap.add_argument("--seeds", type=Path, default=corpus.SEEDS, help="the cluster to summarize")
    ap.add_argument("--json", type=Path, default=harness.RESULTS / "contention.json")
    harness.add_backend_args(ap)
    args = ap.parse_args(argv)
    rows = []
    for setting in args.settings or [None]:
        rows.append(measure(args, setting))
        print(rows[-1], file=sys.stderr, flush=True)
    print(harness.markdown(rows, COLUMNS))
    harness.dump(args.json, rows)
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""This pipeline against the two usual ways to summarize a cluster, same model, same process.

    python benchmarks/side_by_side.py --no-cache                  # the seed + the first 3 dev clusters
    python benchmarks/side_by_side.py --no-cache --clusters 10 --json out.json
    python benchmarks/side_by_side.py --backend openai --base-url http://127.0.0.1:8080/v1 --no-cache

Five systems summarize each cluster, through one backend object (the model is loaded once):

* ``pipeline``: :class:`summarizer.pipeline.Pipeline` with the default configuration (fact sheet,
  the model's prose, grounding);
* ``pipeline-json``: the same with ``draft="json"``: the model writes the whole draft as JSON under
  a grammar (citations, key points, stances, topics), with re-asks;
* ``extractive``: the same pipeline with the extractive backend: no model call;
* ``raw``: one chat call with every article and a plain request for a neutral summary (plain
  text, no JSON, no schema): ``benchmarks/prompts/system.j2`` + ``raw.j2``;
* ``map-reduce``: LangChain's map-reduce chain, written out: one summary call per article
  (``map.j2``), then one summary of the summaries (``reduce.j2``): N + 1 calls.

The baselines are asked for the pipeline's own target length (about 125 words for a cluster under
600 words, as the dev excerpts are, else about 185). Every system's summary is scored the same way,
with the eval's scorers (``evals/scorers.py``) on the summary text alone: ROUGE-1/L/Lsum against the
reference summary (dev clusters and the seed's reference page), key-fact coverage (the seed's
facts list) and hallucinated numbers and names (in no source article). Time, calls and tokens are
reported as measured and as ratios to the pipeline's, since absolute times on a shared machine
are noisy. The prompts live in ``benchmarks/prompts/`` so they never ship in the wheel.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness

from summarizer.errors import SummarizerError

PROMPTS = ROOT / "benchmarks" / "prompts"
SYSTEMS = ("pipeline", "pipeline-json", "extractive", "raw", "map-reduce")
MAX_TOKENS = 600  # a ~185-word summary is ~250 tokens; room for a model that runs long
METRICS = ("rouge1", "rougeL", "rougeLsum", "key_fact_coverage", "hallucinated_numbers", "hallucinated_names",
           "hallucination_rate")


@functools.lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(PROMPTS), undefined=jinja2.StrictUndefined,
                              autoescape=False, trim_blocks=True, lstrip_blocks=True)


def render(name: str, **variables: Any) -> str:
    """Render ``benchmarks/prompts/<name>``."""
    return str(_env().get_template(name).render(**variables)).strip()


def target_words(articles: list[Any]) -> int:
    """The pipeline's target summary length (the middle of the fact sheet's range)."""
    from summarizer.pipeline.sheet import summary_length

    low, high = summary_length(sum(len(a.text.split()) for a in articles))[0]
    return (low + high) // 2


@dataclass
class Result:
    system: str
    summary: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0
    error: str | None = None


def _chat(backend: Any, user: str, purpose: str) -> Any:
    from summarizer.backends.base import ChatRequest

    request = ChatRequest(messages=({"role": "system", "content": render("system.j2")},
                                    {"role": "user", "content": user}),
                          max_tokens=MAX_TOKENS, purpose=purpose)
    return backend.complete(request)


def run_pipeline(backend: Any, config: Any, articles: list[Any], system: str = "pipeline") -> Result:
    from summarizer.pipeline import Pipeline

    t0 = time.perf_counter()
    brief = Pipeline(backend, config).run(articles)
    r = brief.run
    return Result(system, " ".join(s.text for s in brief.summary), r.llm_calls, r.prompt_tokens,
                  r.completion_tokens, time.perf_counter() - t0)


def run_raw(backend: Any, articles: list[Any]) -> Result:
    t0 = time.perf_counter()
    c = _chat(backend, render("raw.j2", articles=articles, words=target_words(articles)), "bench-raw")
    return Result("raw", c.text.strip(), 1, c.usage.prompt_tokens, c.usage.completion_tokens,
                  time.perf_counter() - t0)


def run_map_reduce(backend: Any, articles: list[Any]) -> Result:
    t0 = time.perf_counter()
    words = target_words(articles)
    per = max(60, words // 2)
    out = Result("map-reduce")
    summaries = []
    for a in articles:
        c = _chat(backend, render("map.j2", article=a, words=per), "bench-map")
        summaries.append({"outlet": a.outlet, "text": c.text.strip()})
        out.calls, out.prompt_tokens = out.calls + 1, out.prompt_tokens + c.usage.prompt_tokens
        out.completion_tokens += c.usage.completion_tokens
    c = _chat(backend, render("reduce.j2", summaries=summaries, words=words), "bench-reduce")
    out.calls, out.prompt_tokens = out.calls + 1, out.prompt_tokens + c.usage.prompt_tokens
    out.completion_tokens += c.usage.completion_tokens
    out.summary, out.wall_s = c.text.strip(), time.perf_counter() - t0
    return out


def summary_brief(text: str, articles: list[Any]) -> Any:
    """The summary text as a StoryBrief of its sentences only, so every system is scored alike."""
    from summarizer.schema import CitedSentence, Source, StoryBrief, Summary
    from summarizer.text.sentences import sentence_spans

    sentences = [CitedSentence(text=" ".join(text[a:b].split()), sources=[]) for a, b in sentence_spans(text)]
    return StoryBrief(title="", summary=Summary([s for s in sentences if s.text]),
                      sources=[Source.from_article(a) for a in articles])


def score(result: Result, case: Any) -> dict[str, float | None]:
    """ROUGE, key facts and hallucinations of one summary (None where the case has no reference)."""
    from summarizer_evals.scorers import score_facts, score_hallucinations, score_rouge

    if result.error or not result.summary:
        return dict.fromkeys(METRICS)
    brief = summary_brief(result.summary, case.articles)
    metrics: dict[str, float | None] = {}
    metrics.update(score_rouge(result.summary, case.reference).metrics)
    metrics.update(score_facts(brief, case.facts).metrics)
    metrics.update(score_hallucinations(brief, case.articles).metrics)
    return {k: metrics.get(k) for k in METRICS}


def compare(backend: Any, config: Any, cases: list[Any], progress: Any = None) -> list[dict[str, Any]]:
    """Run the three systems on every case; one row per (case, system)."""
    rows: list[dict[str, Any]] = []
    from summarizer.backends.extractive import ExtractiveBackend

    runners = {"pipeline": lambda arts: run_pipeline(backend, config.with_(draft="prose"), arts),
               "pipeline-json": lambda arts: run_pipeline(backend, config.with_(draft="json"), arts, "pipeline-json"),
               "extractive": lambda arts: run_pipeline(ExtractiveBackend(), config, arts, "extractive"),
               "raw": lambda arts: run_raw(backend, arts),
               "map-reduce": lambda arts: run_map_reduce(backend, arts)}
    for case in cases:
        articles = list(case.articles)
        for system in SYSTEMS:
            t0 = time.perf_counter()
            try:
                result = runners[system](articles)
            except SummarizerError as exc:  # a failed system is a result; the others still run
                result = Result(system, error=f"{type(exc).__name__}: {str(exc)[:200]}",
                                wall_s=time.perf_counter() - t0)
            row = {"cluster": case.id, "system": system, "articles": len(articles), "calls": result.calls,
                   "prompt_tokens": result.prompt_tokens, "completion_tokens": result.completion_tokens,
                   "wall_s": round(result.wall_s, 2), "words": len(result.summary.split()),
                   **score(result, case), "error": result.error, "summary": result.summary}
            rows.append(row)
            if progress:
                progress(f"{case.id} {system}: {row['wall_s']} s, {row['calls']} call(s)"
                         + (f", {row['error']}" if row["error"] else ""))
    return rows


def _mean(values: list[Any]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def summarize_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per system: means over clusters, and time/calls/tokens as ratios to the pipeline's
    (computed on the clusters where both succeeded)."""
    out = []
    ok = {(r["cluster"], r["system"]): r for r in rows if not r["error"]}
    for system in SYSTEMS:
        mine = [r for r in rows if r["system"] == system]
        good = [r for r in mine if not r["error"]]
        agg: dict[str, Any] = {"system": system, "clusters": len(mine), "failed": len(mine) - len(good)}
        for k in ("wall_s", "calls", "prompt_tokens", "completion_tokens", "words", *METRICS):
            m = _mean([r[k] for r in good])
            agg[k] = None if m is None else round(m, 3)
        pairs = [(r, ok[(r["cluster"], "pipeline")]) for r in good if (r["cluster"], "pipeline") in ok]
        for k in ("wall_s", "calls", "prompt_tokens", "completion_tokens"):
            num, den = sum(r[k] for r, _ in pairs), sum(p[k] for _, p in pairs)
            agg[f"{k}_x"] = round(num / den, 2) if den else None
        out.append(agg)
    return out


COLUMNS = [("system", "system"), ("clusters", "clusters"), ("failed", "failed"), ("calls", "calls"),
           ("prompt_tokens", "prompt tok"), ("completion_tokens", "completion tok"), ("wall_s", "wall s"),
           ("wall_s_x", "time x"), ("calls_x", "calls x"), ("prompt_tokens_x", "prompt tok x"),
           ("completion_tokens_x", "completion tok x"), ("words", "words"), ("rouge1", "ROUGE-1"),
           ("rougeL", "ROUGE-L"), ("rougeLsum", "ROUGE-Lsum"), ("key_fact_coverage", "key facts (seed)"),
           ("hallucinated_numbers", "halluc. numbers"), ("hallucinated_names", "halluc. names"),
           ("hallucination_rate", "halluc. rate")]


def load_cases(k: int) -> list[Any]:
    """The seed case, then the first ``k`` dev clusters."""
    from summarizer_evals.datasets import load_dataset

    cases = load_dataset("seed").cases
    if k > 0:
        cases += load_dataset("dev", limit=k).cases
    return cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=3, help="dev clusters after the seed (default 3)")
    ap.add_argument("--json", type=Path, default=harness.RESULTS / "side_by_side.json")
    harness.add_backend_args(ap)
    args = ap.parse_args(argv)
    config = harness.config_from(args)
    backend = harness.make_backend(config)  # one backend, one model load, for every system
    rows = compare(backend, config, load_cases(args.clusters),
                   progress=lambda m: print(m, file=sys.stderr, flush=True))
    table = summarize_rows(rows)
    print(harness.markdown(table, COLUMNS))
    harness.dump(args.json, {"backend": config.resolved_backend, "model": backend.model, "systems": table,
                             "rows": rows})
    return 1 if any(r["error"] for r in rows if r["system"] == "pipeline") else 0


if __name__ == "__main__":
    raise SystemExit(main())

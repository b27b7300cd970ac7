"""Markdown reports of eval results: the metric table, thresholds, worst clusters, baseline diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .scorers import METRICS

# Metrics whose worst clusters the report lists, in this order.
WORST_OF = (
    "schema_valid",
    "quote_verbatim_rate",
    "dangling_citations",
    "citation_support_rate",
    "hallucination_rate",
    "key_fact_coverage",
    "rougeL",
    "loaded_per_100w",
)
# Columns of the per-cluster table and of `python -m summarizer eval compare`.
KEY_METRICS = (
    "schema_valid",
    "quote_verbatim_rate",
    "citation_support_rate",
    "hallucination_rate",
    "key_fact_coverage",
    "entity_recall_gold",
    "rouge1",
    "rouge2",
    "rougeL",
    "rougeLsum",
    "rouge1_gain",
    "framing_rougeL",
    "framing_headline_rougeL",
    "sentence_support_rate",
    "perspectives_with_evidence",
    "loaded_per_100w",
    "summary_words",
    "prompt_tokens",
    "llm_calls",
    "duration_s",
)
SHORT = {
    "schema_valid": "schema",
    "quote_verbatim_rate": "verbatim",
    "citation_support_rate": "cite support",
    "sentence_support_rate": "sent. support",
    "perspectives_with_evidence": "persp. w/ evidence",
    "prompt_tokens": "prompt tok",
    "hallucination_rate": "halluc.",
    "key_fact_coverage": "key facts",
    "entity_recall_gold": "entity R",
    "loaded_per_100w": "loaded/100w",
    "summary_words": "words",
    "framing_rougeL": "framing R-L",
    "framing_headline_rougeL": "headlines R-L",
    "llm_calls": "calls",
    "duration_s": "time s",
    "rouge1_gain": "R-1 over LexRank",
}


def fmt(metric: str, value: float | None, scale: float | None = None) -> str:
    """A metric value as the report shows it: rates as percentages, counts plainly.

    ``scale`` (the mean, when formatting its standard error) picks the precision,
    so '93.2 ± 2.5' rather than '93.2 ± 2.489'.
    """
    if value is None:
        return "n/a"
    m = METRICS.get(metric)
    if m is not None and m.percent:
        return f"{100 * value:.1f}%"
    size = abs(value if scale is None else scale)
    if size >= 100 or (scale is None and float(value).is_integer()):
        return f"{value:,.0f}" if size >= 100 else f"{value:.0f}"
    return f"{value:.1f}" if size >= 10 else f"{value:.3f}"


def fmt_agg(metric: str, agg: Mapping[str, float] | None) -> str:
    if not agg:
        return "n/a"
    if agg.get("n", 0) <= 1:
        return fmt(metric, agg["mean"])
    if agg["se"] == 0:
        return f"{fmt(metric, agg['mean'])} ± 0"
    return f"{fmt(metric, agg['mean'])} ± {fmt(metric, agg['se'], scale=agg['mean'])}"


def _bound(bounds: Mapping[str, float] | None) -> str:
    if not bounds:
        return ""
    parts = []
    if "min" in bounds:
        parts.append(f"≥ {bounds['min']:g}")
    if "max" in bounds:
        parts.append(f"≤ {bounds['max']:g}")
    return ", ".join(parts)


def _delta(metric: str, now: Mapping[str, float], before: Mapping[str, float]) -> str:
    """The change from the baseline, marked better/worse, and flagged when within noise."""
    d = now["mean"] - before["mean"]
    better = METRICS[metric].better if metric in METRICS else "none"
    marker = ""
    if better != "none" and abs(d) > 1e-12:
        marker = " ▲" if (d > 0) == (better == "higher") else " ▼"
    # A change smaller than two standard errors of the difference may be noise.
    se = (now.get("se", 0.0) ** 2 + before.get("se", 0.0) ** 2) ** 0.5
    noise = " (within noise)" if se and abs(d) <= 2 * se else ""
    return f"{'+' if d >= 0 else '−'}{fmt(metric, abs(d))}{marker}{noise}"


def metric_table(results: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> list[str]:
    aggs = results["aggregates"]
    bounds = results.get("thresholds", {})
    base = (baseline or {}).get("metrics", {})
    header = "| metric | mean ± SE | n | min | max | threshold |"
    sep = "|---|---|---|---|---|---|"
    if baseline:
        header += " baseline | Δ |"
        sep += "---|---|"
    lines = [header, sep]
    for name, agg in aggs.items():
        row = (
            f"| `{name}` | {fmt_agg(name, agg)} | {agg['n']} | {fmt(name, agg['min'])} | {fmt(name, agg['max'])}"
            f" | {_bound(bounds.get(name))} |"
        )
        if baseline:
            b = base.get(name)
            row += f" {fmt_agg(name, b)} | {_delta(name, agg, b) if b else ''} |"
        lines.append(row)
    return lines


def worst_clusters(rows: Sequence[Mapping[str, Any]], metric: str, k: int = 3) -> list[Mapping[str, Any]]:
    """The ``k`` clusters with the worst value of ``metric`` (clusters without a value are skipped)."""
    better = METRICS[metric].better
    scored = [r for r in rows if r["metrics"].get(metric) is not None]
    scored.sort(key=lambda r: r["metrics"][metric], reverse=(better == "lower"))
    worst = scored[:k]
    # A cluster that is already perfect is not 'worst'.
    best_possible = {
        "schema_valid": 1.0,
        "quote_verbatim_rate": 1.0,
        "dangling_citations": 0.0,
        "citation_support_rate": 1.0,
        "hallucination_rate": 0.0,
        "key_fact_coverage": 1.0,
        "loaded_per_100w": 0.0,
    }.get(metric)
    return [r for r in worst if best_possible is None or r["metrics"][metric] != best_possible]


_DETAIL_FOR = {
    "schema_valid": ("schema_errors",),
    "quote_verbatim_rate": ("fabricated_quotes",),
    "dangling_citations": ("dangling_citations",),
    "citation_support_rate": ("unsupported_citations",),
    "hallucination_rate": ("hallucinated",),
    "key_fact_coverage": ("missing_facts",),
    "loaded_per_100w": ("loaded_terms",),
}


def _detail(row: Mapping[str, Any], metric: str) -> str:
    parts: list[str] = []
    if metric == "schema_valid" and row.get("error"):
        parts.append(str(row["error"])[:160])
    for key in _DETAIL_FOR.get(metric, ()):
        items = row.get("details", {}).get(key)
        if items:
            shown = "; ".join(str(i) for i in (items if isinstance(items, list) else [items])[:4])
            parts.append(shown[:240].replace("|", "\\|").replace("\n", " "))
    return " — ".join(parts)


def render_report(results: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> str:
    """The Markdown report of one scored run."""
    rows = results["clusters"]
    lines = [
        f"# Eval: {results['dataset']} · {results['backend']} `{results['model']}`",
        "",
        (
            f"{results['n_clusters']} cluster(s), {results['n_failed']} without a valid brief. "
            f"Code fingerprint `{results.get('fingerprint', '')}`; generated {results.get('generated_at')}, "
            f"scored {results.get('scored_at')}. Values are mean ± standard error over clusters."
        ),
        "",
        "## Metrics",
        "",
        *metric_table(results, baseline),
        "",
    ]
    if baseline:
        lines[-1:-1] = [
            "",
            (
                f"Baseline: {baseline.get('backend')} `{baseline.get('model')}`, "
                f"{baseline.get('n_clusters')} cluster(s), scored {baseline.get('scored_at')}. "
                "▲ better, ▼ worse; 'within noise' = |Δ| ≤ 2 SE of the difference."
            ),
        ]
    lines += ["## Thresholds", ""]
    if not results.get("thresholds") and results.get("baseline"):
        lines.append("A baseline: scored and reported, not held to the model pipeline's thresholds "
                     "(a `baselines` entry in the thresholds file would gate it).")
    elif not results.get("thresholds"):
        lines.append("No thresholds for this dataset.")
    elif results["breaches"]:
        lines += [f"- **FAIL** {b}" for b in results["breaches"]]
    else:
        lines.append(f"All {len(results['thresholds'])} threshold(s) met.")
    lines += ["", "## Worst clusters", ""]
    any_worst = False
    for metric in WORST_OF:
        if metric not in results["aggregates"]:
            continue
        worst = worst_clusters(rows, metric)
        if not worst:
            continue
        any_worst = True
        lines.append(f"**{metric}**")
        lines.append("")
        for r in worst:
            detail = _detail(r, metric)
            lines.append(
                f"- `{r['id']}` {fmt(metric, r['metrics'][metric])}" + (f": {detail}" if detail else "")
            )
        lines.append("")
    if not any_worst:
        lines += ["Every cluster is at its best possible value on the listed metrics.", ""]
    if len(rows) > 1:
        cols = [m for m in KEY_METRICS if m in results["aggregates"]]
        lines += [
            "## Per cluster",
            "",
            "| cluster | " + " | ".join(SHORT.get(c, c) for c in cols) + " |",
            "|---|" + "---|" * len(cols),
        ]
        for r in rows:
            lines.append(f"| `{r['id']}` | " + " | ".join(fmt(c, r["metrics"].get(c)) for c in cols) + " |")
        lines.append("")
    return "\n".join(lines).rstrip()


def compare_table(runs: Sequence[Mapping[str, Any]], metrics: Sequence[str] = KEY_METRICS) -> str:
    """One row per run (e.g. the local model and the extractive baseline) for docs/quality.md."""
    cols = [m for m in metrics if any(m in r["aggregates"] for r in runs)]
    lines = [
        "| run | n | " + " | ".join(SHORT.get(c, c) for c in cols) + " |",
        "|---|---|" + "---|" * len(cols),
    ]
    for r in runs:
        cells = [fmt_agg(c, r["aggregates"].get(c)) for c in cols]
        lines.append(
            f"| {r['dataset']} · {r['backend']} `{r['model']}` | {r['n_clusters']} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)

"""Run a dataset through a brief generator, cache the briefs, score them, check thresholds.

Generation and scoring are separate steps. :func:`generate` writes each
cluster's brief (or the validation failure) to ``OUT/briefs/<key>.json``, keyed
by the cluster's content hash, the backend, the model and a fingerprint of the
code that made it; :func:`score_run` reads those files back, so a scorer can
change and be re-run without calling a model again.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from summarizer import errors
from summarizer.schema import StoryBrief

from .datasets import EVALS_DIR, Dataset, EvalCase, load_dataset
from .scorers import METRICS, aggregate_all, score_brief

REPO_DIR = EVALS_DIR.parent
MANIFEST = "run.json"
RESULTS = "results.json"
REPORT = "report.md"
DEFAULT_THRESHOLDS = EVALS_DIR / "thresholds.json"
DEFAULT_BASELINE = EVALS_DIR / "baseline.json"
TOLERANCE = 1e-9  # so a rate of exactly 1.0 passes 'min 1.0' despite float sums
# Runs go under the working folder: an installed harness's own folder (site-packages) is no place for them.
RESULTS_DIR = Path("eval-results")
# Backends whose runs are baselines (no model). The thresholds' "datasets" rows are the model
# pipeline's and do not gate them; a "baselines" row (by the baseline's model label, then dataset) does.
BASELINE_BACKENDS = frozenset({"baseline"})

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Generator:
    """What makes briefs: a label for the report and cache, and a function of one case."""

    backend: str
    model: str
    make: Callable[[EvalCase], StoryBrief]
    fingerprint: str = ""  # changes when the code or prompts that make briefs change


def code_fingerprint(*globs: str) -> str:
    """A short hash of the files matching ``globs`` under the repository (code and prompts)."""
    h = hashlib.sha256()
    for pattern in globs:
        for path in sorted(REPO_DIR.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(REPO_DIR).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


def lead_generator() -> Generator:
    """The lead-sentence baseline; no model."""
    from .baselines import extractive_brief

    return Generator(
        backend="baseline",
        model="lead-1",
        make=lambda case: extractive_brief(case.articles),
        fingerprint=code_fingerprint("evals/baselines.py"),
    )


def lexrank_generator() -> Generator:
    """The LexRank-style extractive baseline (the pipeline's own fact ranking); no model."""
    from .baselines import lexrank_brief

    return Generator(
        backend="baseline",
        model="lexrank",
        make=lambda case: lexrank_brief(case.articles),
        fingerprint=code_fingerprint("evals/baselines.py", "summarizer/evidence/*.py", "summarizer/text/*.py"),
    )


def pipeline_generator(backend: Any, config: Any = None, *, progress: Progress | None = None) -> Generator:
    """The summarizer pipeline with any :class:`~summarizer.backends.base.ChatBackend` object."""
    from summarizer.pipeline import Pipeline

    pipeline = Pipeline(backend=backend, config=config, progress=progress)
    return Generator(
        backend=str(getattr(backend, "name", type(backend).__name__)),
        model=str(getattr(backend, "model", "")),
        make=lambda case: pipeline.run(case.articles),
        fingerprint=code_fingerprint("summarizer/**/*.py", "prompts/*.j2"),
    )


# --------------------------------------------------------------------------- generation and cache


def cache_key(case: EvalCase, gen: Generator) -> str:
    material = json.dumps([case.content_hash(), gen.backend, gen.model, gen.fingerprint])
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def _record_path(out: Path, key: str) -> Path:
    return out / "briefs" / f"{key}.json"


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: an interrupted run never leaves half a record


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise errors.InputError(
            "not found; run `python -m summarizer eval run` first", path=str(path)
        ) from None
    except json.JSONDecodeError as exc:
        raise errors.InputError(f"invalid JSON ({exc}); delete it and re-run", path=str(path)) from None


def generate_one(case: EvalCase, gen: Generator) -> dict[str, Any]:
    """Make one brief. A validation failure is a result (the model's); anything else propagates."""
    started = time.perf_counter()
    record: dict[str, Any] = {
        "cluster_id": case.id,
        "content_hash": case.content_hash(),
        "backend": gen.backend,
        "model": gen.model,
        "fingerprint": gen.fingerprint,
    }
    try:
        brief = gen.make(case)
    except errors.OutputValidationError as exc:
        record.update(brief=None, error=str(exc), reasks=max(0, len(exc.attempts) - 1))
    else:
        record.update(brief=brief.model_dump(mode="json"), error=None, reasks=brief.run.reasks)
    record["wall_s"] = time.perf_counter() - started
    return record


def generate(
    dataset: Dataset,
    gen: Generator,
    out: Path,
    *,
    use_cache: bool = True,
    progress: Progress = _stderr,
) -> list[dict[str, Any]]:
    """Make (or reuse) a brief per case; write the records and the run manifest under ``out``."""
    records: list[dict[str, Any]] = []
    entries: list[dict[str, str]] = []
    for i, case in enumerate(dataset.cases, 1):
        key = cache_key(case, gen)
        path = _record_path(out, key)
        if use_cache and path.exists():
            record = _read_json(path)
            note = "cached"
        else:
            record = generate_one(case, gen)
            _write_json(path, record)
            note = "failed validation" if record["error"] else f"{record['wall_s']:.1f}s"
        progress(f"[{i}/{len(dataset.cases)}] {case.id}: {note}")
        records.append(record)
        entries.append({"cluster_id": case.id, "file": path.relative_to(out).as_posix()})
    _write_json(
        out / MANIFEST,
        {
            "dataset": dataset.name,
            "dataset_source": dataset.source,
            "limit": len(dataset.cases),
            "backend": gen.backend,
            "model": gen.model,
            "fingerprint": gen.fingerprint,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "entries": entries,
        },
    )
    return records


def load_run(out: Path) -> tuple[dict[str, Any], Dataset, list[dict[str, Any]]]:
    """The manifest, the dataset (reloaded from its source) and the cached records of a run."""
    manifest = _read_json(out / MANIFEST)
    source = "seed" if manifest["dataset"] == "seed" else manifest["dataset_source"]
    dataset = load_dataset(source, limit=manifest.get("limit"))
    by_id = {e["cluster_id"]: _read_json(out / e["file"]) for e in manifest["entries"]}
    missing = [c.id for c in dataset.cases if c.id not in by_id]
    if missing:
        raise errors.InputError(
            f"no cached brief for {', '.join(missing[:5])}; re-run `python -m summarizer eval run`",
            path=str(out),
        )
    return manifest, dataset, [by_id[c.id] for c in dataset.cases]


# --------------------------------------------------------------------------- scoring and thresholds


def score_records(
    dataset: Dataset,
    records: list[dict[str, Any]],
    *,
    judge: Callable[[EvalCase, StoryBrief], Mapping[str, float | None]] | None = None,
) -> list[dict[str, Any]]:
    """Per-cluster metrics and details for each record, in dataset order."""
    rows: list[dict[str, Any]] = []
    for case, record in zip(dataset.cases, records):
        scored = score_brief(
            record.get("brief"),
            case.articles,
            reference=case.reference,
            facts=case.facts,
            gold_entities=case.gold_entities,
            reasks=record.get("reasks"),
        )
        if judge is not None and scored.metrics.get("schema_valid"):
            scored.metrics.update(judge(case, StoryBrief.model_validate(record["brief"])))
        rows.append(
            {
                "id": case.id,
                "title": case.title,
                "error": record.get("error"),
                "metrics": scored.metrics,
                "details": scored.details,
            }
        )
    return rows


@dataclass(frozen=True)
class Breach:
    metric: str
    bound: str  # 'min' or 'max'
    limit: float
    value: float

    def __str__(self) -> str:
        sign = "<" if self.bound == "min" else ">"
        return f"{self.metric} = {self.value:.4g} {sign} {self.bound} {self.limit:.4g}"


def is_baseline(backend: str | None) -> bool:
    """Whether a run by ``backend`` is a baseline, scored and reported but not held to the model's bounds."""
    return backend in BASELINE_BACKENDS


def thresholds_for(
    thresholds: Mapping[str, Any], dataset: str, backend: str | None = None, model: str | None = None
) -> dict[str, dict[str, float]]:
    """The bounds for ``dataset``: the '*' entry overlaid with the dataset's own. A baseline run
    (``backend`` in :data:`BASELINE_BACKENDS`) gets its own rows, ``baselines.<model>``, or none."""
    sets = thresholds.get("baselines", {}).get(model, {}) if is_baseline(backend) else thresholds.get("datasets", {})
    merged: dict[str, dict[str, float]] = {}
    for name in ("*", dataset):
        for metric, bound in sets.get(name, {}).items():
            merged.setdefault(metric, {}).update(bound)
    return merged


def check_thresholds(
    aggregates: Mapping[str, Any], bounds: Mapping[str, Mapping[str, float]]
) -> list[Breach]:
    """Every bound the aggregate means break. A metric with no values (nothing to check) passes."""
    breaches: list[Breach] = []
    for metric, bound in bounds.items():
        if metric not in METRICS and not metric.startswith("judge_"):
            raise errors.ConfigError(f"thresholds name an unknown metric {metric!r}; see evals/README.md")
        agg = aggregates.get(metric)
        if agg is None:
            continue
        mean = agg["mean"] if isinstance(agg, Mapping) else agg.mean
        if "min" in bound and mean < bound["min"] - TOLERANCE:
            breaches.append(Breach(metric, "min", float(bound["min"]), mean))
        if "max" in bound and mean > bound["max"] + TOLERANCE:
            breaches.append(Breach(metric, "max", float(bound["max"]), mean))
    return breaches


def load_thresholds(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    data = _read_json(path)
    if (not isinstance(data, dict) or not isinstance(data.get("datasets", {}), dict)
            or not isinstance(data.get("baselines", {}), dict)):
        raise errors.ConfigError(
            f"{path}: expected {{'datasets': {{name: {{metric: {{'min'|'max': number}}}}}}}}, and optionally "
            "{'baselines': {baseline: {name: ...}}}"
        )
    return data


def build_results(
    manifest: Mapping[str, Any],
    rows: list[dict[str, Any]],
    bounds: Mapping[str, Mapping[str, float]],
) -> dict[str, Any]:
    """The results document: run facts, per-cluster rows, aggregates, thresholds and breaches."""
    aggregates = {k: v.as_dict() for k, v in aggregate_all([r["metrics"] for r in rows]).items()}
    breaches = check_thresholds(aggregates, bounds)
    return {
        "dataset": manifest["dataset"],
        "backend": manifest["backend"],
        "model": manifest["model"],
        "fingerprint": manifest.get("fingerprint", ""),
        "generated_at": manifest.get("created_at"),
        "scored_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "n_clusters": len(rows),
        "n_failed": sum(1 for r in rows if r["error"] or not r["metrics"].get("schema_valid")),
        "aggregates": aggregates,
        "thresholds": {k: dict(v) for k, v in bounds.items()},
        "baseline": is_baseline(manifest["backend"]),
        "breaches": [str(b) for b in breaches],
        "clusters": rows,
    }


def load_baseline(path: Path | None, dataset: str) -> dict[str, Any] | None:
    """The saved baseline entry for ``dataset``, or None when there is none."""
    if path is None or not path.exists():
        return None
    return _read_json(path).get(dataset)


def save_baseline(path: Path, results: Mapping[str, Any]) -> None:
    """Store these results' aggregates as the baseline for their dataset (other datasets are kept)."""
    data = _read_json(path) if path.exists() else {}
    data[results["dataset"]] = {
        "backend": results["backend"],
        "model": results["model"],
        "n_clusters": results["n_clusters"],
        "scored_at": results["scored_at"],
        "metrics": {
            k: {"mean": v["mean"], "se": v["se"], "n": v["n"]} for k, v in results["aggregates"].items()
        },
    }
    _write_json(path, data)


def score_run(
    out: Path,
    *,
    thresholds: Path | None = DEFAULT_THRESHOLDS,
    baseline: Path | None = None,
    judge: Callable[[EvalCase, StoryBrief], Mapping[str, float | None]] | None = None,
) -> tuple[dict[str, Any], str]:
    """Score the cached briefs in ``out``; write results.json and report.md; return both."""
    from .report import render_report

    manifest, dataset, records = load_run(out)
    rows = score_records(dataset, records, judge=judge)
    bounds = thresholds_for(load_thresholds(thresholds), manifest["dataset"], manifest["backend"], manifest["model"])
    results = build_results(manifest, rows, bounds)
    report = render_report(results, load_baseline(baseline, manifest["dataset"]))
    _write_json(out / RESULTS, results)
    (out / REPORT).write_text(report + "\n", encoding="utf-8")
    return results, report

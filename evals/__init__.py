"""The eval harness: score StoryBriefs against the seed cluster and cluster JSONL files.

``python -m evals run --dataset seed --backend local`` generates (and caches)
briefs, scores them with the pure functions in :mod:`evals.scorers`, writes
``results.json`` and ``report.md``, and exits 1 when a metric breaks a bound in
``evals/thresholds.json``. See ``evals/README.md``.
"""

"""The eval harness: score StoryBriefs against the seed cluster and cluster JSONL files.

``python -m summarizer eval run --dataset seed --backend local`` generates (and
caches) briefs, scores them with the pure functions in :mod:`summarizer_evals.scorers`, writes
``results.json`` and ``report.md``, and exits 1 when a metric breaks a bound in
``evals/thresholds.json``. See ``evals/README.md``.

The folder is ``evals/`` in the repository; it installs as the package
``summarizer_evals`` (a top-level ``evals`` would collide with an unrelated PyPI
distribution), and its data files are found relative to this folder.
"""

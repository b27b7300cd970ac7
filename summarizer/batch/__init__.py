"""Many clusters in, one brief (or one failure record) per cluster out.

* :mod:`~summarizer.batch.run` runs a pipeline over a cluster file with bounded concurrency,
  resumably (``run_batch`` / ``arun_batch``).
* :mod:`~summarizer.batch.input` reads cluster files and keys clusters by their exact id.
* :mod:`~summarizer.batch.openai` writes and collects OpenAI Batch API files.
* :mod:`~summarizer.batch.locking` keeps one writer per output file.
"""

from __future__ import annotations

from .run import BadRecord, BatchReport, arun_batch, audit, default_failures_path, read_clusters, run_batch

__all__ = ["BadRecord", "BatchReport", "arun_batch", "audit", "default_failures_path", "read_clusters", "run_batch"]

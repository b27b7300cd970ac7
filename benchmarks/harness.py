"""What the model benchmarks share: backend options, the config they resolve to, peak RSS, JSON out.

The backend options mirror the CLI's (``--backend``, ``--base-url``, ``--model``,
``--local-model``, ``--model-path``, ``--threads``, ``--threads-batch``, ``--no-cache``) and are
resolved by :func:`summarizer.config.resolve`, so flags beat ``SUMMARIZER_*`` variables as in the CLI.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def add_backend_args(ap: argparse.ArgumentParser, *, default_backend: str = "local") -> None:
    """The backend options, in their own group."""
    from summarizer.settings import LOCAL_MODELS

    g = ap.add_argument_group("backend (as the CLI's)")
    g.add_argument("--backend", choices=["local", "openai"], default=default_backend,
                   help=f"default {default_backend}; openai needs --base-url or OPENAI_API_KEY")
    g.add_argument("--base-url", dest="base_url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    g.add_argument("-m", "--model", help="model name for the openai backend")
    g.add_argument("--local-model", dest="local_model", choices=LOCAL_MODELS)
    g.add_argument("--model-path", dest="model_path", help="any GGUF chat model for the local backend")
    g.add_argument("--threads", type=int, help="generation threads for the local model (default: all cores)")
    g.add_argument("--threads-batch", dest="threads_batch", type=int,
                   help="prompt-processing threads for the local model (default: --threads)")
    g.add_argument("--no-cache", dest="no_cache", action="store_true",
                   help="always call the model (the answer cache is otherwise on, as in the CLI)")


BACKEND_FLAGS = ("backend", "base_url", "model", "local_model", "model_path", "threads", "threads_batch")


def backend_argv(args: argparse.Namespace) -> list[str]:
    """The backend options of ``args`` as command-line words, for a child process."""
    out: list[str] = []
    for name in BACKEND_FLAGS:
        value = getattr(args, name, None)
        if value is not None:
            out += ["--" + name.replace("_", "-"), str(value)]
    return out + ["--no-cache"] * bool(getattr(args, "no_cache", False))


def config_from(args: argparse.Namespace, **extra: Any) -> Any:
    """The :class:`~summarizer.config.Config` the options ask for (``extra`` overrides)."""
    from summarizer.config import resolve

    flags = {name: getattr(args, name, None) for name in BACKEND_FLAGS}
    if getattr(args, "no_cache", False):
        flags["use_cache"] = False
    return resolve({**flags, **extra})


def make_backend(config: Any) -> Any:
    """The backend of ``config``; a local model is loaded now, so later timings leave the load out."""
    from summarizer.backends.factory import make_backend as make

    backend = make(config)
    backend.count_tokens("warm up")  # loads the local model (and the tokenizer of the others)
    return backend


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round((peak if sys.platform == "darwin" else peak * 1024) / 2**20, 1)


def dump(path: Path | None, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` (when given)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def markdown(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A Markdown table of ``rows``: ``columns`` are (key, header) pairs; missing values are blank."""
    head = "| " + " | ".join(h for _, h in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join("" if r.get(k) is None else str(r.get(k)) for k, _ in columns) + " |" for r in rows]
    return "\n".join([head, rule, *body])

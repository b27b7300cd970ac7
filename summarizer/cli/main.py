"""The command line: ``python -m summarizer`` / ``summarizer``.

It uses the library as a program would, through its public modules and names
(tests/test_architecture.py refuses another module's private names), imported
when a command needs them so ``--help`` stays fast. It resolves configuration at
the edge (flag > env var > default, from :mod:`summarizer.settings`), and decides
how errors look to a person: one readable line and a distinct exit code, with the
traceback only under ``-v``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from ..errors import SummarizerError
from .parser import build_parser

log = logging.getLogger("summarizer")

class Progress:
    """One self-updating status line on stderr, only when stderr is a terminal.

    The line ticks (elapsed seconds) while a model call is running, so a long local generation
    visibly makes progress; piped or redirected stderr gets nothing.
    """

    # Ours rather than rich's status line: one carriage-return line is all the CLI draws, and rich
    # (with markdown-it-py and pygments) would be three more packages in every install, the
    # API-only one included. Programs get ProgressEvent fields (summarizer.progress), not this line.

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.started = time.perf_counter()
        self._message = ""
        self._width = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, message: str) -> None:
        log.info("%s", message)
        if not self.enabled:
            return
        with self._lock:
            self._message = message
            self._draw()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="summarizer-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        line = f"[{time.perf_counter() - self.started:6.1f}s] {self._message}"[:120]
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=1)
        if self.enabled and self._width:
            with self._lock:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0


def _configure_logging(verbose: int, quiet: bool) -> None:
    from .. import redaction

    # Before any handler exists: every log line and traceback (-vv) is redacted, the SDK's included.
    redaction.install()
    redaction.add_secret(os.environ.get("OPENAI_API_KEY"))
    redaction.add_url_secrets(os.environ.get("OPENAI_BASE_URL"))
    level = logging.WARNING if quiet or not verbose else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:  # the SDKs are chatty at INFO
        for noisy in ("httpx", "httpx2", "openai", "httpcore", "httpcore2"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def _config_from(args: argparse.Namespace) -> Any:
    """The Config for this command: each setting's flag (when this command has it and it was given),
    else its variable, else its default."""
    from ..config import resolve
    from ..settings import SETTINGS

    config = resolve({s.field: getattr(args, s.field, None) for s in SETTINGS if s.flags})
    from ..redaction import add_secret, add_url_secrets

    add_secret(config.api_key)  # a key given as --api-key is redacted like the variable
    add_url_secrets(config.base_url)  # and a password in the base URL (httpx logs each request's URL at -vv)
    return config


def cmd_summarize(args: argparse.Namespace, progress: Progress) -> int:
    from ..ingest.fetch import Fetcher, is_url
    from ..ingest.gather import gather_story
    from ..pipeline import Pipeline
    from .console import preflight

    config = _config_from(args)
    preflight(config, args.output)  # before fetching and before the paid call
    paths = [p for p in args.paths if p != "-"] + (["-"] if "-" in args.paths else [])
    fetcher = Fetcher(timeout=args.fetch_timeout) if any(is_url(p) for p in paths) else None
    articles = gather_story(paths, fetcher=fetcher, fetch_pages=args.fetch_pages, stdin=sys.stdin)
    pipeline = Pipeline(config=config, progress=progress)
    brief = pipeline.run(articles)
    progress.close()
    _emit(brief, args, "summarize")
    return 0


def _emit(brief: Any, args: argparse.Namespace, command: str) -> None:
    """Write the brief in the format asked for, and log what it cost."""
    from ..output.render import render
    from .console import output_format, write_output

    write_output(render(brief, output_format(args.format, args.output)), args.output)
    run = brief.run
    log.info("%s: %d call(s), %d+%d tokens, %d cache hit(s), %.1fs", command, run.llm_calls, run.prompt_tokens,
             run.completion_tokens, run.cache_hits, run.duration_s)


def cmd_update(args: argparse.Namespace, progress: Progress) -> int:
    from ..ingest import load_articles
    from ..output.saved import read_brief
    from ..pipeline import Pipeline
    from ..updates import Updater
    from .console import preflight

    config = _config_from(args)
    preflight(config, args.output)
    brief = read_brief(args.brief)
    paths = [p for p in args.paths if p != "-"]
    new = load_articles(*paths, *(["-"] if "-" in args.paths else []), stdin=sys.stdin)
    old = load_articles(*args.with_articles) if args.with_articles else None
    updater = Updater(pipeline=Pipeline(config=config, progress=progress))
    updated = updater.run(brief, new, old, base=Path(args.brief).parent)
    progress.close()
    _emit(updated, args, "update")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from ..output.render import render
    from ..output.saved import read_saved, write_briefs
    from .console import output_format, preflight, write_output

    saved = read_saved(args.brief)
    if saved[0].cluster_id is None:  # one brief, one document
        preflight(None, args.output)
        write_output(render(saved[0].brief, output_format(args.format, args.output)), args.output)
        return 0
    if not args.output or args.output == "-":
        raise ConfigError(f"{args.brief} holds {len(saved)} brief(s) from a batch; pass -o FOLDER to write "
                          "one file per brief")
    preflight(None, args.output, folder=True)
    written = write_briefs(saved, args.output, args.format or "html")
    sys.stderr.write(f"{len(written)} brief(s) written to {args.output}\n")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema.brief import StoryBrief
    from ..schema.draft import BriefDraft

    model = BriefDraft if args.draft else StoryBrief
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2) + "\n")
    return 0


def cmd_batch(args: argparse.Namespace, progress: Progress) -> int:
    from ..batch.run import run_batch
    from ..pipeline import Pipeline
    from .console import preflight

    config = _config_from(args)
    preflight(config, args.output)
    pipeline = Pipeline(config=config, progress=None)
    clusters = args.clusters
    if clusters == "-":
        from ..batch.locking import OutputLock

        with OutputLock(args.output):  # a batch already writing OUTPUT keeps the stdin it saved
            clusters = _stdin_to_file(args.output)
    report = run_batch(clusters, args.output, pipeline=pipeline, failures_path=args.failures,
                       concurrency=config.concurrency, progress=progress, retry_failed=args.retry_failed)
    progress.close()
    sys.stderr.write(report.summary() + "\n")
    return batch_exit_code(report)


def _stdin_to_file(output: str) -> str:
    """Keep stdin's clusters beside OUTPUT, so a rerun (even without stdin) resumes from the same lines."""
    from ..atomic import write_text

    path = Path(output).with_suffix(".input.jsonl")
    text = sys.stdin.read()
    if text.strip() or not path.exists():  # an empty stdin on a rerun resumes from the saved lines
        write_text(path, text)
    return str(path)


def batch_exit_code(report: Any) -> int:
    """0 when every cluster has a brief; 1 while any is listed as failed, whether this run or an earlier one
    failed it (a rerun that skips known failures must not turn them into success)."""
    return 1 if report.failed or report.previously_failed else 0


def _fetcher_and_options(args: argparse.Namespace) -> tuple[Any, Any]:
    """(Fetcher, cluster options); a Fetcher exists only when an input is a URL."""
    from ..ingest.fetch import Fetcher, is_url
    from ..stories.cluster import ClusterOptions

    fetcher = Fetcher(timeout=args.fetch_timeout) if any(is_url(i) for i in args.inputs) else None
    options = ClusterOptions() if args.threshold is None else ClusterOptions(threshold=args.threshold)
    return fetcher, options


def _gather(args: argparse.Namespace) -> tuple[list[Any], Any]:
    """(articles, cluster options)."""
    from ..ingest.gather import gather_articles

    fetcher, options = _fetcher_and_options(args)
    return gather_articles(args.inputs, fetcher=fetcher, fetch_pages=args.fetch_pages), options


def cmd_cluster(args: argparse.Namespace, progress: Progress) -> int:
    from ..stories.cluster import cluster_articles, cluster_record, write_clusters

    articles, options = _gather(args)
    progress(f"clustering {len(articles)} article(s)")
    clusters = cluster_articles(articles, options)
    progress.close()
    if args.output and args.output != "-":
        write_clusters(clusters, args.output)
    else:
        sys.stdout.write("".join(json.dumps(cluster_record(c), ensure_ascii=False) + "\n" for c in clusters))
    sys.stderr.write(f"{len(articles)} article(s) in {len(clusters)} stories\n")
    return 0


def cmd_digest(args: argparse.Namespace, progress: Progress) -> int:
    from ..pipeline import Pipeline
    from ..stories.digest import digest
    from .console import preflight

    config = _config_from(args)
    preflight(config, args.output, folder=True)
    fetcher, options = _fetcher_and_options(args)
    # The inputs go in unread: digest reads past a dead feed or a broken file and lists it.
    report = digest(args.inputs, args.output, pipeline=Pipeline(config=config, progress=None), options=options,
                    fetcher=fetcher, fetch_pages=args.fetch_pages, concurrency=config.concurrency,
                    retry_failed=args.retry_failed, progress=progress, title=args.title,
                    threads=args.story_threads, **({"thread_days": args.thread_days} if args.thread_days else {}))
    progress.close()
    sys.stderr.write(report.summary() + "\n")
    return 0 if not report.failed and not report.unread else 1


def cmd_models(args: argparse.Namespace, progress: Progress) -> int:
    from ..backends import weights
    from ..backends.local import runtime_missing
    from ..config import resolve

    config = resolve({"backend": "local"})
    if args.prepare:
        path = weights.ensure_model(args.prepare, config.cache_dir, progress=progress)
        progress.close()
        sys.stdout.write(f"{args.prepare}: {path}\n")
        return 0
    missing = runtime_missing()
    for name, spec in weights.MODELS.items():
        state = weights.status(name, config.cache_dir)
        if missing is not None and state == "ready":
            state = "weights only"  # assembled, but nothing here can run them
        sys.stdout.write(f"{name:<14} {state:<12} {spec.display_name}\n")
    if missing is not None:
        sys.stdout.write(f"llama_cpp is not installed, so none of these can run here: {missing}\n")
    return 0


def _missing(exc: ModuleNotFoundError, progress: Progress | None = None) -> int:
    """An optional module is missing: name the extra that installs it (anything else is a bug: re-raise)."""
    from .console import missing_extra

    if progress is not None:
        progress.close()
    error = missing_extra(exc)
    if error is None:
        raise exc
    sys.stderr.write(f"summarizer: error: {error}\n")
    return error.exit_code


def _eval(argv: list[str]) -> int:
    try:
        from summarizer_evals.__main__ import main as eval_main

        return eval_main(argv)
    except ModuleNotFoundError as exc:
        return _missing(exc)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    # The harness has its own parser: hand it what follows "eval", after the global options
    # (-v, -q), which are applied here as for any command.
    at = next((i for i, a in enumerate(argv) if not a.startswith("-")), len(argv))
    if argv[at : at + 1] == ["eval"]:
        front = parser.parse_args([*argv[:at], "schema"])  # the global options alone
        _configure_logging(getattr(front, "verbose", 0), getattr(front, "quiet", False))
        return _eval(argv[at + 1 :])
    args = parser.parse_args(argv)
    args.verbose = getattr(args, "verbose", 0)
    args.quiet = getattr(args, "quiet", False)
    _configure_logging(args.verbose, args.quiet)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    progress = Progress(sys.stderr, enabled=not args.quiet and args.verbose == 0)
    try:
        if args.command == "summarize":
            return cmd_summarize(args, progress)
        if args.command == "update":
            return cmd_update(args, progress)
        if args.command == "schema":
            return cmd_schema(args)
        if args.command == "render":
            return cmd_render(args)
        if args.command == "batch":
            return cmd_batch(args, progress)
        if args.command == "models":
            return cmd_models(args, progress)
        if args.command == "cluster":
            return cmd_cluster(args, progress)
        if args.command == "digest":
            return cmd_digest(args, progress)
        parser.error(f"unknown command {args.command}")
    except SummarizerError as exc:
        progress.close()
        if args.verbose >= 2:
            log.exception("failed")
        from ..redaction import redact
        from .console import explain

        sys.stderr.write(redact(explain(exc, args.verbose)) + "\n")
        return exc.exit_code
    except ModuleNotFoundError as exc:
        return _missing(exc, progress)
    except KeyboardInterrupt:
        progress.close()
        sys.stderr.write("summarizer: interrupted\n")
        return 130
    return 0

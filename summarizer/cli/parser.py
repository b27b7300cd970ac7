"""The command line's arguments: every subcommand and option, the exit codes and the environment help.

:mod:`summarizer.cli.main` runs the commands; this module only describes them, so ``--help``, the
README's configuration table (:func:`summarizer.cli.console.config_table`) and the parser agree.
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import __version__

EXIT_CODES = """exit codes:
  0  success
  1  batch: some clusters are listed as failed (this run or an earlier one); rerun with --retry-failed
  2  configuration error (missing key/base URL, bad option, a missing extra; batch: another batch is
     writing OUTPUT)
  3  bad input (empty, binary or unreadable files, no articles, several stories for summarize)
  4  local model weights missing or corrupt
  5  model server failure (after retries)
  6  the model's output failed validation after re-asks
  7  the server rejected the API key
  8  the server has no such model
  130 interrupted"""


def _env_help() -> str:
    from ..config import ENV_VARS

    lines = ["environment variables (a flag wins over its variable):"]
    lines += [f"  {var:<28} {text}" for var, text in ENV_VARS.values()]
    return "\n".join(lines)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    from ..config import CHOICES

    g = p.add_argument_group("model")
    g.add_argument("--backend", choices=CHOICES["backend"], help="default: auto (local unless a key/base URL is set)")
    g.add_argument("-m", "--model", help="model name for the OpenAI-protocol backend (default gpt-4o-mini)")
    g.add_argument("--base-url", dest="base_url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    g.add_argument("--api-key", dest="api_key", help="API key (prefer the OPENAI_API_KEY variable)")
    g.add_argument("--local-model", dest="local_model", choices=["qwen2.5-1.5b", "qwen2.5-0.5b"],
                   help="embedded model (default qwen2.5-1.5b)")
    g.add_argument("--model-path", dest="model_path", help="any GGUF chat model for the local backend")
    g.add_argument("--response-format", dest="response_format", choices=CHOICES["response_format"],
                   help="how structured output is requested from the server (default auto)")
    g.add_argument("--max-output-tokens", dest="max_output_tokens", type=int,
                   help="most tokens the model may write per answer (raise it after a length error)")
    g.add_argument("--context-window", dest="context_window", type=int,
                   help="the model's context window in tokens (default: known models' own, else 8192)")
    g.add_argument("--timeout", type=float,
                   help="deadline in seconds for each attempt at a model answer, first byte to last (default "
                        "300); retries included, one answer takes at most (retries + 1) x TIMEOUT, 5 x by default")
    g.add_argument("--threads", type=int, help="CPU threads for the local model (default: the cores free at each call)")
    g.add_argument("--threads-batch", dest="threads_batch", type=int,
                   help="CPU threads for the local model's prompt processing (default: --threads)")
    g.add_argument("--max-reasks", dest="max_reasks", type=int, help="validation re-asks per brief (default 1)")
    g.add_argument("--no-cache", dest="no_cache", action="store_true", help="always call the model")


def _add_input_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("inputs and clustering")
    g.add_argument("--threshold", type=float, help="story similarity threshold (default 0.12; higher splits more)")
    g.add_argument("--fetch-pages", dest="fetch_pages", action="store_true",
                   help="fetch the page of each feed entry that has only a summary")
    g.add_argument("--fetch-timeout", dest="fetch_timeout", type=float, default=15.0,
                   help="seconds per fetched URL (default 15)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description="Turn a cluster of news articles about one story into a neutral, source-grounded brief.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    # -v/-q work before or after the command; SUPPRESS keeps a later default from erasing an earlier flag.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="log progress (-vv: debug, tracebacks)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress, warnings only")
    for action in common._actions:
        parser._add_action(action)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_summarize(sub, common)
    _add_update(sub, common)
    _add_batch(sub, common)
    _add_day_commands(sub, common)
    sub.add_parser("eval", add_help=False, help="run the eval harness (see eval --help)")
    m = sub.add_parser("models", parents=[common], help="list the embedded models, or assemble one ahead of time")
    m.add_argument("--prepare", metavar="NAME", help="assemble and verify NAME's weights now")
    return parser


def _add_summarize(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser(
        "summarize",
        parents=[common],
        help="summarize one cluster of articles",
        description="Summarize the articles given as files, folders, JSON/JSONL, or '-' for stdin.",
        epilog=_env_help() + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="article files (.txt .md .html .json .jsonl), folders, or -")
    s.add_argument("-f", "--format", choices=["json", "md", "html"],
                   help="output format: json (the schema), md, or html (a self-contained page); "
                   "default: from the -o file's extension, else json")
    s.add_argument("-o", "--output", help="write to FILE instead of stdout ('-' is stdout)")
    _add_model_options(s)
    sc = sub.add_parser("schema", parents=[common], help="print the StoryBrief JSON Schema")
    sc.add_argument("--draft", action="store_true", help="print the schema the model fills instead")


def _add_update(sub: Any, common: argparse.ArgumentParser) -> None:
    u = sub.add_parser(
        "update",
        parents=[common],
        help="update a brief with new articles (what's new, a changelog entry)",
        description="Update BRIEF (a JSON brief) with the new articles: everything checkable is recomputed over "
        "old and new articles, a \"what's new\" section is added and the changelog grows. The old articles are "
        "reloaded from the paths the brief recorded, or given with --with. At most one small model call.",
        epilog=_env_help() + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    u.add_argument("brief", metavar="BRIEF", help="the brief to update, as `summarize -f json` wrote it")
    u.add_argument("paths", nargs="+", metavar="NEW", help="the new articles: files, folders, JSON/JSONL, or -")
    u.add_argument("--with", dest="with_articles", nargs="+", metavar="OLD",
                   help="the old brief's articles, when they are no longer where the brief says")
    u.add_argument("-f", "--format", choices=["json", "md", "html"],
                   help="output format (default: from the -o file's extension, else json)")
    u.add_argument("-o", "--output", help="write to FILE instead of stdout (it may be BRIEF itself)")
    _add_model_options(u)


def _add_batch(sub: Any, common: argparse.ArgumentParser) -> None:
    b = sub.add_parser(
        "batch",
        parents=[common],
        help="summarize many clusters from a cluster JSONL file, resumably",
        description="Each input line is a cluster: {id, title, articles: [{id, source, title, url, text}], ...}. "
        "Briefs are appended to OUTPUT as they finish; failures go to a .failures.jsonl file; "
        "re-running resumes where it stopped.",
        epilog=_env_help() + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("clusters", help="cluster JSONL file, or - for stdin")
    b.add_argument("-o", "--output", required=True, help="briefs JSONL (appended, resumable)")
    b.add_argument("--failures", help="failures JSONL (default: OUTPUT with .failures.jsonl)")
    b.add_argument("--concurrency", type=int, default=4, help="clusters in flight at once (default 4)")
    b.add_argument("--retry-failed", dest="retry_failed", action="store_true", help="retry clusters listed as failed")
    _add_model_options(b)


def _add_day_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """`cluster` and `digest`: from a day's articles to stories and a site."""
    cl = sub.add_parser("cluster", parents=[common], help="group articles, feeds and URLs into story clusters",
                        description="Cluster the inputs into stories, written as cluster JSONL for `batch`.")
    cl.add_argument("inputs", nargs="+", metavar="INPUT", help="article files, folders, JSONL, RSS/Atom feeds, URLs")
    cl.add_argument("-o", "--output", help="cluster JSONL to write (default or '-': stdout)")
    _add_input_options(cl)

    d = sub.add_parser("digest", parents=[common], help="cluster, summarize each story, write an HTML site",
                       description="Cluster the inputs, summarize each story (resumable), and write one page "
                       "per story plus index.html into OUTPUT.",
                       epilog=_env_help() + "\n\n" + EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("inputs", nargs="+", metavar="INPUT", help="article files, folders, JSONL, RSS/Atom feeds, URLs")
    d.add_argument("-o", "--output", required=True, help="site folder (re-running resumes)")
    d.add_argument("--concurrency", type=int, default=4, help="stories in flight at once (default 4)")
    d.add_argument("--retry-failed", dest="retry_failed", action="store_true", help="retry stories that failed")
    d.add_argument("--title", default="Today's stories", help="the index page's heading")
    _add_input_options(d)
    _add_model_options(d)

"""The command line's arguments: every subcommand and option, the exit codes and the environment help.

:mod:`summarizer.cli.main` runs the commands; this module only describes them, so ``--help``, the
README's configuration table (:func:`summarizer.cli.console.config_table`) and the parser agree.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..settings import BY_FIELD, DEFAULT_CONCURRENCY, MODEL_OPTIONS, SETTINGS

DEFAULT_FETCH_TIMEOUT = 15.0  # seconds per URL, the Fetcher's own default
MAX_FETCH_TIMEOUT = 3600.0  # an hour for one page is a typo, not a slow server

EXIT_CODES = """exit codes:
  0  success
  1  batch: some clusters are listed as failed (this run or an earlier one); rerun with --retry-failed
  2  configuration error (missing key/base URL, bad option, an output or cache folder that cannot be
     written, a missing extra; batch: another batch is writing OUTPUT)
  3  bad input (empty, binary or unreadable files, no articles, several stories for summarize)
  4  local model weights missing or corrupt
  5  model server failure (after retries)
  6  the model's output failed validation after re-asks
  7  the server rejected the API key
  8  the server has no such model
  9  the result could not be written to OUTPUT; the message names the file that holds it instead
  130 interrupted"""


def _env_help() -> str:
    lines = ["environment variables (a flag wins over its variable):"]
    lines += [f"  {s.env:<28} {s.flag or s.help}" for s in SETTINGS if s.env]
    return "\n".join(lines)


def bounded(cast: Callable[[str], float], low: float, high: float, *, above: bool = False) -> Callable[[str], float]:
    """An argparse ``type`` for a number from ``low`` (excluded when ``above``) to ``high``: anything else,
    NaN and infinity included, is a usage error (exit 2) naming the range, never a traceback later on.

    For the numeric options that are not settings; a setting's bounds are its row in
    :data:`summarizer.settings.SETTINGS`, checked by :func:`summarizer.config.resolve`."""
    wanted = f"a number {'above' if above else 'from'} {_number(low)}{' and up to' if above else ' to'} {_number(high)}"

    def parse(text: str) -> float:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, not {text!r}") from None
        if not math.isfinite(value) or value > high or value < low or (above and value == low):
            raise argparse.ArgumentTypeError(f"expected {wanted}, not {text!r}")
        return value

    return parse


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _add_setting(group: Any, field: str, text: str | None = None) -> None:
    """Add the flag of the setting ``field`` (a row of :data:`summarizer.settings.SETTINGS`) to ``group``,
    with the row's help unless ``text`` words it for this command.

    The value stays a string (or None when not given) under ``dest=field``:
    :func:`summarizer.config.resolve` casts and checks flags and variables alike.
    """
    setting = BY_FIELD[field]
    if setting.switch is not None:
        group.add_argument(*setting.flags, dest=field, action="store_const", const=setting.switch,
                           help=text or setting.help)
    else:
        group.add_argument(*setting.flags, dest=field, choices=setting.choices, help=text or setting.help)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    for setting in MODEL_OPTIONS:
        _add_setting(g, setting.field)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("inputs and clustering")
    g.add_argument("--threshold", type=bounded(float, 0, 1, above=True),
                   help="story similarity threshold, above 0 and up to 1 (default 0.12; higher splits more)")
    _add_fetch_options(g)


def _add_fetch_options(group: Any) -> None:
    """The options of commands that fetch URLs (summarize, cluster, digest)."""
    group.add_argument("--fetch-pages", dest="fetch_pages", action="store_true",
                       help="fetch the page of each feed entry that has only a summary")
    group.add_argument("--fetch-timeout", dest="fetch_timeout", default=DEFAULT_FETCH_TIMEOUT,
                       type=bounded(float, 0, MAX_FETCH_TIMEOUT, above=True),
                       help=f"seconds per fetched URL (default {DEFAULT_FETCH_TIMEOUT:g})")


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
    _add_render(sub, common)
    sub.add_parser("eval", add_help=False, help="run the eval harness (see eval --help)")
    m = sub.add_parser("models", parents=[common], help="list the embedded models, or assemble one ahead of time")
    m.add_argument("--prepare", metavar="NAME", help="assemble and verify NAME's weights now")
    return parser


def _add_summarize(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser(
        "summarize",
        parents=[common],
        help="summarize one cluster of articles",
        description="Summarize the articles given as files, folders, JSON/JSONL, RSS/Atom feeds, http(s) URLs "
        "(fetched politely: robots.txt, size and time caps), or '-' for stdin.",
        epilog=_env_help() + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help="article files (.txt .md .html .json .jsonl), folders, RSS/Atom feeds, URLs, or -")
    s.add_argument("-f", "--format", choices=["json", "md", "html"],
                   help="output format: json (the schema), md, or html (a self-contained page); "
                   "default: from the -o file's extension, else json")
    s.add_argument("-o", "--output", help="write to FILE instead of stdout ('-' is stdout)")
    _add_fetch_options(s.add_argument_group("URLs"))
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
    _add_setting(b, "concurrency", f"clusters in flight at once (default {DEFAULT_CONCURRENCY})")
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
    _add_setting(d, "concurrency", f"stories in flight at once (default {DEFAULT_CONCURRENCY})")
    d.add_argument("--retry-failed", dest="retry_failed", action="store_true", help="retry stories that failed")
    d.add_argument("--title", default="Today's stories", help="the index page's heading")
    d.add_argument("--no-threads", dest="story_threads", action="store_false",
                   help="build the site from this run's stories only, instead of continuing the stories already there")
    d.add_argument("--thread-days", dest="thread_days", type=float, default=None, metavar="DAYS",
                   help="a cluster continues a story at most this many days after its latest article (default 10)")
    _add_input_options(d)
    _add_model_options(d)


def _add_render(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser(
        "render", parents=[common], help="render a saved brief, or a batch's briefs.jsonl, as Markdown, HTML or JSON",
        description="Render BRIEFS again, with no model: a brief as `summarize -f json` wrote it becomes one "
        "document (stdout or -o FILE); a briefs.jsonl as `batch` or `digest` wrote it becomes one file per brief "
        "in the folder -o names, each named by its cluster id (a hash of it when the id is not a plain name).",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("brief", metavar="BRIEFS", help="a brief JSON file, or a briefs JSONL file")
    r.add_argument("-f", "--format", choices=["json", "md", "html"],
                   help="output format (default: from the -o file's extension, else json; html for a folder)")
    r.add_argument("-o", "--output", help="FILE for one brief (default or '-': stdout); FOLDER for a briefs file")

"""How the command line writes results and explains failures to a person.

Kept apart from :mod:`summarizer.cli.main` (which parses and dispatches) so each stays small:
output files and formats, the error text for each failure, and the configuration
table that ``--help`` and the README share.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..output.render import Format

from .. import errors

log = logging.getLogger("summarizer")

# Output file suffix -> format, for `-o story.html` without `-f`.
FORMAT_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

# Optional modules -> (what needs them, the extra that installs them, the PyPI package).
EXTRAS = {
    "rouge_score": ("the eval harness", "eval", "rouge-score"),
    "llama_cpp": ("the local backend", "local", "llama-cpp-python"),
    "trafilatura": ("HTML extraction", "html", "trafilatura"),
    "ray": ("the Ray example", "ray", "ray[data]"),
    "feedparser": ("reading RSS/Atom feeds", "digest", "feedparser"),
}


def output_format(fmt: str | None, output: str | None) -> Format:
    """``-f`` when given, else the output file's suffix (``story.html`` -> html), else json."""
    chosen = fmt or (FORMAT_BY_SUFFIX.get(Path(output).suffix.lower(), "json") if output and output != "-" else "json")
    if chosen not in ("json", "md", "html"):
        raise ValueError(f"unknown output format {chosen!r}")
    return chosen  # type: ignore[return-value]


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` atomically, or to stdout when it is None or ``-``."""
    if output and output != "-":
        from ..atomic import write_text

        write_text(Path(output), text)
        log.info("wrote %s", output)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def missing_extra(exc: ModuleNotFoundError) -> errors.MissingExtraError | None:
    """The extra to install for an optional module that is missing, or None if it is not one of ours."""
    top = (exc.name or "").split(".")[0]
    if top not in EXTRAS:
        return None
    feature, extra, package = EXTRAS[top]
    return errors.MissingExtraError(feature, extra, package)


def explain(exc: errors.SummarizerError, verbose: int) -> str:
    """The lines a person sees for ``exc``: the message and, for validation failures, what was wrong."""
    lines = [f"summarizer: error: {exc}"]
    if isinstance(exc, errors.OutputValidationError) and exc.attempts:
        lines += _attempt_lines(exc.attempts, verbose)
    return "\n".join(lines)


def _attempt_lines(attempts: list[dict[str, object]], verbose: int, shown: int = 8) -> list[str]:
    last = attempts[-1]
    problems = [str(p) for p in (last.get("errors") or [])]  # type: ignore[attr-defined]
    lines = [f"problems in the last attempt ({len(problems)}):"]
    lines += [f"  - {p[:300]}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"  … and {len(problems) - shown} more")
    path = _save_attempts(attempts)
    if verbose:
        for n, attempt in enumerate(attempts, 1):
            lines.append(f"raw output of attempt {n}:")
            lines.append(str(attempt.get("output", ""))[:4000])
    if path:
        lines.append(f"every attempt's raw output and problems: {path}")
    elif not verbose:
        lines.append("run with -v to see the model's raw outputs")
    return lines


def _save_attempts(attempts: list[dict[str, object]]) -> Path | None:
    """Write the attempts to a temporary JSON file (model outputs, never keys); None if that fails."""
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="summarizer-attempts-",
                                         suffix=f"-{int(time.time())}.json", delete=False) as fh:
            json.dump(attempts, fh, ensure_ascii=False, indent=2, default=str)
            return Path(fh.name)
    except OSError:
        return None


def config_table(parser: argparse.ArgumentParser) -> str:
    """The README's configuration table: the ``model`` options of ``summarize --help``, then the
    variables that have no flag, each with its variable from :data:`summarizer.settings.SETTINGS`."""
    from ..settings import BY_FIELD, SETTINGS

    rows = ["| flag | environment variable | meaning |", "|---|---|---|"]
    seen: set[str] = set()
    bar = "\\|"  # a literal | inside a Markdown table cell
    for action in _model_actions(parser):
        flags = ", ".join(f"`{f}`" for f in action.option_strings)
        choices = f" ({bar.join(map(str, action.choices))})" if action.choices else ""
        var = BY_FIELD[action.dest].env
        seen.add(action.dest)
        rows.append(f"| {flags}{choices} | {f'`{var}`' if var else ''} | {action.help} |")
    for setting in SETTINGS:
        if setting.env and setting.field not in seen:
            rows.append(f"| | `{setting.env}` | {setting.help} |")
    return "\n".join(rows)


def _model_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    summarize = sub.choices["summarize"]
    group = next(g for g in summarize._action_groups if g.title == "model")
    return list(group._group_actions)

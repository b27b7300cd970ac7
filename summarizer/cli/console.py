"""How the command line writes results and explains failures to a person.

Kept apart from :mod:`summarizer.cli.main` (which parses and dispatches) so each stays small:
output files and formats, the error text for each failure, and the configuration
table that ``--help`` and the README share.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
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


def unwritable(directory: Path) -> str | None:
    """Why files cannot be written in ``directory``, or None when they can. A folder that does not exist
    yet is fine when its nearest existing ancestor is a folder we may write in (it is created on write)."""
    existing = directory
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def preflight(config: Config | None, output: str | None, *, folder: bool = False) -> None:
    """Check, before any model call, that the result can be written: ``output`` (a file, or with
    ``folder`` a folder; None or ``-`` is stdout) and the answer cache. Raises :class:`ConfigError`
    naming the path and what to do, so a paid-for answer is never lost to a typo in a path."""
    if output and output != "-":
        path = Path(output)
        if not folder and path.is_dir():
            raise errors.ConfigError(f"-o {output} is a folder; name a file in it, e.g. -o {path / 'brief.json'}")
        problem = unwritable(path if folder else path.parent)
        if problem:
            raise errors.ConfigError(f"-o {output} cannot be written: {problem}; choose a path in a folder "
                                     "you can write to")
    if config is not None and config.use_cache:
        from ..settings import setting_name

        problem = unwritable(Path(config.cache_dir))
        if problem:
            raise errors.ConfigError(f"the answer cache {config.cache_dir} cannot be written: {problem}; point "
                                     f"{setting_name('cache_dir')} at a folder you can write to, or pass --no-cache")


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` atomically, or to stdout when it is None or ``-``.

    When the file cannot be written (the disk filled, the folder went away during the run), the
    text is kept in a file in the system's temporary folder, or printed when even that fails, and
    :class:`OutputWriteError` says where it is: the result was paid for and is never lost."""
    if output and output != "-":
        from ..atomic import write_text

        try:
            write_text(Path(output), text)
        except OSError as exc:
            kept = _keep(text, Path(output).suffix)
            where = f"it was kept in {kept}: move it where you want it" if kept else "it was printed to stdout"
            raise errors.OutputWriteError(f"cannot write {output} ({exc.strerror or exc}); {where}",
                                          output=output, kept=str(kept) if kept else None) from exc
        log.info("wrote %s", output)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _keep(text: str, suffix: str) -> Path | None:
    """Save ``text`` to a new file in the system's temporary folder; when that fails, print it and return None."""
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="summarizer-result-",
                                         suffix=f"-{int(time.time())}{suffix}", delete=False) as fh:
            fh.write(text)
            return Path(fh.name)
    except OSError:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return None


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

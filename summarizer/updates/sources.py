"""The old brief's articles, found again: an update checks the old brief against their texts.

A brief's :class:`~summarizer.schema.Source` keeps where each article was loaded from
(``source_path``) and a digest of its text. Articles the caller passes (``--with``) are matched
first, by id and then by digest; the rest are reloaded from their paths. A file that is gone,
or whose text changed since the brief was made, is an error: the old quotes and sentences would
no longer be spans of it.

A brief is data from outside (anyone can write one), so its paths are not trusted: a recorded
path is read only when the source has a digest to check the text against, and only when it
resolves (symlinks followed) to a file under the working directory or the brief's own folder.
``/etc/passwd``, ``../../secret`` or a link out of those folders is never opened; its article
must be given (``--with``), which is the user naming the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import MissingArticlesError, SummarizerError
from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.parts import Source, text_digest

HOW_TO_FIX = ("pass the old articles with --with PATH... (library: update(..., old_articles=[...])), "
              "or summarize the whole cluster again")


def _matches(source: Source, article: Article) -> bool:
    return source.digest is None or text_digest(article.text) == source.digest


def _pick(source: Source, candidates: Sequence[Article]) -> Article | None:
    """The candidate that is this source: same id (and text), else same text, else the only one."""
    for a in candidates:
        if a.id == source.article_id and _matches(source, a):
            return a
    if source.digest is not None:
        return next((a for a in candidates if text_digest(a.text) == source.digest), None)
    return candidates[0] if len(candidates) == 1 else None


def reload_roots(base: Path | None = None) -> tuple[Path, ...]:
    """The folders a brief's recorded paths may be read from: the working directory and ``base``."""
    roots = [Path.cwd().resolve()]
    if base is not None and base.resolve() not in roots:  # resolved: a linked brief's real folder
        roots.append(base.resolve())
    return tuple(roots)


def _confined(path: str, roots: Sequence[Path]) -> Path | None:
    """The file ``path`` names, if it resolves to one under a root: a relative path is tried under each
    root, and any path also by its file name in each root (a brief kept beside its articles records
    them relative to wherever ``summarize`` ran)."""
    given = Path(path)
    candidates = [given] if given.is_absolute() else [root / given for root in roots]
    candidates += [root / given.name for root in roots if given.name]
    for candidate in candidates:
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
            continue
        if any(real.is_relative_to(root) for root in roots) and real.is_file():
            return real
    return None


def _reload(source: Source, roots: Sequence[Path], loaded: dict[Path, list[Article]]) -> tuple[list[Article], str]:
    """The articles of the source's recorded file (each file read once per update), or [] and why not."""
    from ..ingest import load_articles

    assert source.source_path
    if source.digest is None:  # nothing to check a file's text against: it is not opened at all
        return [], "the brief records no digest of its text, so its recorded path is not read"
    real = _confined(source.source_path, roots)
    if real is None:
        where = " or ".join(str(r) for r in roots)
        return [], f"no file at {source.source_path!r} under {where} (paths outside them are not read)"
    if real not in loaded:
        try:
            loaded[real] = load_articles(real)
        except SummarizerError:
            loaded[real] = []
    return loaded[real], "its text changed since the brief was made, or it no longer loads"


def old_articles(brief: StoryBrief, given: Sequence[Article] = (), *, base: Path | None = None) -> list[Article]:
    """The articles of ``brief``'s sources, in source order, with the brief's ids and duplicate marks.

    ``given`` are articles the caller supplies; ``base`` is the brief file's folder: recorded paths
    are read only under it and the working directory (:func:`reload_roots`), and only for sources
    with a digest. Raises :class:`~summarizer.errors.MissingArticlesError` naming every source
    that cannot be found.
    """
    roots = reload_roots(base)
    loaded: dict[Path, list[Article]] = {}
    out: list[Article] = []
    missing: list[tuple[str, str]] = []
    for source in brief.sources:
        article = _pick(source, list(given))
        why = "no recorded path"
        if article is None and source.source_path and not source.source_path.startswith("<"):
            candidates, why = _reload(source, roots, loaded)
            article = _pick(source, candidates)
        if article is None:
            missing.append((source.article_id, why))
            continue
        # The brief's own id: every citation of the old brief refers to it.
        out.append(article.model_copy(update={"id": source.article_id, "duplicate_of": source.duplicate_of,
                                              "source_path": source.source_path or article.source_path}))
    if missing:
        raise MissingArticlesError(
            f"cannot find {len(missing)} of the brief's {len(brief.sources)} article(s): "
            f"{'; '.join(f'{uid} ({why})' for uid, why in missing)}; {HOW_TO_FIX}", [uid for uid, _ in missing])
    return out



"""The old brief's articles, found again: an update checks the old brief against their texts.

A brief's :class:`~summarizer.schema.Source` keeps where each article was loaded from
(``source_path``) and a digest of its text. Articles the caller passes (``--with``) are matched
first, by id and then by digest; the rest are reloaded from their paths. A file that is gone,
or whose text changed since the brief was made, is an error: the old quotes and sentences would
no longer be spans of it.
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


def _reload(path: str, base: Path | None, loaded: dict[str, list[Article]]) -> list[Article]:
    """The articles of one file (read once per update), tried as given and beside the brief."""
    from ..ingest import load_articles

    if path in loaded:
        return loaded[path]
    tries = [Path(path)] + ([base / path] if base is not None and not Path(path).is_absolute() else [])
    found: list[Article] = []
    for p in tries:
        if p.is_file():
            try:
                found = load_articles(p)
            except SummarizerError:
                found = []
            break
    loaded[path] = found
    return found


def old_articles(brief: StoryBrief, given: Sequence[Article] = (), *, base: Path | None = None) -> list[Article]:
    """The articles of ``brief``'s sources, in source order, with the brief's ids and duplicate marks.

    ``given`` are articles the caller supplies; ``base`` is a folder relative paths are also tried in
    (the brief file's own). Raises :class:`~summarizer.errors.MissingArticlesError` naming every source
    that cannot be found.
    """
    loaded: dict[str, list[Article]] = {}
    out: list[Article] = []
    missing: list[str] = []
    for source in brief.sources:
        article = _pick(source, list(given))
        if article is None and source.source_path and not source.source_path.startswith("<"):
            article = _pick(source, _reload(source.source_path, base, loaded))
        if article is None:
            where = source.source_path or "no recorded path"
            missing.append(f"{source.article_id} ({where})")
            continue
        # The brief's own id: every citation of the old brief refers to it.
        out.append(article.model_copy(update={"id": source.article_id, "duplicate_of": source.duplicate_of,
                                              "source_path": source.source_path or article.source_path}))
    if missing:
        raise MissingArticlesError(
            f"cannot find {len(missing)} of the brief's {len(brief.sources)} article(s), or their text changed "
            f"since the brief was made: {', '.join(missing)}; {HOW_TO_FIX}", [m.split(" ", 1)[0] for m in missing])
    return out


def read_brief(path: str | Path) -> StoryBrief:
    """A brief as ``summarize -f json`` wrote it; :class:`~summarizer.errors.InputError` naming the file if not."""
    from pydantic import ValidationError

    from ..errors import InputError

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the brief ({getattr(exc, 'strerror', None) or exc})", path=name) from None
    try:
        return StoryBrief.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        at = ".".join(str(p) for p in first.get("loc", ())) or "the top level"
        raise InputError(f"not a story brief in JSON, as `summarizer summarize -f json` writes it ({at}: "
                         f"{first.get('msg')})", path=name) from None

"""Render a StoryBrief as JSON, Markdown, or one self-contained HTML page.

The page and the Markdown come from Jinja2 templates in ``summarizer.output.templates``.
Everything in a brief may come from scraped articles, so the HTML environment
autoescapes every value and links only ``http(s)`` URLs, and the Markdown
renderer escapes the characters that would turn article text into markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Literal, get_args
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from ..schema.parts import CitedSentence, Coverage, SentenceRef, Source
from ..text.controls import safe_url_text

if TYPE_CHECKING:
    from ..schema.brief import StoryBrief

Format = Literal["json", "md", "html"]
FORMATS: tuple[str, ...] = get_args(Format)

_TEMPLATES = "summarizer.output.templates"
_CSS = "brief.css"


# --------------------------------------------------------------------------- public API


def to_json(brief: StoryBrief, *, indent: int | None = 2) -> str:
    """The brief as JSON in its schema's shape (by alias, nothing excluded)."""
    return brief.model_dump_json(indent=indent, by_alias=True)


def to_markdown(brief: StoryBrief) -> str:
    """The brief as Markdown: numbered citation markers, a sources list and a disagreement table."""
    text = _environment().get_template("brief.md.j2").render(**_context(brief))
    # Templates leave blank runs where optional parts are empty; Markdown needs at most one blank line.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def to_html(brief: StoryBrief) -> str:
    """The brief as one self-contained HTML5 page (inline CSS, no scripts, no external assets)."""
    css = resources.files(_TEMPLATES).joinpath(_CSS).read_text(encoding="utf-8")
    # The stylesheet is our own file, not article text, so it goes in unescaped.
    return _environment().get_template("brief.html.j2").render(css=Markup(css), **_context(brief))


def render(brief: StoryBrief, fmt: Format) -> str:
    """Render ``brief`` in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        return to_json(brief)
    if fmt == "md":
        return to_markdown(brief)
    if fmt == "html":
        return to_html(brief)
    raise ValueError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- view model


@dataclass(frozen=True)
class Cite:
    """A citation marker: the source's number in the Sources list (None when the id is unknown)."""

    article_id: str
    n: int | None
    outlet: str


@dataclass(frozen=True)
class SourceView:
    n: int
    source: Source
    label: str
    date: str
    iso_date: str
    link: str | None
    duplicate_of: Cite | None


class _Citations:
    """Maps article ids to their 1-based position in ``brief.sources``."""

    def __init__(self, sources: list[Source]) -> None:
        self._by_id = {s.article_id: (i, s) for i, s in enumerate(sources, start=1)}

    def cite(self, article_id: str) -> Cite:
        n, source = self._by_id.get(article_id, (None, None))
        return Cite(article_id=article_id, n=n, outlet=source_label(source, n) if source else article_id)

    def cites(self, ids: Iterable[str]) -> list[Cite]:
        """Distinct citations in Sources-list order; unknown ids last, so nothing is silently lost."""
        unique = {i: self.cite(i) for i in ids}
        return sorted(unique.values(), key=lambda c: (c.n is None, c.n or 0, c.article_id))


def source_label(source: Source, n: int | None = None) -> str:
    """What a reader calls a source: its outlet, else its web site, else "Source <n>" (its place in the
    list of sources; an article id such as "003_f0741a31f124eebe" means nothing to a reader).

    A headline is not a name: in "rendered differently by ..." lists it would read as prose.
    """
    if source.outlet:
        return source.outlet
    link = safe_url(source.url)
    host = urlsplit(link).hostname if link else None
    if host:
        return host.removeprefix("www.")
    return f"Source {n}" if n is not None else "Unnamed source"


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None: ``javascript:`` and ``data:`` URLs are never linked,
    nor one with a line break or tab inside (urlsplit drops them before reading the scheme)."""
    if not url:
        return None
    link = url.strip()
    if not safe_url_text(link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    return link if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def format_date(value: datetime | None) -> str:
    """'24 Oct 2024' (the day is what readers need; times in scraped metadata are rarely reliable)."""
    return f"{value.day} {value:%b %Y}" if value else ""


def event_date(iso: str, precision: str = "day") -> str:
    """A timeline date for readers, at its precision: '23 Oct 2024', 'Jun 2024', 'week of 21 Oct 2024', '2024'."""
    try:
        if precision == "week":
            year, week = iso.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            return f"week of {monday.day} {monday:%b %Y}"
        if precision == "month":
            return f"{datetime.strptime(iso, '%Y-%m'):%b %Y}"
        if precision == "year":
            return iso
        day = date.fromisoformat(iso)
        return f"{day.day} {day:%b %Y}"
    except ValueError:
        return iso  # not ours to fix: show what the brief says


def _date_range(sources: list[Source]) -> str:
    dates = sorted(s.published_at.date() for s in sources if s.published_at)
    if not dates:
        return ""
    first, last = dates[0], dates[-1]
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def _run_facts(brief: StoryBrief) -> list[tuple[str, str]]:
    """The run metadata as (label, value) rows, omitting what was not recorded."""
    run = brief.run
    rows: list[tuple[str, str]] = []
    if run.model:
        rows.append(("Model", f"{run.model} ({run.backend})" if run.backend else run.model))
    # A re-run answered wholly from the cache made no call: say whose calls and time wrote the answer.
    reused = " (the answer was reused from an earlier run's cache; its calls and time are not counted here)"
    rows.append(("Model calls", f"{run.llm_calls:,}" + (reused if run.cache_hits and not run.llm_calls else "")))
    rows.append(("Tokens", f"{run.prompt_tokens:,} prompt + {run.completion_tokens:,} completion"))
    rows.append(("Cache hits", f"{run.cache_hits:,}"))
    if run.reasks or run.transport_retries:
        rows.append(("Re-asks / retries", f"{run.reasks} / {run.transport_retries}"))
    rows.append(("Duration", f"{run.duration_s:.1f} s"))
    if run.plan:
        rows.append(("Plan", run.plan))
    if run.estimated_cost_usd is not None:
        rows.append(("Estimated cost", f"${run.estimated_cost_usd:.4f}"))
    if run.created_at:
        rows.append(("Created", run.created_at.strftime("%Y-%m-%d %H:%M %Z").strip()))
    if run.summarizer_version:
        rows.append(("summarizer", run.summarizer_version))
    return rows


def _grounding_facts(brief: StoryBrief) -> list[tuple[str, str]]:
    g = brief.grounding
    return [
        ("Quotes", f"{g.quotes_checked} checked, {g.quotes_repaired} repaired, {g.quotes_dropped} dropped"),
        ("Sentences", f"{g.sentences_checked} checked, {g.sentences_repaired} repaired, {g.sentences_dropped} dropped"),
        ("Numbers", f"{g.numbers_checked} checked, {g.numbers_unsupported} unsupported"),
        ("Names", f"{g.names_checked} checked, {g.names_unsupported} unsupported"),
        ("Loaded terms", str(g.loaded_terms)),
        ("Re-asks", str(g.reasks)),
    ]


def _grounding_line(brief: StoryBrief) -> str:
    g = brief.grounding
    issues = len(g.issues)
    return (f"{g.quotes_checked} quotes and {g.sentences_checked} sentences checked; "
            f"{issues} issue{'' if issues == 1 else 's'}")


@dataclass(frozen=True)
class OutletView:
    """One outlet's coverage as the page shows it (sentences its stance's card already shows are left out)."""

    cite: Cite
    stance: str | None
    headline: str
    angle: list[SentenceRef]
    leads: list[tuple[SentenceRef, bool]]  # (sentence, reported by this outlet alone)
    only_here: list[SentenceRef]  # exclusives not already shown


@dataclass(frozen=True)
class SideView:
    label: str  # "Left-rated outlets"
    stance: str
    cites: list[Cite]
    summary: CitedSentence | None
    summary_alone: bool  # the side's sentence is one that only this side reports
    emphasis: list[tuple[SentenceRef, bool]]  # (sentence, reported by this side alone)
    only_this_side: list[SentenceRef]  # blindspot facts not already shown as emphasis
    others: list[str]  # the other stances, for whom these facts are a blindspot


def _key(r: SentenceRef) -> tuple[str, int]:
    return (r.article_id, r.start)


def _coverage_view(coverage: Coverage | None, citations: _Citations) -> tuple[list[OutletView], list[SideView]]:
    """The coverage section without repeats: each source sentence is shown once, where it says most."""
    if coverage is None:
        return [], []
    shown: set[tuple[str, int]] = set()

    def fresh(refs: list[SentenceRef]) -> list[SentenceRef]:
        out = [r for r in refs if _key(r) not in shown]
        shown.update(_key(r) for r in out)
        return out

    labels = [s.stance for s in coverage.stances]
    sides = []
    for s in coverage.stances:
        alone = {_key(r) for r in s.only_this_side}
        said = fresh(s.summary.evidence[:1]) if s.summary is not None else []
        emphasis = [(r, _key(r) in alone) for r in fresh(s.emphasis)]
        sides.append(SideView(label=f"{s.stance.capitalize()}-rated outlets", stance=s.stance,
                              cites=citations.cites(s.articles), summary=s.summary,
                              summary_alone=bool(said) and _key(said[0]) in alone, emphasis=emphasis,
                              only_this_side=fresh(s.only_this_side), others=[x for x in labels if x != s.stance]))
    outlets = []
    for o in coverage.outlets:
        exclusive = {_key(r) for r in o.only_here}
        angle = fresh(o.angle)
        outlets.append(OutletView(
            cite=citations.cite(o.article_id), stance=o.stance, headline=o.headline, angle=angle,
            leads=[(r, _key(r) in exclusive) for r in fresh(o.leads)], only_here=fresh(o.only_here),
        ))
    return outlets, sides


def _context(brief: StoryBrief) -> dict[str, object]:
    citations = _Citations(brief.sources)
    sources = []
    for n, s in enumerate(brief.sources, start=1):
        sources.append(
            SourceView(
                n=n,
                source=s,
                label=source_label(s, n),
                date=format_date(s.published_at),
                iso_date=s.published_at.date().isoformat() if s.published_at else "",
                link=safe_url(s.url),
                duplicate_of=citations.cite(s.duplicate_of) if s.duplicate_of else None,
            )
        )
    entity_groups = [
        ("countries", "Countries", brief.entities.countries),
        ("organizations", "Organizations", brief.entities.organizations),
        ("persons", "Persons", brief.entities.persons),
    ]
    outlets, sides = _coverage_view(brief.coverage, citations)
    said = {s.text for s in brief.whats_new.summary} if brief.whats_new else set()
    return {
        "brief": brief,
        "outlets": outlets,
        "sides": sides,
        # "What's new": the facts its sentences do not already say, and its version number.
        "new_facts": [s for s in brief.whats_new.facts if s.text not in said] if brief.whats_new else [],
        "version": brief.versions[-1].version if brief.versions else "",
        "cites": citations.cites,
        "cite": citations.cite,
        "sources": sources,
        "date_range": _date_range(brief.sources),
        "entity_groups": [g for g in entity_groups if g[2]],
        "run_facts": _run_facts(brief),
        "grounding_facts": _grounding_facts(brief),
        "grounding_line": _grounding_line(brief),
    }


# --------------------------------------------------------------------------- Markdown escaping

# CommonMark treats these as markup anywhere in a line; a backslash makes them literal.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line these begin a heading, quote, list or rule.
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


# What GFM's autolink extension turns into a live link: bare http(s)/ftp URLs, www. hosts, e-mail
# addresses. Outside the sources list these are shown as code, which no renderer links.
_MD_LINKLIKE = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>`]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def _md_escape(text: str) -> str:
    return _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))


def md_text(value: object) -> str:
    """Article-derived text made safe inside a Markdown line: one line, markup characters escaped,
    URL-like text as code so that no linkifying renderer makes it a live link."""
    text = " ".join(str(value).split())
    out: list[str] = []
    last = 0
    for m in _MD_LINKLIKE.finditer(text):
        link = m.group(0).rstrip(".,;:!?)'\"")  # sentence punctuation after a URL is not part of it
        out += [_md_escape(text[last : m.start()]), f"`{link}`"]
        last = m.start() + len(link)
    out.append(_md_escape(text[last:]))
    return "".join(out)


def md_block(value: object) -> str:
    """As ``md_text``, for text that starts a line: a leading '#', '-', '1.' etc. stays literal."""
    text = md_text(value)
    match = _MD_LINE_START.match(text)
    if not match:
        return text
    # '1.' becomes '1\.' (a backslash before a digit is not an escape); other marks get a backslash.
    if match.group(1).isdigit():
        return f"{text[:match.end()]}\\{text[match.end():]}"
    return "\\" + text


def md_cell(value: object) -> str:
    """Text for a Markdown table cell: as ``md_text``, and a literal '|' cannot end the cell."""
    return md_text(value).replace("|", r"\|")


def md_url(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink, or '' for anything else."""
    link = safe_url(url)  # no whitespace: nothing can end the autolink or start a new line
    if not link or any(c in link for c in "<>"):
        return ""
    return f"<{link}>"


# --------------------------------------------------------------------------- environment


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.output", "templates"),
        # Escape everything except Markdown templates; an unknown template name escapes too.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2", "html"),
            disabled_extensions=("md.j2",),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,  # a typo in a template is a bug, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.filters["md_block"] = md_block
    env.filters["md_cell"] = md_cell
    env.filters["md_url"] = md_url
    env.filters["date"] = format_date
    env.filters["event_date"] = event_date
    return env

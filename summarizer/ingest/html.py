"""HTML pages to article text and metadata: visible text, ``<meta>`` tags and schema.org JSON-LD.

Scripts, styles and page furniture (nav, header, footer, aside, forms) are skipped; when the
page has an ``<article>`` element, only its text is used. Boilerplate lines that survive are
left to :mod:`.cleaning`, like those of any other format.
"""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

__all__ = ["ld_json_meta", "parse_html"]

# One logger for the whole package, so log lines still read "summarizer.ingest".
log = logging.getLogger("summarizer.ingest")


class _HTMLArticle(HTMLParser):
    """Collects visible text and metadata; skips scripts, styles and page furniture."""

    # Not "head": its end tag is optional in HTML5, and an unclosed skip would swallow the body.
    SKIP = frozenset(
        ["script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "form",
         "button", "select", "iframe", "title"]
    )  # fmt: skip
    BLOCK = frozenset(
        ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
         "article", "main", "tr", "table", "pre", "figure", "figcaption", "dd", "dt", "hr", "br", "title",
         "time"]
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.article_depth = 0
        self.all: list[str] = []
        self.in_article: list[str] = []
        self.meta: dict[str, str] = {}
        self.h1: list[str] | None = None
        self.h1_done = False
        self.title: list[str] | None = None
        self.in_title = False
        self.ld_json: list[str] | None = None
        self.ld_blocks: list[str] = []
        self.lang: str | None = None

    def _emit(self, s: str) -> None:
        self.all.append(s)
        if self.article_depth:
            self.in_article.append(s)

    def _note_metadata(self, tag: str, a: dict[str, str]) -> None:
        """Metadata carried by a start tag's attributes; starts collecting <title>, <h1> and JSON-LD."""
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].split("-")[0].lower() or None
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"].strip())
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"].strip())
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self.ld_json = []
        elif tag == "title" and self.title is None:
            self.title, self.in_title = [], True
        elif tag == "h1" and not self.h1_done:
            self.h1 = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note_metadata(tag, {k.lower(): (v or "") for k, v in attrs})
        if tag == "article":
            self.article_depth += 1
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK and not self.skip:
            self._emit("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.ld_json is not None:
            self.ld_blocks.append("".join(self.ld_json))
            self.ld_json = None
        if tag == "title":
            self.in_title = False
        if tag == "h1" and self.h1 is not None:
            self.h1_done = bool("".join(self.h1).strip())
            if not self.h1_done:
                self.h1 = None
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK and tag != "br" and not self.skip:  # <br/> is one line break, not two
            self._emit("\n\n")
        if tag == "article" and self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.ld_json is not None:
            self.ld_json.append(data)
        if self.in_title and self.title is not None:
            self.title.append(data)
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)
        if not self.skip:
            self._emit(re.sub(r"\s+", " ", data))


def _visit_ld(node: Any, found: dict[str, str]) -> None:
    """Fill ``found`` from every Article/Posting/Report node, the first value of each key winning."""
    if isinstance(node, list):
        for n in node:
            _visit_ld(n, found)
    elif isinstance(node, dict):
        if "@graph" in node:
            _visit_ld(node["@graph"], found)
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.endswith(("Article", "Posting", "Report")) for k in kinds):
            for key in ("headline", "datePublished", "url"):
                if isinstance(node.get(key), str):
                    found.setdefault(key, node[key])
            for key in ("author", "publisher"):
                val = node.get(key)
                val = val[0] if isinstance(val, list) and val else val
                name = val.get("name") if isinstance(val, dict) else val
                if isinstance(name, str) and name.strip():
                    found.setdefault(key, name.strip())


def ld_json_meta(blocks: list[str]) -> dict[str, str]:
    """headline/author/datePublished/publisher from schema.org JSON-LD, where a page has it."""
    found: dict[str, str] = {}
    for block in blocks:
        try:
            _visit_ld(json.loads(block), found)
        except (ValueError, RecursionError):
            log.debug("ignoring unparsable JSON-LD block")
    return found


def _page_metadata(p: _HTMLArticle) -> dict[str, Any]:
    """title, author, date, outlet, url and language, each from the best source the page has."""
    m, ld = p.meta, ld_json_meta(p.ld_blocks)
    h1 = re.sub(r"\s+", " ", "".join(p.h1 or [])).strip()
    page_title = re.sub(r"\s+", " ", "".join(p.title or [])).strip()
    author = m.get("author") or ld.get("author") or m.get("dc.creator") or m.get("parsely-author")
    byl = m.get("byl")
    if not author and byl:
        author = re.sub(r"^by\s+", "", byl, flags=re.IGNORECASE)
    return {
        "title": h1 or m.get("og:title") or ld.get("headline") or page_title or None,
        "author": author if author and not author.startswith("http") else None,
        "date": m.get("article:published_time")
        or ld.get("datePublished")
        or m.get("date")
        or m.get("pubdate")
        or m.get("publishdate")
        or m.get("datepublished")
        or m.get("og:published_time")
        or m.get("dc.date")
        or m.get("time"),
        "outlet": m.get("og:site_name") or ld.get("publisher"),
        "url": m.get("canonical") or m.get("og:url") or ld.get("url"),
        "language": p.lang,
    }


def parse_html(text: str) -> tuple[str, dict[str, Any]]:
    """(article text with paragraph breaks, page metadata) for an HTML page.

    The body comes from trafilatura when it is installed (the ``[html]`` extra): it tells the story
    from menus, newsletter boxes, tag lines, share bars, reader comments and footers on div-based
    pages, which a tag-based walk cannot. Our own walk is the fallback, and always reads the metadata
    (it reads JSON-LD and ``<meta>`` better than trafilatura does).
    """
    p = _HTMLArticle()
    p.feed(text)
    p.close()
    body = "".join(p.in_article) if "".join(p.in_article).strip() else "".join(p.all)
    body = re.sub(r"[ \t]*\n[ \t]*", "\n", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return _main_text(text, body) or body, _page_metadata(p)


def _main_text(page: str, fallback: str) -> str | None:
    """trafilatura's main text, one paragraph per block; None without it or when it finds too little."""
    try:
        import trafilatura
    except ImportError:
        return None
    try:
        # XML keeps what plain text loses: paragraphs apart from line breaks (<lb/>) inside them.
        xml = trafilatura.extract(page, output_format="xml", include_comments=False, include_tables=False,
                                  favor_precision=True, deduplicate=False, with_metadata=False)
        main = ElementTree.fromstring(xml).find("main") if xml else None
    except Exception:  # a parser failure on a hostile page must not lose the article: use our own walk
        log.debug("trafilatura failed; using the built-in extractor", exc_info=True)
        return None
    found = "\n\n".join(b for b in _blocks(main) if b) if main is not None else ""
    if len(found) < min(200, len(fallback) // 4):  # it missed the story (a tiny or odd page)
        return None
    return found


_NESTED = frozenset({"p", "head", "item", "list", "quote"})


def _blocks(element: ElementTree.Element) -> list[str]:
    """The text of each paragraph, heading or list item under ``element``; ``<lb/>`` is a newline."""
    out: list[str] = []
    for child in element:
        if any(sub.tag in _NESTED for sub in child):
            out += _blocks(child)
            continue
        parts = [child.text or ""]
        for sub in child:
            parts += ["\n" if sub.tag == "lb" else "".join(sub.itertext()), sub.tail or ""]
        lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
        out.append("\n".join(line for line in lines if line))
    return out

"""Renderers: JSON round-trip, Markdown structure, HTML structure and escaping (fast, no browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fixtures_brief import (
    HOSTILE_CLAIMANT,
    HOSTILE_OUTLET,
    HOSTILE_QUOTE,
    HOSTILE_URL,
    hostile_brief,
    seed_brief,
)

from summarizer.output.render import (
    FORMATS,
    md_block,
    md_cell,
    md_text,
    render,
    safe_url,
    to_html,
    to_json,
    to_markdown,
)
from summarizer.schema import CitedSentence, StoryBrief, Summary

SECTION_IDS = ("headline", "summary", "key-points", "perspectives", "disagreements", "sources", "entities",
               "topics", "grounding", "run")


@pytest.fixture(scope="module")
def brief(seed_cluster) -> StoryBrief:
    return seed_brief(seed_cluster.articles())


@pytest.fixture(scope="module")
def hostile(seed_cluster) -> StoryBrief:
    return hostile_brief(seed_cluster.articles())


class Page(HTMLParser):
    """Collects what the HTML tests look at: tags, ids, links, and the text inside each id'd element."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed",
                      "track"})
    BLOCK = frozenset({"p", "div", "li", "dt", "dd", "th", "td", "tr", "h1", "h2", "h3", "blockquote", "figcaption",
                       "summary"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.text_by_id: dict[str, list[str]] = {}
        self.open_ids: list[tuple[int, str]] = []
        self.title = ""
        self.unbalanced: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in self.BLOCK:
            self.handle_data(" ")  # block boundaries separate words, as a browser shows them
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if a.get("id"):
            self.ids.append(a["id"])
            self.open_ids.append((len(self.stack), a["id"]))
            self.text_by_id[a["id"]] = []

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
            return
        if tag in self.BLOCK:
            self.handle_data(" ")
        while self.open_ids and self.open_ids[-1][0] == len(self.stack):
            self.open_ids.pop()
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "title":
            self.title += data
        for _, i in self.open_ids:
            self.text_by_id[i].append(data)

    def text(self, element_id: str) -> str:
        return " ".join("".join(self.text_by_id[element_id]).split())

    def attrs(self, name: str) -> list[str]:
        return [a[name] for _, a in self.tags if a.get(name) is not None]


# --------------------------------------------------------------------------- the fixture itself


def test_fixture_quotes_are_verbatim_spans_with_offsets(brief, seed_cluster):
    texts = dict(zip(seed_cluster.ids, seed_cluster.texts))
    assert len(brief.quotes) >= 8
    for q in brief.quotes:
        assert texts[q.article_id][q.start:q.end] == q.text


def test_fixture_groups_one_remark_rendered_by_three_outlets(brief):
    images = brief.perspectives[0].statements[0]
    assert len(images.renderings) == 3
    assert len({r.article_id for r in images.renderings}) == 3
    assert all("image" in r.text.lower() for r in images.renderings)
    assert len({r.text for r in images.renderings}) == 3  # three different wordings


def test_fixture_disagreement_figures_are_in_their_sources(brief, seed_cluster):
    texts = dict(zip(seed_cluster.ids, seed_cluster.texts))
    claims = brief.disagreements[0].claims
    figures = {re.search(r"\d[\d,]*", c.value).group() for c in claims}
    assert {"3,000", "10,000", "12,000"} <= figures
    for c in claims:
        figure = re.search(r"\d[\d,]*", c.value).group()
        assert c.claimant and c.sources
        assert figure in c.evidence
        assert any(figure in texts[s] for s in c.sources)


# --------------------------------------------------------------------------- JSON


def test_json_round_trips_to_an_equal_brief(brief):
    again = StoryBrief.model_validate_json(to_json(brief))
    assert again == brief
    assert again.perspectives[0].statements[0].renderings[1].start == brief.quotes[1].start


def test_json_indent_is_configurable(brief):
    assert "\n" not in to_json(brief, indent=None)
    assert to_json(brief).startswith('{\n  "schema_version"')


# --------------------------------------------------------------------------- Markdown


def test_markdown_has_every_section(brief):
    md = to_markdown(brief)
    assert md.startswith(f"# {brief.title}\n")
    for heading in ("Summary", "Key points", "Perspectives", "Disagreements", "Sources", "Entities", "Topics",
                    "Grounding"):
        assert f"\n## {heading}\n" in md
    for p in brief.perspectives:
        assert f"\n### {p.actor}\n" in md
    assert "**Countries:** Russia (47)" in md
    assert "Russia-North Korea Relations · Russia-Ukraine War" in md
    assert "Model: gpt-4o-mini (openai)" in md and "Estimated cost: $0.0021" in md


def test_markdown_citation_markers_resolve_to_numbered_sources(brief):
    md = to_markdown(brief)
    listed = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", md, flags=re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, len(brief.sources) + 1))
    assert [o for _, o in listed] == [s.outlet for s in brief.sources]
    summary = md.split("\n## Summary\n", 1)[1].split("\n## ", 1)[0]
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", summary)]
    expected = [brief.sources.index(next(s for s in brief.sources if s.article_id == i)) + 1
                for sentence in brief.summary for i in sentence.sources]
    assert sorted(markers) == sorted(expected)
    assert "[?]" not in md
    assert "26 Oct 2024" in md and "by Valerie Hopkins" in md


def test_markdown_quotes_are_blockquotes_and_renderings_are_grouped(brief):
    md = to_markdown(brief)
    assert md.count("rendered differently by") == 2
    grouped = md.split("rendered differently by", 1)[1]
    assert grouped.startswith(" Euromaidan Press [2], The New York Times [3], The Asia Business Daily [4]:")
    for q in brief.quotes:
        assert f"> “{md_text(q.text)}”" in md
    assert "> — Vladimir Putin, The Asia Business Daily [4]" in md
    assert "> — Maria Zakharova, The Dong-A Ilbo [1]" in md


def test_markdown_disagreement_table(brief):
    md = to_markdown(brief)
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert table[0] == "| Subject | Claim | Claimant | Reported by |"
    assert table[1] == "|---|---|---|---|"
    rows = table[2:]
    assert len(rows) == len(brief.disagreements[0].claims)
    assert "| North Korean troops sent to Russia | as many as 12,000 soldiers | Ukraine | " \
           "The Dong-A Ilbo [1], The New York Times [3] |" in rows


def test_markdown_escapes_article_text(hostile):
    md = to_markdown(hostile)
    # No '<' reaches a Markdown viewer as markup; only our own <https://...> autolinks stay.
    assert re.findall(r"(?<!\\)<(?!https?://)", md) == []
    assert r"\<script\>" in md
    assert r"**\<b\>x\</b\>**" in md
    # The claimant with a '|' stays inside its cell: every row keeps exactly five cell borders.
    for row in (line for line in md.splitlines() if line.startswith("| ")):
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row
    assert HOSTILE_URL not in md
    assert "<https://euromaidanpress.com/>" in md


@pytest.mark.parametrize(
    ("raw", "inline", "block", "cell"),
    [
        ("plain text, 3,000 troops", "plain text, 3,000 troops", "plain text, 3,000 troops",
         "plain text, 3,000 troops"),
        ("a *b* _c_ [d](e) `f`", r"a \*b\* \_c\_ \[d\](e) \`f\`", r"a \*b\* \_c\_ \[d\](e) \`f\`",
         r"a \*b\* \_c\_ \[d\](e) \`f\`"),
        ("1. first", "1. first", r"1\. first", "1. first"),
        ("# not a heading", "# not a heading", r"\# not a heading", "# not a heading"),
        ("- not a list", "- not a list", r"\- not a list", "- not a list"),
        ("x | y", "x | y", "x | y", r"x \| y"),
        ("line\nbreak", "line break", "line break", "line break"),
        ("AT&T &amp;", r"AT&T \&amp;", r"AT&T \&amp;", r"AT&T \&amp;"),
    ],
)
def test_markdown_escaping_helpers(raw, inline, block, cell):
    assert md_text(raw) == inline
    assert md_block(raw) == block
    assert md_cell(raw) == cell


# --------------------------------------------------------------------------- HTML


def test_html_parses_and_has_every_section(brief):
    html = to_html(brief)
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert page.unbalanced == []
    assert page.stack == []
    for section in SECTION_IDS:
        assert section in page.ids, section
    assert len(page.ids) == len(set(page.ids)), "ids must be unique"
    assert page.title == brief.title
    assert page.text("headline") == brief.title
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert "prefers-color-scheme: dark" in html and "overflow-x: auto" in html


def test_html_is_self_contained(brief):
    page = Page(to_html(brief))
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source"}
    assert page.attrs("src") == []
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    assert "@import" not in to_html(brief) and "url(" not in to_html(brief)
    allowed = {safe_url(s.url) for s in brief.sources if safe_url(s.url)}
    for href in page.attrs("href"):
        assert href.startswith("#") or href in allowed, href


def test_html_internal_links_resolve(brief):
    page = Page(to_html(brief))
    ids = set(page.ids)
    hrefs = page.attrs("href")
    assert hrefs
    for href in hrefs:
        assert href[1:] in ids, href
    assert {f"src-{n}" for n in range(1, len(brief.sources) + 1)} <= ids


def test_html_content(brief):
    page = Page(to_html(brief))
    summary = page.text("summary")
    for sentence in brief.summary:
        assert sentence.text in summary
    assert summary.count("[") == sum(len(s.sources) for s in brief.summary)
    assert all(p.text in page.text("key-points") for p in brief.key_points)
    perspectives = page.text("perspectives")
    for q in brief.quotes:
        assert " ".join(q.text.split()) in perspectives
    assert perspectives.count("rendered differently by") == 2
    assert "— Vladimir Putin, in The Asia Business Daily [4]" in perspectives
    table = page.text("disagreements")
    for claim in brief.disagreements[0].claims:
        assert claim.value in table and claim.claimant in table
    sources = page.text("sources")
    assert "The New York Times · 24 Oct 2024" in sources and "by Valerie Hopkins" in sources
    assert "Russia 47" in page.text("countries") and "Vladimir Putin 34" in page.text("persons")
    assert "BRICS" in page.text("topics")
    grounding = page.text("grounding")
    assert "5 issues" in grounding and "quote_fabricated" in grounding and "invasion force" in grounding
    run = page.text("run")
    for fact in ("gpt-4o-mini (openai)", "9,412 prompt + 1,187 completion", "Cache hits 1", "14.2 s", "$0.0021"):
        assert fact in run, fact
    assert ("details", {"id": "grounding"}) in page.tags


def test_html_escapes_article_text(hostile):
    html = to_html(hostile)
    page = Page(html)
    tags = {t for t, _ in page.tags}
    assert "script" not in tags and "b" not in tags and "i" not in tags and "img" not in tags
    assert "<script" not in html and "<b>x" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    # Shown as text, exactly as the article had it.
    assert HOSTILE_QUOTE in page.text("perspectives")
    assert HOSTILE_OUTLET in page.text("sources")
    assert HOSTILE_CLAIMANT in page.text("disagreements")
    # Only http(s) URLs become links.
    assert HOSTILE_URL not in html
    assert "https://euromaidanpress.com/" in page.attrs("href")


def test_html_marks_unknown_citations_without_linking():
    brief = StoryBrief(title="t", summary=Summary([CitedSentence(text="Said.", sources=["a9"])]))
    page = Page(to_html(brief))
    assert "[?]" in page.text("summary")
    assert page.attrs("href") == []
    assert "[?]" in to_markdown(brief)


def test_minimal_brief_renders_in_every_format():
    brief = StoryBrief(title="Only a title", summary=Summary([CitedSentence(text="One line.", sources=[])]))
    for fmt in FORMATS:
        assert "Only a title" in render(brief, fmt)
    page = Page(to_html(brief))
    assert {"headline", "summary", "sources", "grounding", "run"} <= set(page.ids)
    assert "perspectives" not in page.ids and "disagreements" not in page.ids
    assert "## Perspectives" not in to_markdown(brief)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//example.org/a", None),
        ("file:///etc/passwd", None),
        ("", None),
        (None, None),
        # urlsplit drops tabs and line breaks before reading the scheme; a Markdown renderer ends the link there.
        ("https://ok.example/a\n[x](javascript:alert(1))", None),
        ("https://ok.example/a\r\n![t](https://tracker.example/p.png)", None),
        ("java\tscript:alert(1)", None),
        ("https://ok.example/\u202egpj.exe", None),
        ("  https://example.org/a \n", "https://example.org/a"),  # around it is only padding
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_a_source_url_cannot_start_a_markdown_link_or_image(brief):
    url = "https://ok.example/a\n![x](https://tracker.example/p.png)\n[click](javascript:alert(1))"
    hostile = brief.model_copy(update={"sources": [brief.sources[0].model_copy(update={"url": url}),
                                                   *brief.sources[1:]]})
    for text in (to_markdown(hostile), to_html(hostile)):
        assert "tracker.example" not in text and "javascript:" not in text


# --------------------------------------------------------------------------- dispatch


def test_render_dispatches(brief):
    assert render(brief, "json") == to_json(brief)
    assert render(brief, "md") == to_markdown(brief)
    assert render(brief, "html") == to_html(brief)


def test_render_rejects_unknown_format(brief):
    with pytest.raises(ValueError, match=r"unknown output format 'pdf'; choose one of: json, md, html"):
        render(brief, "pdf")  # type: ignore[arg-type]


def test_source_label_never_uses_a_headline():
    from summarizer.output.render import source_label
    from summarizer.schema import Source

    assert source_label(Source(article_id="a3", title="Putin seems to indicate that...")) == "Unnamed source"
    assert source_label(Source(article_id="003_f0741a31f124eebe"), 3) == "Source 3"  # its place, not its id
    assert source_label(Source(article_id="a3", url="https://www.nytimes.com/x")) == "nytimes.com"
    assert source_label(Source(article_id="a3", outlet="The New York Times")) == "The New York Times"


def test_readers_see_the_source_sentence_behind_each_summary_sentence():
    from summarizer.output.render import to_html, to_markdown
    from summarizer.schema import CitedSentence, SentenceRef, Source, StoryBrief

    ref = SentenceRef(article_id="a", start=0, end=28, text="The council passed a budget.")
    brief = StoryBrief(
        title="Council passes budget",
        summary=[CitedSentence(text="The council approved the budget.", sources=["a"], evidence=[ref]),
                 CitedSentence(text="Critics <script>x</script> objected.", sources=["a"])],
        sources=[Source(article_id="a", outlet="Daily <b>News</b>")],
    )
    md = to_markdown(brief)
    assert "[^s1]" in md and "[^s1]: Daily" in md and "“The council passed a budget.”" in md
    assert "[^s2]" not in md  # no source sentence, no footnote
    html = to_html(brief)
    assert '<details class="evidence">' in html and "<q>The council passed a budget.</q>" in html
    assert 'title="Daily &lt;b&gt;News&lt;/b&gt;: The council passed a budget."' in html
    assert "<script>x" not in html


def test_every_footnote_definition_is_a_block_of_its_own():
    """CommonMark footnotes: each ``[^n]: `` definition starts its own line, after a blank one. Glued onto
    one line (trim_blocks ate the newline), a renderer showed only the first of the shipped example's."""
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "output" / "putin-nk-troops.json"
    md = to_markdown(StoryBrief.model_validate_json(example.read_text(encoding="utf-8")))
    lines = md.splitlines()
    refs = set(re.findall(r"\[\^(s\d+)\](?!:)", md))
    starts = {n: re.match(r"\[\^(s\d+)\]: \S", line) for n, line in enumerate(lines)}
    defs = {n: m.group(1) for n, m in starts.items() if m}
    assert len(refs) >= 4 and sorted(defs.values()) == sorted(refs)
    assert all(lines[n - 1] == "" for n in defs)
    assert not any(re.search(r"\S\[\^s\d+\]: ", line) for line in lines)


def test_readers_see_no_article_ids_and_a_cached_run_says_whose_calls_wrote_it():
    """An outlet-less article is "Source 3", not "source 003_f0741a31f124eebe" (30 times on the seed page);
    a re-run answered from the cache says its answer came from an earlier run's calls."""
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "output" / "putin-nk-troops.json"
    brief = StoryBrief.model_validate_json(example.read_text(encoding="utf-8"))
    assert not brief.sources[2].outlet  # the seed's third article names no outlet
    cached = brief.model_copy(update={"run": brief.run.model_copy(update={"llm_calls": 0, "cache_hits": 1})})
    for text in (to_markdown(cached), to_html(cached)):
        assert "003_f0741a31f124eebe" not in text.replace("003\\_", "003_")
        assert text.count("Source 3") > 10
        assert "reused from an earlier run" in text
    assert "reused from an earlier run" not in to_html(brief)  # the run that made the call says so plainly

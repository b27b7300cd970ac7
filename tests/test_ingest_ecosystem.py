"""Input quality (issue 15): article bodies from div-based news pages, and dates as news sites write them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from summarizer.ingest import load_articles
from summarizer.ingest.metadata import parse_date

# A page shaped like the big news sites: all divs, no <article>, <nav> or <footer>; menus, a
# subscribe bar, a newsletter box inside the story, tags, share bar, comment count, reader comments,
# a most-read rail and a footer.
DIV_PAGE = """
<!DOCTYPE html>
<html lang="en"><head><title>Council approves budget | The Daily Ledger</title>
<meta property="og:site_name" content="The Daily Ledger">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council approves budget after long night", "datePublished": "2024-10-26T07:51:00Z", "author": {"@type": "Person", "name": "Jane Roe"}}</script>
</head><body>
<div class="site-header"><div class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/business">Business</a> <a href="/sport">Sport</a></div>
<div class="subscribe-bar">Subscribe now: 3 months for $1</div></div>
<div class="page"><div class="main-column">
<div class="headline-block"><h1>Council approves budget after long night</h1>
<div class="byline">By Jane Roe</div><div class="dateline">26 October 2024, 07:51 BST</div></div>
<div class="story-body">
<div class="para">The city council approved the 2025 budget early on Saturday after a nine-hour session, with seven members in favour and two against.</div>
<div class="para">The plan raises spending on public transport by 12 percent and freezes property taxes, according to the finance committee.</div>
<div class="newsletter-box"><div>Sign up for our Morning Briefing newsletter</div><div>Get the news you need to start your day. Enter your email address</div><div>Sign up</div></div>
<div class="para">"This budget protects the services people rely on," said Mayor Ana Silva after the vote. Critics said the transport increase was too small to fix crowded buses.</div>
<div class="para">The council will meet again in January to review the first quarter of spending.</div>
</div>
<div class="tags">Tags: Budget, City Council, Transport, Taxes</div>
<div class="share">Share on Facebook · Share on X · Email</div>
<div class="comment-count">128 comments</div>
<div class="comments"><div class="comment"><div class="user">bob_1975</div><div class="text">This is a disgrace, the mayor should resign immediately and nobody voted for this.</div></div>
<div class="comment"><div class="user">citywatcher</div><div class="text">Finally some money for buses, about time the council listened to us.</div></div></div>
</div>
<div class="sidebar"><div class="most-read">Most read</div><div>Local team wins cup final</div><div>Ten best restaurants in town</div></div></div>
<div class="site-footer"><div>© 2024 The Daily Ledger. All rights reserved.</div><div>Privacy policy · Terms of use · Contact us · Advertise with us</div></div>
</body></html>
"""

STORY = (
    "The city council approved the 2025 budget early on Saturday",
    "The plan raises spending on public transport by 12 percent",
    '"This budget protects the services people rely on," said Mayor Ana Silva after the vote.',
    "The council will meet again in January to review the first quarter of spending.",
)
FURNITURE = ("Home World Politics", "Subscribe now", "Morning Briefing", "Enter your email", "Tags:",
             "Share on Facebook", "128 comments", "bob_1975", "mayor should resign", "Most read",
             "restaurants", "All rights reserved", "Privacy policy")


def test_a_div_based_news_page_keeps_the_story_and_drops_the_furniture(tmp_path):
    pytest.importorskip("trafilatura")
    page = tmp_path / "ledger.html"
    page.write_text(DIV_PAGE, encoding="utf-8")
    (article,) = load_articles(page)
    for sentence in STORY:
        assert sentence in article.text
    assert [junk for junk in FURNITURE if junk in article.text] == []
    # The metadata still comes from our own reader of ld+json and <meta>.
    assert (article.title, article.author, article.outlet) == (
        "Council approves budget after long night", "Jane Roe", "The Daily Ledger")
    assert article.published_at == datetime(2024, 10, 26, 7, 51, tzinfo=timezone.utc)


def test_without_trafilatura_the_built_in_extractor_still_reads_the_page(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)
    page = tmp_path / "ledger.html"
    page.write_text(DIV_PAGE, encoding="utf-8")
    (article,) = load_articles(page)
    assert all(sentence in article.text for sentence in STORY)


BST, ET = timezone(timedelta(hours=1)), timezone(timedelta(hours=-4))


@pytest.mark.parametrize(("text", "expected"), [
    ("26.10.2024", datetime(2024, 10, 26)),
    ("26/10/2024 07:51", datetime(2024, 10, 26, 7, 51)),
    ("26 October 2024, 07:51 BST", datetime(2024, 10, 26, 7, 51, tzinfo=BST)),
    ("Oct 26, 2024 at 7:51 a.m. ET", datetime(2024, 10, 26, 7, 51, tzinfo=ET)),
])
def test_dates_as_news_sites_write_them(text, expected):
    pytest.importorskip("dateutil")
    got = parse_date(text)
    assert got == expected and (got.utcoffset() == expected.utcoffset())


@pytest.mark.parametrize("text", ["Putin said on Oct 26, 2024 that", "2024", "May 2024", "It was 2024",
                                  "10/2024", "the 26th"])
def test_a_sentence_or_a_bare_year_is_not_a_date(text):
    assert parse_date(text) is None

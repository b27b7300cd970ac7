"""RSS 2.0 and Atom feeds, shaped like real ones: CDATA bodies, missing dates, relative links, broken entries."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest.feeds import is_feed, load_feed, parse_feed
from summarizer.ingest.gather import gather_articles

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"


@pytest.fixture(scope="module")
def rss():
    return load_feed(FEEDS / "world.rss")


def test_rss_cdata_body_is_text_without_scripts(rss):
    italy = rss[0]
    assert italy.title == "Port workers strike as Italy's health pass rule takes effect"
    assert italy.text.startswith("Dock workers in Trieste walked out on Friday as Italy began requiring")
    assert "Mario Draghi's government" in italy.text  # the whole body, not the one-line description
    assert "40% of the port's workers were not vaccinated & would lose pay" in italy.text  # entity decoded
    assert "trackReader" not in italy.text and "<p>" not in italy.text
    assert italy.outlet == "Daily Planet World" and italy.author == "Maria Rossi"
    assert italy.published_at == datetime(2021, 10, 15, 7, 30, tzinfo=timezone.utc)  # +0200 -> UTC
    assert italy.language == "en"


def test_rss_relative_links_resolve_against_the_channel_link(rss):
    assert rss[0].url == "https://planet.example.org/2021/10/15/italy-green-pass-strike.html"
    assert rss[1].url == "https://planet.example.org/world/taiwan/national-day-speech.html"
    assert rss[2].url == "https://planet.example.org/world/kabul-mosque-bombing.html"


def test_rss_entry_without_a_date_keeps_it_empty_and_summary_stands_in(rss):
    taiwan = rss[1]
    assert taiwan.published_at is None
    assert taiwan.text.startswith("President Tsai Ing-wen said on Sunday")  # escaped HTML description
    assert "<p>" not in taiwan.text


def test_rss_broken_entry_is_skipped_with_a_warning(rss, caplog):
    assert [a.title for a in rss] == [
        "Port workers strike as Italy's health pass rule takes effect",
        "Taiwan's president says the island will not bow to pressure",
        "Bombing near Kabul mosque kills several civilians",
    ]
    with caplog.at_level("WARNING", logger="summarizer.ingest.feeds"):
        parse_feed((FEEDS / "world.rss").read_bytes())
    assert "no title and no text" in caplog.text


def test_atom_entries_resolve_xml_base_and_use_updated_when_unpublished():
    arts = load_feed(FEEDS / "tech.atom")
    assert len(arts) == 2  # the entry with neither title nor content is skipped
    fb, google = arts
    assert fb.url == "https://wire.example.com/tech/facebook-outage-restored"
    assert google.url == "https://wire.example.com/tech/google-climate-ads"
    assert fb.published_at == datetime(2021, 10, 5, 7, 12, tzinfo=timezone.utc)  # <updated> only
    assert google.published_at is None
    assert fb.author == "Jon Park" and fb.outlet == "Example Wire: Technology"
    assert "faulty configuration change" in fb.text and "billions of users" in fb.text
    assert google.text.startswith("Google said it will stop showing ads")


def test_entry_ids_are_stable_across_reads():
    first = [a.id for a in load_feed(FEEDS / "world.rss")]
    again = [a.id for a in load_feed((FEEDS / "world.rss").read_bytes(), url="https://planet.example.org/world/")]
    assert first == again and len(set(first)) == len(first)


def test_truncated_feed_keeps_what_parses(caplog):
    with caplog.at_level("WARNING"):
        arts = load_feed(FEEDS / "truncated.rss")
    assert arts[0].title == "Jobless claims fall to a pandemic low"
    assert "293,000" in arts[0].text
    assert "malformed" in caplog.text


def test_a_file_that_is_not_a_feed_is_an_input_error(tmp_path):
    page = tmp_path / "notes.xml"
    page.write_text("<?xml version='1.0'?><notes><note>hi</note></notes>", encoding="utf-8")
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        gather_articles([page])
    assert not is_feed(page.read_bytes())
    with pytest.raises(InputError, match="not a readable RSS or Atom feed|no entries"):
        load_feed(b"this is not xml at all")


def test_gather_reads_feeds_and_article_files_from_one_folder(tmp_path):
    for name in ("world.rss", "tech.atom"):
        (tmp_path / name).write_bytes((FEEDS / name).read_bytes())
    (tmp_path / "saved.txt").write_text(
        "Jobless claims fall to lowest level since March 2020\n\nWeekly jobless claims fell to 293,000 last "
        "week, the Labor Department said on Thursday.\n", encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    arts = gather_articles([tmp_path])
    assert len(arts) == 6 and len({a.id for a in arts}) == 6
    assert {a.outlet for a in arts} >= {"Daily Planet World", "Example Wire: Technology"}


def test_urls_need_an_explicit_fetcher():
    with pytest.raises(InputError, match="fetching is off"):
        gather_articles(["https://planet.example.org/world/rss"])


def test_an_impossible_pub_date_leaves_the_entry_undated_not_the_feed_unread():
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Zero Times</title>'
            b"<item><title>Dam opens</title><link>https://zero.example/dam</link><pubDate>0000-00-00</pubDate>"
            b"<description>The new dam opened on Monday.</description></item></channel></rss>")
    (entry,) = parse_feed(feed)
    assert entry.title == "Dam opens" and entry.published_at is None

"""Date expressions resolved against the publication date (summarizer.text.dates)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from summarizer.text.dates import find_dates, is_dateline

FRIDAY = date(2024, 10, 25)


def one(text: str, published: date | datetime | None = FRIDAY):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "iso", "precision"), [
    ("Troops arrived on October 23.", "2024-10-23", "day"),
    ("The treaty was signed on 19 June 2024 in Pyongyang.", "2024-06-19", "day"),
    ("The treaty was signed on June 19, 2024, in Pyongyang.", "2024-06-19", "day"),
    ("Officials met on Oct. 23 in Rome.", "2024-10-23", "day"),
    ("Putin visited Pyongyang in June.", "2024-06", "month"),
    ("Putin visited Pyongyang in December.", "2023-12", "month"),  # the most recent December
    ("The summit was held in April 2022.", "2022-04", "month"),
    ("The war began in 2022.", "2022", "year"),
    ("Putin spoke on Tuesday.", "2024-10-22", "day"),
    ("Putin spoke on Friday.", "2024-10-25", "day"),  # the publication day itself
    ("Putin spoke last Friday.", "2024-10-18", "day"),  # strictly before
    ("Putin spoke yesterday.", "2024-10-24", "day"),
    ("Putin speaks today.", "2024-10-25", "day"),
    ("Talks were held last week.", "2024-W42", "week"),
    ("Talks are held this week.", "2024-W43", "week"),
    ("Putin did not deny it on the 24th (local time).", "2024-10-24", "day"),
    ("They will be ready by 1 November.", "2024-11-01", "day"),  # a limit looks forward
    ("Numbers could rise by December.", "2024-12", "month"),
])
def test_resolution(text, iso, precision):
    m = one(text)
    assert (m.iso, m.precision) == (iso, precision)
    assert text[m.start : m.end] == m.text


def test_how_a_relative_date_was_resolved_is_recorded():
    m = one("Troops were first seen in Kursk on Tuesday.")
    assert m.text == "Tuesday" and m.relative and m.lead == "on"
    assert m.resolved_from == "the Tuesday on or before the publication date 2024-10-25"
    assert one("It ended on June 19, 2024.").resolved_from == ""  # written in full: nothing to explain


def test_weekday_across_a_month_boundary():
    assert one("It happened on Thursday.", date(2024, 7, 1)).iso == "2024-06-27"  # published on a Monday


def test_year_boundary():
    assert one("It happened on Monday.", date(2025, 1, 2)).iso == "2024-12-30"
    assert one("It happened in December.", date(2025, 1, 2)).iso == "2024-12"
    assert one("It happened on December 30.", date(2025, 1, 2)).iso == "2024-12-30"  # nearest, not 2025
    assert one("It happened yesterday.", date(2025, 1, 1)).iso == "2024-12-31"


def test_day_of_month_before_the_publication_day_is_last_month():
    assert one("Talks ended on the 28th.", date(2024, 3, 2)).iso == "2024-02-28"


def test_back_references_count_from_the_last_stated_day():
    text = ("Putin spoke on Thursday. Earlier that day, parliament ratified the treaty. "
            "The Pentagon had spoken the previous day. On the same day, Kyiv reported troops.")
    found = find_dates(text, date(2024, 10, 26))
    assert [(m.text, m.iso) for m in found] == [
        ("Thursday", "2024-10-24"), ("Earlier that day", "2024-10-24"),
        ("the previous day", "2024-10-23"), ("the same day", "2024-10-24"),  # not chained to "previous day"
    ]
    assert found[2].anaphoric and "'Thursday' (2024-10-24)" in found[2].resolved_from


def test_undated_article_keeps_only_what_the_text_states_in_full():
    found = find_dates("On Tuesday, not on June 19, the treaty of 19 June 2024 was signed in 2024.", None)
    resolved = {m.text: m.iso for m in found}
    assert resolved == {"Tuesday": "", "June 19": "", "19 June 2024": "2024-06-19", "2024": "2024"}
    assert "no publication date" in found[0].resolved_from


def test_published_datetime_counts_as_its_day():
    assert one("It happened on Thursday.", datetime(2024, 10, 26, 7, 51, tzinfo=timezone.utc)).iso == "2024-10-24"


def test_relative_words_in_a_quotation_are_the_speakers():
    found = find_dates("“Today, we ratified our treaty,” Putin said on Thursday.", FRIDAY)
    assert [(m.text, m.iso) for m in found] == [("Today", ""), ("Thursday", "2024-10-24")]


def test_what_is_not_a_date():
    assert find_dates("Officials may meet. Putin said March would be hard.", FRIDAY) == []
    assert find_dates("He sent 2024 soldiers and 3,000 more; the 24th brigade moved.", FRIDAY) == []
    assert find_dates("It happened on February 30.", FRIDAY) == []


def test_datelines_are_boilerplate():
    for text in ("SEOUL, Oct. 25 (Yonhap) -- North Korea sent troops.", "Published October 25, 2024"):
        m = find_dates(text, FRIDAY)[0]
        assert is_dateline(text, m), text
    text = "Troops arrived on October 23, officials said."
    assert not is_dateline(text, find_dates(text, FRIDAY)[0])


def test_an_undated_article_counts_from_the_clusters_latest_dated_article():
    from datetime import datetime, timezone

    from summarizer.schema import Article
    from summarizer.text.dates import article_dates, mentions_in

    dated = Article(id="a", text="x", published_at=datetime(2024, 7, 1, tzinfo=timezone.utc))  # a Monday
    undated = Article(id="b", text="The minister resigned on Thursday, officials said.")
    pubs = article_dates([dated, undated])
    assert pubs["a"] == (dated.published_at.date(), False) and pubs["b"] == (dated.published_at.date(), True)
    (m,) = mentions_in(undated.text, *pubs["b"])
    assert m.value.isoformat() == "2024-06-27"  # across the month boundary
    assert "cluster's latest dated article" in m.resolved_from and "gives no date" in m.resolved_from
    assert article_dates([undated]) == {"b": (None, False)}  # nothing to count from: unresolved
    (alone,) = mentions_in(undated.text, None, False)
    assert alone.value is None

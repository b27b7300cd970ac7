"""The digest's index page as a person sees it: headless Chromium, phone width, hostile headlines inert.

Needs Debian's chromium (``apt-get install -y chromium``); skipped cleanly without it, like
tests/test_render_browser.py, whose helpers this reuses.
"""

from __future__ import annotations

import json
import os

import pytest
from digest_fake import extractive_answer
from test_cluster import SINEMA, TRIP
from test_render import Page
from test_render_browser import CHROMIUM, chromium, decode_png, luma

from summarizer.backends.testing import FunctionBackend
from summarizer.config import Config
from summarizer.pipeline import Pipeline
from summarizer.stories.digest import digest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"),
]

HOSTILE = '<script>document.title="pwned"; document.body.innerHTML=""</script><img src=x id=injected>'
PHONE = (412, 1600)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("digest")
    rows = [{"id": f"s{i}", "title": t, "text": x, "source": o, "url": f"https://{o.lower()}.example/{i}"}
            for i, ((t, x), o) in enumerate(zip(SINEMA, ["Yahoo", "Hill", "Examiner"]))]
    rows += [{"id": f"t{i}", "title": t + (HOSTILE if i else ""), "text": x, "source": o}
             for i, ((t, x), o) in enumerate(zip(TRIP, ["CNN", "Review"]))]
    src = root / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = digest([src], root / "site", pipeline=Pipeline(FunctionBackend(extractive_answer),
                                                              Config(cache_dir=root / "cache")))
    assert report.pages == 2
    return root, report


def test_index_dom_lists_the_stories_ranked(site):
    root, report = site
    page = Page(chromium(root / "profile-dom", "--dump-dom", report.index.as_uri()).stdout)
    stories = [i for i in page.ids if i.startswith("story-")]
    assert len(stories) == 2
    assert page.title == "Today's stories"
    assert "3 outlets" in page.text(stories[0]) and "2 outlets" in page.text(stories[1])
    assert "Yahoo" in page.text(stories[0]) and "CNN" in page.text(stories[1])
    links = [a.get("href") for tag, a in page.tags if tag == "a"]
    assert sum(1 for h in links if h and h.startswith("stories/")) == 2


def test_hostile_headline_is_text_not_markup(site):
    root, report = site
    page = Page(chromium(root / "profile-hostile", "--dump-dom", report.index.as_uri()).stdout)
    assert page.title == "Today's stories"  # the script did not run
    assert "injected" not in page.ids and not any(tag in ("script", "img") for tag, _ in page.tags)


def test_story_page_opens_from_the_index(site):
    root, _report = site
    (story,) = [p for p in (root / "site" / "stories").glob("*.html") if "Sinema" in p.read_text(encoding="utf-8")]
    page = Page(chromium(root / "profile-story", "--dump-dom", story.as_uri()).stdout)
    assert "headline" in page.ids and "summary" in page.ids


def test_index_phone_screenshot_is_not_blank(site):
    root, report = site
    shot = root / "index.png"
    chromium(root / "profile-shot", f"--window-size={PHONE[0]},{PHONE[1]}", f"--screenshot={shot}",
             report.index.as_uri())
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == PHONE
    sampled = [luma(rows[y], bpp) for y in range(0, height, 4)]
    background = max(set(sampled[0]), key=sampled[0].count)
    inked = [any(abs(v - background) > 60 for v in row) for row in sampled]
    assert any(inked[: 160 // 4]), "no heading near the top"
    assert sum(inked) / len(inked) > 0.15
    right_edge = [row[-1] for row in sampled]
    assert max(abs(v - background) for v in right_edge) < 40, "content touches the right edge"

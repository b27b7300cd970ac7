"""The digest end to end on a scripted fake model: mixed inputs -> clusters -> briefs -> story pages + index."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from digest_fake import extractive_answer
from loopback import serve
from test_cluster import SINEMA, TRIP

from summarizer.backends.testing import FunctionBackend
from summarizer.config import Config
from summarizer.errors import BackendTimeoutError
from summarizer.ingest.fetch import Fetcher
from summarizer.pipeline import Pipeline
from summarizer.schema.article import Article
from summarizer.stories.digest import digest, render_index

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def never(request):
    raise AssertionError(f"the model was asked again ({request.purpose})")


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A folder of mixed inputs: an RSS feed, an Atom feed, a JSONL dump and a saved page."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "world.rss").write_bytes((FEEDS / "world.rss").read_bytes())
    (src / "tech.atom").write_bytes((FEEDS / "tech.atom").read_bytes())
    rows = [{"id": f"s{i}", "title": t, "text": x, "source": o, "url": f"https://{o.lower()}.example/{i}"}
            for i, ((t, x), o) in enumerate(zip(SINEMA, ["Yahoo", "Hill", "Examiner"]))]
    rows += [{"id": f"t{i}", "title": t, "text": x, "source": o}
             for i, ((t, x), o) in enumerate(zip(TRIP, ["CNN", "Review"]))]
    rows[-1]["title"] += HOSTILE  # a scraped headline with markup in it
    rows[-1]["url"] = "javascript:alert(1)"
    (src / "dump.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (src / "saved.html").write_text(
        "<html><head><title>x</title></head><body><article><h1>Pandora Papers reveal hidden wealth</h1>"
        "<p>A leak of nearly 12 million documents reveals the hidden wealth and dealings of dozens of world "
        "leaders, politicians and billionaires, an investigation by journalists found.</p>"
        "<p>The files came from 14 offshore service providers.</p></article></body></html>", encoding="utf-8")
    return src


def pipeline(tmp_path: Path, fn=extractive_answer) -> tuple[Pipeline, FunctionBackend]:
    backend = FunctionBackend(fn)
    return Pipeline(backend, Config(cache_dir=tmp_path / "cache")), backend


def stories_in(index: str) -> list[str]:
    return re.findall(r'<li class="story" id="(story-[0-9a-f]+)">', index)


def test_digest_writes_a_page_per_story_and_a_ranked_index(tmp_path, inputs):
    site = tmp_path / "site"
    pipe, backend = pipeline(tmp_path)
    report = digest([inputs], site, pipeline=pipe)
    clusters = [json.loads(line) for line in (site / "clusters.jsonl").read_text().splitlines()]
    assert report.articles == 11 and report.stories == len(clusters)
    assert not report.failed and report.pages == len(clusters)
    assert sorted(p.name for p in (site / "stories").iterdir()) == sorted(
        f"{c['id']}.{ext}" for c in clusters for ext in ("html", "json", "md"))  # the page, and its brief
    sizes = sorted(len(c["articles"]) for c in clusters)
    assert sizes[-2:] == [2, 3] and sizes.count(1) == len(sizes) - 2  # Sinema, trip, the rest singletons
    index = (site / "index.html").read_text(encoding="utf-8")
    assert stories_in(index) == [c["id"] for c in clusters]  # ranked by outlets, as clusters are
    assert [c["outlets"] for c in clusters] == sorted((c["outlets"] for c in clusters), reverse=True)
    assert 'href="stories/' in index and "Yahoo" in index and "https://yahoo.example/0" in index
    assert len(backend.requests) >= len(clusters)


def test_index_is_self_contained_and_escaped(tmp_path, inputs):
    site = tmp_path / "site"
    digest([inputs], site, pipeline=pipeline(tmp_path)[0])
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "<img" not in index and "javascript:" not in index
    assert "&lt;script&gt;" in index  # the hostile headline is shown as text
    assert not re.search(r'(?:src|href)="(?!stories/|https?://)', index)  # no external assets or odd links
    assert "<style>" in index and "<link" not in index


def test_rerun_resumes_without_asking_the_model(tmp_path, inputs):
    site = tmp_path / "site"
    digest([inputs], site, pipeline=pipeline(tmp_path)[0])
    first = (site / "index.html").read_text(encoding="utf-8")
    again, backend = pipeline(tmp_path / "other", never)  # fresh cache: only the batch's resume helps
    report = digest([inputs], site, pipeline=again)
    # every cluster is one the site already took in: no batch work, no update, no call
    assert not backend.requests and len(report.unchanged) == report.stories and not report.updated
    assert stories_in((site / "index.html").read_text(encoding="utf-8")) == stories_in(first)


def test_a_failed_story_is_listed_and_retried_later(tmp_path, inputs):
    site = tmp_path / "site"

    def flaky(request):
        if "offshore service providers" in "\n".join(m["content"] for m in request.messages):
            raise BackendTimeoutError("the model server did not answer", retryable=True)
        return extractive_answer(request)

    report = digest([inputs], site, pipeline=pipeline(tmp_path, flaky)[0])
    assert len(report.failed) == 1
    (failed_id,) = report.failed
    index = (site / "index.html").read_text(encoding="utf-8")
    assert failed_id in stories_in(index) and "No brief yet (the model server did not answer)" in index
    assert "Error" not in index  # a reader gets the sentence, not the exception's class name
    assert not (site / "stories" / f"{failed_id}.html").exists()
    retried = digest([inputs], site, pipeline=pipeline(tmp_path / "c2")[0], retry_failed=True)
    assert not retried.failed and (site / "stories" / f"{failed_id}.html").exists()


def test_stale_story_pages_are_removed(tmp_path, inputs):
    site = tmp_path / "site"
    digest([inputs], site, pipeline=pipeline(tmp_path)[0])
    (inputs / "saved.html").unlink()
    report = digest([inputs], site, pipeline=pipeline(tmp_path)[0])
    assert len(list((site / "stories").glob("*.html"))) == report.stories


@pytest.mark.parametrize("cluster_id", ["../../escaped", "{tmp}/abs/story", "x" * 300, "nul\x00id",
                                        ".hidden", "a/b"])
def test_build_site_writes_every_page_inside_the_site_whatever_the_id(cluster_id, tmp_path, seed_cluster):
    from fixtures_brief import seed_brief

    from summarizer.schema import Cluster
    from summarizer.stories.digest import build_site

    cluster_id = cluster_id.format(tmp=tmp_path)  # were it written as named, it would still be in tmp_path
    site = tmp_path / "deep" / "er" / "site"
    site.mkdir(parents=True)
    articles = seed_cluster.articles()
    brief = seed_brief(articles).model_dump(mode="json")
    (site / "briefs.jsonl").write_text("".join(json.dumps({"cluster_id": cid, "brief": brief}) + "\n"
                                               for cid in (cluster_id, "story-0a1b")), encoding="utf-8")
    report = build_site([Cluster(id=cluster_id, articles=articles), Cluster(id="story-0a1b", articles=articles)],
                        site)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    pages = [w.removeprefix("deep/er/site/stories/") for w in written if w.startswith("deep/er/site/stories/")]
    # each story: its page, and its brief as Markdown and JSON beside it
    assert len(written) == 8 and len(pages) == 6 and "story-0a1b.html" in pages  # the CLI's ids stay as they are
    assert report.pages == 2 and all(len(p) < 100 and "\x00" not in p for p in pages)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="stories/{p}"' in index for p in pages if p.endswith(".html"))


def test_render_index_with_no_stories_is_still_a_page():
    page = render_index([])
    assert page.startswith("<!DOCTYPE html>") and "0 stories" in page


def test_digest_command_builds_the_site(tmp_path, inputs, monkeypatch, capsys):
    import summarizer.pipeline as pipeline_module

    real = pipeline_module.Pipeline
    monkeypatch.setattr(pipeline_module, "Pipeline", lambda config=None, progress=None: real(
        FunctionBackend(extractive_answer), Config(cache_dir=tmp_path / "cache")))
    from summarizer.cli.main import main

    site = tmp_path / "site"
    assert main(["digest", str(inputs), "-o", str(site), "-q", "--threshold", "0.12", "--title", "Morning <b>"]) == 0
    assert "<h1 id=\"headline\">Morning &lt;b&gt;</h1>" in (site / "index.html").read_text(encoding="utf-8")
    assert list((site / "stories").glob("story-*.html"))
    assert "11 article(s) in" in capsys.readouterr().err


def test_story_pages_link_back_to_the_index(tmp_path, inputs):
    site = tmp_path / "site"
    digest([inputs], site, pipeline=pipeline(tmp_path)[0])
    for page in (site / "stories").glob("story-*.html"):
        assert '<a href="../index.html">' in page.read_text(encoding="utf-8")


class _Feeds(BaseHTTPRequestHandler):
    """A loopback news server: one good feed, one with an impossible date, one truncated answer."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/truncated.rss":  # a chunked answer that stops mid-chunk
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n400\r\n<?xml version=\"1.0\"?><rss")
            self.close_connection = True
            return
        feeds = {"/world.rss": (FEEDS / "world.rss").read_bytes(), "/zero.rss": ZERO_DATE_FEED}
        if self.path not in feeds:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(feeds[self.path])))
        self.end_headers()
        self.wfile.write(feeds[self.path])


ZERO_DATE_FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Zero Times</title>'
                  b"<item><title>Dam opens after a decade of work</title><link>https://zero.example/dam</link>"
                  b"<pubDate>0000-00-00</pubDate><description>The new dam on the river opened on Monday, the "
                  b"regional water authority said.</description></item></channel></rss>")


@pytest.fixture
def news_server():
    with serve(_Feeds) as url:
        yield url


def test_a_bad_input_is_listed_and_the_site_is_built_from_the_rest(tmp_path, inputs, news_server):
    site = tmp_path / "site"
    urls = [f"{news_server}/{name}" for name in ("world.rss", "gone.rss", "zero.rss", "truncated.rss")]
    fetch = Fetcher(timeout=2.0, min_interval=0.0)
    report = digest([inputs, *urls], site, pipeline=pipeline(tmp_path)[0], fetcher=fetch)
    assert sorted(report.unread) == sorted(urls[1::2])  # the dead feed and the truncated one
    assert "HTTP 404" in report.unread[urls[1]] and "broke off" in report.unread[urls[3]]
    assert report.articles == 11 + 3 + 1  # the folder, world.rss again, the undated dam story
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Dam opens after a decade of work" in index
    assert "could not be read" in report.summary() and urls[1] in report.summary()


def test_digest_command_exits_1_and_still_writes_the_site_when_an_input_is_dead(tmp_path, inputs, monkeypatch,
                                                                                capsys):
    import summarizer.pipeline as pipeline_module

    real = pipeline_module.Pipeline
    monkeypatch.setattr(pipeline_module, "Pipeline", lambda config=None, progress=None: real(
        FunctionBackend(extractive_answer), Config(cache_dir=tmp_path / "cache")))
    from summarizer.cli.main import main

    site = tmp_path / "site"
    dead = "http://127.0.0.1:9/feed.rss"  # the discard port: nothing listens
    assert main(["digest", str(inputs), dead, "-o", str(site), "-q"]) == 1
    assert stories_in((site / "index.html").read_text(encoding="utf-8"))
    err = capsys.readouterr().err
    assert "11 article(s) in" in err and "cannot reach" in err and dead in err


def test_a_story_mixing_zoned_and_naive_dates_gets_its_page(tmp_path):
    (title, text), (title2, text2) = SINEMA[:2]
    arts = [Article(id="page", title=title, text=text, outlet="Tokyo Daily",
                    published_at=datetime(2021, 10, 5, 9, 0, tzinfo=timezone(timedelta(hours=9)))),
            Article(id="record", title=title2, text=text2, outlet="Hill", published_at=datetime(2021, 10, 4, 22, 0))]
    site = tmp_path / "site"
    report = digest(arts, site, pipeline=pipeline(tmp_path)[0])
    assert report.stories == 1 and not report.failed and report.pages == 1
    assert "4 Oct 2021" in (site / "index.html").read_text(encoding="utf-8")  # 00:00 UTC on the 5th is later


def test_a_saved_brief_that_no_longer_reads_is_a_failed_story_not_a_traceback(tmp_path):
    from summarizer.schema.article import Cluster
    from summarizer.stories.digest import build_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "briefs.jsonl").write_text(json.dumps({"cluster_id": "c1", "brief": {"title": "x"}}) + "\n",
                                       encoding="utf-8")
    report = build_site([Cluster(id="c1", articles=[Article(id="a", text="Some text.")])], site)
    assert "c1" in report.failed and report.pages == 0
    assert "no longer reads as a brief" in (site / "index.html").read_text(encoding="utf-8")

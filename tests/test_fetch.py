"""Polite fetching against a loopback HTTP server the test starts: timeouts, size caps, robots.txt."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from loopback import serve

from summarizer.errors import InputError
from summarizer.ingest.fetch import DEFAULT_USER_AGENT, Fetcher
from summarizer.ingest.gather import gather_articles

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"

ARTICLE = b"""<!doctype html><html lang="en"><head><title>Kabul | Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2021-10-03T14:05:00Z">
<link rel="canonical" href="https://planet.example.org/world/kabul-mosque-bombing.html"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Bombing near Kabul mosque kills several civilians</h1>
<p>A bomb exploded at the entrance of the Eid Gah mosque in Kabul on Sunday, killing at least five civilians, a
Taliban spokesman said.</p>
<p>The mosque was hosting a memorial service for the mother of Zabihullah Mujahid, the Taliban's chief
spokesman. No group immediately claimed responsibility for the attack.</p></article>
<footer>Copyright 2021 Daily Planet</footer></body></html>"""

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Planet</title>
<link>http://HOST/</link>
<item><title>Bombing near Kabul mosque kills several civilians</title><link>/article.html</link>
<description>A bomb exploded in Kabul on Sunday.</description></item>
<item><title>Page gone</title><link>/missing.html</link>
<description>This entry's page answers 404, so its summary stays.</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str]]] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8", length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up first (the timeout tests)
            pass

    def do_GET(self):
        Handler.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            self._send(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/article.html":
            self._send(ARTICLE)
        elif self.path == "/feed.xml":
            host = f"127.0.0.1:{self.server.server_address[1]}".encode()
            self._send(FEED.replace(b"HOST", host), "application/rss+xml")
        elif self.path == "/world.rss":
            self._send((FEEDS / "world.rss").read_bytes(), "application/xml")
        elif self.path == "/private/page.html":
            self._send(ARTICLE)
        elif self.path == "/slow":
            time.sleep(10)  # far longer than the test's timeout before any byte
            self._send(ARTICLE)
        elif self.path == "/drip":
            # Headers at once, then a byte every 0.2 s: each read is quick, the whole is not.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                try:
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
        elif self.path.startswith("/hop/"):  # /hop/<where>: a 302 to a URL another check must refuse
            port = self.server.server_address[1]
            target = {"private": "/private/page.html", "ftp": f"ftp://127.0.0.1:{port}/article.html",
                      "other-host": f"http://localhost:{port}/private/page.html",
                      "fine": "/article.html"}[self.path[5:]]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip-headers":
            # One header line every 0.3 s for 9 s: every read is quick, the whole answer is not.
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for i in range(30):
                    self.wfile.write(f"X-Drip-{i}: x\r\n".encode())
                    self.wfile.flush()
                    time.sleep(0.3)
                self.wfile.write(b"Content-Length: 0\r\n\r\n")
            except OSError:
                return
        elif self.path == "/truncated-chunked":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                             b"400\r\n<p>only part of the promised chunk</p>")
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/huge-declared":
            self._send(b"<p>small really</p>", length=50_000_000)
        elif self.path == "/huge-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"y" * 16_000 + b"</p>")
            except OSError:
                return
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server():
    with serve(Handler) as url:
        yield url


def fetcher(**kw) -> Fetcher:
    return Fetcher(**{"timeout": 1.0, "min_interval": 0.0, "max_bytes": 200_000, **kw})


def test_article_page_goes_through_the_html_path(server):
    Handler.seen.clear()
    art = fetcher().article(f"{server}/article.html")
    assert art.title == "Bombing near Kabul mosque kills several civilians"
    assert art.text.startswith("A bomb exploded at the entrance of the Eid Gah mosque")
    assert "Home" not in art.text and "Copyright" not in art.text
    assert art.outlet == "Daily Planet" and art.url == "https://planet.example.org/world/kabul-mosque-bombing.html"
    assert art.published_at is not None and art.published_at.day == 3
    assert ("/robots.txt", DEFAULT_USER_AGENT) in Handler.seen  # robots first, with our user agent
    assert ("/article.html", DEFAULT_USER_AGENT) in Handler.seen


def test_a_server_that_never_answers_times_out(server):
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"within 1 s"):
        fetcher().get(f"{server}/slow")
    assert time.perf_counter() - t0 < 6  # generous for a loaded machine; the answer would take 10 s


def test_a_trickling_answer_is_cut_at_the_total_timeout(server):
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"within 1 s"):
        fetcher().get(f"{server}/drip")
    assert time.perf_counter() - t0 < 6  # the whole drip would take 10 s


def test_size_cap_by_content_length_and_while_reading(server):
    with pytest.raises(InputError, match="over the 200,000-byte cap"):
        fetcher().get(f"{server}/huge-declared")
    with pytest.raises(InputError, match="over the 200,000-byte cap"):
        fetcher().get(f"{server}/huge-streamed")
    assert len(fetcher(max_bytes=2_000_000).get(f"{server}/huge-streamed").data) == 64 * 16_007


def test_robots_txt_is_honoured_unless_turned_off(server):
    with pytest.raises(InputError, match="robots.txt"):
        fetcher().get(f"{server}/private/page.html")
    assert fetcher(respect_robots=False).get(f"{server}/private/page.html").status == 200


def test_http_errors_and_bad_schemes_are_input_errors(server):
    with pytest.raises(InputError, match="HTTP 404"):
        fetcher().get(f"{server}/nothing-here")
    with pytest.raises(InputError, match="only http"):
        fetcher().get("file:///etc/passwd")
    with pytest.raises(InputError, match="cannot reach"):
        fetcher().get("http://127.0.0.1:9/")  # discard port: nothing listens


def test_min_interval_spaces_requests_to_one_host(server):
    waits: list[float] = []
    f = fetcher(min_interval=5.0, respect_robots=False, sleep=waits.append)
    f.get(f"{server}/article.html")
    f.get(f"{server}/article.html")
    assert len(waits) == 1 and 4.5 < waits[0] <= 5.0


def test_feed_url_with_pages_fetched_for_summary_only_entries(server):
    arts = gather_articles([f"{server}/feed.xml"], fetcher=fetcher(), fetch_pages=True)
    kabul, gone = arts
    assert "memorial service for the mother of Zabihullah Mujahid" in kabul.text  # the page's body
    assert kabul.url.endswith("/article.html")  # resolved against the feed's URL
    assert gone.text.startswith("This entry's page answers 404")
    assert any("page not fetched" in w for w in gone.warnings)


def test_feed_served_as_xml_is_read_as_a_feed(server):
    arts = fetcher().load(f"{server}/world.rss")
    assert len(arts) == 3 and arts[0].outlet == "Daily Planet World"


def test_a_server_dripping_its_headers_is_cut_at_the_total_timeout(server):
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"within 1 s"):
        fetcher(respect_robots=False).get(f"{server}/drip-headers")
    assert time.perf_counter() - t0 < 5  # the headers alone would take 9 s


def test_a_truncated_chunked_answer_is_an_input_error(server):
    with pytest.raises(InputError, match="broke off"):
        fetcher(respect_robots=False).get(f"{server}/truncated-chunked")


@pytest.mark.parametrize(("hop", "refusal"), [
    ("private", "robots.txt"),  # the same site's robots.txt is asked about the new path
    ("other-host", "robots.txt"),  # another site's robots.txt is read before its page is
    ("ftp", "only http"),  # urllib alone would log in to an FTP server as anonymous
])
def test_every_redirect_hop_is_checked_like_the_first_url(server, hop, refusal):
    Handler.seen.clear()
    with pytest.raises(InputError, match=refusal):
        fetcher().get(f"{server}/hop/{hop}")
    assert not any(path.startswith("/private/") for path, _ in Handler.seen)
    if hop == "other-host":
        assert [path for path, _ in Handler.seen].count("/robots.txt") == 2  # 127.0.0.1's, then localhost's


def test_a_permitted_redirect_is_followed(server):
    fetched = fetcher().get(f"{server}/hop/fine")
    assert fetched.status == 200 and fetched.url.endswith("/article.html")


def test_summarize_takes_urls_and_feeds_like_digest(server, tmp_path, monkeypatch, seed_cluster):
    from summarizer.cli.main import main
    from summarizer.pipeline import Pipeline
    from tests.fixtures_brief import seed_brief

    given: list[list] = []

    def run(self, articles):  # the CLI is under test, not the model
        given.append(articles)
        return seed_brief(seed_cluster.articles())

    monkeypatch.setattr(Pipeline, "run", run)
    model = ["--base-url", "http://127.0.0.1:9/v1", "-q", "--fetch-timeout", "2", "-o", str(tmp_path / "b.json")]
    assert main(["summarize", f"{server}/article.html", str(seed_cluster.path("001")), *model]) == 0
    titles = {a.title for a in given[-1]}
    assert "Bombing near Kabul mosque kills several civilians" in titles and len(given[-1]) == 2
    assert main(["summarize", str(FEEDS / "world.rss"), *model]) == 0 and len(given[-1]) == 3

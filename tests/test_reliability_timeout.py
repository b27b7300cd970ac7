"""--timeout is a deadline: one answer's attempt is cut at TIMEOUT however the server drips, and
retries stay within (retries + 1) x TIMEOUT in all; 0, negative and NaN are refused up front."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fault_server import Fault, FaultServer

from summarizer import errors
from summarizer.backends.base import ChatRequest
from summarizer.backends.openai import OpenAIBackend
from summarizer.cli.main import build_parser, main

REQUEST = ChatRequest(messages=({"role": "user", "content": "hello"},))
BODY = json.dumps({
    "id": "chatcmpl-drip", "object": "chat.completion", "created": 0, "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "x" * 400}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}).encode()


@pytest.fixture
def drip_server() -> Iterator[str]:
    """A server that sends its headers at once, then the body one byte every 50 ms (about 30 s)."""
    stop = threading.Event()

    class Drip(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            try:
                for i in range(len(BODY)):
                    if stop.wait(0.05):
                        return
                    self.wfile.write(BODY[i : i + 1])
                    self.wfile.flush()
            except OSError:
                pass  # the client gave up: that is the point

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def test_a_dripping_server_is_cut_at_the_deadline(drip_server):
    backend = OpenAIBackend("m", base_url=drip_server, timeout=1.0, max_retries=0)
    started = time.perf_counter()
    with pytest.raises(errors.BackendTimeoutError, match="timeout"):
        backend.complete(REQUEST)
    assert time.perf_counter() - started < 2.5


async def test_a_dripping_server_is_cut_at_the_deadline_async(drip_server):
    backend = OpenAIBackend("m", base_url=drip_server, timeout=1.0, max_retries=0)
    started = time.perf_counter()
    with pytest.raises(errors.BackendTimeoutError):
        await backend.acomplete(REQUEST)
    assert time.perf_counter() - started < 2.5


def test_retries_stay_within_the_overall_budget():
    # 5 attempts of at most 0.5 s: 2.5 s in all, however long the server asks us to wait.
    with FaultServer(script=[Fault.rate_limit(retry_after=2)] * 5) as srv:
        backend = OpenAIBackend("m", base_url=srv.base_url, timeout=0.5, max_retries=4)
        started = time.perf_counter()
        with pytest.raises(errors.RateLimitError):
            backend.complete(REQUEST)
        assert time.perf_counter() - started < 3.5
        assert len(srv.completions) <= 2


def test_a_hang_with_retries_stays_within_the_overall_budget():
    with FaultServer(script=[Fault.hang(5)] * 5) as srv:
        backend = OpenAIBackend("m", base_url=srv.base_url, timeout=0.5, max_retries=4)
        started = time.perf_counter()
        with pytest.raises(errors.BackendTimeoutError):
            backend.complete(REQUEST)
        assert time.perf_counter() - started < 3.5  # (4 + 1) x 0.5 s, plus slack


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_a_timeout_that_is_not_a_positive_number_is_refused_up_front(value, capsys, tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nThe council approved the budget on Monday.", encoding="utf-8")
    code = main(["summarize", str(tmp_path / "a.txt"), "--base-url", "http://127.0.0.1:9/v1", f"--timeout={value}"])
    assert code == 2
    assert "timeout" in capsys.readouterr().err


def test_help_states_the_overall_budget():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["summarize"]
    text = " ".join(sub.format_help().split())
    assert "retries included" in text and "(retries + 1)" in text

"""A fault-injecting Chat Completions server on 127.0.0.1, for tests and benchmarks.

It speaks enough of the OpenAI protocol for the real ``openai`` SDK
(``POST /v1/chat/completions``, ``GET /v1/models``) and answers each completion
request from a per-test script of :class:`Fault` values, else with a random fault
at ``fault_rate`` (seeded), else with a normal answer whose content comes from a
pluggable ``responder(body) -> str``.

    with FaultServer(script=[Fault.rate_limit(retry_after=3), Fault.ok()]) as srv:
        backend = OpenAIBackend(base_url=srv.base_url, ...)

Every wait is bounded and wakes when the server stops; the server also stops by
itself after ``lifetime_s`` so a leaked instance cannot outlive a test run.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], str]

FAULT_KINDS = (
    "ok",
    "rate_limit",
    "server_error",
    "hang",
    "drop",
    "truncated",
    "bad_schema",
    "refusal",
    "length",
    "unauthorized",
    "echo_auth",
)


@dataclass(frozen=True)
class Fault:
    """One scripted answer. Build them with the class methods."""

    kind: str
    status: int = 200
    retry_after: float | None = None
    retry_after_ms: int | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {FAULT_KINDS}")

    @classmethod
    def ok(cls) -> Fault:
        return cls("ok")

    @classmethod
    def rate_limit(cls, retry_after: float | None = None, retry_after_ms: int | None = None) -> Fault:
        """HTTP 429 with ``Retry-After: <seconds>`` and/or ``retry-after-ms``."""
        return cls("rate_limit", 429, retry_after=retry_after, retry_after_ms=retry_after_ms)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls("server_error", status)

    @classmethod
    def hang(cls, seconds: float | None = None) -> Fault:
        """Say nothing for ``seconds`` (default: the server's ``hang_s``), then answer normally."""
        return cls("hang", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        """Read the request, then close the socket without a response."""
        return cls("drop")

    @classmethod
    def truncated(cls) -> Fault:
        """A 200 whose content is the valid JSON cut in half."""
        return cls("truncated")

    @classmethod
    def bad_schema(cls) -> Fault:
        """A 200 whose content is JSON that fails the requested schema."""
        return cls("bad_schema")

    @classmethod
    def refusal(cls) -> Fault:
        """A 200 with ``message.refusal`` set and ``content`` null."""
        return cls("refusal")

    @classmethod
    def length(cls) -> Fault:
        """A 200 with ``finish_reason="length"`` and content cut off."""
        return cls("length")

    @classmethod
    def unauthorized(cls) -> Fault:
        return cls("unauthorized", 401)

    @classmethod
    def echo_auth(cls, status: int = 500) -> Fault:
        """An error whose body echoes the request's API key (a careless proxy)."""
        return cls("echo_auth", status)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any] | None
    fault: str = "ok"
    at: float = field(default_factory=time.monotonic)


# --------------------------------------------------------------------------- responders

_ARTICLE = re.compile(r"<article\b[^>]*\bnumber=\"(\d+)\"[^>]*>\s*\n(.*?)</article>", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def user_text(body: dict[str, Any]) -> str:
    """All user-message content of a chat request, joined."""
    parts = []
    for m in body.get("messages") or []:
        if m.get("role") == "user":
            c = m.get("content")
            parts.append(c if isinstance(c, str) else json.dumps(c))
    return "\n".join(parts)


def articles_in(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    """``(number, title, text)`` for each ``<article number=..>`` block in the user message."""
    out = []
    for num, block in _ARTICLE.findall(user_text(body)):
        lines = block.strip("\n").split("\n")
        title = ""
        if lines and lines[0].startswith("Title:"):
            title = lines[0][len("Title:") :].strip()
            lines = lines[1:]
        out.append((int(num), title, "\n".join(lines).strip()))
    return out


def sentences(text: str, limit: int = 300) -> list[str]:
    """``text`` split into sentences of at least 20 characters (so "W. Va." stays whole), each cut
    at a word boundary to fit ``limit``."""
    text = " ".join(text.split())
    text = text.removeprefix("- ")  # notes are bullet lists
    out: list[str] = []
    current = ""
    for part in _SENTENCE_END.split(text):
        current = f"{current} {part}".strip()
        if len(current) >= 20:
            out.append(current if len(current) <= limit else current[:limit].rsplit(" ", 1)[0])
            current = ""
    if current:
        out.append(current[:limit])
    return out or [text[:limit]]


_FACT = re.compile(r"^\[(\d+)\] \(.*?\) (.+)$", re.MULTILINE)  # outlets may hold parentheses


def facts_in(body: dict[str, Any]) -> list[tuple[int, str]]:
    """``(number, text)`` of each fact of a fact-sheet prompt (``[n] (outlets) text``)."""
    return [(int(n), t.strip()) for n, t in _FACT.findall(user_text(body))]


def _fact_draft(body: dict[str, Any], facts: list[tuple[int, str]]) -> str:
    """A valid fused draft: the first facts' own sentences, each citing its fact."""
    summary = (_schema_of(body).get("properties") or {}).get("summary") or {}
    need = max(2, int(summary.get("minItems", 2)))
    chosen = [facts[i % len(facts)] for i in range(need)]
    title = " ".join(chosen[0][1].split()[:10]).rstrip(".,;:!?")[:110]
    sentences_ = [{"text": t[:300], "facts": [n]} for n, t in chosen]
    return json.dumps({"title": title, "summary": sentences_, "key_points": [], "perspectives": [],
                       "topics": ["News"]}, ensure_ascii=False)


def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of ``text`` (see :func:`sentences`)."""
    return sentences(text, limit)[0]


def _schema_of(body: dict[str, Any]) -> dict[str, Any]:
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        return (rf.get("json_schema") or {}).get("schema") or {}
    return rf.get("schema") or {}


def draft_responder(body: dict[str, Any]) -> str:
    """A minimal valid answer built from the request's own articles.

    For the prose call: a headline and the first three facts as one paragraph. For a JSON
    synthesis request: a BriefDraft whose summary sentences copy the first sentence of articles 1
    and 2 and cite them, so grounding accepts it. For a map (notes) request: an ArticleNotes with
    the first sentence as the one fact.
    """
    text = user_text(body)
    if _PROSE_HEADER in text:
        listed = text.split(_PROSE_HEADER, 1)[1].split("\n\n", 1)[0]
        facts = re.findall(r"^- (.+)$", listed, re.MULTILINE)
        return " ".join(facts[0].split()[:10]).rstrip(".,;:!?") + "\n\n" + " ".join(facts[:3])
    facts = facts_in(body)
    if facts:
        return _fact_draft(body, facts)
    arts = articles_in(body)
    if not arts:
        # No recognisable articles: answer from the first user line so the shape is still right.
        line = next((ln for ln in user_text(body).splitlines() if len(ln.split()) > 3), "No content.")
        arts = [(1, "", line)]
    props = _schema_of(body).get("properties") or {}
    if "facts" in props:
        return json.dumps({"facts": [first_sentence(arts[0][2])], "actors": []})
    chosen = [(n, first_sentence(t)) for n, _, t in arts[:2]]
    if len(chosen) < 2:  # one article: its first two sentences
        n, _, text = arts[0]
        chosen.append((n, (sentences(text)[1:] or [chosen[0][1]])[0]))
    # The title is the first words of the first sentence: headlines often name people or figures
    # that the article text (all that grounding checks against) does not.
    title = " ".join(chosen[0][1].split()[:10]).rstrip(".,;:!?")[:110]
    draft = {
        "title": title,
        "summary": [{"text": s, "sources": [n]} for n, s in chosen],
        "key_points": [],
        "perspectives": [],
        "topics": ["News"],
    }
    return json.dumps(draft, ensure_ascii=False)


# how the prose call lists its facts (summarizer.pipeline.requests.PROSE_HEADER); written out, as the
# server knows nothing of its client
_PROSE_HEADER = "Facts, the most important first:"
_BAD_SCHEMA = json.dumps({"title": 7, "summary": "this should have been a list", "perspectives": {"x": 1}})


# --------------------------------------------------------------------------- server


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or drop are the point of this server; don't spam stderr.
        return


class FaultServer:
    """A loopback Chat Completions server that injects faults. Use as a context manager."""

    def __init__(
        self,
        responder: Responder = draft_responder,
        *,
        script: Iterable[Fault] = (),
        fault_rate: float = 0.0,
        fault_mix: Sequence[Fault] = (
            Fault.rate_limit(retry_after=0.05),
            Fault.server_error(),
            Fault.drop(),
            Fault.hang(),
            Fault.truncated(),
            Fault.bad_schema(),
        ),
        seed: int = 0,
        latency: float = 0.0,
        hang_s: float = 2.0,
        lifetime_s: float = 600.0,
    ) -> None:
        self.responder = responder
        self.script: list[Fault] = list(script)
        self.fault_rate = fault_rate
        self.fault_mix = list(fault_mix)
        self.latency = latency
        self.hang_s = hang_s
        self.lifetime_s = lifetime_s
        self.requests: list[RecordedRequest] = []
        self.served: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # -- lifecycle
    def start(self) -> FaultServer:
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.lifetime_s, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes hanging handlers
        if self._timer is not None:
            self._timer.cancel()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:  # noqa: PYI034 - Self needs Python 3.11
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting
    def enqueue(self, *faults: Fault) -> None:
        with self._lock:
            self.script.extend(faults)

    def next_fault(self) -> Fault:
        with self._lock:
            if self.script:
                return self.script.pop(0)
            if self.fault_rate and self._rng.random() < self.fault_rate:
                return self._rng.choice(self.fault_mix)
            return Fault.ok()

    @property
    def completions(self) -> list[RecordedRequest]:
        """Recorded chat completion requests, in arrival order."""
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)
            self.served[rec.fault] += 1

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if the server is stopping."""
        return self._stop.wait(seconds)

    # -- answers
    def completion_body(self, request: dict[str, Any], content: str | None, *, finish_reason: str = "stop",
                        refusal: str | None = None) -> dict[str, Any]:
        n = next(self._ids)
        prompt_chars = sum(len(str(m.get("content", ""))) for m in request.get("messages") or [])
        completion_tokens = len(content or refusal or "") // 4
        return {
            "id": f"chatcmpl-fault-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "fault-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_chars // 4,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_chars // 4 + completion_tokens,
            },
        }


def _lower(headers: Any) -> dict[str, str]:
    # Header names are case-insensitive; record them lower-cased so lookups are simple.
    return {k.lower(): v for k, v in headers.items()}


def _error_body(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-request-id", f"req_fault_{len(server.requests)}")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a hang test); nothing to do

        def _body(self) -> dict[str, Any] | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else None
            except json.JSONDecodeError:
                return None

        def do_GET(self) -> None:
            server._record(RecordedRequest("GET", self.path, _lower(self.headers), None))
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": "fault-model", "object": "model",
                                                               "created": 0, "owned_by": "tests"}]})
            else:
                self._send(404, _error_body(f"no route {self.path}", "invalid_request_error"))

        def do_POST(self) -> None:
            body = self._body()
            if not self.path.rstrip("/").endswith("/chat/completions"):
                server._record(RecordedRequest("POST", self.path, _lower(self.headers), body))
                self._send(404, _error_body(f"no route {self.path}", "invalid_request_error"))
                return
            if body is None:
                server._record(RecordedRequest("POST", self.path, _lower(self.headers), None))
                self._send(400, _error_body("request body is not JSON", "invalid_request_error"))
                return
            fault = server.next_fault()
            server._record(RecordedRequest("POST", self.path, _lower(self.headers), body, fault.kind))
            if server.latency and server.wait(server.latency):
                return
            self._answer(fault, body)

        def _answer(self, fault: Fault, body: dict[str, Any]) -> None:
            kind = fault.kind
            if kind == "rate_limit":
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                if fault.retry_after_ms is not None:
                    headers["retry-after-ms"] = str(fault.retry_after_ms)
                self._send(429, _error_body("Rate limit reached; slow down.", "rate_limit_exceeded",
                                            "rate_limit_exceeded"), headers)
            elif kind == "server_error":
                self._send(fault.status, _error_body("The server had an error.", "server_error"))
            elif kind == "unauthorized":
                self._send(401, _error_body("Incorrect API key provided.", "invalid_request_error",
                                            "invalid_api_key"))
            elif kind == "echo_auth":
                key = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                self._send(fault.status, _error_body(f"upstream failed for key {key}", "server_error"))
            elif kind == "drop":
                # Close without a byte of response: the client sees a dropped connection.
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            elif kind == "hang":
                if server.wait(fault.seconds if fault.seconds is not None else server.hang_s):
                    return
                self._send(200, server.completion_body(body, server.responder(body)))
            elif kind == "truncated":
                content = server.responder(body)
                self._send(200, server.completion_body(body, content[: max(1, len(content) // 2)]))
            elif kind == "bad_schema":
                self._send(200, server.completion_body(body, _BAD_SCHEMA))
            elif kind == "refusal":
                self._send(200, server.completion_body(body, None, refusal="I'm sorry, I can't help with that."))
            elif kind == "length":
                content = server.responder(body)
                self._send(200, server.completion_body(body, content[: max(1, len(content) // 3)],
                                                       finish_reason="length"))
            else:
                self._send(200, server.completion_body(body, server.responder(body)))

    return Handler

"""Fault injection: the real openai SDK over HTTP to a loopback server that misbehaves.

Each fault either recovers within the transport retry budget or raises one typed
error from summarizer.errors. Sleeps are injected, so Retry-After is asserted, not waited.
"""

from __future__ import annotations

import email.utils
import json
import logging

import pytest

from summarizer import errors
from summarizer.backends.base import ChatRequest
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.retry import parse_retry_after, retry_delay
from tests.fault_server import Fault, FaultServer, draft_responder

ARTICLES = (
    'Articles about one story:\n\n<article number="1" outlet="Outlet A">\nTitle: Bridge reopens\n'
    "The city reopened the bridge on Monday. Traffic resumed at noon.\n</article>\n\n"
    '<article number="2" outlet="Outlet B">\nTitle: Bridge open again\n'
    "Officials said repairs cost 3 million dollars. The work took a year.\n</article>"
)
REQUEST = ChatRequest(
    messages=({"role": "system", "content": "You write briefs."}, {"role": "user", "content": ARTICLES}),
    schema={"type": "object", "properties": {"title": {"type": "string"}}},
    purpose="synthesize",
)


def backend(srv: FaultServer, sleeps: list[float], **kw) -> OpenAIBackend:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("max_retries", 2)
    return OpenAIBackend("fault-model", api_key="test-key", base_url=srv.base_url, sleep=sleeps.append, **kw)


# --------------------------------------------------------------------------- retry policy tables

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, None),
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"RETRY-AFTER": "-4"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms wins, like openai-python
        ({"retry-after-ms": "soon", "retry-after": "2"}, 2.0),  # a bad ms value falls back to seconds
        ({"retry-after": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
        ({"retry-after": email.utils.formatdate(NOW - 30, usegmt=True)}, 0.0),
        ({"retry-after": "not a date"}, None),
        ({"x-other": "1"}, None),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(headers, now=NOW) == expected


@pytest.mark.parametrize(
    ("attempt", "retry_after", "low", "high"),
    [
        (1, 3.0, 3.0, 3.0),  # the server's delay is honoured exactly
        (5, 0.0, 0.0, 0.0),
        (1, 60.0, 60.0, 60.0),  # at the cap: still honoured
        (1, 61.0, 0.375, 0.5),  # beyond reason: ignored, backoff instead
        (1, None, 0.375, 0.5),  # base 0.5, jitter takes off at most 25%
        (2, None, 0.75, 1.0),
        (3, None, 1.5, 2.0),
        (10, None, 6.0, 8.0),  # capped at 8s
        (0, None, 0.375, 0.5),
    ],
)
def test_retry_delay(attempt, retry_after, low, high):
    for _ in range(20):  # jitter is random; every draw must stay in range
        assert low <= retry_delay(attempt, retry_after) <= high


# --------------------------------------------------------------------------- recovery within budget


@pytest.mark.parametrize(
    ("fault", "expected_sleep"),
    [
        (Fault.rate_limit(retry_after=3), 3.0),
        (Fault.rate_limit(retry_after_ms=1500), 1.5),
        (Fault.rate_limit(), None),  # 429 without a header: exponential backoff
        (Fault.server_error(500), None),
        (Fault.server_error(503), None),
        (Fault.drop(), None),
    ],
)
def test_recovers_after_one_fault(fault, expected_sleep):
    sleeps: list[float] = []
    with FaultServer(script=[fault]) as srv:
        completion = backend(srv, sleeps).complete(REQUEST)
        assert [r.fault for r in srv.completions] == [fault.kind, "ok"]
    assert json.loads(completion.text) == json.loads(draft_responder(srv.completions[-1].body))
    assert completion.retries == 1
    assert len(sleeps) == 1
    if expected_sleep is not None:
        assert sleeps == [expected_sleep]
    else:
        assert 0.375 <= sleeps[0] <= 0.5


def test_recovers_after_hang_with_short_timeout():
    sleeps: list[float] = []
    with FaultServer(script=[Fault.hang(3.0)]) as srv:
        completion = backend(srv, sleeps, timeout=0.3).complete(REQUEST)
        assert [r.fault for r in srv.completions] == ["hang", "ok"]
    assert completion.retries == 1 and completion.finish_reason == "stop"


def test_several_faults_in_a_row_within_budget():
    sleeps: list[float] = []
    script = [Fault.rate_limit(retry_after=1), Fault.server_error(), Fault.drop()]
    with FaultServer(script=script) as srv:
        completion = backend(srv, sleeps, max_retries=3).complete(REQUEST)
        assert len(srv.completions) == 4
    assert completion.retries == 3
    assert sleeps[0] == 1.0 and len(sleeps) == 3


async def test_async_recovers_and_honours_retry_after():
    sleeps: list[float] = []
    with FaultServer(script=[Fault.rate_limit(retry_after=2), Fault.drop()]) as srv:
        completion = await backend(srv, sleeps).acomplete(REQUEST)
        assert len(srv.completions) == 3
    assert completion.retries == 2
    assert sleeps[0] == 2.0


# --------------------------------------------------------------------------- typed errors after the budget


def test_rate_limit_outlasting_budget_raises_rate_limit_error():
    sleeps: list[float] = []
    with FaultServer(script=[Fault.rate_limit(retry_after=4)] * 3) as srv:
        with pytest.raises(errors.RateLimitError) as info:
            backend(srv, sleeps, max_retries=2).complete(REQUEST)
        assert len(srv.completions) == 3  # first try + 2 retries, no more
    assert sleeps == [4.0, 4.0]
    assert info.value.status_code == 429 and info.value.retryable
    assert info.value.request_id  # the server's x-request-id, for support tickets


def test_server_errors_outlasting_budget_raise_backend_error():
    with FaultServer(script=[Fault.server_error(502)] * 3) as srv:
        with pytest.raises(errors.BackendError) as info:
            backend(srv, [], max_retries=2).complete(REQUEST)
        assert len(srv.completions) == 3
    assert type(info.value) is errors.BackendError
    assert info.value.status_code == 502 and "HTTP 502" in str(info.value)


def test_hang_outlasting_budget_raises_timeout_error():
    # One answer may take (max_retries + 1) x timeout in all: 2 s here, room for the second try.
    with FaultServer(script=[Fault.hang(3.0)] * 2) as srv:
        with pytest.raises(errors.BackendTimeoutError, match="did not answer in time"):
            backend(srv, [], timeout=1.0, max_retries=1).complete(REQUEST)
        assert len(srv.completions) == 2


def test_dropped_connections_raise_connection_error():
    with FaultServer(script=[Fault.drop()] * 3) as srv:
        with pytest.raises(errors.BackendConnectionError, match="cannot reach the model server"):
            backend(srv, [], max_retries=2).complete(REQUEST)
        assert len(srv.completions) == 3


def test_unreachable_server_raises_connection_error():
    with FaultServer() as srv:
        url = srv.base_url
    sleeps: list[float] = []
    b = OpenAIBackend("m", api_key="k", base_url=url, timeout=1.0, max_retries=1, sleep=sleeps.append)
    with pytest.raises(errors.BackendConnectionError):
        b.complete(REQUEST)
    assert len(sleeps) == 1


def test_unauthorized_is_not_retried():
    sleeps: list[float] = []
    with FaultServer(script=[Fault.unauthorized(), Fault.ok()]) as srv:
        with pytest.raises(errors.AuthenticationError, match="OPENAI_API_KEY"):
            backend(srv, sleeps).complete(REQUEST)
        assert len(srv.completions) == 1
    assert sleeps == []


async def test_async_typed_error_after_budget():
    with FaultServer(script=[Fault.rate_limit(retry_after_ms=10)] * 2) as srv:
        with pytest.raises(errors.RateLimitError):
            await backend(srv, [], max_retries=1).acomplete(REQUEST)
        assert len(srv.completions) == 2


def test_retries_are_logged_without_the_key(caplog):
    caplog.set_level(logging.WARNING, logger="summarizer.backends")
    with FaultServer(script=[Fault.rate_limit(retry_after=1)]) as srv:
        backend(srv, []).complete(REQUEST)
    assert "retry 1/2 in 1.0s" in caplog.text
    assert "test-key" not in caplog.text


# --------------------------------------------------------------------------- content faults reach the caller intact
# These are 200s: the transport must not retry them; the pipeline decides (re-ask, or a typed error).


def test_truncated_json_is_returned_for_the_pipeline_to_reask():
    with FaultServer(script=[Fault.truncated()]) as srv:
        completion = backend(srv, []).complete(REQUEST)
        assert len(srv.completions) == 1
    with pytest.raises(json.JSONDecodeError):
        completion.json()


def test_schema_violating_json_is_returned_parsed():
    with FaultServer(script=[Fault.bad_schema()]) as srv:
        completion = backend(srv, []).complete(REQUEST)
    assert completion.json()["summary"] == "this should have been a list"


def test_refusal_is_surfaced():
    with FaultServer(script=[Fault.refusal()]) as srv:
        completion = backend(srv, []).complete(REQUEST)
    assert completion.text == "" and completion.refusal and "can't help" in completion.refusal


def test_length_finish_reason_is_surfaced():
    with FaultServer(script=[Fault.length()]) as srv:
        completion = backend(srv, []).complete(REQUEST)
    assert completion.finish_reason == "length"
    assert completion.usage.prompt_tokens > 0


def test_server_records_requests_and_random_faults_are_seeded():
    def kinds(seed: int) -> list[str]:
        srv = FaultServer(fault_rate=0.5, seed=seed)
        return [srv.next_fault().kind for _ in range(40)]

    assert kinds(3) == kinds(3)
    assert kinds(3) != kinds(4)
    assert 5 < sum(k != "ok" for k in kinds(3)) < 35
    with FaultServer() as srv:
        backend(srv, []).complete(REQUEST)
        rec = srv.completions[0]
    assert rec.body["model"] == "fault-model"
    assert rec.body["response_format"]["type"] == "json_schema"
    assert rec.headers.get("authorization") == "Bearer test-key"


def test_one_backend_serves_successive_event_loops():
    # A batch per asyncio.run() (the CLI twice in one process, a Ray actor per block) reuses one backend.
    import asyncio

    with FaultServer() as srv:
        b = backend(srv, [])
        for _ in range(3):
            assert asyncio.run(b.acomplete(REQUEST)).finish_reason == "stop"
        assert len(srv.completions) == 3

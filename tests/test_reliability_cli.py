"""The command line under hostile conditions: echoed keys, binary stdin, slow servers, bad --timeout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fault_server import Fault, FaultServer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "putin-nk-troops")
SECRET = "local-secret-key-4242"  # not "sk-..." shaped: pattern redaction alone would miss it


def cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "summarizer", *args], input=stdin, capture_output=True,
                          env=full_env, timeout=timeout, cwd=ROOT, check=False)


@pytest.mark.parametrize("key", [SECRET, "sk-proj-TESTONLY0123456789abcdef"])
def test_an_echoed_key_never_reaches_stderr_even_with_tracebacks(tmp_path, key):
    with FaultServer(script=[Fault.echo_auth(400)]) as srv:
        done = cli("summarize", EXAMPLE, "--base-url", srv.base_url, "--no-cache", "-vv",
                   env={"OPENAI_API_KEY": key, "SUMMARIZER_CACHE_DIR": str(tmp_path)})
        assert key in srv.completions[0].headers["authorization"]  # it was sent, and the server echoed it
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 5, err
    assert "Traceback" in err and "[redacted]" in err  # -vv shows the chain, redacted
    assert key not in err and key not in done.stdout.decode("utf-8", "replace")


def test_redacting_filter_covers_messages_arguments_and_chained_tracebacks():
    import logging

    from summarizer.redaction import RedactingFilter, add_secret

    add_secret("another-secret-9876")
    try:
        try:
            raise ValueError("upstream said another-secret-9876")
        except ValueError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as exc:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "key %s", ("another-secret-9876",),
                                   (type(exc), exc, exc.__traceback__))
    RedactingFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "another-secret-9876" not in text and "upstream said [redacted]" in text

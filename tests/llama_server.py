"""Run llama-cpp-python's OpenAI-compatible server for integration tests.

``with llama_server(path) as base_url:`` starts ``python -m llama_cpp.server`` on
a free loopback port, waits until ``GET /v1/models`` answers, yields the base URL
(``http://127.0.0.1:PORT/v1``) and stops the server afterwards. The server's
output goes to a log file whose tail is shown if it fails to start.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_available() -> bool:
    """True when llama-cpp-python's server extra (fastapi, uvicorn, ...) is installed."""
    try:
        import llama_cpp.server.app  # noqa: F401
    except ImportError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, chars: int = 2000) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return text[-chars:]


@contextlib.contextmanager
def llama_server(
    model_path: str | os.PathLike[str],
    port: int | None = None,
    *,
    n_ctx: int = 4096,
    timeout: float = 120.0,
) -> Iterator[str]:
    """Serve ``model_path`` on 127.0.0.1 and yield the ``/v1`` base URL."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(os.cpu_count() or 1),  # the server's default is half the cores
    ]
    with tempfile.TemporaryDirectory(prefix="llama-server-") as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(f"{base_url}/models"):
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"llama_cpp.server exited with code {proc.returncode}:\n{_tail(log_path)}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"llama_cpp.server did not answer within {timeout:.0f} s:\n{_tail(log_path)}"
                    )
                time.sleep(0.25)
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

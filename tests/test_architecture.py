"""The package's shape: no import cycles, no reaching into another module's privates, small modules.

Imports are read from the source (``ast``), every one of them: module level and inside functions (the
lazy ones), but not those under ``if TYPE_CHECKING:``, which never run. ``import a.b.c`` depends on
``a.b.c`` alone: that Python runs the parents' ``__init__`` first is not an edge, so a package's
``__init__`` may re-export its submodules while layers below import those submodules directly.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "summarizer"
MAX_MODULE_LINES = 400


@dataclass
class Module:
    name: str
    path: Path
    imports: set[str] = field(default_factory=set)
    private: list[str] = field(default_factory=list)  # "name (line N)" of another module's private names


def _name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def read_graph(package: Path = PACKAGE) -> dict[str, Module]:
    """Every module of ``package`` with the package modules it imports and the private names it borrows."""
    modules = {_name(p, package): Module(_name(p, package), p) for p in sorted(package.rglob("*.py"))}
    for mod in modules.values():
        tree = ast.parse(mod.path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        here = mod.name if mod.path.name == "__init__.py" else mod.name.rpartition(".")[0]
        aliases: dict[str, str] = {}  # local name -> package module it names
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in modules:
                        mod.imports.add(a.name)
                        aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target not in modules:
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in modules:
                        mod.imports.add(sub)
                        aliases[a.asname or a.name] = sub
                    else:
                        mod.imports.add(target)
                        if _private(a.name):
                            mod.private.append(f"{target}.{a.name} (line {node.lineno})")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _private(node.attr)):
                mod.private.append(f"{aliases[node.value.id]}.{node.attr} (line {node.lineno})")
        mod.imports.discard(mod.name)
    return modules


def cycles(graph: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start, module in graph.items():
        if start in index:
            continue
        work = [(start, iter(sorted(module.imports)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w].imports))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


GRAPH = read_graph()


def test_the_graph_reader_sees_lazy_imports_and_skips_type_checking_ones(tmp_path):
    pkg = tmp_path / "summarizer"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .sub import b\n    return b._hidden\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import f\nfrom .. import a\n")
    graph = read_graph(pkg)
    assert graph["summarizer.a"].imports == {"summarizer.sub.b"}
    assert graph["summarizer.sub.b"].imports == {"summarizer.a"}
    assert cycles(graph) == [["summarizer.a", "summarizer.sub.b"]]
    assert graph["summarizer.a"].private == ["summarizer.sub.b._hidden (line 3)"]
    (pkg / "sub" / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import f\n")
    assert cycles(read_graph(pkg)) == []


def test_no_import_cycles_lazy_imports_included():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_module_uses_another_modules_private_names(name):
    assert GRAPH[name].private == []


def test_no_module_is_over_400_lines():
    long = {m.name: n for m in GRAPH.values() if (n := len(m.path.read_text(encoding="utf-8").splitlines()))
            > MAX_MODULE_LINES}
    assert long == {}


def pipeline_names_used(path: Path, package: Path = PACKAGE) -> list[str]:
    """What a module takes from the pipeline package, each as ``module:name`` (``module`` alone for a
    whole module), every import included, those only for type checking too."""
    here = _name(path, package).rpartition(".")[0]
    used: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            used += [a.name for a in node.names if a.name.startswith("summarizer.pipeline")]
        elif isinstance(node, ast.ImportFrom):
            parts = here.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for a in node.names:
                full = f"{target}.{a.name}"
                where = package.parent.joinpath(*full.split("."))
                is_module = where.is_dir() or where.with_suffix(".py").is_file()
                if is_module and (full == "summarizer.pipeline" or full.startswith("summarizer.pipeline.")):
                    used.append(full)  # the package or a module of it, as a module object
                elif target == "summarizer.pipeline" or target.startswith("summarizer.pipeline."):
                    used.append(f"{target}:{a.name}")
    return used


def test_updates_use_only_the_pipelines_public_step_api():
    """An update builds on the pipeline's steps (:mod:`summarizer.pipeline.steps`, imported from the
    package) and :class:`~summarizer.pipeline.Pipeline`; never on the modules behind them."""
    from summarizer.pipeline import steps

    allowed = {f"summarizer.pipeline:{n}" for n in [*steps.__all__, "Pipeline"]}
    used = {f"{p.name}: {u}" for p in sorted((PACKAGE / "updates").glob("*.py")) for u in pipeline_names_used(p)}
    assert used and {u for u in used if u.split(": ", 1)[1] not in allowed} == set()


def test_the_pipeline_import_reader_resolves_relative_imports(tmp_path):
    pkg = tmp_path / "summarizer"
    (pkg / "updates").mkdir(parents=True)
    (pkg / "pipeline").mkdir()
    (pkg / "pipeline" / "calls.py").write_text("")
    module = pkg / "updates" / "x.py"
    module.write_text("from ..pipeline import finish\nfrom ..pipeline.assembly import fact_sentence\n"
                      "from .. import pipeline\nimport summarizer.pipeline.calls\nfrom ..schema import parts\n")
    assert pipeline_names_used(module, pkg) == [
        "summarizer.pipeline:finish", "summarizer.pipeline.assembly:fact_sentence", "summarizer.pipeline",
        "summarizer.pipeline.calls"]


# Data flows down: a package imports only the packages before it (and the top-level modules, which
# serve every layer and import no package). docs/architecture.md describes the same order.
LAYERS = ("text", "schema", "output", "ingest", "evidence", "truth", "backends", "pipeline", "updates",
          "batch", "stories", "cli")
# The upward imports there are, each for its reason.
UPWARD = {
    # Run on call, never at import: model_validate(..., context=...) runs the truth layer, and
    # StoryBrief.to_json() and its siblings render (tests above prove neither makes a cycle).
    ("summarizer.schema.brief", "summarizer.truth"),
    ("summarizer.schema.brief", "summarizer.output.render"),
    ("summarizer.__main__", "summarizer.cli.main"),  # `python -m summarizer` is the command line
    # The settings table offers the embedded models by name; their catalogue lives with their weights.
    ("summarizer.settings", "summarizer.backends.weights"),
}


def _layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return -1  # the package root and the top-level modules


def test_every_package_is_in_a_layer():
    packages = {m.split(".")[1] for m in GRAPH if m.count(".") >= 2}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_data_flows_down_through_the_layers():
    upward = {(m.name, t) for m in GRAPH.values() for t in m.imports if _layer(t) > _layer(m.name)}
    assert upward == UPWARD

"""The house rules of ARCHITECTURE.md, checked: every module on the map, no import circle.

The import graph is read from the source (``ast``), function-level imports
included, ``if TYPE_CHECKING:`` blocks excluded. The only edges allowed to
point up the layers are the thin convenience forwards listed in
ARCHITECTURE.md (``Plan.explain`` -> explain ...), and the modules they
forward to import the forwarding module back only as a type.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "staffopt"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"

#: (module, imported module) edges that are convenience forwards: a method of a
#: lower-layer object (Plan, Scenario) that calls a higher layer, imported
#: inside the method. Keep in step with ARCHITECTURE.md ("Forwards").
FORWARDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("staffopt.plan", "staffopt.report"),
        ("staffopt.plan", "staffopt.html_report"),
        ("staffopt.plan", "staffopt.explain"),
        ("staffopt.plan", "staffopt.whatif"),
        ("staffopt.plan", "staffopt.explain_all"),
        ("staffopt.schema.scenario", "staffopt.io"),
        ("staffopt.metrics", "staffopt.checker"),
    }
)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(target: str) -> str | None:
    """The staffopt module an import names (a name imported from a module maps to it)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def imports_of(name: str) -> list[tuple[str, bool]]:
    """(imported staffopt module, at module level?) for every run-time import of ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child, top)
            return
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" for a in node.names]
        else:
            targets = []
        for t in targets:
            if t.startswith("staffopt"):
                resolved = _resolve(t)
                if resolved is not None and resolved != name:
                    found.append((resolved, top))
        inner = top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    for node in tree.body:
        visit(node, True)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for m in MODULES:
        for target, _ in imports_of(m):
            # A module's package __init__ runs first; importing the package
            # from inside it is not an edge of the design.
            if not m.startswith(target + ".") and (m, target) not in FORWARDS:
                edges[m].add(target)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_forwards_are_lazy_and_the_targets_import_back_only_types() -> None:
    for source, target in FORWARDS:
        edges = imports_of(source)
        assert (target, False) in edges, f"{source} no longer forwards to {target}: update FORWARDS"
        assert (target, True) not in edges, f"{source} imports {target} at module level"
        back = [t for t, _ in imports_of(target) if t == source]
        assert back == [], f"{target} imports {source} at run time (use TYPE_CHECKING)"


def test_every_module_is_on_the_map() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = []
    for path in MODULES.values():
        rel = path.relative_to(PACKAGE).as_posix()
        label = rel.removesuffix("__init__.py") if path.name == "__init__.py" else rel
        if label and f"`{label}`" not in text:
            missing.append(label)
    assert missing == [], f"ARCHITECTURE.md has no line for {missing}"


INDEPENDENT = ("staffopt.checker", "staffopt.policies", "staffopt.metrics")


@pytest.mark.parametrize("module", INDEPENDENT)
def test_independent_modules_load_without_the_model_or_the_engines(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'ortools'"
        " or m.startswith(('staffopt.model', 'staffopt.solver')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"


def test_no_module_hides_a_function_the_package_exports() -> None:
    # `import staffopt.X` binds the submodule X on the package: a module named
    # like an exported function (staffopt.pareto, staffopt.replan ...) would then
    # replace the function for every later caller.
    import importlib
    import types

    import staffopt

    for name, module in staffopt._LAZY.items():
        importlib.import_module(module)
        assert not isinstance(getattr(staffopt, name), types.ModuleType), name
    for info in __import__("pkgutil").iter_modules(staffopt.__path__):
        assert info.name not in staffopt.__all__, info.name

"""No import cycle among designer.engine's modules, counting the imports inside functions.

A function-level import hides a cycle from Python (it runs once both modules are loaded) and
from import-linter (grimp sees it, but the layers contract only looks between packages), so the
module graph is read here from the source: every `import` wherever it is, except those under
`if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import designer.engine

ENGINE = Path(designer.engine.__file__).parent
PACKAGE = "designer.engine"

# Imports in modules another change owns (kinds/, fields.py, unique.py), waiting for it: each
# closes a cycle. Delete an entry once its import is gone; `test_pending_imports_are_still_there`
# says when.
PENDING: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for path in ENGINE.rglob("*.py"):
        parts = path.relative_to(ENGINE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((PACKAGE, *parts))] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Every import statement, at any depth, but not the branches that only type checkers run."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if node.level:
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module or ""
    # `from pkg import x`: the submodule pkg.x where there is one, else pkg itself
    return {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        targets = set().union(*(_targets(name, path, node, modules) for node in _imports(tree)))
        edges[name] = {t for t in targets if t in modules and t != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_engine_has_no_import_cycle():
    edges = {m: {t for t in targets if (m, t) not in PENDING} for m, targets in graph().items()}
    assert cycles(edges) == []


def test_pending_imports_are_still_there():
    edges = graph()
    gone = {(m, t) for m, t in PENDING if t not in edges.get(m, set())}
    assert not gone, f"remove from PENDING: {sorted(gone)}"


def test_the_walk_sees_imports_inside_functions_but_not_type_only_ones():
    tree = ast.parse(
        "def f():\n    if x:\n        from . import a\nif TYPE_CHECKING:\n    from . import b\nelse:\n    import c\n"
    )
    assert [alias.name for node in _imports(tree) for alias in node.names] == ["a", "c"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]

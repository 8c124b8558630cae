"""Imports run one way (docs/ARCHITECTURE.md, "Layout and layers"), and no two modules import each other.

An AST walk over every non-test module of the apps: each `import` and `from ... import`,
function-local ones included, is resolved to the module it names. A module may import only
its own app and the apps to its left in LAYERS; and the graph of module imports has no cycle
(a strongly connected group of two or more modules), whatever the apps.
"""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["integrations", "catalog", "pricing", "accounts", "recommendations", "alerts", "vinilogy"]
RANK = {app: n for n, app in enumerate(LAYERS)}
ROOT = Path(settings.BASE_DIR)


def is_test_or_migration(relative: Path) -> bool:
    return (
        bool({"tests", "migrations"} & set(relative.parts)) or relative.name.startswith("test_") or relative.name == "conftest.py"
    )


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every non-test module of the layered apps."""
    found = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if is_test_or_migration(relative):
                continue
            name = ".".join(relative.with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported_names(path: Path, module: str) -> set[str]:
    """Every dotted name the module imports (`from a import b` yields both `a` and `a.b`)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def resolve(name: str, known) -> str | None:
    """The known module a dotted name lands in (`catalog.models.Album` → `catalog.models`)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph():
    known = module_files()
    return {
        module: {resolve(name, known) for name in imported_names(path, module) if resolve(name, known)} - {module}
        for module, path in known.items()
    }, known


def upward_imports(graph) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        app = module.split(".")[0]
        wrong += [f"{module} imports {target}" for target in targets if RANK[target.split(".")[0]] > RANK[app]]
    return sorted(wrong)


def cycles(graph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iterative)."""
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter = counter + 1
        stack.append(root), on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter = counter + 1
                    stack.append(child), on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def test_no_module_imports_an_app_to_its_right():
    graph, _ = import_graph()
    assert upward_imports(graph) == []


def test_no_two_modules_import_each_other():
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_the_check_sees_function_local_imports_and_circles(tmp_path):
    """The walk itself: a function-local upward import and a two-module circle are found."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from recommendations.models import Feedback\n    from . import other\n")
    assert {"recommendations.models", "recommendations.models.Feedback", "catalog.other"} <= imported_names(source, "catalog.m")
    graph = {
        "catalog.a": {"recommendations.x"},
        "recommendations.x": {"recommendations.y"},
        "recommendations.y": {"recommendations.x"},
    }
    assert upward_imports(graph) == ["catalog.a imports recommendations.x"]
    assert cycles(graph) == [["recommendations.x", "recommendations.y"]]

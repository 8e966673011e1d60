"""The house rules of the tree, checked by walking every import with ``ast``.

- Nothing in ``bot/`` outside ``bot/features`` imports a feature (only the wiring:
  ``bot/bootstrap.py`` and ``bot/cli.py``).
- Shared modules and features never import an adapter or a platform library.
- A feature imports another feature only through its public functions (no ``_private``).
- There are no import cycles among rapport's modules, not even through type-only imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIRING = {"bot.bootstrap", "bot.cli"}
PLATFORM_LIBRARIES = ("slack_bolt", "slack_sdk", "discord")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / "bot").rglob("*.py"))} | {
        module_name(p): p
        for p in sorted((ROOT / "store").rglob("*.py"))
        if "migrations" not in p.parts
    }


def imports(path: Path, *, runtime_only: bool) -> list[tuple[str, list[str]]]:
    """(module, names) of every import; ``runtime_only`` skips ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
    return found


def resolve(target: str, names: list[str], known: dict[str, Path]) -> set[str]:
    """The rapport modules an import statement uses: the submodules it names, else the module."""
    modules = {f"{target}.{n}" for n in names if f"{target}.{n}" in known}
    if target in known and (not names or len(modules) < len(names)):
        modules.add(target)
    return modules


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["bot", "features"] else None


def test_nothing_outside_features_imports_a_feature() -> None:
    bad = []
    for name, path in modules().items():
        if feature_of(name) or name in WIRING or name == "bot.features":
            continue
        for target, _ in imports(path, runtime_only=False):
            if target.startswith("bot.features"):
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_the_core_and_features_never_import_an_adapter_or_platform_library() -> None:
    bad = []
    for name, path in modules().items():
        if name.startswith("bot.adapters") or name in WIRING:
            continue
        for target, _ in imports(path, runtime_only=False):
            if target.startswith("bot.adapters") or target.split(".")[0] in PLATFORM_LIBRARIES:
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_adapters_reach_features_only_through_the_core() -> None:
    bad = [
        f"{name} imports {target}"
        for name, path in modules().items()
        if name.startswith("bot.adapters")
        for target, _ in imports(path, runtime_only=False)
        if target.startswith("bot.features")
    ]
    assert bad == []


def test_a_feature_uses_another_only_through_public_names() -> None:
    bad = []
    for name, path in modules().items():
        mine = feature_of(name)
        if mine is None:
            continue
        for target, names in imports(path, runtime_only=False):
            theirs = feature_of(target)
            if theirs and theirs != mine and any(n.startswith("_") for n in names):
                bad.append(f"{name} imports private {names} of {target}")
    assert bad == []


def test_no_import_cycles() -> None:
    known = modules()
    graph = {
        name: set().union(
            *(resolve(t, n, known) for t, n in imports(path, runtime_only=False)), set()
        )
        - {name}
        for name, path in known.items()
    }
    cycles = _cycles(graph)
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found

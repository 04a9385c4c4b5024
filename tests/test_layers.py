"""The floor plan holds: each top folder imports only the folders below it (docs/architecture.md),
and no module imports itself back through others."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("forms", "rules", "workflows", "activities", "services", "delivery", "api", "waymark")
# Who may import whom. Workflows see only contracts and pure rules (the Temporal sandbox); nothing
# imports the HTTP layer; activities and services name workflows only to reach them as a client.
MAY_IMPORT = {
    "forms": set(),
    "rules": {"forms"},
    "workflows": {"forms", "rules"},
    "services": {"forms", "rules", "workflows", "waymark"},
    "delivery": {"forms", "rules", "services", "waymark"},
    "activities": {"forms", "rules", "services", "delivery", "workflows", "waymark"},
    "api": {"forms", "rules", "services", "delivery", "workflows", "waymark"},
    "waymark": {"forms", "rules"},
}
# Single modules a folder may import from a folder it otherwise may not: contracts write their
# refusals' dates in the one date style, which imports nothing of the domain.
MAY_IMPORT_MODULES = {"forms": {"rules.wording", "rules.uktime"}}
# The plumbing that wires the domain together: the Temporal worker and schedules, the cli, the
# local dev stack, the simulator, and the metrics that count the domain's open work.
WIRING = (
    "waymark/temporal/",
    "waymark/cli/",
    "waymark/devserver.py",
    "waymark/simulate/",
    "waymark/observability/metrics.py",
)


def modules() -> Iterator[tuple[str, Path]]:
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            yield name, path


def imports(path: Path, *, top_level_only: bool = False, known: set[str] | None = None) -> set[str]:
    """What the module imports; with `known`, `from pkg import sub` counts as `pkg.sub` alone."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            subs = {f"{node.module}.{alias.name}" for alias in node.names}
            if known is None or not subs <= known:
                found.add(node.module)
            found.update(subs)
    return found


def test_each_folder_imports_only_what_it_may() -> None:
    wrong = []
    for name, path in modules():
        folder = name.split(".")[0]
        rel = str(path.relative_to(ROOT))
        allowed = set(FOLDERS) if rel.startswith(WIRING) else MAY_IMPORT[folder] | {folder}
        for target in imports(path):
            root = target.split(".")[0]
            exact = MAY_IMPORT_MODULES.get(folder, set())
            if root in FOLDERS and root not in allowed and not target.startswith(tuple(exact)):
                wrong.append(f"{rel} imports {target}")
    assert wrong == []


def test_no_module_imports_itself_back() -> None:
    known = dict(modules())
    graph = {
        name: {
            t
            for t in imports(path, top_level_only=True, known=set(known))
            if t in known and t != name
        }
        for name, path in known.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []

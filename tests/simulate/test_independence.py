"""The simulator's own derivation of "dropped" stays independent of the system's: it never
imports the duty register, the one definition of dropped or the invariant built on them."""

from __future__ import annotations

import ast
from pathlib import Path

import waymark.simulate.own_duties as own_duties

REGISTER = ("services.dropped", "services.duties", "services.duty_", "services.invariant")


def _imports(path: Path) -> set[str]:
    """Every module and name the file imports (`module` and `module.name`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_the_independent_derivation_never_reads_the_register() -> None:
    imported = _imports(Path(own_duties.__file__))
    assert not [name for name in imported if name.startswith(REGISTER)]
    assert "waymark.db.models.Duty" not in imported

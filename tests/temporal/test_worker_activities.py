"""The worker's activity list is derived from the activity classes: every activity a workflow
calls by name is registered, and nothing is registered twice."""

from __future__ import annotations

import ast
from pathlib import Path
from unittest.mock import MagicMock

from waymark.settings import get_settings
from waymark.temporal.worker import activities, activity_name

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows"
CALLS = {"execute_activity", "start_activity", "execute_local_activity", "start_local_activity"}


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _forwarders(trees: list[ast.Module]) -> dict[str, int]:
    """Helpers that pass one of their parameters on as the activity's name: {helper: position}."""
    found: dict[str, int] = {}
    for tree in trees:
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = [a.arg for a in fn.args.args if a.arg != "self"]
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and _callee(call) in CALLS and call.args:
                    first = call.args[0]
                    if isinstance(first, ast.Name) and first.id in params:
                        found[fn.name] = params.index(first.id)
    return found


def _constants(trees: list[ast.Module]) -> dict[str, str]:
    """Module-level names bound to a string: `CHECK_WOMAN = "check_woman"`."""
    names: dict[str, str] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        names[target.id] = node.value.value
    return names


def names_workflows_call() -> set[str]:
    """Every activity name the workflows call, read from their source."""
    trees = [ast.parse(p.read_text()) for p in sorted(WORKFLOWS.rglob("*.py"))]
    # Names the workflows take from their contracts (`forms/`) count as theirs too.
    contracts = [ast.parse(p.read_text()) for p in sorted((ROOT / "forms").rglob("*.py"))]
    helpers, constants = _forwarders(trees), _constants(trees + contracts)
    called: set[str] = set()
    for tree in trees:
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _callee(call)
            position = 0 if name in CALLS else helpers.get(name or "")
            if position is None or len(call.args) <= position:
                continue
            arg = call.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                called.add(arg.value)
            elif isinstance(arg, ast.Name) and arg.id in constants:
                called.add(constants[arg.id])
    return called


def registered() -> list[str]:
    return [activity_name(fn) or "" for fn in activities(MagicMock(), get_settings())]


def test_every_activity_a_workflow_calls_is_registered() -> None:
    called = names_workflows_call()
    assert len(called) > 20, "the workflows' activity calls were not found"
    assert called - set(registered()) == set()


def test_no_activity_is_registered_twice() -> None:
    names = registered()
    assert len(names) == len(set(names))

"""Activities are referenced as functions: the workflows call the contracts in
`forms/activity_contracts.py`, never a name in a string; each contract has exactly one
implementation registered by the worker (derived from the activity classes), with the same
parameters and answer; and the workflows call only contracts that exist."""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

from forms import activity_contracts
from forms.activity_contracts import name_of
from waymark.settings import get_settings
from waymark.temporal.worker import activities, activity_name

ROOT = Path(__file__).resolve().parents[2]
CALLS = {"execute_activity", "start_activity", "execute_local_activity", "start_local_activity"}


def contracts() -> dict[str, Callable[..., Any]]:
    """Every contract, by the name its activity is registered under."""
    found = inspect.getmembers(activity_contracts, inspect.iscoroutinefunction)
    return {name_of(fn): fn for _, fn in found if activity_name(fn) is not None}


def implementations() -> list[Callable[..., Any]]:
    return activities(MagicMock(), get_settings())


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    """What it takes and answers, by position (a method's `self` is not one of them)."""
    hints = typing.get_type_hints(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "self"]
    taken = {f"arg{i}": hints.get(p) for i, p in enumerate(params)}
    return {"return": hints.get("return"), **taken}


def _activity_calls() -> list[tuple[str, ast.expr]]:
    """Every call of the SDK's activity functions in the workflows, with what it names."""
    found = []
    for path in sorted((ROOT / "workflows").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text())):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                if call.func.attr in CALLS and call.args:
                    found.append((path.name, call.args[0]))
    return found


def test_each_contract_has_one_implementation_with_its_signature() -> None:
    by_name = contracts()
    assert len(by_name) > 30, "the contracts were not found"
    names = [activity_name(fn) for fn in implementations()]
    assert sorted(n or "" for n in names) == sorted(by_name), "registered ≠ contracts"
    for fn in implementations():
        contract = by_name[activity_name(fn) or ""]
        assert _hints(fn) == _hints(contract), f"{fn.__qualname__} differs from its contract"


def test_workflows_name_no_activity_by_a_string() -> None:
    calls = _activity_calls()
    assert calls, "the workflows' activity calls were not found"
    by_string = [(f, ast.unparse(a)) for f, a in calls if isinstance(a, ast.Constant)]
    assert by_string == []


def test_a_method_with_another_signature_is_found() -> None:
    """The comparison itself: a method that takes something else than its contract differs."""

    class Wrong:
        async def plan_clocks(self, inp: str) -> list[str]:
            return [inp]

    assert _hints(Wrong().plan_clocks) != _hints(activity_contracts.plan_clocks)
    assert _hints(activity_contracts.plan_clocks) == _hints(activity_contracts.plan_clocks)

"""Each declared command is what some workflow really takes: an Update of the same name with the
declared contract as its argument and the declared answer as its result, a signal taking the
contract, or a workflow whose input is the contract (so the route and the page, which both send
from the declaration, cannot drift from the workflow). And no route or page reaches Temporal but
through `api/commands.py` with a declaration."""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow

from api import declared, declared_tracks
from api.declared import Declared
from waymark.temporal.worker import WORKFLOWS

DECLARED = {
    name: value
    for module in (declared, declared_tracks)
    for name, value in vars(module).items()
    if isinstance(value, Declared)
}
API = Path(declared.__file__).parent

# What a module may call on Temporal's client or a workflow's handle: only api/commands.py.
TEMPORAL_CALLS = frozenset(
    {
        "get_workflow_handle",
        "get_workflow_handle_for",
        "start_workflow",
        "execute_workflow",
        "execute_update",
        "start_update",
        "execute_update_with_start_workflow",
        "start_update_with_start_workflow",
        "signal",
        "signal_with_start_workflow",
        "query",
        "describe",
        "cancel",
        "terminate",
    }
)
# api/commands.py's ways to send a declared command, and where each takes the declaration.
SENDERS = {"issue": 3, "issue_with_start": 3, "start": 3, "reopen": 3, "tell": 1}
# The page helper that sends a declaration through `issue`.
PAGE_SENDERS = {"run_command": 3}
# What a route may import from api/commands.py: the senders, which take a declaration, and reads.
ALLOWED_IMPORTS = {"Pending", "query", "is_running", *SENDERS}


def _definitions() -> list[Any]:
    return [workflow._Definition.must_from_class(cls) for cls in WORKFLOWS]


def _shape(fn: Any) -> tuple[list[Any], Any]:
    hints = typing.get_type_hints(fn)
    answer = hints.pop("return", None)
    return list(hints.values()), type(None) if answer is None else answer


def _by_via(via: str) -> list[str]:
    return sorted(name for name, command in DECLARED.items() if command.via == via)


@pytest.mark.parametrize("name", _by_via("update"))
def test_a_declared_command_is_an_update_with_its_contract_and_answer(name: str) -> None:
    command = DECLARED[name]
    candidates = [d.updates[command.name].fn for d in _definitions() if command.name in d.updates]
    assert candidates, f"{name}: no workflow has the Update {command.name!r}"
    assert ([command.contract], command.answers) in [_shape(fn) for fn in candidates], name


@pytest.mark.parametrize("name", _by_via("signal"))
def test_a_declared_signal_is_one_a_workflow_takes_with_its_contract(name: str) -> None:
    command = DECLARED[name]
    candidates = [d.signals[command.name].fn for d in _definitions() if command.name in d.signals]
    assert candidates, f"{name}: no workflow has the signal {command.name!r}"
    assert ([command.contract], type(None)) in [_shape(fn) for fn in candidates], name
    assert command.answers is type(None), f"{name}: a signal answers nothing"


@pytest.mark.parametrize("name", _by_via("start"))
def test_a_declared_start_is_a_workflow_whose_input_is_its_contract(name: str) -> None:
    command = DECLARED[name]
    started = [d for d in _definitions() if d.name == command.name]
    assert started, f"{name}: no workflow is named {command.name!r}"
    assert _shape(started[0].run_fn)[0] == [command.contract], name


@pytest.mark.parametrize("name", _by_via("reopen"))
def test_a_declared_reopening_starts_her_pathway_with_it_and_is_confirmed(name: str) -> None:
    command = DECLARED[name]
    found = [d for d in _definitions() if command.name in d.updates]
    assert len(found) == 1, f"{name}: no one workflow has the Update {command.name!r}"
    assert _shape(found[0].updates[command.name].fn) == ([], command.answers), name
    (run_input,) = _shape(found[0].run_fn)[0]
    assert command.contract | None in typing.get_type_hints(run_input).values(), name


def test_every_page_field_a_refusal_is_shown_next_to_is_one_of_its_fields() -> None:
    for name, command in DECLARED.items():
        if command.focus:
            assert command.focus in command.fields, name


def _modules() -> list[tuple[str, ast.Module]]:
    paths = sorted(API.rglob("*.py"))
    return [(str(p.relative_to(API.parent)), ast.parse(p.read_text())) for p in paths]


def test_only_api_commands_reaches_temporal() -> None:
    """A route or page that called a workflow itself would skip its declaration (its contract,
    its record-policy action, its refusals turned into words): none does."""
    found = []
    for path, tree in _modules():
        if path == "api/commands.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in TEMPORAL_CALLS:
                    found.append(f"{path}:{node.lineno} {node.func.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "api.commands":
                found += [
                    f"{path}:{node.lineno} imports {alias.name}"
                    for alias in node.names
                    if alias.name not in ALLOWED_IMPORTS
                ]
    assert not found, "reach Temporal through api/commands.py with a declaration: " + str(found)


def _is_declaration(arg: ast.expr) -> bool:
    """A declaration by name (`SCREENING`, `declared.SCREENING`), one of two (`A if x else B`), a
    function's parameter holding one (`declared`), a step's (`step.command`) or a clock's
    command looked up by its word (`CLOCK_COMMANDS[...]`)."""
    if isinstance(arg, ast.IfExp):
        return _is_declaration(arg.body) and _is_declaration(arg.orelse)
    if isinstance(arg, ast.Subscript) and isinstance(arg.value, ast.Name):
        return arg.value.id == "CLOCK_COMMANDS"
    if isinstance(arg, ast.Attribute):
        return arg.attr in DECLARED or arg.attr == "command"
    return isinstance(arg, ast.Name) and (arg.id in DECLARED or arg.id == "declared")


def _senders(tree: ast.Module) -> dict[str, int]:
    """The senders this module calls by name (imported from api.commands or api.pages.actions),
    and `commands.<sender>` when it imports the module: where each takes its declaration."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "api.commands":
            found |= {a.asname or a.name: SENDERS[a.name] for a in node.names if a.name in SENDERS}
        if isinstance(node, ast.ImportFrom) and node.module == "api.pages.actions":
            found |= {a.name: PAGE_SENDERS[a.name] for a in node.names if a.name in PAGE_SENDERS}
        if isinstance(node, ast.ImportFrom) and node.module == "api":
            if any(a.name == "commands" for a in node.names):
                found |= {f"commands.{name}": at for name, at in SENDERS.items()}
    return found


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else ""


def test_every_command_sent_is_sent_with_its_declaration() -> None:
    """Each call of a sender names the declaration it sends (so a route cannot hand `issue` a
    made-up one), and every declaration is sent from somewhere."""
    wrong, used = [], set()
    for path, tree in _modules():
        senders = _senders(tree)
        for node in ast.walk(tree):
            if path in ("api/declared.py", "api/declared_tracks.py"):
                break  # a declaration made from another does not send it
            named = node.id if isinstance(node, ast.Name) else ""
            named = node.attr if isinstance(node, ast.Attribute) else named
            used |= {named} & set(DECLARED)
            if named == "CLOCK_COMMANDS":  # a clock's commands, looked up by their word
                clocks = declared_tracks.CLOCK_COMMANDS.values()
                used |= {n for n, c in DECLARED.items() if c in clocks}
            if not isinstance(node, ast.Call) or _callee(node) not in senders:
                continue
            at = senders[_callee(node)]
            if len(node.args) <= at or not _is_declaration(node.args[at]):
                wrong.append(f"{path}:{node.lineno} {_callee(node)}")
    assert not wrong, "send a command with its declaration: " + str(wrong)
    assert not set(DECLARED) - used, f"declared but never sent: {set(DECLARED) - used}"

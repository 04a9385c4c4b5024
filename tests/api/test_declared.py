"""Each declared command is an Update some workflow really has: the same name, the declared
contract as its argument and the declared answer as its result (so the route and the page, which
both send from the declaration, cannot drift from the workflow)."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from temporalio import workflow

from api import declared
from api.declared import Declared
from waymark.temporal.worker import WORKFLOWS

DECLARED = {name: value for name, value in vars(declared).items() if isinstance(value, Declared)}


def _updates() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for cls in WORKFLOWS:
        for name, update in workflow._Definition.must_from_class(cls).updates.items():
            found.setdefault(name or "", []).append(update.fn)
    return found


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_a_declared_command_is_an_update_with_its_contract_and_answer(name: str) -> None:
    command = DECLARED[name]
    candidates = _updates().get(command.update, [])
    assert candidates, f"{name}: no workflow has the Update {command.update!r}"
    shapes = []
    for fn in candidates:
        hints = typing.get_type_hints(fn)
        answer = hints.pop("return", None)
        shapes.append((list(hints.values()), type(None) if answer is None else answer))
    assert ([command.contract], command.answers) in shapes, (name, shapes)


def test_every_page_field_a_refusal_is_shown_next_to_is_one_of_its_fields() -> None:
    for name, command in DECLARED.items():
        if command.focus:
            assert command.focus in command.fields, name

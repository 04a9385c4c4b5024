"""What every command page shares: opening her record for a form (policy and audit), sending
the command through the API's path, and turning a refusal into a message on the form."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from temporalio.client import Client

from api.commands import Pending, issue
from api.declared import Declared
from api.pages.fields import Errors, pydantic_errors
from api.pages.render import render
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Woman
from waymark.errors import DomainError
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from waymark.settings import Settings
from workflows.pathway import workflow_id

M = TypeVar("M", bound=BaseModel)
Refused = Callable[[Errors, int], Awaitable[Response]]
# A command's form drawn again with these messages, at this status (422, 409...).
FormAgain = Callable[[Errors, int], Response]
# Refusals that are pages of their own (sign in, not allowed, not found), not form messages.
NOT_FORM_ERRORS = frozenset({401, 403, 404})


async def open_for_form(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, form_name: str
) -> Woman:
    """Her record for a command form (it shows her name): the policy, and the view audited."""
    action = f"open_{form_name}_form"
    woman = await visible_woman(session, principal, woman_id, action=action)
    audit.record(session, principal.actor(), action=action, record_type="woman", record_id=woman_id)
    return woman


def her_name(woman: Woman) -> str:
    return f"{woman.preferred_name or woman.given_name} {woman.family_name}"


def command_page(
    request: Request, template: str, title: str, woman: Woman, status: int = 200, **context: Any
) -> Response:
    """A command's form page: her name above the title, a way back to her record; in the
    words of her nation."""
    context.setdefault("nation", get_area(woman.area_code).nation.value)
    return render(
        request, template, status=status, title=title, woman=woman, name=her_name(woman), **context
    )


def given(**fields: Any) -> dict[str, Any]:
    """The fields that were filled in (a blank one is then 'missing' to the contract)."""
    return {key: value for key, value in fields.items() if value is not None}


def done(woman_id: uuid.UUID, what: str) -> Response:
    """Back to her page, which says what was done (the address carries only the kind)."""
    return RedirectResponse(f"/women/{woman_id}?done={what}", status_code=303)


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def validated(
    model: type[M], data: dict[str, Any], fields: Mapping[str, str]
) -> tuple[M | None, Errors]:
    """The contract built from the form, or the errors to show next to each field."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, pydantic_errors(exc, fields, strip=("actor",))


def pathway(woman_id: uuid.UUID) -> str:
    return workflow_id(woman_id)


async def carry_out(
    command: Awaitable[Any], woman_id: uuid.UUID, what: str, refused: Refused, field: str
) -> Response:
    """Run the command; done → her page; refused → the form again with the reason."""
    try:
        await command
    except Pending:
        return done(woman_id, "pending")
    except DomainError as exc:
        if exc.status_code in NOT_FORM_ERRORS:
            raise
        return await refused({field: sentence(exc.message)}, exc.status_code)
    return done(woman_id, what)


async def run_command(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    declared: Declared,
    *,
    woman_id: uuid.UUID,
    data: dict[str, Any],
    target: str,
    page: FormAgain,
    fields: Mapping[str, str] | None = None,
) -> Response:
    """A command page's POST: the form's data through the declared contract (else the form
    again, 422), then the declared Update to `target`, exactly as its JSON route sends it;
    done → her page, saying what was done; refused → the form, the reason next to the declared
    field. `fields` words the fields for her nation where the declaration's words do not."""
    command, errors = validated(declared.contract, data, fields or declared.fields)
    if command is None:
        return page(errors, 422)

    async def refused(errors: Errors, status: int) -> Response:
        return page(errors, status)

    sent = issue(temporal, settings, session, declared, target, command)
    return await carry_out(sent, woman_id, declared.done_as, refused, declared.focus)

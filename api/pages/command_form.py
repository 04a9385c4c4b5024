"""A command page on her record, described once: its declared command, its template and title,
how its form's fields become the contract's data and what else its page shows. `serve` gives
it both handlers: GET shows the form (her record opened under the policy, the view audited),
POST sends the declared command to her pathway exactly as its JSON route does; done → her page,
refused → the form again with the reason. Adding such a page is one declaration, one template,
one `CommandForm` and its tests.

(No `from __future__ import annotations` here: the handlers' annotations name the role given
to `serve`, so they must be evaluated where the handlers are made.)"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from api.declared import Declared
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, open_for_form, pathway, run_command
from api.pages.fields import Errors, Values, values_of
from api.pages.guard import CheckedForm
from waymark.db.models import Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal


async def nothing_more(session: AsyncSession, woman: Woman) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CommandForm:
    """`read` turns the form into the contract's data (the actor is added); `shows` what else
    the page shows of her (read once per request, before the command); `blank` the values a
    new form starts with; `form_name` names the form in the audit (`open_<name>_form`), by
    default what her page says was done."""

    command: Declared
    template: str
    title: str | Callable[[Woman], str]
    read: Callable[[FormData], dict[str, Any]]
    shows: Callable[[AsyncSession, Woman], Awaitable[dict[str, Any]]] = nothing_more
    blank: Callable[[], Values] = field(default=dict)
    form_name: str = ""

    def page(
        self,
        request: Request,
        woman: Woman,
        shown: dict[str, Any],
        values: Values,
        errors: Errors,
        status: int = 200,
    ) -> Response:
        title = self.title if isinstance(self.title, str) else self.title(woman)
        context = {**shown, "values": values, "errors": errors}
        return command_page(request, self.template, title, woman, status, **context)


def serve(
    router: APIRouter,
    path: str,
    role: Callable[..., Awaitable[Principal]],
    form_page: CommandForm,
    *,
    names: tuple[str, str],
    docs: tuple[str, str],
) -> None:
    """Add the page's GET and POST handlers at `path` (with `{woman_id}`), for people with
    `role` (a `page_role` check), named and described as `names` and `docs` say."""

    async def show(
        request: Request,
        woman_id: uuid.UUID,
        principal: Annotated[Principal, Depends(role)],
        session: Session,
    ) -> Response:
        name = form_page.form_name or form_page.command.done_as
        woman = await open_for_form(session, principal, woman_id, name)
        shown = await form_page.shows(session, woman)
        return form_page.page(request, woman, shown, form_page.blank(), {})

    async def send(
        request: Request,
        woman_id: uuid.UUID,
        principal: Annotated[Principal, Depends(role)],
        form: CheckedForm,
        session: Session,
        temporal: Temporal,
        settings: AppSettings,
    ) -> Response:
        declared = form_page.command
        woman = await visible_woman(session, principal, woman_id, action=declared.action)
        shown = await form_page.shows(session, woman)
        values = values_of(form)
        return await run_command(
            temporal,
            settings,
            session,
            declared,
            woman_id=woman_id,
            data={**form_page.read(form), "actor": principal.actor()},
            target=pathway(woman_id),
            page=lambda errors, status: form_page.page(
                request, woman, shown, values, errors, status
            ),
        )

    show.__doc__, send.__doc__ = docs
    router.add_api_route(path, show, methods=["GET"], name=names[0])
    router.add_api_route(path, send, methods=["POST"], name=names[1])

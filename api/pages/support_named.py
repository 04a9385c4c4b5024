"""Naming her worker later, as a page: her team's social workers (never her baby's social
worker) to choose from; sends the API's own Update to her episode after the same checks
(`services.named_worker`), and a refusal comes back on the form, changing nothing."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from api.commands import issue, query
from api.declared_tracks import NAME_WORKER
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import carry_out, command_page, given, open_for_form, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm
from api.pages.support import SupportUser, back_to_support, her_episode, open_support
from forms.support import NameWorker, SupportState
from services.named_worker import check_named_worker
from waymark.db.models import SupportEpisode, User, Woman

router = APIRouter(tags=["pages: her support"], include_in_schema=False)


async def _team(
    session: Session, temporal: Temporal, woman: Woman, episode: SupportEpisode
) -> list[tuple[str, str]]:
    """Her team's active social workers, except her baby's social workers (her co-ordinator,
    and whoever placed her baby, as her episode has it)."""
    state = await query(temporal, episode.workflow_id, "state", SupportState)
    not_hers = {woman.coordinator_user_id, state.baby_worker_id}
    people = await session.execute(
        select(User.id, User.display_name)
        .where(
            User.organisation_id == woman.team_id,
            User.role == "social_worker",
            User.active.is_(True),
        )
        .order_by(User.display_name)
    )
    return [(str(ident), name) for ident, name in people if ident not in not_hers]


def _page(
    request: Request,
    woman: Woman,
    episode: SupportEpisode,
    team: list[tuple[str, str]],
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return command_page(
        request,
        "support_named_worker.html.j2",
        "Name her worker",
        woman,
        status,
        team=team,
        ready=episode.status == "active",
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/support/named-worker")
async def named_worker_form(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    session: Session,
    temporal: Temporal,
) -> Response:
    """The form to name her worker, with her team's social workers to choose from."""
    woman = await open_for_form(session, principal, woman_id, "support_named_worker")
    episode = await her_episode(session, woman_id)
    team = await _team(session, temporal, woman, episode)
    return _page(request, woman, episode, team, {}, {})


@router.post("/women/{woman_id}/support/named-worker")
async def name_worker(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Her worker named: the duty to name one is met."""
    woman, episode = await open_support(session, principal, woman_id, NAME_WORKER.action)
    team, values = await _team(session, temporal, woman, episode), values_of(form)
    data = given(worker_id=text(form, "worker_id"))
    command, errors = validated(
        NameWorker, {**data, "actor": principal.actor()}, NAME_WORKER.fields
    )

    async def again(errors: Errors, status: int) -> Response:
        return _page(request, woman, episode, team, values, errors, status)

    if command is None:
        return await again(errors, 422)

    async def send() -> None:
        await check_named_worker(session, principal.actor(), woman, episode, command.worker_id)
        await issue(temporal, settings, session, NAME_WORKER, episode.workflow_id, command)

    response = await carry_out(send(), woman_id, NAME_WORKER.done_as, again, NAME_WORKER.focus)
    return back_to_support(response, woman_id)

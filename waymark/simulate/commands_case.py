"""Commands about her case as a whole: an advocate offered to her (refused while her case is
closed, as the API refuses it) and reopening her closed case (a command of its own)."""

from __future__ import annotations

from forms.advocacy import Trigger
from forms.pathway import ReopenCase
from services import advocacy_records as records
from services.closed_case import refuse_if_closed
from waymark.db.models import Woman
from waymark.db.session import transaction
from waymark.simulate import events as ev
from waymark.simulate.context import Context, Refused, WomanRun
from waymark.temporal.reopen import start_reopened_run
from workflows.pathway import WomanPathway


async def offer_advocate(ctx: Context, woman: WomanRun, e: ev.OfferAdvocate) -> str:
    """Her social worker records that she was offered an independent advocate."""
    if ctx.sessions is None:
        raise Refused("the simulation has no database to record the offer in")
    actor = ctx.actor(e.by, woman, e.role)
    async with transaction(ctx.sessions) as session:
        her = await session.get_one(Woman, woman.woman_id)
        await refuse_if_closed(session, her, "an advocate cannot be offered to her")
        await records.record_offer(
            session,
            her,
            trigger=Trigger.REFERRAL,
            key=f"sim:{woman.woman_id}:{ctx.now.isoformat()}",
            at=ctx.now,
            recorded_by=actor.user_id,
        )
    return "an independent advocate offered to her"


async def reopen(ctx: Context, woman: WomanRun, e: ev.ReopenCase) -> str:
    """Her social worker reopens her closed case, with the reason, on her record."""
    command = ReopenCase(reason=e.reason, actor=ctx.actor(e.by, woman, e.role))
    woman.handle = await start_reopened_run(ctx.client, ctx.task_queue, woman.handle, command)
    stage = await woman.handle.execute_update(WomanPathway.confirm_reopen)
    return f"case reopened: {e.reason} (stage {stage.value})"

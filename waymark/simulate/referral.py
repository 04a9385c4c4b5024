"""Her referral, as the referrer's agency would send it: it starts her pathway workflow, and
the simulator waits until it is on record, as the API does."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from forms.pathway import ConfirmIntake, PathwayInput, PathwayResult, PathwayState
from forms.referral import (
    Address,
    Channel,
    ChannelPreference,
    ContactPreferences,
    Pregnancy,
    ReferralForm,
    Referrer,
    Sharing,
    WomanDetails,
)
from waymark.areas import get_area
from waymark.simulate.context import Context, WomanRun, demo_user
from waymark.simulate.scenario import WomanSpec
from workflows.pathway import WomanPathway, workflow_id

# Ofcom's range for drama: never a real person's number.
FICTIONAL_MOBILE = "07700 900000"
POSTCODES = {"northmoor": "NM1 1AA", "glenbrae": "GB1 1AA"}


def referral_form(spec: WomanSpec, edd: date, today: date, referrer_name: str) -> ReferralForm:
    """The form: her pseudonym, a made-up address, and the scenario's concerns."""
    given, _, family = spec.name.rpartition(" ")
    contact = spec.contact or ContactPreferences(
        mobile=FICTIONAL_MOBILE, channels=[ChannelPreference(channel=Channel.SMS, safe=True)]
    )
    return ReferralForm(
        area=spec.area,
        woman=WomanDetails(
            given_name=given or family,
            family_name=family,
            date_of_birth=date(today.year - spec.age, 1, 1),
            address=Address(
                line1="1 Example Street",
                town=spec.area.title(),
                postcode=POSTCODES.get(spec.area, "AB1 1AA"),
            ),
            contact=contact,
        ),
        pregnancy=Pregnancy(edd=edd),
        referrer=Referrer(practitioner_name=referrer_name),
        concerns=spec.concerns,
        sharing=Sharing(consent=True),
    )


async def refer(ctx: Context, number: int, spec: WomanSpec, start: date) -> WomanRun:
    """Start her pathway with the referral (received now) and wait until it is recorded."""
    area = get_area(spec.area)
    referrer = spec.referred_by or demo_user(area.code, "midwife")
    actor = ctx.people.actors[referrer]
    edd = ctx.clock.vdate(spec.due_date(start))
    form = referral_form(
        spec, edd, ctx.clock.vdate(start), ctx.people.names.get(actor.user_id, "Referrer")
    )
    woman_id = uuid.uuid4()
    fingerprint = hashlib.sha256(form.model_dump_json().encode()).hexdigest()
    state = PathwayState(
        woman_id=woman_id,
        referral_id=uuid.uuid4(),
        area=area.code,
        nation=area.nation,
        edd=edd,
        intake_fingerprint=fingerprint,
    )
    inp = PathwayInput(state=state, referral=form, referral_actor=actor)
    wid = workflow_id(woman_id)
    await ctx.client.start_workflow(WomanPathway.run, inp, id=wid, task_queue=ctx.task_queue)
    handle = ctx.client.get_workflow_handle(wid, result_type=PathwayResult)
    await handle.execute_update(
        WomanPathway.confirm_intake, ConfirmIntake(intake_fingerprint=fingerprint)
    )
    return WomanRun(number=number, pseudonym=spec.name, woman_id=woman_id, area=area, handle=handle)

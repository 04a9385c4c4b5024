"""A stand-in for her pathway: starts her allocation exactly as the pathway should."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms.advocacy import AllocationInput
    from workflows.advocacy import request_advocate


@workflow.defn(name="AdvocacyTestParent")
class AdvocacyTestParent:
    @workflow.run
    async def run(self, inp: AllocationInput) -> None:
        await request_advocate(inp)

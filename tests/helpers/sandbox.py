"""One sandbox runner for every test worker, which checks each workflow once per session.

Temporal checks a workflow definition by importing it into a fresh sandbox when a worker is
built: a few hundred milliseconds per worker, and the tests build hundreds of workers with the
same definitions. The check still runs, once for each workflow, and every workflow run is still
sandboxed with the worker's restrictions, as in `waymark worker`."""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner
from temporalio.workflow import _Definition

from waymark.temporal.worker import RESTRICTIONS


@dataclass(frozen=True)
class CheckedOnceRunner(SandboxedWorkflowRunner):
    """The worker's sandbox, remembering which workflow definitions it has already checked."""

    checked: set[type] = field(default_factory=set)

    def prepare_workflow(self, defn: _Definition) -> None:
        if defn.cls in self.checked:
            return
        super().prepare_workflow(defn)
        self.checked.add(defn.cls)


RUNNER = CheckedOnceRunner(restrictions=RESTRICTIONS)

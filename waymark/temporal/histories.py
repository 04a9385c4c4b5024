"""Workflow histories as files: exported from a running Temporal (payloads still encrypted,
exactly as stored) and replayed against the current workflow code before a release.

One file per run, `<workflow id>__<run id>.json`, in the JSON form of the Temporal CLI and
`WorkflowHistory.to_json()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client, WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.worker import Replayer

from waymark.temporal.worker import WORKFLOWS

SEPARATOR = "__"


@dataclass(frozen=True)
class ReplayFailure:
    file: str
    error: str


async def export_histories(client: Client, workflow_ids: list[str], out: Path) -> list[Path]:
    """Every run of each workflow, written under `out`; payloads are not decoded."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for workflow_id in workflow_ids:
        async for run in client.list_workflows(f"WorkflowId = '{workflow_id}'"):
            handle = client.get_workflow_handle(workflow_id, run_id=run.run_id)
            history = await handle.fetch_history()
            path = out / f"{workflow_id}{SEPARATOR}{run.run_id}.json"
            path.write_text(history.to_json())
            written.append(path)
    return sorted(written)


def load_histories(folder: Path) -> list[tuple[Path, WorkflowHistory]]:
    """The exported histories in a folder, each with the workflow id its file name gives."""
    return [
        (path, WorkflowHistory.from_json(path.stem.split(SEPARATOR)[0], path.read_text()))
        for path in sorted(folder.glob("*.json"))
    ]


async def replay_histories(folder: Path, converter: DataConverter) -> list[ReplayFailure]:
    """Replay each history against the current workflow code; what failed, and why."""
    replayer = Replayer(workflows=WORKFLOWS, data_converter=converter)
    failures = []
    for path, history in load_histories(folder):
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            # The error's type and Temporal's words (TMPRL1100 ...); payloads stay encrypted.
            failures.append(ReplayFailure(path.name, type(result.replay_failure).__name__))
    return failures

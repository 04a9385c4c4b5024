"""The embedded default: each message written as one JSON file under the state folder.

Nothing leaves the machine, so `make run` works with no external account; the files hold
personal data, like the database beside them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from delivery.outgoing import Outgoing, SendResult
from forms.delivery import DeliveryStatus

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


class FileOutbox:
    """Writes a message once per reference; "delivered" at once, since the file is there."""

    name = "file"

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def path_for(self, reference: str) -> Path:
        return self._folder / f"{_SAFE.sub('_', reference)}.json"

    async def send(self, message: Outgoing) -> SendResult:
        try:
            await asyncio.to_thread(self._write, message)
        except OSError as exc:
            return SendResult(DeliveryStatus.TECHNICAL_FAILURE, error=f"outbox: {exc.strerror}")
        return SendResult(DeliveryStatus.DELIVERED, provider_ref=f"file-{message.reference}")

    def _write(self, message: Outgoing) -> None:
        path = self.path_for(message.reference)
        if path.exists():
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        record: dict[str, Any] = asdict(message)
        record["channel"] = message.channel.value
        record["invite"] = message.invite.decode() if message.invite else None
        record["pdf"] = None
        if message.pdf is not None:
            # A letter's PDF beside its record, as it would go to the printer.
            path.with_suffix(".pdf").write_bytes(message.pdf)
            record["pdf"] = path.with_suffix(".pdf").name
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(record, indent=2))
        os.replace(partial, path)  # atomic: a reader never sees half a message

    async def find(self, reference: str) -> SendResult | None:
        if self.path_for(reference).exists():
            return SendResult(DeliveryStatus.DELIVERED, provider_ref=f"file-{reference}")
        return None

    async def status(self, provider_ref: str) -> DeliveryStatus | None:
        return None

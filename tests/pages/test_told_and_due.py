"""Who was told what: sent and due next apart, a meeting's later reminders folded under its next
one, and each message still waiting saying why and until when."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api.pages.woman_data import DeliveryRow, NoticeRow, told_and_due

NOW = datetime(2027, 2, 2, 23, 0, tzinfo=UTC)


def row(hours: float, meeting: uuid.UUID | None, status: str = "pending") -> NoticeRow:
    return NoticeRow(
        id=uuid.uuid4(),
        recipient="Her",
        kind="reminder",
        summary="A reminder",
        send_at=NOW + timedelta(hours=hours),
        status=status,
        urgent=False,
        acknowledged_at=None,
        meeting_id=meeting,
    )


def test_sent_and_due_next_apart_with_a_meetings_later_reminders_folded() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    sent = row(-2, first, status="delivered")
    rows = [row(72, first), sent, row(24, first), row(48, second), row(96, first)]
    done, coming = told_and_due(rows, NOW)
    assert done == [sent]
    assert [(n.send_at, len(later)) for n, later in coming] == [
        (NOW + timedelta(hours=24), 2),
        (NOW + timedelta(hours=48), 0),
    ]


def test_a_waiting_message_says_why_and_until_when() -> None:
    morning = NOW + timedelta(hours=9)
    text = DeliveryRow("sms", "pending", None, None, waits_until=morning)
    assert (
        text.why_waiting(NOW) == "no texts in her quiet hours (at night), so it goes in the morning"
    )
    retry = DeliveryRow("email", "pending", None, None, waits_until=morning, attempts=2)
    assert "tried again" in (retry.why_waiting(NOW) or "")
    assert text.why_waiting(morning) is None  # due now: no longer waiting
    assert DeliveryRow("sms", "delivered", NOW, NOW).why_waiting(NOW) is None

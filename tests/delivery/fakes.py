"""Local stand-ins for the outside world: a server speaking the GOV.UK Notify endpoints the
official client uses (checking its JWT), and a real SMTP server that keeps what it receives."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from aiosmtpd.controller import Controller

from tests.helpers.ports import free_port


@dataclass
class FakeNotify:
    """What the fake Notify received, and how it should answer next."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    sent: list[dict[str, Any]] = field(default_factory=list)
    # (HTTP status, Notify error type) answers to give before accepting sends again.
    refusals: list[tuple[int, str]] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    url: str = ""

    @property
    def api_key(self) -> str:
        return f"waymark_test-{self.service_id}-{self.secret}"

    def authorised(self, header: str) -> bool:
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            return False
        return bool(claims.get("iss") == self.service_id and "iat" in claims)


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refuse_unless_signed(self) -> bool:
            if fake.authorised(self.headers.get("Authorization", "")):
                return False
            self._answer(403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]})
            return True

        def do_POST(self) -> None:
            if self._refuse_unless_signed():
                return
            kind = self.path.rsplit("/", 1)[-1]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if fake.refusals:
                status, error = fake.refusals.pop(0)
                self._answer(status, {"errors": [{"error": error, "message": "refused"}]})
                return
            notification_id = str(uuid.uuid4())
            fake.sent.append({"id": notification_id, "type": kind, **body})
            fake.statuses[notification_id] = "created"
            self._answer(201, {"id": notification_id, "reference": body.get("reference")})

        def do_GET(self) -> None:
            if self._refuse_unless_signed():
                return
            url = urlparse(self.path)
            if url.path == "/v2/notifications":
                reference = parse_qs(url.query).get("reference", [None])[0]
                found = [
                    {"id": s["id"], "status": fake.statuses[s["id"]], "reference": reference}
                    for s in fake.sent
                    if s.get("reference") == reference
                ]
                self._answer(200, {"notifications": found, "links": {}})
                return
            notification_id = url.path.rsplit("/", 1)[-1]
            if notification_id not in fake.statuses:
                self._answer(404, {"errors": [{"error": "NoResultFound", "message": "none"}]})
                return
            self._answer(200, {"id": notification_id, "status": fake.statuses[notification_id]})

    return Handler


class NotifyServer:
    """The fake Notify on 127.0.0.1 and a free port, in a thread (the client is synchronous)."""

    def __init__(self) -> None:
        self.fake = FakeNotify()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self.fake.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeNotify:
        self._thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Inbox:
    """An aiosmtpd handler that keeps each message, or refuses with a scripted reply."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []
        self.replies: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


def calendar_part(message: Message) -> Message:
    """The text/calendar part of an email."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    raise AssertionError("no calendar attached")

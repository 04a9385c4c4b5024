"""The codec endpoint: lets the Temporal UI and CLI show decrypted payloads to signed-in admins.

It can decrypt everything, so only the admin role may use it, every use is audited, and it
should only be reachable on loopback or the internal network.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from api.deps import Session, require_role
from forms.common import Role
from waymark import audit
from waymark.errors import Invalid
from waymark.security.principal import Principal
from waymark.settings import Settings

router = APIRouter(prefix="/codec", tags=["codec"])

Admin = Annotated[Principal, Depends(require_role(Role.ADMIN, action="use_the_codec"))]


@router.post("/encode")
async def encode(request: Request, principal: Admin, session: Session) -> JSONResponse:
    """Encrypt payloads (the UI uses this when it sends signals)."""
    payloads = await _payloads(request)
    encoded = await request.app.state.codec.encode(payloads.payloads)
    audit.record(
        session, principal.actor(), action="codec_encode", record_type="payloads", record_id=None
    )
    return JSONResponse(json_format.MessageToDict(Payloads(payloads=encoded)))


@router.post("/decode")
async def decode(request: Request, principal: Admin, session: Session) -> JSONResponse:
    """Decrypt payloads for display."""
    payloads = await _payloads(request)
    try:
        decoded = await request.app.state.codec.decode(payloads.payloads)
    except Exception as exc:
        raise Invalid("these payloads cannot be decrypted with the configured keys") from exc
    audit.record(
        session,
        principal.actor(),
        action="codec_decode",
        record_type="payloads",
        record_id=None,
        detail=_namespace(request),
    )
    return JSONResponse(json_format.MessageToDict(Payloads(payloads=decoded)))


def _namespace(request: Request) -> str | None:
    """The namespace the UI says it is showing, made safe for the audit row."""
    raw = request.headers.get("x-namespace")
    if raw is None:
        return None
    return "namespace " + "".join(c for c in raw if c.isalnum() or c in "-_.")[:64]


async def _payloads(request: Request) -> Payloads:
    try:
        return json_format.Parse(await request.body(), Payloads())
    except json_format.ParseError as exc:
        raise Invalid('the body must be JSON Payloads: {"payloads": [...]}') from exc


def allow_temporal_ui(app: FastAPI, settings: Settings) -> None:
    """CORS for the local Temporal UI origin only, so it may call the codec with credentials."""
    port = settings.temporal_ui_port
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[f"http://127.0.0.1:{port}", f"http://localhost:{port}"],
        allow_credentials=True,
        allow_methods=["POST"],
        allow_headers=["Authorization", "Content-Type", "X-Namespace"],
    )

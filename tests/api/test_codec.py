"""The codec endpoint: admins only, every use audited, callable from the local Temporal UI only."""

from __future__ import annotations

import base64
import copy
from typing import Any

import httpx
import pytest

from tests.api.conftest import SignIn
from tests.conftest import TEST_KEY_ID
from tests.helpers.api import Sessions, audit_of, user_id

CANARY = b'{"given_name": "Canary Woman", "nhs_number": "9434765919"}'
UI_ORIGIN = "http://127.0.0.1:8233"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def plain_payloads() -> dict[str, Any]:
    """Payloads in protobuf JSON form, as the Temporal UI sends them (bytes as base64)."""
    return {"payloads": [{"metadata": {"encoding": b64(b"json/plain")}, "data": b64(CANARY)}]}


async def test_encode_then_decode_gives_back_the_payload_and_both_are_audited(
    sign_in: SignIn, sessions: Sessions
) -> None:
    admin = await sign_in("ada.admin")
    encoded = await admin.post("/codec/encode", json=plain_payloads())
    assert encoded.status_code == 200, encoded.text
    [sealed] = encoded.json()["payloads"]
    assert sealed["metadata"]["encoding"] == b64(b"binary/encrypted")
    assert sealed["metadata"]["encryption-key-id"] == b64(TEST_KEY_ID.encode())
    ciphertext = base64.b64decode(sealed["data"])
    assert b"Canary" not in ciphertext
    assert b"9434765919" not in ciphertext

    decoded = await admin.post(
        "/codec/decode", json=encoded.json(), headers={"X-Namespace": "default"}
    )
    assert decoded.status_code == 200, decoded.text
    assert decoded.json() == plain_payloads()

    ada = await user_id(sessions, "ada.admin")
    [encode_row] = await audit_of(sessions, encoded)
    assert (encode_row.action, encode_row.outcome) == ("codec_encode", "allowed")
    assert encode_row.actor_user_id == ada
    [decode_row] = await audit_of(sessions, decoded)
    assert (decode_row.action, decode_row.outcome) == ("codec_decode", "allowed")
    assert (decode_row.actor_user_id, decode_row.detail) == (ada, "namespace default")


async def test_a_tampered_payload_is_refused_not_decrypted(sign_in: SignIn) -> None:
    admin = await sign_in("ada.admin")
    encoded = (await admin.post("/codec/encode", json=plain_payloads())).json()
    tampered = copy.deepcopy(encoded)
    data = bytearray(base64.b64decode(tampered["payloads"][0]["data"]))
    data[-1] ^= 0x01
    tampered["payloads"][0]["data"] = b64(bytes(data))
    response = await admin.post("/codec/decode", json=tampered)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "these payloads cannot be decrypted with the configured keys"
    }


@pytest.mark.parametrize("path", ["/codec/encode", "/codec/decode"])
async def test_only_an_admin_may_use_the_codec_and_a_refusal_is_audited(
    sign_in: SignIn, sessions: Sessions, path: str
) -> None:
    social_worker = await sign_in("sam.social")
    response = await social_worker.post(path, json=plain_payloads())
    assert response.status_code == 403
    assert "social_worker" in response.json()["detail"]
    assert "Canary" not in response.text
    [row] = await audit_of(sessions, response)
    assert (row.action, row.outcome) == ("use_the_codec", "denied")
    assert row.actor_user_id == await user_id(sessions, "sam.social")


@pytest.mark.parametrize("path", ["/codec/encode", "/codec/decode"])
async def test_the_codec_needs_a_token(
    app_client: httpx.AsyncClient, sessions: Sessions, path: str
) -> None:
    response = await app_client.post(path, json=plain_payloads())
    assert response.status_code == 401
    assert "Canary" not in response.text
    assert await audit_of(sessions, response) == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not json at all", id="not-json"),
        pytest.param(b'{"payloads": "nope"}', id="payloads-not-a-list"),
        pytest.param(b'{"something": []}', id="unknown-field"),
        pytest.param(b'{"payloads": [{"data": "%%% not base64"}]}', id="data-not-base64"),
    ],
)
@pytest.mark.parametrize("path", ["/codec/encode", "/codec/decode"])
async def test_a_malformed_body_is_a_422(sign_in: SignIn, path: str, body: bytes) -> None:
    admin = await sign_in("ada.admin")
    response = await admin.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert "payloads" in response.json()["detail"]


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-namespace",
    }


async def test_the_local_temporal_ui_may_call_the_codec_across_origins(
    app_client: httpx.AsyncClient,
) -> None:
    response = await app_client.options("/codec/decode", headers=preflight(UI_ORIGIN))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "content-type", "x-namespace"} <= allowed


async def test_another_origin_may_not_call_the_codec(sign_in: SignIn) -> None:
    evil = "http://evil.example"
    admin = await sign_in("ada.admin")
    refused = await admin.options("/codec/decode", headers=preflight(evil))
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    # Even a request sent anyway (with stolen credentials) gets no CORS grant to read it.
    sent = await admin.post("/codec/encode", json=plain_payloads(), headers={"Origin": evil})
    assert "access-control-allow-origin" not in sent.headers


async def test_an_overlong_namespace_header_is_not_a_server_error(
    request: pytest.FixtureRequest,
    app_client: httpx.AsyncClient,
    sign_in: SignIn,
    sessions: Sessions,
    database_url: str,
) -> None:
    admin = await sign_in("ada.admin")
    encoded = (await admin.post("/codec/encode", json=plain_payloads())).json()
    # The same running app, seen as a real client would see it: a 500 is a response.
    app = app_client._transport.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/codec/decode", json=encoded, headers={**admin.headers, "X-Namespace": "n" * 300}
        )
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        assert [r.action for r in await audit_of(sessions, response)] == ["codec_decode"]

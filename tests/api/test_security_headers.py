"""Every response carries the safe headers and a request id, whatever its status."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from api.middleware import RequestContext
from tests.api.conftest import SignIn
from tests.helpers.api import serve, unreachable_sqlite_url
from waymark.db.session import make_engine, make_sessionmaker
from waymark.settings import Settings


def assert_safe_headers(response: httpx.Response) -> str:
    """Check the headers; return the request id."""
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = [part.strip() for part in response.headers["content-security-policy"].split(";")]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "same-origin"
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    int(request_id, 16)
    return request_id


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        pytest.param("GET", "/health", {}, 200, id="health"),
        pytest.param("GET", "/no/such/page", {}, 404, id="unknown-route"),
        pytest.param("GET", "/api/v1/women", {}, 401, id="not-signed-in"),
        pytest.param("POST", "/api/v1/auth/token", {"data": {}}, 422, id="invalid-form"),
        pytest.param("DELETE", "/health", {}, 405, id="wrong-method"),
        pytest.param(
            "POST", "/api/v1/auth/token", {"content": b"x" * 300_000}, 413, id="body-too-large"
        ),
    ],
)
async def test_every_response_has_the_safe_headers(
    app_client: httpx.AsyncClient, method: str, path: str, kwargs: dict, status: int
) -> None:
    response = await app_client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert_safe_headers(response)


async def test_refusals_of_a_signed_in_person_have_the_safe_headers(sign_in: SignIn) -> None:
    advocate = await sign_in("ava.advocate")
    hidden = await advocate.get(f"/api/v1/women/{uuid.uuid4()}")
    assert hidden.status_code == 404
    assert_safe_headers(hidden)
    forbidden = await advocate.post("/codec/encode", json={"payloads": []})
    assert forbidden.status_code == 403
    assert_safe_headers(forbidden)


async def test_each_request_gets_its_own_id(app_client: httpx.AsyncClient) -> None:
    ids = {assert_safe_headers(await app_client.get("/health")) for _ in range(3)}
    assert len(ids) == 3


async def test_a_cors_preflight_has_the_safe_headers(app_client: httpx.AsyncClient) -> None:
    # The preflight is answered by the CORS middleware, inside ours, before any route.
    response = await app_client.options(
        "/codec/decode",
        headers={"Origin": "http://127.0.0.1:8233", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert_safe_headers(response)


async def test_an_unreachable_database_is_a_503_with_the_safe_headers(
    settings: Settings, tmp_path: Path, temporal_env: WorkflowEnvironment
) -> None:
    engine = make_engine(unreachable_sqlite_url(tmp_path))
    app = create_app(settings, sessions=make_sessionmaker(engine), temporal=temporal_env.client)
    try:
        async with serve(app, raise_app_exceptions=False) as client:
            response = await client.get("/api/v1/women", headers={"Authorization": "Bearer x"})
    finally:
        await engine.dispose()
    assert response.status_code == 503
    assert "Traceback" not in response.text
    assert_safe_headers(response)


async def test_an_unexpected_error_is_a_500_with_the_safe_headers() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("a bug")

    transport = httpx.ASGITransport(app=RequestContext(broken), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/anything")
    assert response.status_code == 500
    assert "a bug" not in response.text
    request_id = assert_safe_headers(response)
    assert request_id in response.json()["detail"]

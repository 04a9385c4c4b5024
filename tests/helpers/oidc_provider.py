"""A real OpenID provider on a local port, for tests: discovery, /authorize (which signs the
person in at once and sends them back with a code and the state), /token (checking the code,
the client's credentials, the redirect address and the PKCE verifier, then returning an RS256
ID token) and /jwks. Served by uvicorn in a background thread.

Its knobs make it misbehave the ways a provider, or someone in the middle, might."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "waymark-test-client"
CLIENT_SECRET = "test-client-secret-not-for-real-use"
KEY_ID = "provider-key-1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class Grant:
    """A code handed out by /authorize, and what /token must see with it."""

    redirect_uri: str
    challenge: str
    nonce: str
    used: bool = False


@dataclass
class FakeProvider:
    redirect_uri: str
    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KEY_ID}))
    # The knobs, put back by reset() before each test.
    username: str = "sam.social"
    error: str | None = None  # /authorize sends the person back with this error
    claims: dict[str, Any] = field(default_factory=dict)  # overrides in the ID token
    tamper: str | None = None  # "payload" (altered after signing) or "stranger" (another key)
    codes_reusable: bool = False  # a careless provider that accepts a code twice
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: int = 0
    refusals: list[str] = field(default_factory=list)  # why /token said no

    def reset(self) -> None:
        self.username, self.error, self.claims, self.tamper = "sam.social", None, {}, None
        self.codes_reusable, self.token_requests = False, 0
        self.grants.clear()
        self.refusals.clear()

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def authorize(self, request: Request) -> Response:
        query = request.query_params
        problems = [
            name
            for name, ok in (
                ("client_id", query.get("client_id") == CLIENT_ID),
                ("response_type", query.get("response_type") == "code"),
                ("redirect_uri", query.get("redirect_uri") == self.redirect_uri),
                ("scope", "openid" in query.get("scope", "").split()),
                ("state", bool(query.get("state"))),
                ("nonce", bool(query.get("nonce"))),
                ("code_challenge", len(query.get("code_challenge", "")) == 43),
                ("code_challenge_method", query.get("code_challenge_method") == "S256"),
            )
            if not ok
        ]
        if problems:
            return PlainTextResponse("bad authorization request: " + ", ".join(problems), 400)
        back: dict[str, str] = {"state": query["state"]}
        if self.error:
            back["error"] = self.error
        else:
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(self.redirect_uri, query["code_challenge"], query["nonce"])
            back["code"] = code
        return RedirectResponse(f"{self.redirect_uri}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        self.token_requests += 1
        form = await request.form()
        client_id, secret = self._client_credentials(request, dict(form))
        grant = self.grants.get(str(form.get("code")))
        verifier = str(form.get("code_verifier", ""))
        checks = (
            ("invalid_client", client_id == CLIENT_ID and secret == CLIENT_SECRET),
            ("unsupported_grant_type", form.get("grant_type") == "authorization_code"),
            ("invalid_grant", grant is not None and (self.codes_reusable or not grant.used)),
            ("invalid_grant", grant is not None and form.get("redirect_uri") == grant.redirect_uri),
            ("invalid_grant", grant is not None and b64url(_sha256(verifier)) == grant.challenge),
        )
        for error, ok in checks:
            if not ok:
                self.refusals.append(error)
                return JSONResponse({"error": error}, status_code=400)
        assert grant is not None
        grant.used = True
        access_token = secrets.token_urlsafe(24)
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.id_token(grant.nonce),
            },
            headers={"Cache-Control": "no-store"},
        )

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "pairwise-" + hashlib.sha256(self.username.encode()).hexdigest()[:16],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "preferred_username": self.username,
            **self.claims,
        }
        header = {"alg": "RS256", "kid": KEY_ID}
        if self.tamper == "stranger":  # the right key id, someone else's key
            return jwt.encode(header, claims, RSAKey.generate_key(2048, {"kid": KEY_ID}))
        signed = jwt.encode(header, claims, self.key)
        if self.tamper == "payload":  # altered after signing: another, more powerful, person
            head, _, signature = signed.split(".")
            payload = b64url(json.dumps({**claims, "preferred_username": "ada.admin"}).encode())
            return f"{head}.{payload}.{signature}"
        return signed

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    @staticmethod
    def _client_credentials(request: Request, form: dict[str, Any]) -> tuple[str, str]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            # RFC 6749 section 2.3.1: both parts are form-encoded before joining.
            return unquote_plus(user), unquote_plus(password)
        return str(form.get("client_id", "")), str(form.get("client_secret", ""))

    def app(self) -> Starlette:
        async def discovery(_: Request) -> Response:
            return JSONResponse(self.metadata())

        async def authorize(request: Request) -> Response:
            return self.authorize(request)

        async def jwks(_: Request) -> Response:
            return JSONResponse(self.jwks())

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/authorize", authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", jwks),
            ]
        )


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


@contextmanager
def running_provider(redirect_uri: str) -> Iterator[FakeProvider]:
    """A FakeProvider listening on a free local port until the block ends."""
    provider = FakeProvider(redirect_uri=redirect_uri)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    provider.issuer = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(provider.app(), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test OpenID provider did not start")
        time.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

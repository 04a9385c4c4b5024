"""Signing in through an OpenID Connect provider (authorization code with PKCE), via authlib:
the provider's published settings, the address to send a person to, the code exchange and the
ID token's checks. Nothing here signs anyone in: it says whom the provider vouches for, or
raises `OidcRefused` saying why not."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any, cast

import authlib.deprecate  # noqa: F401  (installs its warning filter before ours, below)
import httpx
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import AuditEvent, User
from waymark.settings import Settings

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 package and warns when it falls back to httpx, which is the
    # client this project uses everywhere; the fallback works as before.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

CALLBACK_PATH = "/sign-in/oidc/callback"
FLOW_SECONDS = 10 * 60
# The audit record of each return from the provider; its record_id is the flow's digest, which
# is also what makes a flow good for one return only (see `flow_used`).
FLOW_RECORD = "oidc_flow"
# Signatures by keys the provider publishes only: never "none", never HS256 keyed by our secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60  # the clock difference allowed between us and the provider
TIMEOUT = httpx.Timeout(10.0)

UNAVAILABLE = (
    "the sign-in service cannot be reached just now: try again, or sign in with your Waymark "
    "username and password"
)
NOT_ACCEPTED = "the sign-in service did not accept this sign-in, so you have not been signed in"
NOT_VERIFIED = "the sign-in service's answer could not be checked, so you have not been signed in"


class OidcRefused(Exception):
    """Signing in through the provider did not succeed, and nobody was signed in.

    `message` is what the person is told; `detail` (never personal data) is for the audit trail.
    """

    def __init__(self, status: int, message: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.message, self.detail = status, message, detail


@dataclass(frozen=True)
class Flow:
    """One sign-in on its way through the provider, carried in a signed cookie from leaving for
    the provider to coming back: good for one return, within FLOW_SECONDS."""

    state: str
    nonce: str
    verifier: str  # the PKCE code verifier: the provider sees only its SHA-256 until the exchange
    next: str
    expires: int

    @classmethod
    def begin(cls, next_page: str) -> Flow:
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(64),
            next=next_page,
            expires=int(time.time()) + FLOW_SECONDS,
        )

    @property
    def digest(self) -> str:
        """What the audit trail records of this sign-in (never the state itself)."""
        return hashlib.sha256(self.state.encode()).hexdigest()

    def expired(self) -> bool:
        return time.time() >= self.expires


def seal(flow: Flow, key: bytes) -> str:
    """The flow as a cookie value, signed so that it cannot be altered or made up."""
    payload = base64.urlsafe_b64encode(json.dumps(asdict(flow)).encode()).decode().rstrip("=")
    return f"{payload}.{_mac(key, payload)}"


def unseal(value: str | None, key: bytes) -> Flow | None:
    """The flow in a cookie value; None when there is none or it was not signed by us."""
    if not value or len(value) > 2000 or value.count(".") != 1:
        return None
    payload, mac = value.split(".")
    if not hmac.compare_digest(_mac(key, payload), mac):
        return None
    try:
        return Flow(**json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))
    except (ValueError, TypeError):
        return None


def _mac(key: bytes, payload: str) -> str:
    # A label of its own, so nothing else signed with the secret key can pass for a flow.
    return hmac.new(key, b"waymark-oidc-flow:" + payload.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Provider:
    """What the provider publishes at <issuer>/.well-known/openid-configuration."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    auth_method: str


def enabled(settings: Settings) -> bool:
    """Sign-in through a provider is on only when its issuer, client id and secret are all set."""
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


def redirect_uri(settings: Settings) -> str:
    # From the configured public address, never from the request's Host header.
    return settings.public_url.rstrip("/") + CALLBACK_PATH


async def authorization_url(settings: Settings, flow: Flow) -> str:
    """Where to send the person: the provider's sign-in, with state, nonce and PKCE challenge."""
    async with _client(settings) as client:
        provider = await _discover(client, settings)
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint,
            state=flow.state,
            code_verifier=flow.verifier,
            nonce=flow.nonce,
        )
    return str(url)


async def vouched_username(settings: Settings, flow: Flow, code: str) -> str:
    """Exchange the code (proving the PKCE verifier), check the ID token, and return the
    username the provider vouches for (the configured claim)."""
    async with _client(settings) as client:
        provider = await _discover(client, settings)
        token = await _exchange(client, provider, flow, code)
        jwks = await _get_json(client, provider.jwks_uri)
    assert settings.oidc_client_id is not None
    claims = check_id_token(
        token["id_token"],
        jwks=jwks,
        provider=provider,
        client_id=settings.oidc_client_id,
        nonce=flow.nonce,
        access_token=token.get("access_token"),
    )
    username = claims.get(settings.oidc_username_claim)
    if not isinstance(username, str) or not username.strip():
        raise OidcRefused(403, NOT_VERIFIED, "the id token has no username claim")
    return username.strip()


def check_id_token(
    id_token: str,
    *,
    jwks: dict[str, Any],
    provider: Provider,
    client_id: str,
    nonce: str,
    access_token: str | None,
) -> dict[str, Any]:
    """The ID token's claims, once its signature (by a key the provider publishes), issuer,
    audience, expiry and nonce are all right; else OidcRefused."""
    try:
        keys = KeySet.import_key_set(cast(KeySetSerialization, jwks))
        decoded = jwt.decode(id_token, keys, algorithms=provider.algorithms)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": provider.issuer},
                "aud": {"essential": True, "value": client_id},
                "exp": {"essential": True},
            },
            # CodeIDToken requires the nonce claim, equal to this, as it is never empty.
            {"nonce": nonce, "client_id": client_id, "access_token": access_token},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as exc:
        detail = f"id token refused: {exc.error} ({exc.description})"[:200]
        raise OidcRefused(403, NOT_VERIFIED, detail) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise OidcRefused(403, NOT_VERIFIED, "id token or keys malformed") from exc
    return dict(claims)


async def account_for(session: AsyncSession, username: str) -> User | None:
    """The one account with this username, in any case (Entra ID's UPNs vary in case); None if
    there is none, or more than one."""
    query = select(User).where(func.lower(User.username) == username.lower()).limit(2)
    found = list(await session.scalars(query))
    return found[0] if len(found) == 1 else None


async def flow_used(session: AsyncSession, flow: Flow) -> bool:
    """Whether this sign-in already came back once: every return is on the audit trail, which
    every web process shares and nobody can delete from."""
    query = select(AuditEvent.seq).where(
        AuditEvent.record_type == FLOW_RECORD, AuditEvent.record_id == flow.digest
    )
    return await session.scalar(query.limit(1)) is not None


def _client(settings: Settings) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri(settings),
        code_challenge_method="S256",
        timeout=TIMEOUT,
    )


async def _get_json(client: AsyncOAuth2Client, url: str) -> dict[str, Any]:
    try:
        response = await client.request("GET", url, withhold_token=True)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcRefused(503, UNAVAILABLE, f"provider unreachable ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise OidcRefused(503, UNAVAILABLE, "provider sent something other than a JSON object")
    return data


async def _discover(client: AsyncOAuth2Client, settings: Settings) -> Provider:
    assert settings.oidc_issuer is not None
    issuer = settings.oidc_issuer.rstrip("/")
    data = await _get_json(client, f"{issuer}/.well-known/openid-configuration")
    offered = data.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        provider = Provider(
            issuer=str(data["issuer"]),
            authorization_endpoint=str(data["authorization_endpoint"]),
            token_endpoint=str(data["token_endpoint"]),
            jwks_uri=str(data["jwks_uri"]),
            algorithms=tuple(alg for alg in ALGORITHMS if alg in offered),
            auth_method=_auth_method(data.get("token_endpoint_auth_methods_supported")),
        )
    except KeyError as exc:
        raise OidcRefused(503, UNAVAILABLE, f"provider settings lack {exc.args[0]}") from exc
    if provider.issuer.rstrip("/") != issuer:
        raise OidcRefused(503, UNAVAILABLE, "provider's issuer is not the one configured")
    if not provider.algorithms:
        raise OidcRefused(503, UNAVAILABLE, "provider offers no signature algorithm we accept")
    endpoints = (provider.authorization_endpoint, provider.token_endpoint, provider.jwks_uri)
    if settings.environment == "production" and not all(
        e.startswith("https://") for e in endpoints
    ):
        raise OidcRefused(503, UNAVAILABLE, "provider endpoints are not all https")
    return provider


def _auth_method(supported: object) -> str:
    """client_secret_basic (the standard's default) unless the provider offers only _post."""
    if isinstance(supported, list) and "client_secret_basic" not in supported:
        if "client_secret_post" in supported:
            return "client_secret_post"
    return "client_secret_basic"


async def _exchange(
    client: AsyncOAuth2Client, provider: Provider, flow: Flow, code: str
) -> dict[str, Any]:
    try:
        token = await client.fetch_token(
            provider.token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=flow.verifier,
            auth=client.client_auth(provider.auth_method),
        )
    except OAuthError as exc:
        error = "".join(c for c in str(exc.error) if c.isalnum() or c == "_")[:40]
        raise OidcRefused(400, NOT_ACCEPTED, f"token request refused: {error}") from exc
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcRefused(503, UNAVAILABLE, f"token request failed ({type(exc).__name__})") from exc
    if not isinstance(token.get("id_token"), str):
        raise OidcRefused(403, NOT_VERIFIED, "the token response has no id token")
    return dict(token)

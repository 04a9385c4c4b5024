"""CSRF protection for the pages: a per-session token (an HMAC of the session's id with the
secret key) in every form, and a same-origin check on the Origin or Referer header."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request

from waymark.settings import Settings

FIELD = "csrf_token"
_secrets: dict[Path, bytes] = {}


class CsrfRefused(Exception):
    """A page's form came without a valid token, or from another site."""


def secret_key(settings: Settings) -> bytes:
    """WAYMARK_SECRET_KEY, else (development and tests) a key made once under state_dir."""
    if settings.secret_key:
        return settings.secret_key.encode()
    if settings.environment == "production":
        raise RuntimeError("WAYMARK_SECRET_KEY must be set in production")
    path = settings.state_dir / "secret-key"
    if path not in _secrets:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        _secrets[path] = path.read_text().strip().encode()
    return _secrets[path]


def token_for(settings: Settings, binding: str) -> str:
    """The form token for a session (binding: the session's stored id, never the cookie)."""
    return hmac.new(secret_key(settings), binding.encode(), hashlib.sha256).hexdigest()


def check_token(settings: Settings, binding: str | None, supplied: object) -> None:
    """Refuse unless the supplied token is the one for this session."""
    if binding is None or not isinstance(supplied, str) or not supplied:
        raise CsrfRefused("no form token")
    if not hmac.compare_digest(token_for(settings, binding), supplied):
        raise CsrfRefused("wrong form token")


def check_origin(request: Request, settings: Settings) -> None:
    """Refuse a request whose Origin (or, without one, Referer) names another host."""
    origin = request.headers.get("origin")
    source = origin if origin is not None else request.headers.get("referer")
    if source is None:
        return  # Neither header: the token alone decides (some privacy tools strip both).
    host = urlsplit(source).netloc.lower() if source != "null" else ""
    allowed = {request.headers.get("host", "").lower(), urlsplit(settings.public_url).netloc}
    if not host or host not in allowed:
        raise CsrfRefused("the form came from another site")

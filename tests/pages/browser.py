"""A tiny browser for page tests: its own cookie jar, forms submitted with their hidden
fields (the CSRF token, the referral nonce), pages parsed with tests.pages.html."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from tests.pages.html import Doc


class Browser:
    def __init__(self, app_client: httpx.AsyncClient, base_url: str = "http://testserver") -> None:
        self.client = httpx.AsyncClient(transport=app_client._transport, base_url=base_url)
        self.last: httpx.Response | None = None

    async def get(self, path: str, **kwargs: object) -> httpx.Response:
        self.last = await self.client.get(path, **kwargs)  # type: ignore[arg-type]
        return self.last

    async def page(self, path: str, status: int = 200) -> Doc:
        response = await self.get(path)
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        return Doc(response.text)

    async def submit(
        self,
        path: str,
        data: Mapping[str, str | list[str]] | None = None,
        *,
        form_action: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Open the page at path, fill in its form (posting to form_action, default path)."""
        doc = await self.page(path)
        form = doc.form(form_action or path)
        fields: dict[str, str | list[str]] = dict(form.values())
        fields.update(data or {})
        self.last = await self.client.post(form.action, data=fields, headers=headers)
        return self.last

    async def sign_in(self, username: str, password: str) -> httpx.Response:
        response = await self.submit("/sign-in", {"username": username, "password": password})
        assert response.status_code == 303, response.text[:1000]
        return response

    def doc(self) -> Doc:
        assert self.last is not None
        return Doc(self.last.text)

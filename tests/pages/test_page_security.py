"""The pages keep the app's security headers, work under its CSP (no inline script or style,
nothing external), and their errors are pages while the API's stay JSON."""

from __future__ import annotations

import uuid

from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc

PAGES = ["/caseload", "/referrals/new", "/emergency-access"]


async def test_pages_carry_the_security_headers(browse: Browse) -> None:
    sam = await browse("sam.social")
    for path in PAGES:
        response = await sam.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["content-type"].startswith("text/html")


async def test_pages_have_one_heading_a_main_landmark_and_only_local_resources(
    browse: Browse,
) -> None:
    sam = await browse("sam.social")
    for path in PAGES:
        doc = Doc((await sam.get(path)).text)
        assert len(doc.h1()) == 1, path
        assert [e.tag for e in doc.elements if e.attrs.get("id") == "main"] == ["main"]
        skip = [e for e in doc.elements if e.attrs.get("class") == "skip-link"]
        assert skip[0].attrs["href"] == "#main"
        for element in doc.elements:
            for name in ("src", "href", "action"):
                value = element.attrs.get(name, "")
                assert not value.startswith(("http:", "https:", "//")), (path, element)
            assert "style" not in element.attrs
            if element.tag == "input" and element.attrs.get("type") not in ("hidden", "submit"):
                labelled = element.attrs.get("id") and any(
                    e.tag == "label" and e.attrs.get("for") == element.attrs["id"]
                    for e in doc.elements
                )
                assert labelled, (path, element.attrs)


async def test_the_stylesheet_and_script_are_served_locally(anonymous: Browser) -> None:
    css = await anonymous.get("/static/waymark.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    script = await anonymous.get("/static/waymark.js")
    assert script.status_code == 200


async def test_page_errors_are_pages_and_api_errors_stay_json(browse: Browse) -> None:
    sam = await browse("sam.social")
    page = await sam.get("/no-such-page")
    assert page.status_code == 404
    assert Doc(page.text).h1() == ["Page not found"]
    bad_id = await sam.get("/women/not-an-id")
    assert bad_id.status_code == 404
    assert Doc(bad_id.text).h1() == ["Page not found"]
    api = await sam.get(f"/api/v1/women/{uuid.uuid4()}")
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/json")

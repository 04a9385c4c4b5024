"""Debian's Chromium driven by Playwright, and a person at the keyboard: she signs in through
the sign-in page, follows links, fills in forms by their fields and presses their buttons.

Never a browser build of Playwright's own: `make browser` (which `make test` runs first) installs
/usr/bin/chromium with apt-get, and axe-core from the npm registry (see tests/e2e/README.md).
Screenshots go under var/test-output/browser/ (git-ignored: var/ is)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.stack import Stack, start_stack, stop_stack
from waymark.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "var" / "test-output" / "browser"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
Fields = Mapping[str, str | list[str]]


def launch(playwright: Playwright) -> Browser:
    """Headless Debian Chromium; missing, it is a broken set-up, not a reason to skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser` (`make test` runs it), which installs "
            "Debian's chromium package with apt-get",
            pytrace=False,
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )


RUNNING = pytest.StashKey[Stack]()


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
) -> Stack:
    """`waymark dev` with its own ports, state folder and database, started once for all the
    browser tests: each module imports this fixture, so the one running is kept in the stash."""
    config = request.config
    if RUNNING not in config.stash:
        running = start_stack(tmp_path_factory.mktemp("waymark-dev"), sqlite_template)
        config.stash[RUNNING] = running
        config.add_cleanup(lambda: stop_stack(running))
    return config.stash[RUNNING]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def eventually(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """Wait (in real time) for the worker to catch up: the read model follows the workflows."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not seen within {seconds:.0f} s"
        time.sleep(0.5)


class Person:
    """One person in a browser window of her own (her own cookies), at the service's address."""

    def __init__(self, stack: Stack, context: BrowserContext, shots: Path | None = None) -> None:
        self.stack = stack
        self.context = context
        self.page: Page = context.new_page()
        self.shots = shots

    def open(self, path: str, status: int = 200) -> Page:
        """Go to a page of the service and check it answered as expected."""
        response = self.page.goto(self.stack.url + path)
        assert response is not None, path
        assert response.status == status, (path, response.status, self.page.inner_text("main"))
        return self.page

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.stack.url)

    def sign_in(self, username: str) -> Person:
        self.open("/sign-in")
        self.fill({"username": username, "password": DEMO_PASSWORD})
        self.press("Sign in")
        assert not self.path.startswith("/sign-in"), self.page.inner_text("main")
        return self

    def fill(self, fields: Fields) -> None:
        """Fill in the page's form as typed, picked or ticked, each field found by its name."""
        form = self.page.locator("main form").filter(has=self.page.locator("[name]")).last
        for name, value in fields.items():
            control = form.locator(f'[name="{name}"]')
            kind = control.first.evaluate("e => e.tagName === 'INPUT' ? e.type : e.tagName")
            if kind == "SELECT":
                control.select_option(str(value))
            elif kind == "checkbox" and control.count() == 1:
                control.set_checked(value == "yes")
            elif kind in ("radio", "checkbox"):
                for one in [value] if isinstance(value, str) else value:
                    form.locator(f'[name="{name}"][value="{one}"]').check()
            else:
                control.fill(str(value))

    def press(self, button: str, status: int | None = 200) -> int:
        """Press a button by its words and wait for the page it leads to (checking its status,
        unless status is None); returns the status."""
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("button", name=re.compile(re.escape(button))).first.click()
        response = navigation.value
        assert response is not None
        if status is not None:
            assert response.status == status, (button, response.status, self.said())
        return response.status

    def follow(self, link: str) -> None:
        """Follow a link by its words."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link).first.click()

    def said(self) -> str:
        """What the page's main part says (for a failing assertion's message)."""
        return self.page.inner_text("main")[:1000] if self.page.locator("main").count() else ""

    def testid(self, testid: str) -> list[str]:
        return self.page.locator(f"[data-testid={testid}]").all_inner_texts()

    def shot(self, name: str) -> Path:
        """A full-page screenshot of what she sees now."""
        assert self.shots is not None
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

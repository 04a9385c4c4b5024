"""Every page each person can reach, checked in a real browser with axe-core against WCAG 2.0,
2.1 and 2.2 levels A and AA and by moving the keyboard focus through it; and a key form that
works with JavaScript turned off.

Each role's pages are found as she would find them: from her home page (and her woman's record,
whose case has been through referral, conference, birth and removal) every link is followed, and
each kind of page (its address with the ids taken out) is checked once. Pages no link leads to
(each command form whatever her stage, error pages, a form with its errors) are listed too."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from rules.uktime import to_uk
from services.feedback import token_hash
from tests.e2e import axe, focus
from tests.e2e.chromium import Person, chromium, eventually, stack
from tests.e2e.stack import Stack
from tests.helpers.api import glenbrae_referral_body
from tests.helpers.planning_api import meeting_body
from tests.pages.flows import referral_fields
from waymark.demo_advocacy import ADVOCATES

__all__ = ["chromium", "stack"]

pytestmark = pytest.mark.e2e
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Not pages: the API and its docs, files, feeds, the Temporal codec and the health check.
NOT_PAGES = ("/api/", "/docs", "/redoc", "/openapi", "/static/", "/calendar/", "/codec", "/health")
MOST_PAGES = 60
# Dates and times not in the one style ("6 December 2026", "10:00am"): ISO dates, a day written
# with a leading zero, a 24-hour time.
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
OTHER_DATE_STYLES = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b0\d (?:{_MONTH})\b|\b\d{{1,2}}:\d{{2}}\b"
)


@dataclass(frozen=True)
class Her:
    """A woman whose case has been through it all: ids for the pages about her, and who her
    advocate is."""

    woman_id: str
    conference_id: str
    meeting_id: str
    baby_id: str
    allocation_id: str
    advocate: str


@pytest.fixture(scope="module")
def her(stack: Stack) -> Her:
    """A Glenbrae woman (so the Scottish wording is checked too, and the journey's Northmoor
    advocates are left alone): referred by the midwife, an IRD, her conference scheduled, an
    advocate accepted, born and placed in care. Made through the JSON API: the journey test
    goes through the pages."""
    with stack.api("ewan.midwife") as ewan, stack.api("iona.social") as iona:
        created = ewan.post("/api/v1/referrals", json=glenbrae_referral_body())
        assert created.status_code == 201, created.text
        woman_id = created.json()["woman_id"]
        base = f"/api/v1/women/{woman_id}"
        eventually(lambda: iona.get(base).status_code == 200, "her record")
        now = datetime.now(UTC)
        today = to_uk(now).date().isoformat()
        steps: list[tuple[str, dict[str, Any]]] = [
            ("/screening", {"decision": "strategy_discussion", "reason": "Concerns for baby"}),
            ("/strategy-discussion", {"held_on": today, "outcome": "conference"}),
            ("/advocacy/offer", {"trigger": "referral"}),
            ("/advocacy/response", {"response": "accepted"}),
            ("/meetings", meeting_body(now, 8)),
        ]
        answers = [iona.post(base + path, json=body) for path, body in steps]
        for (path, _), answer in zip(steps, answers, strict=True):
            assert answer.status_code in (200, 201), (path, answer.text)
        allocation_id, advocate = _advocate_accepts(stack, iona, base)
        born = iona.post(
            f"{base}/birth",
            json={
                # Born after her referral was received (an earlier birth is refused).
                "born_at": (datetime.now(UTC) - timedelta(seconds=1)).isoformat(),
                "gestation_weeks": 39,
                "babies": [{"location": "with_mother"}],
            },
        )
        assert born.status_code == 201, born.text
        baby_id = born.json()[0]["baby_id"]
        placed = iona.post(
            f"{base}/babies/{baby_id}/placement",
            json={"placement": "care", "legal_basis": "police_protection", "reason": "Police"},
        )
        assert placed.status_code == 200, placed.text
        conference_id = iona.get(base).json()["conferences"][-1]["id"]
    meeting_id = answers[-1].json()["meeting_id"]
    return Her(woman_id, conference_id, meeting_id, baby_id, allocation_id, advocate)


def _advocate_accepts(stack: Stack, social_worker: Any, base: str) -> tuple[str, str]:
    """Wait for the offer of her case to an advocate, who accepts it: its id and her username."""
    found: dict[str, Any] = {}

    def offered() -> bool:
        allocations = social_worker.get(f"{base}/advocacy").json()["allocations"]
        found.update(allocations[-1] if allocations else {})
        return found.get("status") == "offered"

    eventually(offered, "an offer of her case to an advocate")
    [username] = [a.username for a in ADVOCATES if a.display_name == found["advocate"]]
    with stack.api(username) as advocate:
        url = f"/api/v1/advocacy/allocations/{found['id']}/respond"
        # The offer is written a moment before her allocation waits for the answer.
        accept = {"reply": "accept"}
        eventually(lambda: advocate.post(url, json=accept).status_code == 200, "her answer")
    return str(found["id"]), username


@pytest.fixture
def visit(stack: Stack, chromium: Browser) -> Iterator[Any]:
    """Returns a person signed in as the named user (or not signed in, for None)."""
    contexts = []

    def _visit(username: str | None, *, javascript: bool = True) -> Person:
        context = chromium.new_context(java_script_enabled=javascript)
        contexts.append(context)
        person = Person(stack, context)
        return person.sign_in(username) if username else person

    yield _visit
    for context in contexts:
        context.close()


@dataclass
class Checked:
    """A page as checked: where, its status, what axe found and what the focus check found."""

    path: str
    status: int
    violations: list[dict[str, Any]]
    focus: list[dict[str, Any]]
    dates: tuple[str, ...] = ()


def check(person: Person, status: int = 200) -> Checked:
    """The page she is on, checked by axe and by moving the focus through it (status: what
    a link to it answered, for a crawled page; pages opened on purpose pass 200)."""
    page = person.page
    dates = tuple(OTHER_DATE_STYLES.findall(page.inner_text("body")))
    return Checked(person.path, status, axe.violations(page), focus.problems(page), dates)


def route(path: str) -> str:
    """The kind of page: its address without the query and with each id as {id}."""
    return re.sub(UUID, "{id}", urlsplit(path).path)


def _link(person: Person, href: str) -> str | None:
    """A link to one of the service's pages, as a path; None for anything else."""
    url = urlsplit(urljoin(person.page.url, href))
    if f"{url.scheme}://{url.netloc}" != person.stack.url:
        return None
    if url.path.startswith(NOT_PAGES) or url.path.endswith(".ics"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def crawl(person: Person, starts: list[str]) -> dict[str, Checked]:
    """Each kind of page reachable from the starting pages, checked once."""
    checked: dict[str, Checked] = {}
    queue = deque(starts)
    while queue and len(checked) < MOST_PAGES:
        path = queue.popleft()
        if route(path) in checked:
            continue
        try:
            response = person.page.goto(person.stack.url + path)
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            checked[route(path)] = Checked(path, 200, [], [])  # a file to download, not a page
            continue
        assert response is not None, path
        kind = route(person.path)
        if kind in checked:  # a redirect to a page already checked
            checked[route(path)] = checked[kind]
            continue
        html = response.headers.get("content-type", "").startswith("text/html")
        page = check(person, response.status) if html else Checked(path, response.status, [], [])
        checked[route(path)] = checked[kind] = page
        hrefs = person.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        queue.extend(link for href in hrefs if (link := _link(person, href)))
    return checked


def problems(checked: dict[str, Checked]) -> str:
    """Every violation on every page, and every link that leads to an error."""
    lines = []
    seen: set[int] = set()
    for kind, page in sorted(checked.items()):
        if id(page) in seen:
            continue
        seen.add(id(page))
        where = page.path if kind.startswith("/") else f"{kind} ({page.path})"
        if page.status >= 400:
            lines.append(f"{where}: a link to it answered {page.status}")
        if page.violations:
            lines.append(axe.report(where, page.violations))
        lines.extend(f"{where}: {f['target']} {f['problem']}" for f in page.focus)
        if page.dates:
            lines.append(f"{where}: dates or times not in the one style: {page.dates}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Role:
    """Whose pages: her username (her advocate's is known once one accepts), her home page,
    and the kinds of page she must reach."""

    username: str | None
    home: str
    reaches: tuple[str, ...]


ROLES = {
    "social-worker": Role(
        "iona.social",
        "/caseload",
        (
            "/caseload",
            "/referrals/new",
            "/women/{id}",
            "/women/{id}/screening",
            "/women/{id}/strategy-discussion",
            "/women/{id}/meetings/new",
            "/women/{id}/meetings/{id}/change",
            "/women/{id}/meetings/{id}/cancel",
            "/women/{id}/conferences/{id}/outcome",
            "/women/{id}/birth",
            "/women/{id}/babies/{id}/placement",
            "/women/{id}/advocacy-offer",
            "/emergency-access",
        ),
    ),
    "midwife": Role(
        "ewan.midwife",
        "/agency",
        ("/agency", "/referrals/new", "/women/{id}", "/women/{id}/conferences/{id}/report"),
    ),
    "advocate": Role(
        None,
        "/advocate",
        ("/advocate", "/advocate/calendar", "/advocate/offers/{id}", "/women/{id}"),
    ),
    "safeguarding-lead": Role(
        "fiona.lead",
        "/lead",
        (
            "/lead",
            "/lead/compliance",
            "/lead/emergency-access",
            "/lead/women/{id}/who-viewed",
            "/women/{id}",
        ),
    ),
    "admin": Role("ada.admin", "/admin", ("/admin", "/admin/advocates", "/admin/areas")),
}


def _starts(role: str, her: Her) -> list[str]:
    """Her record first (so hers are the pages checked), then home, then the pages that no
    link shows at her stage."""
    base = f"/women/{her.woman_id}"
    unlinked = {
        "social-worker": [
            f"{base}/screening",
            f"{base}/strategy-discussion",
            f"{base}/birth",
            f"{base}/meetings/{her.meeting_id}/change",
            f"{base}/meetings/{her.meeting_id}/cancel",
            f"{base}/conferences/{her.conference_id}/outcome",
            f"{base}/advocacy-offer",
            "/emergency-access",
        ],
        "midwife": [f"{base}/conferences/{her.conference_id}/report"],
        "advocate": [f"/advocate/offers/{her.allocation_id}"],
        "safeguarding-lead": [f"/lead/women/{her.woman_id}/who-viewed"],
    }
    record = [] if role == "admin" else [base]
    return [*record, ROLES[role].home, *unlinked.get(role, [])]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_person_can_reach_meets_wcag_aa(role: str, her: Her, visit: Any) -> None:
    person = visit(ROLES[role].username or her.advocate)
    checked = crawl(person, _starts(role, her))
    missing = set(ROLES[role].reaches) - set(checked)
    assert not missing, f"not reached (a link or a page is missing): {sorted(missing)}"
    found = problems(checked)
    assert not found, found


def test_pages_before_signing_in_and_error_pages_meet_wcag_aa(her: Her, visit: Any) -> None:
    anonymous = visit(None)
    checked = crawl(anonymous, ["/sign-in"])
    anonymous.fill({"username": "no.one", "password": "not a password"})
    anonymous.press("Sign in", status=None)
    assert anonymous.testid("error-summary"), "a wrong password shows the problem"
    pages = {"sign-in with an error": check(anonymous)}
    iona = visit("iona.social")
    iona.open(f"/women/{uuid.uuid4()}", status=404)
    pages["not found"] = check(iona)
    iona.open("/referrals/new")
    iona.press("Send referral", status=422)
    assert len(iona.testid("error-summary")) == 1
    pages["referral with errors"] = check(iona)
    iona.open(f"/women/{her.woman_id}/screening")
    iona.press("Record", status=422)
    pages["command form with errors"] = check(iona)
    iona.page.evaluate("() => document.querySelector('main [name=csrf_token]').value = 'stale'")
    iona.press("Record", status=403)
    pages["form expired"] = check(iona)
    advocate = visit(her.advocate)
    advocate.open("/advocate/calendar")
    advocate.press("Get a new calendar link")
    pages["calendar link shown"] = check(advocate)
    pages.update(_her_view_pages(anonymous, her))
    found = problems({**checked, **pages})
    assert not found, found


def _her_view_pages(anonymous: Person, her: Her) -> dict[str, Checked]:
    """The form her feedback link opens (a request written straight into the stack's database:
    her baby's removal keeps the real one quiet), its thanks, and the link once used."""
    token = f"axe-{uuid.uuid4().hex}"
    asked = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(anonymous.stack.state_dir / "waymark.db") as db:
        db.execute(
            "INSERT INTO meeting_feedback (id, woman_id, meeting_id, area_code, token_hash,"
            " asked_at, status, created_at) VALUES (?, ?, ?, 'glenbrae', ?, ?, 'asked', ?)",
            (
                uuid.uuid4().hex,
                uuid.UUID(her.woman_id).hex,
                uuid.UUID(her.meeting_id).hex,
                token_hash(token),
                asked,
                asked,
            ),
        )
    anonymous.open(f"/feedback/{token}")
    pages = {"her view form": check(anonymous)}
    anonymous.fill({"went": "partly", "would_help": "Papers a few days sooner"})
    anonymous.press("Send my answer")
    pages["her view thanks"] = check(anonymous)
    anonymous.open(f"/feedback/{token}", status=404)
    pages["her view link used"] = check(anonymous)
    return pages


def test_a_referral_can_be_made_with_javascript_turned_off(visit: Any) -> None:
    sam = visit("sam.social", javascript=False)
    sam.open("/referrals/new")
    sam.press("Send referral", status=422)  # the problems are found by the server
    assert len(sam.testid("error-summary")) == 1
    # waymark.js would have moved the focus to the summary: it did not run.
    assert sam.page.evaluate("() => document.activeElement.tagName") == "BODY"
    sam.fill(referral_fields(**{"woman.family_name": "Nojavascript"}))
    sam.press("Send referral")
    assert sam.path.startswith("/referrals/sent/"), sam.path
    assert "Referral sent" in sam.testid("referral-sent")[0]


def _glenbrae_woman(stack: Stack, family_name: str, steps: list[tuple[str, Any]]) -> str:
    """A new Glenbrae woman (no NHS number, her own name), taken through `steps` by the API;
    a step's path may name the baby her birth step answered with ({baby})."""
    woman = {**glenbrae_referral_body()["woman"], "family_name": family_name}
    woman.pop("nhs_number", None)
    with stack.api("ewan.midwife") as ewan, stack.api("iona.social") as api:
        created = ewan.post("/api/v1/referrals", json=glenbrae_referral_body(woman=woman))
        assert created.status_code == 201, created.text
        base = f"/api/v1/women/{created.json()['woman_id']}"
        eventually(lambda: api.get(base).status_code == 200, "her record")
        baby = ""
        for path, body in steps:
            answer = api.post(
                base + path.format(baby=baby), json=body() if callable(body) else body
            )
            assert answer.status_code in (200, 201), (path, answer.text)
            if path == "/birth":
                baby = answer.json()[0]["baby_id"]
    return str(created.json()["woman_id"])


def test_her_record_needing_attention_and_the_reopen_page_meet_wcag_aa(
    stack: Stack, visit: Any
) -> None:
    """Her record with its Needs attention box (a baby exposed to opioids who left hospital on
    the day of birth), and the page that reopens a closed case: neither is a page the crawl
    can count on."""
    early = _glenbrae_woman(
        stack,
        "Attentionexample",
        [
            ("/screening", {"decision": "early_help", "reason": "Support"}),
            (
                "/birth",
                lambda: {
                    "born_at": datetime.now(UTC).isoformat(),
                    "gestation_weeks": 39,
                    "babies": [{"location": "with_mother"}],
                    "exposure": "opioids_or_polydrug",
                },
            ),
            ("/babies/{baby}/discharge", {}),
        ],
    )
    closed = _glenbrae_woman(
        stack,
        "Reopenexample",
        [("/screening", {"decision": "no_further_action", "reason": "No concerns"})],
    )
    iona = visit("iona.social")
    iona.open(f"/women/{early}")
    assert iona.testid("needs-attention"), "her record shows what needs attention"
    pages = {"her record, needing attention": check(iona)}
    iona.open(f"/women/{closed}/reopen")
    pages["reopen her case"] = check(iona)
    iona.press("Reopen her case", status=422)
    pages["reopen with errors"] = check(iona)
    found = problems(pages)
    assert not found, found

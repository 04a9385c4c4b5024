"""axe-core, run inside the page, against WCAG 2.0, 2.1 and 2.2 levels A and AA.

axe-core comes from the npm registry, pinned in tests/e2e/package-lock.json and installed by
`make browser`. It is evaluated through the DevTools protocol, which the pages' Content Security
Policy (no inline scripts) does not govern, so the pages are checked exactly as served."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    tags: v.tags.filter((t) => t.startsWith("wcag")),
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing: run `make browser` (`make test` runs it), which installs "
            "axe-core from the npm registry with npm ci",
            pytrace=False,
        )
    return AXE_JS.read_text()


def violations(page: Page) -> list[dict[str, Any]]:
    """What axe finds wrong with the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(RUN, WCAG_AA)
    return found


def report(where: str, found: list[dict[str, Any]]) -> str:
    """Violations as a person reads them: the rule, what it asks, and each element at fault."""
    lines = [f"{where}: {len(found)} accessibility violation(s)"]
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}; {', '.join(v['tags'])}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(str(node["summary"]).split())
            lines.append(f"    at {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)

"""What axe cannot see: the page as a keyboard user moves through it. Each link, button and
field is focused in turn, and must show that it has focus (WCAG 2.4.7) with its text still
readable against the focus style's background (WCAG 1.4.3: 4.5:1, or 3:1 for large text)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

CHECK = """() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const channel = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const describe = (el) => {
    const classes = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const words = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    const tag = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes;
    return `${tag} "${words.slice(0, 40)}"`;
  };
  const looks = (s) => [s.backgroundColor, s.boxShadow, s.color, s.textDecorationLine].join("|");
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex='0']";
  const found = [];
  for (const el of document.querySelectorAll(focusable)) {
    if (!el.getClientRects().length) continue;
    const before = looks(getComputedStyle(el));
    el.focus();
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const outlined = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2
      && (parse(s.outlineColor) || {a: 0}).a > 0;
    if (!outlined && looks(s) === before) {
      found.push({target: describe(el), problem: "shows no sign of having focus"});
    }
    const text = (el.innerText || "").trim();
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const fg = parse(s.color);
    if (text && fg) {
      const bg = backdrop(el);
      const r = ratio(fg, bg);
      if (r < (large ? 3 : 4.5)) {
        const colours = `${s.color} on rgb(${bg.r}, ${bg.g}, ${bg.b})`;
        const problem = `focused, its text has a contrast of ${r.toFixed(2)}:1 (${colours})`;
        found.push({target: describe(el), problem});
      }
    }
    el.blur();
  }
  return found;
}"""


def problems(page: Page) -> list[dict[str, Any]]:
    """Each focusable element that does not show its focus, or whose text is then unreadable."""
    found: list[dict[str, Any]] = page.evaluate(CHECK)
    return found

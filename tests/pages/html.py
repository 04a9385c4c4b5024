"""Reading the pages' HTML in tests with the standard library's parser: forms (with their
hidden and default values), elements by data-testid, headings, and every tag's attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr", "area", "base", "col", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    buttons: list[str] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """The values a browser would send untouched (the last of each name)."""
        return {name: values[-1] for name, values in self.fields.items() if values}


class Doc(HTMLParser):
    """A parsed page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.elements: list[Element] = []
        self.forms: list[Form] = []
        self._open: list[Element] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)
        self._form_tag(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data
        if self._form is not None and self._textarea is not None:
            self._form.fields.setdefault(self._textarea, [""])
            self._form.fields[self._textarea][-1] += data

    def _form_tag(self, element: Element) -> None:
        a = element.attrs
        if element.tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if element.tag == "button":
            form.buttons.append(a.get("type", "submit"))
        if not name:
            if element.tag == "option" and self._select and "selected" in a:
                form.fields[self._select] = [a.get("value", "")]
            return
        form.names.add(name)
        if element.tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    form.fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "submit":
                form.fields.setdefault(name, []).append(a.get("value", ""))
        elif element.tag == "textarea":
            self._textarea = name
            form.fields[name] = [""]
        elif element.tag == "select":
            self._select = name
            form.fields.setdefault(name, [])

    def by_testid(self, testid: str) -> list[Element]:
        return [e for e in self.elements if e.attrs.get("data-testid") == testid]

    def texts(self, testid: str) -> list[str]:
        return [" ".join(e.text.split()) for e in self.by_testid(testid)]

    def h1(self) -> list[str]:
        return [" ".join(e.text.split()) for e in self.elements if e.tag == "h1"]

    def form(self, action: str) -> Form:
        found = [f for f in self.forms if f.action == action]
        assert found, f"no form posting to {action}: {[f.action for f in self.forms]}"
        return found[0]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == element_id), None)

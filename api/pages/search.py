"""Search as a page: the form posts its terms (so they never appear in a URL or a log line) and
the results are rendered in the answer, through the same service as the API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import Session
from api.pages.actions import validated
from api.pages.fields import Values, day, text, values_of
from api.pages.guard import CheckedForm, PagePrincipal
from api.pages.render import render
from forms.search import SearchQuery, SearchResults
from services import search

router = APIRouter(tags=["pages: search"], include_in_schema=False)

FIELDS = {
    "name": "her name",
    "number": "her NHS or CHI number",
    "date_of_birth": "her date of birth (for example 31 January 1995)",
}


def _page(
    request: Request,
    values: Values,
    errors: dict[str, str] | None = None,
    found: SearchResults | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "search.html.j2",
        status=status,
        title="Find a woman's record",
        values=values,
        errors=errors or {},
        found=found,
    )


@router.get("/search")
async def search_page(request: Request, principal: PagePrincipal) -> Response:
    """The search form."""
    return _page(request, {})


@router.post("/search")
async def search_results(
    request: Request, principal: PagePrincipal, form: CheckedForm, session: Session
) -> Response:
    """The women this person may see who match; the search is audited by the service."""
    values = values_of(form)
    data = {k: values.get(k) or None for k in FIELDS}
    data["date_of_birth"] = day(text(form, "date_of_birth"))
    query, errors = validated(SearchQuery, data, FIELDS)
    if query is None:
        return _page(request, values, errors, status=422)
    found = await search.search_women(session, principal, query)
    return _page(request, values, found=found)

"""Search for a woman's record. The terms travel in the request body (never the URL), and the
results are what the record policy lets this person see, as in every list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.deps import CurrentPrincipal, Session, require_role
from forms.common import Role
from forms.search import SearchQuery, SearchResults
from services import search
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1", tags=["search"])

Lead = Annotated[Principal, Depends(require_role(Role.SAFEGUARDING_LEAD, action="review_searches"))]


class SearchMade(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    user_name: str
    searched_at: datetime
    result_count: int
    terms: dict[str, Any]


@router.post("/search")
async def search_women(
    query: SearchQuery, principal: CurrentPrincipal, session: Session
) -> SearchResults:
    """Women you may see by name (case, accents and hyphens ignored), NHS/CHI number or date
    of birth; up to 50, with `more` when the search should be narrowed."""
    return await search.search_women(session, principal, query)


@router.get("/searches")
async def searches(principal: Lead, session: Session) -> list[SearchMade]:
    """For safeguarding leads: the searches people of your area made, with their terms."""
    rows = await search.searches_in_area(session, principal)
    return [
        SearchMade(
            id=r.id,
            user_id=r.user_id,
            user_name=name,
            searched_at=r.searched_at,
            result_count=r.result_count,
            terms=r.terms,
        )
        for r, name in rows
    ]

"""Finding a woman's record by name, number or date of birth. Results pass through the same
record policy as every list (`visible_women`), and every search is on the audit trail, its
terms kept in `searches` for her area's safeguarding lead, never in a log or URL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.names import name_key
from forms.search import MAX_RESULTS, SearchQuery, SearchResult, SearchResults
from waymark import audit
from waymark.db.models import Search, Woman
from waymark.security.policy import visible_women
from waymark.security.principal import Principal

# The highest code point: a key "starting with" p is in [p, p + TOP).
TOP = "\U0010ffff"


async def search_women(
    session: AsyncSession, principal: Principal, query: SearchQuery
) -> SearchResults:
    """The women this person may see who match; the search is audited."""
    rows = list(
        await session.scalars(
            select(Woman)
            .where(visible_women(principal), *conditions(query))
            .order_by(Woman.search_key, Woman.date_of_birth, Woman.id)
            .limit(MAX_RESULTS + 1)
        )
    )
    shown = rows[:MAX_RESULTS]
    row = Search(
        user_id=principal.user_id,
        area_code=principal.area_code,
        result_count=len(shown),
        terms=query.model_dump(mode="json", exclude_none=True),
    )
    session.add(row)
    await session.flush()
    for woman in shown:  # as a list does: each record shown is on the audit trail
        audit.record(
            session,
            principal.actor(),
            action="search_result",
            record_type="woman",
            record_id=woman.id,
        )
    audit.record(
        session,
        principal.actor(),
        action="search_women",
        record_type="search",
        record_id=row.id,
        detail=f"{len(shown)} results",
    )
    return SearchResults(results=[_result(w) for w in shown], more=len(rows) > MAX_RESULTS)


def conditions(query: SearchQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.number is not None:
        found.append(or_(Woman.nhs_number == query.number, Woman.chi_number == query.number))
    if query.date_of_birth is not None:
        found.append(Woman.date_of_birth == query.date_of_birth)
    if query.name is not None:
        found.append(or_(*(_starts(prefix) for prefix in name_prefixes(query.name))))
    return found


def name_prefixes(name: str) -> list[str]:
    """Search keys her record's key may start with: every word her family name ('smith',
    'smith-jones' typed as 'smith jones'), or a split into given and family names either way
    round ('jane smith', 'smith jane')."""
    words = [w for w in (name_key(part) for part in name.split()) if w]
    prefixes = ["".join(words)]
    for cut in range(1, len(words)):
        first, rest = "".join(words[:cut]), "".join(words[cut:])
        prefixes += [f"{rest}|{first}", f"{first}|{rest}"]
    return list(dict.fromkeys(p for p in prefixes if p))


def _starts(prefix: str) -> ColumnElement[bool]:
    """A range on the index, so it is used on SQLite and PostgreSQL alike (LIKE may not be)."""
    return and_(Woman.search_key >= prefix, Woman.search_key < prefix + TOP)


def _result(woman: Woman) -> SearchResult:
    name = woman.preferred_name or woman.given_name
    return SearchResult(
        id=woman.id,
        name=f"{name} {woman.family_name}",
        date_of_birth=woman.date_of_birth,
        stage=woman.stage,
        edd=woman.edd,
    )


async def searches_in_area(session: AsyncSession, principal: Principal) -> list[Search]:
    """The latest searches made by people of the lead's area, with their terms; her reading
    of them is itself on the audit trail."""
    rows = list(
        await session.scalars(
            select(Search)
            .where(Search.area_code == principal.area_code)
            .order_by(Search.searched_at.desc())
            .limit(500)
        )
    )
    audit.record(
        session,
        principal.actor(),
        action="review_searches",
        record_type="search",
        record_id=None,
        detail=f"{len(rows)} searches",
    )
    return rows

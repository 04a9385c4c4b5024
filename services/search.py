"""Finding a woman's record by name, number or date of birth. Results pass through the same
record policy as every list (`visible_women`), and every search is on the audit trail (one row
naming whom it listed, as a ledger page is), its terms kept in `searches` for her area's
safeguarding lead, never in a log or URL."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, and_, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forms.names import name_key
from forms.search import MAX_RESULTS, SearchQuery, SearchResult, SearchResults
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Search, User, Woman
from waymark.security.policy import visible_women
from waymark.security.principal import Principal

# The highest code point: a key "starting with" p is in [p, p + TOP).
TOP = "\U0010ffff"


async def search_women(
    session: AsyncSession, principal: Principal, query: SearchQuery
) -> SearchResults:
    """The women this person may see who match; the search is audited."""
    found = {
        w.id: w for w in await session.scalars(together(statements(session, principal, query)))
    }
    ordered = sorted(found.values(), key=lambda w: (w.search_key, w.date_of_birth, str(w.id)))
    shown = ordered[:MAX_RESULTS]
    _audit(session, principal, query, shown)
    # A way of matching with more than MAX_RESULTS women leaves more than that found.
    return SearchResults(results=[_result(w) for w in shown], more=len(ordered) > len(shown))


def statements(
    session: AsyncSession, principal: Principal, query: SearchQuery
) -> list[Select[Woman]]:
    """One simple statement per way she may match (no OR), so each uses its own index."""
    common = _common(session, principal)
    return [
        select(Woman).where(*common, *where).order_by(Woman.search_key).limit(MAX_RESULTS + 1)
        for where in alternatives(query)
    ]


def together(parts: list[Select[Woman]]) -> Select[Woman]:
    """The ways of matching as one statement (one round trip): each stays a subquery with its
    own order and limit, so each still reads its own index."""
    if len(parts) == 1:
        return parts[0]
    matched = aliased(Woman, union_all(*(select(part.subquery()) for part in parts)).subquery())
    return select(matched)


def _common(session: AsyncSession, principal: Principal) -> list[ColumnElement[bool]]:
    """What every way of matching shares: the record policy of every list, and not a record
    merged into another (it is found as that one: its numbers moved there). On SQLite each is
    marked as matching most rows, so the planner reads the search's own index rather than the
    team's, area's or merged records' (which, without statistics, it would take to be the
    narrower: the merged one made a name search read every record and sort them)."""
    common = [visible_women(principal), Woman.merged_into_id.is_(None)]
    if session.get_bind().dialect.name == "sqlite":
        return [func.likely(condition) for condition in common]
    return common


def _audit(
    session: AsyncSession, principal: Principal, query: SearchQuery, shown: list[Woman]
) -> None:
    """The terms in `searches`, and one audit row naming the women listed, in order (her
    "who viewed her record" finds it); both written with the transaction's commit."""
    row = Search(
        id=uuid.uuid4(),
        user_id=principal.user_id,
        area_code=principal.area_code,
        result_count=len(shown),
        terms=query.model_dump(mode="json", exclude_none=True),
    )
    session.add(row)
    audit.record(
        session,
        principal.actor(),
        action="search_women",
        record_type="search",
        record_id=row.id,
        detail=f"{len(shown)} results",
        listed=[woman.id for woman in shown],
    )


def alternatives(query: SearchQuery) -> list[list[ColumnElement[bool]]]:
    """Every way of matching, each a list of conditions that must all hold."""
    numbers: list[list[ColumnElement[bool]]] = [[]]
    if query.number is not None:
        numbers = [[Woman.nhs_number == query.number], [Woman.chi_number == query.number]]
    names: list[list[ColumnElement[bool]]] = [[]]
    if query.name is not None:
        names = [[_starts(prefix)] for prefix in name_prefixes(query.name)]
    born = [] if query.date_of_birth is None else [Woman.date_of_birth == query.date_of_birth]
    return [[*n, *m, *born] for n in numbers for m in names]


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
        nation=get_area(woman.area_code).nation,
    )


async def searches_in_area(session: AsyncSession, principal: Principal) -> list[tuple[Search, str]]:
    """The latest searches made by people of the lead's area, with their terms and who made
    them; her reading of them is itself on the audit trail."""
    rows = list(
        await session.execute(
            select(Search, User.display_name)
            .join(User, User.id == Search.user_id)
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
    return [(search, name) for search, name in rows]

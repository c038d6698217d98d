"""Who may own a risk, audit recommendation or action: one of the store's agencies (by id or name), a member of
the partnership workspace (by email), or one of the partnership's own groups. Anything else is refused with
the list, so a typo never creates an owner nobody answers for."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from cscp_metrics.records.refusals import Refused
from cscp_metrics.records.workspace import Records

PARTNERSHIP_GROUPS = (
    "Statutory partners",
    "Quality Assurance Subgroup",
    "Learning and Development Subgroup",
    "Health Subgroup",
    "Vulnerable Adolescents Strategy Group",
    "Section 11 Panel",
)


def known_owners(con: duckdb.DuckDBPyConnection | None, records: Records) -> dict[str, str]:
    """Lower-cased name or id -> the owner as stored (an agency id, an email or a group's name)."""
    owners = {g.lower(): g for g in PARTNERSHIP_GROUPS}
    if con is not None:
        for agency_id, name in con.execute("SELECT agency_id, name FROM agencies").fetchall():
            owners[agency_id.lower()] = agency_id
            owners[str(name).lower()] = agency_id
    owners.update({r["email"]: r["email"] for r in records.rows("SELECT email FROM members_current")})
    return owners


def resolve(owner: str, known: dict[str, str]) -> str:
    found = known.get(owner.strip().lower())
    if found is None:
        listed = sorted(set(known.values()), key=str.lower)
        raise ValueError(
            f"owner {owner.strip()!r} is not an agency, a member or a partnership group; "
            f"known owners: {', '.join(listed)}"
        )
    return found


def resolver(con: duckdb.DuckDBPyConnection | None, records: Records) -> Callable[[str], str]:
    """The owner check an action's add takes: the owner as stored, or Refused listing the known owners."""
    known = known_owners(con, records)

    def owner_of(text: str) -> str:
        try:
            return resolve(text, known)
        except ValueError as err:
            raise Refused(str(err)) from None

    return owner_of

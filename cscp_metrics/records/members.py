"""Partnership members and their roles, kept in the working records with their history.

Roles: `member` sees the partnership view and records challenges; `analyst` also uploads any return and
manages members; `agency:<agency>` sees the partnership view and uploads its own agency's returns only.
A person is identified by the verified email claim of their login."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cscp_metrics.records.workspace import Records

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_AGENCY = re.compile(r"^[a-z0-9_]+$")
ROLE_HELP = "member, analyst or agency:<agency> (e.g. agency:police)"


@dataclass(frozen=True)
class Role:
    kind: Literal["member", "analyst", "agency"]
    agency: str | None = None

    def __str__(self) -> str:
        return f"agency:{self.agency}" if self.kind == "agency" else self.kind

    @property
    def label(self) -> str:
        return {"member": "member", "analyst": "analyst"}.get(self.kind, f"member for {self.agency}")

    @property
    def uploads(self) -> bool:
        return self.kind in ("analyst", "agency")

    @property
    def manages_members(self) -> bool:
        return self.kind == "analyst"


def parse_role(text: str, known_agencies: set[str] | None = None) -> Role:
    """A role as typed (`agency:police`); an unknown agency is refused when the store's agencies are known."""
    text = text.strip().lower()
    if text in ("member", "analyst"):
        return Role(text)  # type: ignore[arg-type]
    kind, _, agency = text.partition(":")
    if kind != "agency" or not _AGENCY.match(agency):
        raise ValueError(f"role {text!r} is not one of {ROLE_HELP}")
    if known_agencies is not None and agency not in known_agencies:
        raise ValueError(f"agency {agency!r} is not in the store's agencies: {', '.join(sorted(known_agencies))}")
    return Role("agency", agency)


def normalise_email(text: str) -> str:
    email = text.strip().lower()
    if not _EMAIL.match(email):
        raise ValueError(f"{text!r} is not an email address")
    return email


class Member(BaseModel):
    model_config = ConfigDict(frozen=True)
    email: str
    role: str
    changed_at: datetime
    changed_by: str


def _event(records: Records, email: str, action: str, role: str | None, previous: str | None, by: str) -> None:
    records.execute(
        "INSERT INTO member_events VALUES (nextval('member_event_seq'), ?, ?, ?, ?, current_timestamp, ?)",
        [email, action, role, previous, by],
    )


def add(records: Records, email: str, role: str, by: str, known_agencies: set[str] | None = None) -> Member:
    """Add a member or change their role; the previous role is kept in the history."""
    email, parsed = normalise_email(email), parse_role(role, known_agencies)
    previous = records.scalar("SELECT role FROM members_current WHERE email = ?", [email])
    if previous != str(parsed):
        _event(records, email, "changed" if previous else "added", str(parsed), previous, by)
    return get(records, email)


def remove(records: Records, email: str, by: str) -> str:
    """Remove a member; returns the role they had."""
    email = normalise_email(email)
    previous = records.scalar("SELECT role FROM members_current WHERE email = ?", [email])
    if previous is None:
        raise KeyError(f"{email} is not a member; `cscp members list` shows who is")
    _event(records, email, "removed", None, previous, by)
    return previous


def get(records: Records, email: str) -> Member:
    found = records.rows("SELECT * FROM members_current WHERE email = ?", [email])
    if not found:
        raise KeyError(f"{email} is not a member")
    return Member(**found[0])


def listed(records: Records) -> list[Member]:
    return [Member(**row) for row in records.rows("SELECT * FROM members_current ORDER BY role, email")]


def role_of(records: Records, email: str | None) -> Role | None:
    if not email:
        return None
    try:
        role = records.scalar("SELECT role FROM members_current WHERE email = ?", [normalise_email(email)])
    except ValueError:
        return None
    return parse_role(role) if role else None


def analysts(records: Records) -> list[str]:
    return [
        row["email"] for row in records.rows("SELECT email FROM members_current WHERE role = 'analyst' ORDER BY email")
    ]


def history(records: Records, email: str | None = None) -> list[dict]:
    return records.rows(
        "SELECT event_id, email, action, role, previous_role, changed_at, changed_by FROM member_events "
        "WHERE email = coalesce(?, email) ORDER BY event_id",
        [email and normalise_email(email)],
    )

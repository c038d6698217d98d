"""Every assurance record (risk, audit, practice review, action) keeps its current state in one row and every
change in `record_changes`: which field, the previous and new value, who, when and why. One piece of code
creates and changes all of them, so each kind's module only checks its input (pydantic) and reads its rows.
Table and column names come from the fixed map below, never from input; values are always bound."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cscp_metrics.records.workspace import Records


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    sequence: str
    columns: tuple[str, ...]


TABLES = {
    "risk": Table(
        "risks",
        "risk_id",
        "risk_id_seq",
        (
            "title",
            "description",
            "owner",
            "likelihood",
            "impact",
            "area",
            "controls",
            "review_by",
            "status",
            "reviewed_on",
            "public",
        ),
    ),
    "audit": Table(
        "audits", "audit_id", "audit_id_seq", ("kind", "title", "period", "sample_size", "findings", "area", "public")
    ),
    "review": Table("reviews", "review_id", "review_id_seq", ("kind", "title", "held_on", "summary", "area", "public")),
    "action": Table(
        "actions",
        "action_id",
        "action_id_seq",
        (
            "title",
            "source_kind",
            "source_id",
            "owner",
            "started_on",
            "due",
            "status",
            "evidence",
            "done_on",
            "area",
            "public",
        ),
    ),
}
LINK_KINDS = ("indicator", "agency", "theme")


def _table(kind: str) -> Table:
    if kind not in TABLES:
        raise ValueError(f"unknown record kind {kind!r}")
    return TABLES[kind]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).lower() if isinstance(value, bool) else str(value)


def _log(
    records: Records, kind: str, record_id: int, field: str, previous: Any, new: Any, by: str, note: str | None
) -> None:
    records.execute(
        "INSERT INTO record_changes VALUES (nextval('record_change_seq'), ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
        [kind, record_id, field, _text(previous), _text(new), note, by],
    )


def create(
    records: Records,
    kind: str,
    values: Mapping[str, Any],
    by: str,
    links: Mapping[str, Sequence[str]] | None = None,
    note: str | None = None,
) -> int:
    """One new record with its links, all or nothing; returns its id."""
    table = _table(kind)
    unknown = set(values) - set(table.columns)
    if unknown:
        raise ValueError(f"{kind} has no field {min(unknown)!r}")
    columns = [c for c in table.columns if c in values]
    with records.transaction():
        record_id = int(records.scalar(f"SELECT nextval('{table.sequence}')"))
        records.execute(
            f"INSERT INTO {table.name} ({table.key}, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
            [record_id, *(values[c] for c in columns)],
        )
        _log(records, kind, record_id, "created", None, values.get("title"), by, note)
        for link_kind, linked in (links or {}).items():
            for value in linked:
                link(records, kind, record_id, link_kind, value, by)
    return record_id


def change(
    records: Records, kind: str, record_id: int, values: Mapping[str, Any], by: str, note: str | None = None
) -> dict[str, Any]:
    """Set the fields that differ, logging each with its previous value; a note alone is logged too."""
    table = _table(kind)
    current = row(records, kind, record_id)
    changed = {c: v for c, v in values.items() if c in table.columns and _text(current[c]) != _text(v)}
    with records.transaction():
        for column, value in changed.items():
            records.execute(f"UPDATE {table.name} SET {column} = ? WHERE {table.key} = ?", [value, record_id])
            _log(records, kind, record_id, column, current[column], value, by, note)
        if not changed and note:
            _log(records, kind, record_id, "note", None, None, by, note)
    return row(records, kind, record_id)


def link(records: Records, kind: str, record_id: int, link_kind: str, value: str, by: str) -> None:
    if link_kind not in LINK_KINDS:
        raise ValueError(f"unknown link {link_kind!r}")
    with records.transaction():
        if not records.scalar(
            "SELECT count(*) FROM record_links WHERE record_kind = ? AND record_id = ? AND link_kind = ? AND value = ?",
            [kind, record_id, link_kind, value],
        ):
            records.execute("INSERT INTO record_links VALUES (?, ?, ?, ?)", [kind, record_id, link_kind, value])
            _log(records, kind, record_id, link_kind, None, value, by, None)


def linked(records: Records, kind: str, record_id: int, link_kind: str) -> list[str]:
    return [
        r["value"]
        for r in records.rows(
            "SELECT value FROM record_links WHERE record_kind = ? AND record_id = ? AND link_kind = ? ORDER BY value",
            [kind, record_id, link_kind],
        )
    ]


def row(records: Records, kind: str, record_id: int) -> dict[str, Any]:
    table = _table(kind)
    found = records.rows(f"SELECT * FROM {table.name} WHERE {table.key} = ?", [record_id])
    if not found:
        raise KeyError(f"no {kind} #{record_id}; `cscp {kind} list` shows them")
    return found[0]


def all_rows(records: Records, kind: str) -> list[dict[str, Any]]:
    table = _table(kind)
    return records.rows(f"SELECT * FROM {table.name} ORDER BY {table.key}")


def changes(records: Records, kind: str, record_id: int) -> list[dict[str, Any]]:
    """The record's history, oldest first: field, previous_value, new_value, note, changed_at, changed_by."""
    return records.rows(
        "SELECT field, previous_value, new_value, note, changed_at, changed_by FROM record_changes "
        "WHERE record_kind = ? AND record_id = ? ORDER BY change_id",
        [kind, record_id],
    )


def stamp(records: Records) -> tuple[int, int, int]:
    """Changes so far (records, section 11 imports, links): a new value whenever anything was written, for caches."""
    return (
        int(records.scalar("SELECT coalesce(max(change_id), 0) FROM record_changes")),
        int(records.scalar("SELECT coalesce(max(import_id), 0) FROM s11_ratings")),
        int(records.scalar("SELECT count(*) FROM record_links")),
    )

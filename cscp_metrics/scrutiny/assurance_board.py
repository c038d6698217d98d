"""Everything the Assurance page shows, as tables of text and numbers: the risk register and its heat map (each
cell says how many risks and their rating in words, so nothing rests on colour alone), overdue actions first,
audits and practice reviews with their recommendations' progress, section 11 across agencies and rounds, and
'did it make a difference': each action's linked indicators before it started and since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.summary import format_value
from cscp_metrics.records import actions, audits, risks, section11_compare
from cscp_metrics.records.workspace import Records
from cscp_metrics.scrutiny.indicator_evidence import movement
from cscp_metrics.scrutiny.risk_register import current_period, data_until, risk_entry


@dataclass(frozen=True)
class Board:
    as_of: date
    period: str
    risks: pd.DataFrame
    heat_map: pd.DataFrame  # rows impact 5..1, columns likelihood 1..5, cells in words
    heat_colours: pd.DataFrame  # the same cells' rating colours
    actions: pd.DataFrame  # overdue first
    difference: pd.DataFrame
    audits: pd.DataFrame
    reviews: pd.DataFrame
    s11: pd.DataFrame
    s11_agencies: pd.DataFrame
    s11_round: str | None
    s11_previous: str | None


@dataclass(frozen=True)
class RecordsRead:
    """What the board takes from the working records, read in one opening. It does not depend on the store, so a
    reader keeps it while the records file is unchanged, across publishes of the store."""

    as_of: date
    risks: tuple[risks.Risk, ...]
    actions: tuple[actions.Action, ...]
    audits: tuple[dict, ...]
    reviews: tuple[dict, ...]
    s11: dict  # section11_compare.compare: shown to members only


def read_records(records: Records, as_of: date) -> RecordsRead:
    return RecordsRead(
        as_of,
        tuple(risks.listed(records)),
        tuple(actions.listed(records, as_of)),
        tuple(audits.listed(records, "audit", as_of)),
        tuple(audits.listed(records, "review", as_of)),
        section11_compare.compare(records),
    )


def assurance_as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The store's 'today' for statuses (the demo's returns date), else the demo's data end, else today."""
    settings = dict(con.execute("SELECT key, value FROM settings").fetchall())
    if settings.get("returns_as_of"):
        return date.fromisoformat(settings["returns_as_of"])
    return data_until(con) if settings.get("demo") == "true" else date.today()


def heat_map(register: list[risks.Risk]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells, colours = {}, {}
    for likelihood in range(1, 6):
        words, shades = [], []
        for impact in range(5, 0, -1):
            here = [r for r in register if r.likelihood == likelihood and r.impact == impact]
            label, colour = risks.rating(likelihood * impact)
            ids = ", ".join(f"#{r.risk_id}" for r in here)
            words.append(f"{len(here)} {label}: {ids}" if here else label)
            shades.append(colour)
        cells[f"likelihood {likelihood}"], colours[f"likelihood {likelihood}"] = words, shades
    index = [f"impact {i}" for i in range(5, 0, -1)]
    return pd.DataFrame(cells, index=index), pd.DataFrame(colours, index=index)


def _difference(con, chosen: list[actions.Action], until: date, public: bool) -> pd.DataFrame:
    registry, rows = load_registry(), []
    for action in chosen:
        for indicator_id in action.indicators:
            ind, moved = (
                registry.indicators[indicator_id],
                movement(con, indicator_id, action.started_on, until, public, registry),
            )
            rows.append(
                {
                    "action": action.title,
                    "status": action.status_text(until),
                    "indicator": ind.title,
                    "before": f"{format_value(moved.before_value, ind, moved.hidden)} ({moved.before})",
                    "since": f"{format_value(moved.since_value, ind, moved.hidden)} ({moved.since})",
                    "verdict": moved.sentence.split("; ", 1)[-1].rstrip("."),
                }
            )
    return pd.DataFrame(rows, columns=["action", "status", "indicator", "before", "since", "verdict"])


def board(con: duckdb.DuckDBPyConnection, read: RecordsRead, public: bool) -> Board:
    """As of the day the records were read; public: only records marked public, and small numbers hidden."""
    as_of = read.as_of
    registry, period, until = load_registry(), current_period(con), data_until(con, as_of)
    register = [r for r in read.risks if r.public or not public]
    entries = [risk_entry(con, r, period, until, public, registry) for r in register]
    risk_rows = pd.DataFrame(
        [
            {
                "id": e["risk_id"],
                "risk": e["title"],
                "rating": e["label"],
                "owner": e["owner"],
                "status": e["status"],
                "area": e["area"] or "",
                "linked indicators": "; ".join(f"{i['title']}: {i['finding']}" for i in e["linked"]),
                "review": ("Flagged for review: " + e["flag_reason"]) if e["flagged_for_review"] else "",
                "colour": e["colour"],
            }
            for e in entries
        ],
        columns=["id", "risk", "rating", "owner", "status", "area", "linked indicators", "review", "colour"],
    )
    cells, colours = heat_map([r for r in register if r.status == "open"])
    chosen = [a for a in read.actions if a.public or not public]
    action_rows = pd.DataFrame(
        [
            {
                **{k: v for k, v in a.as_dict(as_of).items() if k in ("action_id", "title", "source", "owner", "due")},
                "status": a.status_text(as_of),
                "overdue": a.days_overdue(as_of) > 0,
                "area": a.area or "",
            }
            for a in chosen
        ],
        columns=["action_id", "title", "source", "owner", "due", "status", "overdue", "area"],
    )

    def listing(kind: str, columns: list[str]) -> pd.DataFrame:
        found = [e for e in (read.audits if kind == "audit" else read.reviews) if e["public"] or not public]
        return pd.DataFrame(
            [
                {c: (", ".join(v) if isinstance(v := e.get(c), list) and c != "grades" else v) for c in columns}
                | {"grades": ", ".join(f"{g['grade']} {g['cases']} ({g['percent']:g}%)" for g in e.get("grades", []))}
                for e in found
            ],
            columns=[*columns, "grades"],
        )

    compared = read.s11 if not public else {"rows": [], "agencies": [], "round": None, "previous_round": None}
    s11 = pd.DataFrame(compared["rows"], columns=["standard", "agency", "rating", "previous", "change", "evidence"])
    if not s11.empty:
        s11["shown"] = (
            s11["rating"]
            + " ("
            + s11["change"]
            + (" from " + s11["previous"].fillna("")).where(s11["previous"].notna(), "")
            + ")"
        )
        order = list(dict.fromkeys(s11["standard"]))
        s11 = s11.pivot(index="standard", columns="agency", values="shown").reindex(order).reset_index()
    return Board(
        as_of,
        period,
        risk_rows,
        cells,
        colours,
        action_rows,
        _difference(con, chosen, until, public),
        listing("audit", ["audit_id", "kind", "title", "period", "agencies", "sample_size", "progress", "area"]).rename(
            columns={"progress": "recommendations"}
        ),
        listing("review", ["review_id", "kind", "title", "held_on", "themes", "progress", "area"])
        .rename(columns={"progress": "recommendations"})
        .drop(columns="grades"),
        s11,
        pd.DataFrame(compared["agencies"]),
        compared["round"],
        compared["previous_round"],
    )


def for_areas(found: Board, areas: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A priority page's own risks, audits and actions (those recorded against one of its areas)."""

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["area"].fillna("").isin(areas)].drop(columns="area")

    return mine(found.risks), mine(found.audits), mine(found.actions)

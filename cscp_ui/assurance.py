"""The Assurance page's pieces: the board from the working records (cached on the store version and on what
has been written to the records since; the records' read itself only on the latter, so a publish does not open
them again), and tables whose colours repeat a text label that is always shown."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cscp_metrics.outputs.palette import STATUS_FILLS
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.records import history, workspace
from cscp_metrics.scrutiny import assurance_board
from cscp_metrics.store import connection as store

from . import auth, data
from .version_memo import VersionMemo

SHADES = {status: STATUS_FILLS[status] for status in ("green", "yellow", "orange", "red")}


@data.by_store_version(show_spinner=False, ttl=60)  # no spinner: it would shift the tiles and charts around it
def _board(at: data.Reading, as_of: date, public: bool, stamp: tuple[int, ...]) -> assurance_board.Board:
    return assurance_board.board(at.cursor, _records_read(as_of, stamp), public)


# not cleared by a publish: keyed by the records' stamp, which every committed write changes (DuckDB appends it to the
# WAL, whose size grows, and a checkpoint rewrites the file and empties the WAL)
_READS: VersionMemo[assurance_board.RecordsRead] = VersionMemo(8)


def _records_read(as_of: date, stamp: tuple[int, ...]) -> assurance_board.RecordsRead:
    path = store.resolve_db_path()

    def read() -> assurance_board.RecordsRead:
        with workspace.opened(path) as records:
            return assurance_board.read_records(records, as_of)

    return _READS.get((str(path), workspace.workspace_url(), stamp, as_of), read)


def _records_stamp() -> tuple[int, ...]:
    stamp = workspace.file_version(store.resolve_db_path())  # a file's stat, not a connection, on every rerun
    if stamp is None:
        with workspace.opened(store.resolve_db_path()) as records:
            stamp = history.stamp(records)
    return stamp


def board(public: bool) -> assurance_board.Board:
    return _board(_as_of(date.today()), public, _records_stamp())


@data.by_store_version(copied=False)
def _area_tables(at: data.Reading, areas: tuple[str, ...], public: bool, stamp: tuple[int, ...], today: date):
    """A priority page's risks, audits and actions, kept as they are (each rerun draws them, nothing edits them)."""
    del at, stamp, today  # in the key only, as the board's
    return assurance_board.for_areas(board(public), list(areas))


@data.by_store_version(copied=False)
def _as_of(at: data.Reading, today: date) -> date:
    del today  # in the cache key only: a store without a returns date counts from today
    return assurance_board.assurance_as_of(at.cursor)


def table(
    frame: pd.DataFrame, colours: pd.DataFrame | None = None, hidden: tuple[str, ...] = (), index: bool = False
) -> None:
    """Text from the records as table cells (never Markdown or HTML); spreadsheet-safe for the CSV download."""
    shown = safe_for_spreadsheet(frame)
    config = {column: None for column in hidden}
    if colours is not None:
        st.dataframe(
            shown.style.apply(lambda _: colours.map(lambda c: f"background-color: {SHADES.get(c, '')}"), axis=None),
            hide_index=not index,
            width="stretch",
            column_config=config,
        )
    else:
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def risk_colours(risks: pd.DataFrame) -> pd.DataFrame:
    """Each risk row tinted by its rating (whose words are in the 'rating' column)."""
    return pd.DataFrame({c: risks["colour"] for c in risks.columns}, index=risks.index)


def area_panel(areas: list[str]) -> None:
    """On a priority page, beside its tiles: the risks, audits and actions recorded against its areas (members;
    anyone else only those marked public)."""
    public = not auth.visitor().partnership
    risks, audits, actions = _area_tables(tuple(areas), public, _records_stamp(), date.today())
    if risks.empty and audits.empty and actions.empty:
        return
    st.header("Risks, audits and actions for this area")
    for title, frame, hidden in (
        ("Risks", risks, ("colour",)),
        ("Audits", audits, ()),
        ("Actions", actions, ("overdue",)),
    ):
        if not frame.empty:
            st.subheader(title)
            table(frame, risk_colours(frame) if title == "Risks" else None, hidden=hidden)

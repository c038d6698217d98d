"""The Data page's upload panel for analysts and agency members. Everything from the file (its name, header
and cells) is shown as text or in a data grid, never as Markdown or HTML."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.records import uploads
from cscp_metrics.store import connection as store
from cscp_metrics.store.contracts import CONTRACTS

from . import data
from .auth import Visitor

RECOGNISE = "Recognise from the header"


def panel(who: Visitor) -> None:
    role = who.role
    if role is None or not role.uploads or who.email is None:
        return
    st.header("Upload a return")
    tables = sorted(CONTRACTS) if role.kind == "analyst" else ["partner_returns"]
    st.text(
        "You can upload any return."
        if role.kind == "analyst"
        else f"As a {role.label} you can upload {role.agency}'s partner returns (table partner_returns)."
    )
    with st.form("upload_return", clear_on_submit=True):
        file = st.file_uploader(
            "Return file: CSV, XLSX or Parquet", type=["csv", "xlsx", "parquet"], max_upload_size=uploads.MAX_UPLOAD_MB
        )
        choice = st.selectbox("Table", [RECOGNISE, *tables])
        submitted = st.form_submit_button("Check and load")
    if submitted and file is not None:
        st.session_state["upload_outcome"] = _load(file.name, file.getvalue(), choice, tables, who)
        data.watch_store()  # a new version was published: this session's cached figures are cleared now
    outcome = st.session_state.get("upload_outcome")
    if outcome is not None:
        show(outcome)


def _recognise(path: Path, tables: list[str]) -> str | None:
    """Recognised from the header; someone who may load only one table gets that table's own messages."""
    return uploads.recognise_table(uploads.inspect(path).columns) or (tables[0] if len(tables) == 1 else None)


def _load(name: str, content: bytes, choice: str, tables: list[str], who: Visitor) -> uploads.UploadOutcome:
    with tempfile.TemporaryDirectory(prefix="cscp-upload-") as folder:
        path = Path(folder) / uploads.safe_file_name(name)
        path.write_bytes(content)
        table = choice if choice != RECOGNISE else _recognise(path, tables)
        if table is None:
            columns = ", ".join(uploads.inspect(path).columns)
            return uploads.UploadOutcome(
                path.name,
                None,
                "refused",
                problems=(
                    uploads.Problem(
                        path.name,
                        None,
                        "",
                        f"the header ({columns}) does not hold the required columns of one table; "
                        "choose the table to see what is missing",
                        "",
                    ),
                ),
                notes=(f"{path.name}: not loaded; nothing was stored",),
            )
        return uploads.upload(store.resolve_db_path(), path, table, who.role, who.email or "")


def show(outcome: uploads.UploadOutcome) -> None:
    if outcome.outcome == "loaded":
        st.success("Loaded. Every session sees the new store version on its next rerun.")
        st.text(
            f"{outcome.file_name}: {outcome.rows:,} rows added to {outcome.table} as load {outcome.load_id}.\n"
            f"Periods covered: {', '.join(outcome.periods) or 'none'}"
        )
        return
    if outcome.outcome == "duplicate":
        st.info("Already loaded: nothing changed.")
        st.text("\n".join(outcome.notes))
        return
    st.error("Refused: nothing from the file was stored. Correct the problems below and upload it again.")
    whole_file = [f"{p.file}: {p.problem}" for p in outcome.problems if p.row is None]
    st.text("\n".join(whole_file + list(outcome.notes)))
    frame = pd.DataFrame([asdict(p) for p in outcome.problems], columns=["file", "row", "column", "problem", "value"])
    if len(whole_file) < len(frame):
        st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        "Download the problems (CSV)",
        safe_for_spreadsheet(frame).to_csv(index=False).encode("utf-8"),
        file_name="upload-problems.csv",
        mime="text/csv",
    )


def templates_section() -> None:
    """Blank return templates with their data dictionary, generated from the same contracts as the loader."""
    from cscp_metrics.store import templates

    st.header("Return templates")
    table = st.selectbox("Return", sorted(CONTRACTS), key="template_table")
    st.download_button(
        f"Download the {table} template (XLSX)",
        templates.workbook(table),
        file_name=f"{table}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.caption(
        "Each template has a 'return' sheet with the header row and a 'data dictionary' sheet: "
        "type, required, allowed values, rules and an example for every column."
    )

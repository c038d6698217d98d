"""Return status for partnership members: each agency's expected return for a quarter, with RAG colours that
also carry a text label (received, late, failed, missing, not yet due)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cscp_metrics.indicators.periods import fy_label, parse_period
from cscp_metrics.outputs.palette import STATUS_FILLS
from cscp_metrics.records import returns_status, workspace
from cscp_metrics.store import connection as store

from . import data
from .auth import Visitor

COLOURS = {status: STATUS_FILLS[status] for status in ("green", "blue", "amber", "red")}


def quarters_up_to(day: date, count: int = 8) -> list[str]:
    """The last `count` quarters that ended on or before `day`, newest first."""
    labels: list[str] = []
    fy, q = day.year - (day.month < 4), (day.month - 4) % 12 // 3 + 1
    while len(labels) < count:
        label = f"{fy_label(fy)}-Q{q}"
        if parse_period(label).end <= day:
            labels.append(label)
        fy, q = (fy, q - 1) if q > 1 else (fy - 1, 4)
    return labels


@data.by_store_version(ttl=30, show_spinner=False)  # the schedule is in the records, written between publishes
def _statuses(at: data.Reading, period: str, as_of: date) -> pd.DataFrame:
    with workspace.opened(store.resolve_db_path()) as records:
        found = returns_status.statuses(at.cursor, records, period, as_of)
    return pd.DataFrame([s.as_dict() for s in found])


def panel(who: Visitor) -> None:
    if not who.partnership:
        return
    as_of = returns_status.default_as_of(data.cursor())
    st.header("Return status")
    period = st.selectbox("Quarter", quarters_up_to(as_of), key="returns_period")
    frame = _statuses(period, as_of)
    counts = frame["status"].value_counts()
    st.text(
        f"As of {as_of}: "
        + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("received", "late", "failed", "missing", "not yet due"))
    )
    shown = frame[["agency", "status", "label", "due", "days_late", "rag"]]
    st.dataframe(
        shown.style.apply(lambda row: [f"background-color: {COLOURS[row['rag']]}"] * len(row), axis=1),
        hide_index=True,
        width="stretch",
        column_config={"rag": None, "label": "what happened"},
    )

"""Members edit the assurance records in the app: review a risk, record an action, update an action's status.
Every value goes through the same checks as the CLI (pydantic in cscp_metrics.records); a refusal is shown as
text and nothing is stored. The person recorded as making the change is the logged-in member."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cscp_metrics.records import actions, owners, risks, workspace
from cscp_metrics.records.refusals import Refused
from cscp_metrics.store import connection as store

from . import data
from .auth import Visitor


def _saved(message: str) -> None:
    st.session_state["assurance_saved"] = message


def _refused(err: Exception) -> None:
    st.text(f"Not saved: {str(err).strip(chr(39))}")  # as text: the message may quote what was typed


def risk_review(who: Visitor, register: list[risks.Risk]) -> None:
    with st.form("risk_review", clear_on_submit=True):
        st.text("Review a risk (what changes is kept with its previous value)")
        chosen = st.selectbox(
            "Risk",
            [r.risk_id for r in register],
            key="rv_risk",
            format_func=lambda i: next(f"#{r.risk_id} {r.title}" for r in register if r.risk_id == i),
        )
        likelihood = st.number_input("Likelihood (1-5)", min_value=1, max_value=5, value=3, key="rv_l")
        impact = st.number_input("Impact (1-5)", min_value=1, max_value=5, value=3, key="rv_i")
        status = st.selectbox("Status", ["open", "closed"], key="rv_status")
        note = st.text_input("Note", key="rv_note")
        if st.form_submit_button("Save review"):
            try:
                with workspace.opened(store.resolve_db_path()) as records:
                    risk = risks.update(
                        records,
                        int(chosen),
                        {"likelihood": int(likelihood), "impact": int(impact), "status": status, "note": note or None},
                        who.email or "app",
                        owners.known_owners(data.cursor(), records),
                        date.today(),
                    )
                _saved(f"Risk #{risk.risk_id} reviewed: {risk.as_dict()['label']}")
                st.rerun()
            except (Refused, KeyError, workspace.WorkspaceError) as err:
                _refused(err)


def new_action(who: Visitor) -> None:
    with st.form("new_action", clear_on_submit=True):
        st.text("Record a recommendation or action")
        title = st.text_input("Action", key="na_title")
        source = st.text_input(
            "Source (audit:1, review:2, risk:3, s11:2019, challenge:4 or board)", value="board", key="na_source"
        )
        owner = st.text_input("Owner (an agency, a member's email or a partnership group)", key="na_owner")
        due = st.date_input("Due", key="na_due")
        indicator = st.selectbox(
            "Indicator it should move (optional)",
            ["", *data.registry().indicators],
            key="na_ind",
            format_func=lambda i: data.registry().indicators[i].title if i else "none",
        )
        if st.form_submit_button("Record action"):
            try:
                with workspace.opened(store.resolve_db_path()) as records:
                    action = actions.add(
                        records,
                        {
                            "title": title,
                            "source": source,
                            "owner": owner,
                            "due": due,
                            "indicators": (indicator,) if indicator else (),
                        },
                        who.email or "app",
                        data.registry(),
                        owners.resolver(data.cursor(), records),
                        date.today(),
                    )
                _saved(f"Action #{action.action_id} recorded, due {action.due}")
                st.rerun()
            except (Refused, KeyError, workspace.WorkspaceError) as err:
                _refused(err)


def action_status(who: Visitor, listed: list[int]) -> None:
    with st.form("action_status", clear_on_submit=True):
        st.text("Update an action (done needs evidence of completion)")
        chosen = st.selectbox("Action", listed, format_func=lambda i: f"#{i}", key="as_action")
        status = st.selectbox("Status", list(actions.STATUSES), key="as_status")
        evidence = st.text_input("Evidence of completion", key="as_evidence")
        if st.form_submit_button("Save status"):
            try:
                with workspace.opened(store.resolve_db_path()) as records:
                    action = actions.update(
                        records,
                        int(chosen),
                        {"status": status, "evidence": evidence or None},
                        who.email or "app",
                        date.today(),
                    )
                _saved(f"Action #{action.action_id}: {action.status_text(date.today())}")
                st.rerun()
            except (Refused, KeyError, workspace.WorkspaceError) as err:
                _refused(err)


def panel(who: Visitor) -> None:
    if message := st.session_state.pop("assurance_saved", None):
        st.success(message.replace("#", "no. "))  # our own words and numbers; titles are not in it
    with workspace.opened(store.resolve_db_path()) as records:
        register, listed = risks.listed(records), [a.action_id for a in actions.listed(records, date.today())]
    st.subheader("Edit the records")
    left, middle, right = st.columns(3)
    with left:
        if register:
            risk_review(who, register)
    with middle:
        new_action(who)
    with right:
        if listed:
            action_status(who, listed)

"""The Assurance page: the risk register, overdue actions first, audits and reviews with their recommendations' progress,
section 11 across agencies, and what difference the actions made. Partnership members only, unless a record is
marked public."""

from __future__ import annotations

import streamlit as st

from cscp_ui import assurance, assurance_forms, auth, council, projector, slides


def page() -> None:
    who = auth.visitor()
    if projector.deck(
        "Assurance",
        ["risks", "actions"],
        lambda key: slides.assurance_slide(key, assurance.board(public=not who.partnership)),
    ):
        return
    st.title(f"Assurance: {council.name()}")
    if not who.partnership:
        st.info(
            "The risk register, audits, practice reviews and actions are the partnership's working records: "
            "log in as a partnership member to see them. Records marked public are shown below."
        )
    board = assurance.board(public=not who.partnership)
    if board.risks.empty and board.actions.empty and board.audits.empty and board.reviews.empty and board.s11.empty:
        st.text("No assurance records to show.")
        return
    st.text(f"As of {board.as_of}. Indicator findings for {board.period}; movements measured over whole months.")
    overdue = board.actions[board.actions["overdue"]]
    columns = st.columns(3)
    columns[0].metric("Open risks", int((board.risks["status"] == "open").sum()))
    columns[1].metric("Risks flagged for review", int((board.risks["review"] != "").sum()))
    columns[2].metric("Overdue actions", len(overdue))
    st.subheader("Overdue actions")
    if overdue.empty:
        st.text("None overdue.")
    else:
        assurance.table(overdue, hidden=("overdue",))
    st.subheader("Risk register")
    st.caption(
        "Score = likelihood x impact (1-5 each); rated low 1-3, moderate 4-6, high 8-12, extreme 15-25. "
        "Each cell of the heat map gives the number of open risks, their rating and their numbers."
    )
    assurance.table(board.heat_map, board.heat_colours, index=True)
    assurance.table(board.risks, assurance.risk_colours(board.risks), hidden=("colour",))
    st.subheader("Did it make a difference?")
    st.caption(
        "Each action's linked indicators over the months before it started and the same number of months "
        "since, with the change test Where to look uses."
    )
    if board.difference.empty:
        st.text("No action is linked to an indicator yet.")
    else:
        assurance.table(board.difference)
    st.subheader("Audits and their recommendations")
    assurance.table(board.audits)
    st.subheader("Practice reviews and their recommendations")
    assurance.table(board.reviews)
    st.subheader("All recommendations and actions")
    assurance.table(board.actions, hidden=("overdue",))
    if board.s11_round:
        st.subheader(
            f"Section 11 self-assessments: round {board.s11_round}"
            + (f" against {board.s11_previous}" if board.s11_previous else "")
        )
        assurance.table(board.s11)
        assurance.table(board.s11_agencies)
    if who.partnership:
        assurance_forms.panel(who)

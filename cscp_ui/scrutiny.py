"""Where to look: the ranked signals with their sentences, the reconciliation with DfE, and the challenge log."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from cscp_metrics import SYNTHETIC_NOTICE
from cscp_metrics.indicators.periods import parse_period, period_words
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.records.challenges import LogBusy, NewChallenge, Status
from cscp_metrics.scrutiny import league, reconciliation
from cscp_metrics.scrutiny.signals import KINDS

from . import council, data, projector, slides
from .filters import current

MARK = {"worse": "⚠ WORSE", "better": "✓ BETTER", "higher": "▲ HIGHER", "lower": "▼ LOWER", "similar": "= SIMILAR"}
CHALLENGE_COLUMNS = {
    "challenge_id": "Number",
    "indicator": "Indicator",
    "period": "Year",
    "question": "Question",
    "owner_agency": "Asked of",
    "due_date": "Due by",
    "status": "Status",
    "response": "Response",
    "recorded_at": "Recorded",
}
FIRST_SHOWN = 40  # findings drawn at first: each is a bordered box with a button, and 40 already take a while
KIND_LABELS = {
    "significance": "against England, London, inner London, neighbours",
    "breakdown": "within a breakdown",
    "spc": "unusual variation (SPC)",
    "funnel": "among all LAs (funnel)",
    "change": "change since last year",
    "reconciliation": "local vs DfE published",
}


def page() -> None:
    filters = current()
    period = filters.period
    found = data.signals(period, filters.public)
    shown = [s for s in found if s.kind != "reconciliation"][:FIRST_SHOWN]
    if projector.deck(
        f"Where to look, {period_words(period)}",
        list(enumerate(shown, 1)),
        lambda item: slides.signal_slide(
            item[1],
            item[0],
            f"{MARK.get(item[1].direction, item[1].direction)} · {_kind_labels()[item[1].kind]}",
            data.challenges_by_indicator(period, quiet=False).get(item[1].indicator_id, []),
        ),
    ):
        return
    st.title(f"Where to look: {council.name()}, {period_words(period)}")
    st.caption(SYNTHETIC_NOTICE if council.is_demo() else council.caption())
    compared = ", ".join(council.comparators().values()).replace("Statistical", "statistical")
    st.write(
        f"Every indicator for {council.name()} checked against {compared}, against its own pattern over the "
        "months or years available, across its breakdowns, among all LAs and against last year. Strongest "
        "evidence and the most children first. Most checks are at 95%: among many groups with no real difference, "
        "about 1 in 20 still shows as significant by chance, so a single breakdown's signal is a place to look, "
        "not yet a finding."
    )
    kinds = st.multiselect(
        "Show",
        [k for k in KINDS if k != "reconciliation"],
        default=[k for k in KINDS if k != "reconciliation"],
        format_func=_kind_labels().__getitem__,
        key="look_kinds",
    )
    worse_only = st.toggle("Only what is worse", key="look_worse")
    shown = [s for s in found if s.kind in kinds and (not worse_only or s.direction == "worse")]
    choice = (period, filters.public, tuple(kinds), worse_only)  # another list starts again at its first 40
    shown_all = st.session_state.get("look_shown_all")
    limit = len(shown) if shown_all == choice else FIRST_SHOWN
    st.header(f"{len(shown)} signals" + (f" (the first {limit} below)" if len(shown) > limit else ""))
    questions = data.challenges_by_indicator(period, quiet=False)
    labels = _kind_labels()
    for number, signal in enumerate(shown[:limit], 1):
        _signal(number, signal, questions.get(signal.indicator_id, []), labels[signal.kind])
    if len(shown) > limit:
        st.button(
            f"Show the other {len(shown) - limit} signals",
            on_click=st.session_state.__setitem__,
            args=("look_shown_all", choice),
        )
    reconciliation_section(period, filters.public)
    challenge_section(period, [s.indicator_id for s in found])


def _kind_labels() -> dict[str, str]:
    """The comparators are the council's own: England, its region (London and its half), its neighbours."""
    names = [n.replace("Statistical neighbours", "neighbours") for n in council.comparators().values()]
    return {**KIND_LABELS, "significance": "against " + ", ".join(names)}


def _signal(number: int, signal, questions: list[str], kind_label: str) -> None:
    # one column: the sentence full width (legible on a projector), the button under it (40 findings drawn in
    # two columns each took a quarter more time to draw)
    with st.container(border=True):
        st.markdown(f"**{number}. {MARK.get(signal.direction, signal.direction)}** · {kind_label}")
        st.text(signal.sentence)
        for question in questions:
            st.text(f"Challenge {question}")
        # a name of its own for each button (WCAG 2.4.6): the number of the finding it opens
        if st.button(
            f"Show me #{number}",
            key=f"show_{number}_{signal.indicator_id}_{signal.kind}",
            help=f"Opens {signal.title} with this finding highlighted",
        ):
            _go(signal)


def _go(signal) -> None:
    """Open the signal's page at its indicator: the tile shown first and highlighted with the finding, and the
    drill-down set to the signal's breakdown (the chart of every value, the signal's one among them)."""
    parts = urlsplit(signal.link)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    st.session_state["year"] = params.get("year", st.session_state["year"])
    st.session_state["q"] = params.get("q", "all")
    st.session_state["drill"] = signal.indicator_id if signal.kind != "funnel" else ""
    if signal.breakdown and signal.breakdown != "month":
        st.session_state[f"dim_{signal.indicator_id}"] = signal.breakdown
    if "indicator" in params:
        st.session_state["funnel_indicator"] = params["indicator"]
    page = parts.path.strip("/")
    st.session_state["focus"] = {"page": page, "indicator": signal.indicator_id, "sentence": signal.sentence}
    st.switch_page(f"pages/{page}.py")


def _figures_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row's figures in its own unit at DfE's precision, as the reasons beside them write them: 1,475 and
    13.0%, not 1475 and 13 beside 12.5 (the rows mix counts, percentages and rates)."""
    indicators = [data.registry().indicators[i] for i in frame["indicator_id"]]
    figures = {
        column: [league.figure_text(v, ind) for v, ind in zip(frame[column], indicators)]
        for column in ("local_value", "local_value_on_dfe_base", "dfe_value")
    }
    return frame.assign(unit=[ind.unit for ind in indicators], **figures)


def reconciliation_section(period: str, public: bool) -> None:
    year = parse_period(period).fy_label
    st.header("Our figures against DfE's published figures" + (f": the whole year {year}" if year != period else ""))
    frame = reconciliation.shown(data.reconciliation(year), public)
    if frame.empty and year not in council.local_years():
        st.info(
            f"No local records for {year}: {council.name()}'s figures are DfE's published ones, so there "
            "is nothing to reconcile. Load the partnership's own records to set them against DfE's."
        )
        return
    if frame.empty:
        st.info("DfE publishes financial years only, and none for this year yet.")
        return
    st.text(
        reconciliation.counts_sentence(frame["status"])
        + " DfE's figures come from the council's validated year-end census; ours "
        "from the case records as loaded."
    )
    st.dataframe(
        safe_for_spreadsheet(
            _figures_as_text(frame)[
                ["title", "unit", "local_value", "local_value_on_dfe_base", "dfe_value", "status", "reason"]
            ]
            .assign(status=frame["status"].map(reconciliation.STATUS_SHORT))
            .rename(
                columns={
                    "title": "Indicator",
                    "unit": "Unit",
                    "local_value": "Ours",
                    "local_value_on_dfe_base": "Ours on DfE's base",
                    "dfe_value": "DfE published",
                    "status": "Status",
                    "reason": "Why",
                }
            )
            .round(1)
        ),
        hide_index=True,
        width="stretch",
        column_config={  # the name stays in view, and the reason gets the room a sentence needs
            "Indicator": st.column_config.TextColumn(pinned=True),
            "Why": st.column_config.TextColumn(width="large"),
        },
    )
    differing = frame[frame["reason"] != reconciliation.SAME]
    if not differing.empty:
        many = len(differing) > 1
        with st.expander(
            f"Why {'each of the ' + str(len(differing)) if many else 'the one'} reads differently from DfE's "
            "(its count, or the population base), in full"
        ):
            for title, reason in zip(differing["title"], differing["reason"]):
                st.text(f"{title}: {reason}")


def challenge_section(period: str, indicator_ids: list[str]) -> None:
    st.header("Challenge log")
    registry = data.registry()
    with st.form("raise_challenge", clear_on_submit=True):
        st.subheader("Raise a challenge")
        ids = sorted(set(indicator_ids) or registry.indicators)
        indicator = st.selectbox(
            "Indicator", ids, format_func=lambda i: registry.indicators[i].title, key="ch_indicator"
        )
        question = st.text_area("Question", key="ch_question", max_chars=2000)
        owner = st.text_input("Agency asked to answer", key="ch_owner")
        due = st.date_input("Due by", value=None, min_value=date(2000, 1, 1), key="ch_due")
        if st.form_submit_button("Record challenge"):
            try:
                new = NewChallenge(
                    indicator_id=indicator,
                    period=parse_period(period).fy_label,
                    question=question,
                    owner_agency=owner,
                    due_date=due,
                    recorded_by="dashboard",
                )
                st.success(f"Challenge #{data.record_challenge(new)} recorded for {parse_period(period).fy_label}.")
            except ValidationError as err:
                st.error("Not recorded: " + "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in err.errors()))
            except LogBusy as busy:
                st.error(f"Not recorded: {busy}")
    rows = data.challenge_list(parse_period(period).fy_label)
    st.subheader("Meeting list: open challenges carried forward, and this year's")
    if not rows:
        st.info("No challenges recorded yet.")
        return
    frame = pd.DataFrame([c.model_dump() for c in rows])
    frame["indicator"] = frame["indicator_id"].map(
        lambda i: registry.indicators[i].title if i in registry.indicators else i
    )
    st.dataframe(
        safe_for_spreadsheet(
            frame[
                [
                    "challenge_id",
                    "indicator",
                    "period",
                    "question",
                    "owner_agency",
                    "due_date",
                    "status",
                    "response",
                    "recorded_at",
                ]
            ].rename(columns=CHALLENGE_COLUMNS)
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("update_challenge"):
        st.subheader("Record a response")
        chosen = st.selectbox("Challenge", [c.challenge_id for c in rows], format_func=lambda i: f"#{i}", key="ch_pick")
        statuses: list[Status] = ["open", "answered", "closed"]
        status = st.radio("Status", statuses, horizontal=True, key="ch_status")
        response = st.text_area("Response", key="ch_response", max_chars=4000)
        if st.form_submit_button("Save"):
            try:
                data.update_challenge(int(chosen), status, response or None)
                st.success(f"Challenge #{chosen} is now {status}; its history is kept.")
            except LogBusy as busy:
                st.error(f"Not saved: {busy}")

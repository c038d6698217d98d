"""Shared filters in the sidebar, bound to the URL (?year=2019-20&q=all&cmp=england&view=public&present=0)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cscp_metrics.indicators.drill import DrillPath
from cscp_metrics.indicators.registry import load_registry

from . import auth, council
from .plain_text import for_markdown

QUARTERS = ["all", "Q1", "Q2", "Q3", "Q4"]
QUARTER_LABELS = {
    "all": "Whole year",
    "Q1": "Q1 (Apr-Jun)",
    "Q2": "Q2 (Jul-Sep)",
    "Q3": "Q3 (Oct-Dec)",
    "Q4": "Q4 (Jan-Mar)",
}
VIEWS = ["public", "partnership"]
DEFAULTS = {
    "year": "2019-20",
    "q": "all",
    "cmp": "england",
    "view": "public",
    "present": "0",
    "drill": "",
    "slide": "1",
}
FIXED_CHOICES = {"q": QUARTERS, "view": VIEWS, "present": ["0", "1"]}


def choices() -> dict[str, list[str]]:
    """The years and comparators come from the store: its council's DfE years and local records, its region."""
    return {"year": council.years(), "cmp": list(council.comparators()), **FIXED_CHOICES}


@dataclass(frozen=True)
class Filters:
    year: str
    quarter: str
    comparator: str
    public: bool
    present: bool

    @property
    def period(self) -> str:
        return self.year if self.quarter == "all" else f"{self.year}-{self.quarter}"


def init_from_url() -> list[str]:
    """On a session's first run, take the filters from the URL; a bad value falls back with a note."""
    notes: list[str] = []
    if st.session_state.get("_filters_ready"):
        return notes
    params = st.query_params
    allowed = choices()
    for key, default in {**DEFAULTS, "year": council.default_year()}.items():
        value = params.get(key, default)
        if key in allowed and value not in allowed[key]:  # the note is Markdown: the value is escaped in it
            notes.append(
                f"The link's {key}={for_markdown(repr(value[:60]))} is not one of {', '.join(allowed[key])}; "
                f"showing {default}."
            )
            value = default
        st.session_state[key] = value
    if not _drill_fits_registry(st.session_state["drill"]):
        notes.append(
            "The link's drill-down does not name an indicator and its breakdowns; showing the start of the drill-down."
        )
        st.session_state["drill"] = ""
    slide = st.session_state["slide"]
    if not (slide.isascii() and slide.isdigit() and 1 <= int(slide) <= 9999):
        notes.append("The link's slide number is not a number from 1; showing the first slide.")
        st.session_state["slide"] = "1"
    if "indicator" in params:  # the funnel page's indicator; the page checks it is one it can draw
        st.session_state["funnel_indicator"] = params["indicator"]
    st.session_state["_filters_ready"] = True
    return notes


def _drill_fits_registry(text: str) -> bool:
    """The shape of a drill path from a link: a known indicator, then steps on its own breakdowns. Whether each
    value is a published bar is checked where the drill-down is drawn (that needs the data)."""
    if not text:
        return True
    path = DrillPath.parse(text, "")
    ind = load_registry().indicators.get(path.indicator_id)
    return ind is not None and path.text() == text and all(d in ind.breakdowns for d, _ in path.steps)


def sidebar() -> Filters:
    """Widgets use their own keys (w_year...) copied to and from plain keys: Streamlit forgets a widget's
    state when a page switch happens, but keeps plain session state."""
    comparators = council.comparators()
    if st.session_state["year"] not in council.years():  # a newly published store without this year
        st.session_state["year"] = council.default_year()
    if st.session_state["cmp"] not in comparators:
        st.session_state["cmp"] = "england"
    for key in ("year", "q", "cmp", "view"):
        st.session_state[f"w_{key}"] = st.session_state[key]
    with st.sidebar:
        st.selectbox("Financial year (April-March)", council.years(), key="w_year", on_change=_copy, args=("year",))
        if st.session_state["year"] in council.local_years():
            st.radio(
                "Quarter",
                QUARTERS,
                key="w_q",
                format_func=QUARTER_LABELS.get,
                horizontal=True,
                on_change=_copy,
                args=("q",),
            )
        else:  # DfE publishes whole years only: quarters come from local records
            st.session_state["q"] = "all"
            st.caption("Whole year only: quarters need the partnership's own records for this year.")
        st.selectbox(
            "Compare with",
            list(comparators),
            key="w_cmp",
            format_func=comparators.__getitem__,
            on_change=_copy,
            args=("cmp",),
        )
        _view_choice()
        st.toggle(
            "Projector mode",
            key="present_toggle",
            value=st.session_state.get("present") == "1",
            on_change=_toggle_present,
        )
    return current()


def _view_choice() -> None:
    """Only a logged-in member may choose the partnership view; for anyone else the view is public, whatever
    the URL or session says, and the choice is not offered."""
    who = auth.visitor()
    if not who.partnership:
        st.session_state["view"] = st.session_state["w_view"] = "public"
        st.text("View: public (small numbers hidden)")
    else:
        st.radio(
            "View",
            VIEWS,
            key="w_view",
            horizontal=True,
            on_change=_copy,
            args=("view",),
            format_func={"public": "Public (small numbers hidden)", "partnership": "Partnership (true values)"}.get,
        )
    auth.sidebar(who)


def _copy(key: str) -> None:
    st.session_state[key] = st.session_state[f"w_{key}"]


def _toggle_present() -> None:
    st.session_state["present"] = "1" if st.session_state["present_toggle"] else "0"
    st.session_state["slide"] = "1"


def current() -> Filters:
    s = st.session_state
    return Filters(
        year=s["year"],
        quarter=s["q"],
        comparator=s["cmp"],
        public=s["view"] == "public" or not auth.visitor().partnership,
        present=s["present"] == "1",
    )


def sync_url() -> None:
    """Write the filters back to the URL so every view can be bookmarked and shared."""
    for key, default in DEFAULTS.items():
        value = str(st.session_state.get(key, default))
        if value == default and key not in ("year",):
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value

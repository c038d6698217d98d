"""Members build the board pack and the report chapter here, for the period and view the filters show. Built
only on a click, inside a fragment: the click reruns this panel alone, so the rest of the page is not held up
while the charts are drawn (about half a minute), and the file is cached by store version."""

from __future__ import annotations

import io
from pathlib import Path

import streamlit as st

from . import data
from .auth import Visitor
from .filters import current

PAPERS = {
    "Board pack (PowerPoint)": (
        "pack",
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "Board pack (PDF)": ("pack", ".pdf", "application/pdf"),
    "Annual report data chapter (Word)": (
        "report",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "Annual report data chapter (web page)": ("report", ".html", "text/html"),
}


@data.by_store_version(show_spinner=False, max_entries=8)
def _paper(at: data.Reading, kind: str, suffix: str, period: str, public: bool, comparator: str) -> bytes:
    from cscp_metrics.outputs.chapter import build_chapter
    from cscp_metrics.outputs.chapter_writers import write_docx, write_html
    from cscp_metrics.outputs.pack import build_deck
    from cscp_metrics.outputs.pdf_writer import write_pdf
    from cscp_metrics.outputs.pptx_writer import write_pptx

    out = io.BytesIO()
    if kind == "pack":
        deck = build_deck(at.cursor, period, public, Path(at.path), comparator)
        (write_pptx if suffix == ".pptx" else write_pdf)(deck, out)
    else:
        chapter = build_chapter(at.cursor, period, public, comparator)
        (write_docx if suffix == ".docx" else write_html)(chapter, out)
    return out.getvalue()


def panel(who: Visitor) -> None:
    if who.partnership:
        _papers()


@st.fragment
def _papers() -> None:
    from cscp_metrics.outputs.chart_images import ChartExportError

    filters = current()
    view = "public version (1-5 as c)" if filters.public else "partnership version (true values, not for publication)"
    st.subheader("Board pack and annual report chapter")
    st.text(f"For {filters.period}, {view}, as the filters in the sidebar set them.")
    choice = st.radio("Paper", list(PAPERS), key="paper_choice")
    kind, suffix, mime = PAPERS[choice]
    wanted = (kind, suffix, filters.period, filters.public, filters.comparator)
    if st.button("Build", key="paper_build", help="Draws every chart: about half a minute"):
        with st.spinner(f"Building the {choice.lower()}…"):
            try:
                st.session_state["paper"] = (wanted, _paper(*wanted))
            except ChartExportError as err:
                st.error(str(err))
    built = st.session_state.get("paper")
    if built and built[0] == wanted:
        name = f"{kind}-{filters.period}-{'public' if filters.public else 'partnership'}{suffix}"
        st.download_button(f"Download {name}", built[1], file_name=name, mime=mime, key="paper_download")

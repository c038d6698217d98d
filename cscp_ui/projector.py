"""Projector mode on any page: one finding per screen, sized for the back of a room, paged by keyboard.

A page opts in with one call at its top, `if projector.deck(title, keys, build): return`: `keys` name every slide
(cheap), `build` makes the one on screen. The slide number is in the URL (?present=1&slide=3). Sizes are in
viewport-height units, so a slide keeps its proportions and fits a 16:9 screen at 1920x1080 and 1280x720 alike.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

from . import routing

K = TypeVar("K")
MIN_CHART_PX = 160
_DRAWN: ContextVar[bool] = ContextVar("projector_deck_drawn", default=False)

CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100%; height: 100vh; padding: 1.2vh 2.5vw 1vh 2.5vw !important;}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {height: 100%; gap: 0.6vh;}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > div:has(.present-grow) {flex: 1 1 0; min-height: 0;}
.st-key-present_controls {gap: 1vw; align-items: center;}
.st-key-present_controls button {font-size: 2.6vh !important; min-height: 5vh; padding: 0.2vh 1.2vw;}
.st-key-present_controls button p {font-size: 2.6vh !important;}
.st-key-present_controls button:focus-visible {outline: 0.5vh solid #000; outline-offset: 0.3vh;}
.present-where {font-size: 2.6vh; color: #000; margin: 0;}
.present-title {font-size: 4.4vh; line-height: 1.15; font-weight: 700; color: #000; margin: 0; padding: 0;}
.present-value {font-size: 10vh; line-height: 1; font-weight: 800; color: #000; margin: 0.4vh 0;}
.present-finding {font-size: 3.3vh; line-height: 1.25; color: #000; margin: 0;}
.present-line, .present-note {font-size: 2.6vh; line-height: 1.3; color: #000; margin: 0;}
.present-note {color: #333;}
.present-sr {position: absolute; top: 0; left: 0; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap;}
</style>"""
KEYS_JS = """<script>
(() => {
  if (document.__cscpKeys) return;
  document.__cscpKeys = true;
  const wanted = {ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev', Home: 'first',
                  End: 'last', Escape: 'exit'};
  document.addEventListener('keydown', (e) => {
    const want = wanted[e.key];
    if (!want || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const button = document.querySelector('.st-key-present_' + want + ' button');
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  });
})();
</script>"""


@dataclass(frozen=True)
class Slide:
    """One finding. Every text is plain text (escaped when drawn); `alt` is the figure's text equivalent and
    `table` its values in words, read to screen readers (every value is also printed on the chart)."""

    heading: str
    value: str = ""
    finding: str = ""
    lines: tuple[str, ...] = ()
    note: str = ""
    figure: go.Figure | None = field(default=None, compare=False)
    alt: str = ""
    table: tuple[tuple[str, str], ...] = ()


def deck(title: str, keys: Sequence[K], build: Callable[[K], Slide]) -> bool:
    """In projector mode draw the current slide of this page and return True; otherwise draw nothing."""
    if st.session_state.get("present") != "1":
        return False
    _DRAWN.set(True)
    count = len(keys)
    number = min(max(int(st.session_state.get("slide", "1") or 1), 1), max(count, 1))
    st.session_state["slide"] = str(number)
    _controls(title, number, count)
    if count:
        draw(build(keys[number - 1]), title, number, count)
    else:
        draw(Slide(heading=f"{title}: nothing to show for these filters"), title, 1, 1)
    return True


def style() -> None:
    """The projector's look, set before the page draws (a slow page shows its spinner full screen)."""
    st.html(CSS)


def drawn() -> bool:
    return _DRAWN.get()


def draw(slide: Slide, title: str, number: int, count: int) -> None:
    parts = [
        f'<p class="present-where">{_t(title)} · slide {number} of {count}</p>',
        f'<h1 class="present-title">{_t(slide.heading)}</h1>',
    ]
    if slide.value:
        parts.append(f'<p class="present-value">{_t(slide.value)}</p>')
    if slide.finding:
        parts.append(f'<p class="present-finding">{_t(slide.finding)}</p>')
    parts += [f'<p class="present-line">{_t(line)}</p>' for line in slide.lines]
    st.html(f'<section class="present-slide" aria-label="Slide {number} of {count}">{"".join(parts)}</section>')
    if slide.figure is not None:
        with st.container(key="present_chart"):
            st.html('<span class="present-grow"></span>')
            # a low floor: the chart stretches into what the text leaves of the screen, whatever its size
            st.plotly_chart(
                go.Figure(slide.figure).update_layout(height=MIN_CHART_PX),
                width="stretch",
                height="stretch",
                alt=slide.alt or None,
                config={"displayModeBar": False, "staticPlot": True},
            )
        if slide.table:
            rows = "".join(f"<tr><th scope='row'>{_t(k)}</th><td>{_t(v)}</td></tr>" for k, v in slide.table)
            st.html(f'<div class="present-sr"><table><caption>{_t(slide.alt)}</caption>{rows}</table></div>')
    if slide.note:
        st.html(f'<p class="present-note">{_t(slide.note)}</p>')


def _controls(title: str, number: int, count: int) -> None:
    page = st.session_state.get("_page", "")
    after, before = routing.neighbour(page, 1), routing.neighbour(page, -1)
    with st.container(horizontal=True, key="present_controls"):
        st.button("« First", key="present_first", on_click=_go, args=(1,), disabled=number <= 1)
        if number > 1 or before is None:
            st.button("◀ Previous", key="present_prev", on_click=_go, args=(number - 1,), disabled=number <= 1)
        elif st.button(f"◀ Previous page: {before.title}", key="present_prev"):
            _switch(before, "9999")  # its last slide: the deck clamps the number to its length
        if number < count or after is None:
            st.button("Next ▶", key="present_next", on_click=_go, args=(number + 1,), disabled=number >= count)
        elif st.button(f"Next page: {after.title} ▶", key="present_next"):
            _switch(after, "1")
        st.button("Last »", key="present_last", on_click=_go, args=(count,), disabled=number >= count)
        st.button("Exit projector mode ✕", key="present_exit", on_click=exit_mode, type="primary")
        st.html(KEYS_JS, unsafe_allow_javascript=True)  # static script: no data in it


def _go(number: int) -> None:
    st.session_state["slide"] = str(number)


def _switch(spec: routing.PageSpec, slide: str) -> None:
    st.session_state["slide"] = slide
    st.session_state["_page"] = spec.url_path  # the router keeps the slide number for a page it expects
    st.switch_page(spec.file)


def exit_mode() -> None:
    st.session_state["present"] = "0"
    st.session_state["slide"] = "1"
    st.session_state["present_toggle"] = False  # the sidebar's switch follows


def exit_only() -> None:
    """For a page that has no slides of its own: the way out, on top of the page as it is."""
    with st.container(horizontal=True, key="present_controls"):
        st.button("Exit projector mode ✕", key="present_exit", on_click=exit_mode, type="primary")
        st.html(KEYS_JS, unsafe_allow_javascript=True)


def _t(text: object) -> str:
    """Plain text for st.html: escaped, so nothing from data becomes markup (st.html reads no Markdown)."""
    return html.escape(" ".join(str(text).split()))

"""The product's colours, in one place for the dashboard's charts and the meeting outputs.

Okabe-Ito for series (told apart with the common colour-blindnesses); text in near-black (Streamlit's theme greys
tick labels: #808495 on white is 3.7:1, under WCAG 1.4.3's 4.5:1); greys at the contrast their use needs on white;
pale status fills, always under near-black text and with the status in words beside them."""

from __future__ import annotations

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BLUE = OKABE_ITO[0]
INK = "#1A1A1A"
GREY_TEXT = "#595959"  # 7:1 on white
GREY_MARK = "#6F6F6F"  # 5.0:1 on white: WCAG 1.4.11 asks 3:1 of a graphic that carries meaning
GRID = "#D9D9D9"
STATUS_FILLS = {
    "green": "#D7F0E3",
    "blue": "#DCEBF7",
    "amber": "#FCE9C7",
    "yellow": "#FFF4C2",
    "orange": "#FCE0C2",
    "red": "#F7D4CF",
}

from __future__ import annotations

from cscp_ui.routing import show
from cscp_ui.scrutiny import page

show(page)

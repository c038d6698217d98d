from __future__ import annotations

from cscp_ui.scrutiny import page
from cscp_ui.routing import show

show(page)

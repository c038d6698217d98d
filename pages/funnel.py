from __future__ import annotations

from cscp_ui.funnel import page
from cscp_ui.routing import show

show(page)

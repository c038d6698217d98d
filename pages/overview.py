from __future__ import annotations

from cscp_ui.overview import page
from cscp_ui.routing import show

show(page)

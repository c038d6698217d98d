from __future__ import annotations

from cscp_ui.routing import show_page

show_page("overview")

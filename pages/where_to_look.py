from __future__ import annotations

from cscp_ui.scrutiny import page

page()

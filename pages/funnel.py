from __future__ import annotations

from cscp_ui.funnel import page

page()

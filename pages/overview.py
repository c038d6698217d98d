from __future__ import annotations

from cscp_ui.overview import page

page()

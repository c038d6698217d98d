from __future__ import annotations

from cscp_ui.priority import page

page(["domestic_abuse"], "Domestic abuse")

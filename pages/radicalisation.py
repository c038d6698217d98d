from __future__ import annotations

from cscp_ui.priority import page
from cscp_ui.routing import show

show(lambda: page(["radicalisation"], "Radicalisation and extremism"))

"""Entry point of the safeguarding partnership dashboard: `streamlit run app.py` (the router is cscp_ui.routing)."""

from __future__ import annotations

from cscp_ui import routing

routing.run()

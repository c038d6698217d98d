from __future__ import annotations

from cscp_ui.priority import page

page(["lado"], "LADO: allegations against people who work with children")

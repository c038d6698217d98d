from __future__ import annotations

from cscp_ui.priority import page

page(["training", "learning", "partnership", "context"], "Training, learning and partnership resources")

from __future__ import annotations

from cscp_ui.priority import page

page(["child_sexual_abuse"], "Child sexual abuse")

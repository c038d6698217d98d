from __future__ import annotations

from cscp_ui.priority import page
from cscp_ui.routing import show

show(lambda: page(["children_in_need", "child_protection", "looked_after"], "Children in need, child protection and children looked after"))

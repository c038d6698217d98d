"""cscp_metrics: the non-UI core of the safeguarding partnership dashboard (no Streamlit here)."""
from __future__ import annotations

PARTNERSHIP_LABEL = "the partnership"
SYNTHETIC_NOTICE = (
    "Demo data: synthetic records for Camden (E09000007), calibrated to the figures published in the "
    "Camden Safeguarding Children Partnership annual report 2019-20. No real child is represented."
)
OGL_CREDIT = "Contains public sector information licensed under the Open Government Licence v3.0."

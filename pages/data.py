from __future__ import annotations

import streamlit as st

from cscp_metrics import OGL_CREDIT
from cscp_ui import data

st.title("Data")
st.subheader("Every load, newest first")
st.dataframe(data.table("loads"), hide_index=True, width="stretch")
st.subheader("Last return from each agency")
st.dataframe(data.table("agencies"), hide_index=True, width="stretch")
st.caption("Benchmarks: DfE 'Characteristics of children in need' and 'Children looked after in England', "
           "ONS mid-year population estimates. " + OGL_CREDIT)

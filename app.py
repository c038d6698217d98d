"""Router and shared filters for the safeguarding partnership dashboard."""
from __future__ import annotations

import streamlit as st

from cscp_ui import data, filters

st.set_page_config(page_title="Safeguarding partnership dashboard", page_icon="🛡️", layout="wide")

data.watch_store()
notes = filters.init_from_url()
PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("pages/where_to_look.py", title="Where to look (scrutiny)", url_path="where-to-look"),
    st.Page("pages/funnel.py", title="All LAs: funnel plot", url_path="funnel"),
    st.Page("pages/front_door.py", title="Front door", url_path="front-door"),
    st.Page("pages/vulnerable_adolescents.py", title="Vulnerable adolescents", url_path="vulnerable-adolescents"),
    st.Page("pages/youth_violence.py", title="Youth violence", url_path="youth-violence"),
    st.Page("pages/domestic_abuse.py", title="Domestic abuse", url_path="domestic-abuse"),
    st.Page("pages/neglect.py", title="Neglect", url_path="neglect"),
    st.Page("pages/child_sexual_abuse.py", title="Child sexual abuse", url_path="child-sexual-abuse"),
    st.Page("pages/radicalisation.py", title="Radicalisation and extremism", url_path="radicalisation"),
    st.Page("pages/cin_cp_lac.py", title="Children in need, protection and care", url_path="cin-cp-lac"),
    st.Page("pages/send_education.py", title="SEND and education", url_path="send-education"),
    st.Page("pages/lado.py", title="LADO", url_path="lado"),
    st.Page("pages/training_learning.py", title="Training and learning", url_path="training-learning"),
    st.Page("pages/definitions.py", title="Definitions", url_path="definitions"),
    st.Page("pages/data.py", title="Data", url_path="data"),
]
navigation = st.navigation(PAGES, position="hidden" if st.session_state.get("present") == "1" else "sidebar")
filters.sidebar()
for note in notes:
    st.warning(note)
filters.sync_url()
navigation.run()
filters.sync_url()

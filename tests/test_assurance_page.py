"""The Assurance page through AppTest: members see the register (ratings in words), overdue actions first,
what difference actions made and section 11; anyone else sees none of it."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP

from cscp_metrics.records import assurance_demo, history, members, workspace

AUTH = {
    "client_id": "x",
    "client_secret": "y",
    "redirect_uri": "http://localhost/oauth2callback",
    "cookie_secret": "z" * 32,
    "server_metadata_url": "http://localhost/.well-known/openid-configuration",
}


@pytest.fixture
def seeded(demo_copy, monkeypatch):
    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    monkeypatch.delenv("CSCP_WORKSPACE_URL", raising=False)
    with workspace.opened(demo_copy) as records:
        members.add(records, "mo@cscp.test", "member", by="test")
        assurance_demo.seed(records)
    return demo_copy


def _open(user: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    if user:
        at.user = user
    at.run()
    at.switch_page("pages/assurance.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_member_sees_the_register_overdue_actions_and_the_difference_actions_made(seeded):
    at = _open({"is_logged_in": True, "email": "mo@cscp.test", "email_verified": True, "auth_time": time.time()})
    frames = [d.value for d in at.dataframe]
    metrics = {m.label: m.value for m in at.metric}
    # the demo as of 31 March 2021 (its records' end): three actions past their due dates, by hand in test_assurance_demo
    assert metrics["Overdue actions"] == "3" and metrics["Open risks"] == "6"
    overdue = frames[0]
    assert list(overdue["title"])[:1] == ["Audit of school nurses' engagement with adolescents at risk"]
    assert "overdue: 121 days past the due date 2020-11-30" in list(overdue["status"])
    register = next(f for f in frames if "rating" in f.columns and "risk" in f.columns)
    assert register["rating"].iloc[0] == "extreme (score 20 = likelihood 5 x impact 4)"  # words, not colour alone
    heat = next(f for f in frames if "likelihood 5" in f.columns)
    assert heat.loc["impact 4", "likelihood 5"] == "1 extreme: #1" and heat.loc["impact 1", "likelihood 1"] == "low"
    difference = next(f for f in frames if "verdict" in f.columns)
    rhi = difference[difference["indicator"] == "Return home interviews completed"].iloc[0]
    assert rhi["verdict"].startswith("beyond normal variation") and rhi["verdict"].endswith("better")
    assert any("Section 11 self-assessments: round 2019 against 2018" in h.value for h in at.subheader)


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": False},
        {"is_logged_in": True, "email": "nina@elsewhere.test", "email_verified": True, "auth_time": time.time()},
    ],
)
def test_anyone_else_sees_none_of_it(seeded, user):
    at = _open(user)
    assert "log in as a partnership member" in at.info[0].value
    assert not at.dataframe and any("No assurance records to show" in t.value for t in at.text)


MEMBER = {"is_logged_in": True, "email": "mo@cscp.test", "email_verified": True}


def test_a_member_records_an_action_in_the_app_and_bad_input_stores_nothing(seeded):
    at = _open(MEMBER | {"auth_time": time.time()})
    at.text_input(key="na_title").set_value("Schools to report attendance of children on CP plans weekly")
    at.text_input(key="na_source").set_value("risk:1")
    at.text_input(key="na_owner").set_value("Fire brigade")
    at.button(key="FormSubmitter:new_action-Record action").click().run()
    assert any("owner 'Fire brigade' is not an agency" in t.value for t in at.text)
    with workspace.opened(seeded) as records:
        assert records.scalar("SELECT count(*) FROM actions") == len(assurance_demo.ACTIONS)
    at.text_input(key="na_title").set_value("Schools to report attendance of children on CP plans weekly")
    at.text_input(key="na_source").set_value("risk:1")
    at.text_input(key="na_owner").set_value("education")
    at.button(key="FormSubmitter:new_action-Record action").click().run()
    assert not at.exception
    with workspace.opened(seeded) as records:
        newest = records.rows(
            "SELECT title, owner, source_kind, source_id FROM actions ORDER BY action_id DESC LIMIT 1"
        )[0]
        who = records.scalar("SELECT changed_by FROM record_changes ORDER BY change_id DESC LIMIT 1")
    assert newest == {
        "title": "Schools to report attendance of children on CP plans weekly",
        "owner": "education",
        "source_kind": "risk",
        "source_id": 1,
    }
    assert who == "mo@cscp.test"


def test_a_priority_page_shows_its_own_risks_and_audits_to_members(seeded):
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = MEMBER | {"auth_time": time.time()}
    at.run()
    at.switch_page("pages/domestic-abuse.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value == "Risks, audits and actions for this area" for h in at.header)
    risks = next(d.value for d in at.dataframe if "risk" in d.value.columns)
    assert list(risks["risk"]) == ["Increased domestic abuse and violence in the household"]
    actions = next(d.value for d in at.dataframe if "source" in d.value.columns)
    assert list(actions["title"]) == ["Domestic abuse helpline and campaign during lockdown"]  # risk:2's area


def test_the_public_sees_only_records_marked_public(seeded):
    with workspace.opened(seeded) as records:
        history.change(records, "risk", 2, {"public": True}, "mo@cscp.test", note="for the public annual report")
    at = _open({"is_logged_in": False})
    register = next(d.value for d in at.dataframe if "risk" in d.value.columns)
    assert list(register["risk"]) == ["Increased domestic abuse and violence in the household"]
    assert not any(
        "verdict" in d.value.columns and not d.value.empty for d in at.dataframe
    )  # its actions are not public

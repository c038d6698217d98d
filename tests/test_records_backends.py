"""The working records' repository layer on both backends: the DuckDB file beside the store and a real
PostgreSQL server (CSCP_WORKSPACE_URL). Every test taking `records_store` runs on each."""

from __future__ import annotations

import pytest

from cscp_metrics.records import history, members, workspace


def test_numbered_migrations_are_applied_once(records_store):
    with workspace.opened(records_store) as records:
        first = records.rows("SELECT version FROM records_schema_version ORDER BY version")
    with workspace.opened(records_store) as records:  # reopening applies nothing twice
        again = records.rows("SELECT version FROM records_schema_version ORDER BY version")
        assert records.scalar("SELECT count(*) FROM risks") == 0
    numbers = [v for v, _ in workspace.migrations()]
    assert numbers == sorted(numbers) and numbers[:3] == [1, 2, 3]
    assert [r["version"] for r in first] == [r["version"] for r in again] == numbers


def test_members_keep_every_change_on_both_backends(records_store):
    with workspace.opened(records_store) as records:
        members.add(records, "Ana@Example.org", "analyst", by="setup")
        members.add(records, "pc@met.test", "agency:police", by="ana@example.org")
        members.add(records, "pc@met.test", "member", by="ana@example.org")
        members.remove(records, "pc@met.test", by="ana@example.org")
    with workspace.opened(records_store) as records:  # a new connection sees what the last one wrote
        assert [(m.email, m.role) for m in members.listed(records)] == [("ana@example.org", "analyst")]
        steps = [(h["action"], h["role"], h["previous_role"]) for h in members.history(records, "pc@met.test")]
    assert steps == [
        ("added", "agency:police", None),
        ("changed", "member", "agency:police"),
        ("removed", None, "member"),
    ]


def test_a_change_keeps_who_when_and_the_previous_value(records_store):
    with workspace.opened(records_store) as records:
        risk_id = history.create(
            records,
            "risk",
            {
                "title": "Reduced visibility",
                "owner": "Education",
                "likelihood": 4,
                "impact": 5,
                "status": "open",
                "reviewed_on": "2020-04-01",
            },
            by="ana@x.test",
            links={"indicator": ["referrals_rate"]},
        )
        history.change(
            records, "risk", risk_id, {"likelihood": 3, "impact": 5}, by="sam@x.test", note="schools reopened"
        )
    with workspace.opened(records_store) as records:
        log = [
            (c["field"], c["previous_value"], c["new_value"], c["changed_by"], c["note"])
            for c in history.changes(records, "risk", risk_id)
        ]
        assert history.row(records, "risk", risk_id)["likelihood"] == 3
    assert log == [
        ("created", None, "Reduced visibility", "ana@x.test", None),
        ("indicator", None, "referrals_rate", "ana@x.test", None),
        ("likelihood", "4", "3", "sam@x.test", "schools reopened"),
    ]


def test_a_failure_part_way_stores_nothing(records_store):
    with workspace.opened(records_store) as records, pytest.raises(ValueError, match="unknown link"):
        history.create(
            records,
            "risk",
            {"title": "T", "owner": "O", "likelihood": 1, "impact": 1, "status": "open", "reviewed_on": "2020-04-01"},
            by="t",
            links={"colour": ["red"]},
        )
    with workspace.opened(records_store) as records:
        assert records.scalar("SELECT count(*) FROM risks") == 0
        assert records.scalar("SELECT count(*) FROM record_changes") == 0


def test_an_unreachable_server_is_a_message_without_the_password(monkeypatch, tmp_path):
    monkeypatch.setenv("CSCP_WORKSPACE_URL", "postgresql://cscp:s3cret-pw@127.0.0.1:1/records")
    with pytest.raises(workspace.WorkspaceError) as refused, workspace.opened(tmp_path / "s.duckdb"):
        pass
    assert "127.0.0.1:1/records" in str(refused.value) and "s3cret-pw" not in str(refused.value)


def test_a_url_that_is_not_postgresql_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("CSCP_WORKSPACE_URL", "mysql://db/records")
    with (
        pytest.raises(workspace.WorkspaceError, match="must start with postgresql://"),
        workspace.opened(tmp_path / "s.duckdb"),
    ):
        pass

"""Members and roles in the working records beside the store: history kept, bad input refused, CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.records import members, workspace


def test_records_live_beside_the_store_and_keep_every_change(tmp_path):
    store = tmp_path / "cscp.duckdb"
    with workspace.opened(store) as records:
        members.add(records, " Ana@Example.ORG ", "analyst", by="setup")
        members.add(records, "pc@met.test", "agency:police", by="ana@example.org")
        members.add(records, "pc@met.test", "member", by="ana@example.org")
        members.add(records, "pc@met.test", "member", by="ana@example.org")  # unchanged: no event
        assert members.remove(records, "pc@met.test", by="ana@example.org") == "member"
    assert (tmp_path / "cscp.workspace.duckdb").exists()
    with workspace.opened(store) as records:  # a new connection: everything was written, not held in memory
        assert [(m.email, m.role) for m in members.listed(records)] == [("ana@example.org", "analyst")]
        steps = [
            (h["action"], h["role"], h["previous_role"], h["changed_by"])
            for h in members.history(records, "pc@met.test")
        ]
        assert members.role_of(records, "PC@met.test") is None
        assert members.role_of(records, "ana@example.org") == members.Role("analyst")
    assert steps == [
        ("added", "agency:police", None, "ana@example.org"),
        ("changed", "member", "agency:police", "ana@example.org"),
        ("removed", None, "member", "ana@example.org"),
    ]


@pytest.mark.parametrize(
    "role, problem",
    [
        ("admin", "is not one of"),
        ("agency:", "is not one of"),
        ("agency:Police Force", "is not one of"),
        ("agency:fire", "not in the store's agencies"),
    ],
)
def test_bad_roles_are_refused_and_nothing_stored(tmp_path, role, problem):
    with workspace.opened(tmp_path / "s.duckdb") as records:
        with pytest.raises(ValueError, match=problem):
            members.add(records, "x@y.org", role, by="t", known_agencies={"police", "health"})
        with pytest.raises(ValueError, match="not an email address"):
            members.add(records, "not-an-email", "member", by="t")
        assert members.listed(records) == [] and members.history(records) == []


def test_what_each_role_may_do():
    analyst, member, police = members.Role("analyst"), members.Role("member"), members.parse_role("agency:police")
    assert analyst.uploads and analyst.manages_members
    assert not member.uploads and not member.manages_members
    assert police.uploads and not police.manages_members and police.agency == "police"
    assert police.label == "member for police" and str(police) == "agency:police"


def test_cli_add_list_remove_with_exit_codes(demo_copy):
    run = CliRunner().invoke
    db = ["--db", str(demo_copy)]
    assert run(cli, ["members", "add", "ana@cscp.test", "--role", "analyst", *db]).exit_code == 0
    assert run(cli, ["members", "add", "pc@met.test", "--role", "agency:police", *db]).exit_code == 0
    refused = run(cli, ["members", "add", "fire@x.test", "--role", "agency:fire_service", *db])
    assert refused.exit_code == 2 and "not in the store's agencies" in refused.output and "police" in refused.output
    listed = run(cli, ["members", "list", "--format", "json", *db])
    assert [(m["email"], m["role"]) for m in json.loads(listed.output)] == [
        ("pc@met.test", "agency:police"),
        ("ana@cscp.test", "analyst"),
    ]
    assert run(cli, ["members", "remove", "pc@met.test", *db]).exit_code == 0
    again = run(cli, ["members", "remove", "pc@met.test", *db])
    assert again.exit_code == 2 and "is not a member" in again.output
    history = json.loads(run(cli, ["members", "list", "--history", "--format", "json", *db]).output)
    assert [h["action"] for h in history] == ["added", "added", "removed"]
    assert history[-1]["previous_role"] == "agency:police" and history[-1]["changed_by"].startswith("cli:")


def test_an_unreachable_postgresql_workspace_is_a_clear_refusal(tmp_path, monkeypatch):
    monkeypatch.setenv("CSCP_WORKSPACE_URL", "postgresql://127.0.0.1:1/cscp")
    result = CliRunner().invoke(
        cli, ["members", "add", "a@b.test", "--role", "member", "--db", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2 and "127.0.0.1:1/cscp (CSCP_WORKSPACE_URL) cannot be opened" in result.output
    assert not (tmp_path / "s.workspace.duckdb").exists()

"""Recommendations and actions: overdue worked out from dates by hand, done needs evidence, bad input refused
whole on both backends, and the difference an action made against a change test computed here."""

from __future__ import annotations

import json
from datetime import date

import pytest
from scipy.stats import binomtest, norm
from typer.testing import CliRunner

from cscp_metrics.cli import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.periods import Period
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import actions, history, workspace
from cscp_metrics.records.refusals import Refused
from cscp_metrics.scrutiny.indicator_evidence import movement
from cscp_metrics.store import connection as store


def owner_of(text: str) -> str:
    if text not in ("police", "local_authority"):
        raise Refused(f"owner {text!r} is not an agency, a member or a partnership group")
    return text


def _add(records, **overrides) -> actions.Action:
    fields = {
        "title": "Refresh the MASH threshold guidance",
        "source": "board",
        "owner": "local_authority",
        "due": "2020-09-30",
        "started_on": "2020-04-01",
    } | overrides
    return actions.add(records, fields, "ana@x.test", load_registry(), owner_of, date(2020, 4, 1))


@pytest.mark.parametrize(
    "as_of, status, days",
    [
        (date(2020, 9, 29), "not started", 0),
        (date(2020, 9, 30), "not started", 0),
        (date(2020, 10, 1), "overdue", 1),
        (date(2020, 12, 31), "overdue", 92),
    ],
)
def test_overdue_is_the_day_after_the_due_date(as_of, status, days):
    action = actions.Action(
        action_id=1,
        title="t",
        source_kind="board",
        source_id=None,
        owner="o",
        started_on=date(2020, 4, 1),
        due=date(2020, 9, 30),
        status="not started",
        evidence=None,
        done_on=None,
        area=None,
        public=False,
        indicators=(),
    )
    assert (action.status_on(as_of), action.days_overdue(as_of)) == (status, days)


def test_done_needs_evidence_and_stops_the_clock(records_store):
    with workspace.opened(records_store) as records:
        action = _add(records)
        with pytest.raises(Refused, match="needs --evidence of completion"):
            actions.update(records, action.action_id, {"status": "done"}, "sam@x.test", date(2020, 11, 2))
        actions.update(records, action.action_id, {"status": "on track"}, "sam@x.test", date(2020, 6, 1))
        done = actions.update(
            records,
            action.action_id,
            {"status": "done", "evidence": "Guidance published 2 Nov 2020"},
            "sam@x.test",
            date(2020, 11, 2),
        )
        log = [
            (c["field"], c["previous_value"], c["new_value"])
            for c in history.changes(records, "action", action.action_id)
        ]
    assert done.done_on == date(2020, 11, 2)
    assert (
        done.status_on(date(2020, 10, 15)) == "overdue" and done.days_overdue(date(2020, 10, 15)) == 15
    )  # not done yet then
    assert done.status_on(date(2021, 1, 1)) == "done" and done.days_overdue(date(2021, 1, 1)) == 0
    assert log == [
        ("created", None, "Refresh the MASH threshold guidance"),
        ("status", "not started", "on track"),
        ("status", "on track", "done"),
        ("evidence", None, "Guidance published 2 Nov 2020"),
        ("done_on", None, "2020-11-02"),
    ]


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"due": "2020-02-30"}, "due: Input should be a valid date"),
        ({"source": "weather:1"}, "source 'weather:1' is not KIND[:ID]"),
        ({"source": "audit:7"}, "there is no audit #7"),
        ({"indicators": ("nope",)}, "unknown indicator 'nope'"),
        ({"owner": "Fire brigade"}, "owner 'Fire brigade'"),
    ],
)
def test_bad_input_is_refused_whole(records_store, overrides, problem):
    with workspace.opened(records_store) as records:
        with pytest.raises(Refused, match=problem.replace("[", r"\[").replace("(", r"\(")):
            _add(records, **overrides)
        assert (
            records.scalar("SELECT count(*) FROM actions") + records.scalar("SELECT count(*) FROM record_changes") == 0
        )


def test_overdue_list_leads_with_the_most_overdue(records_store):
    with workspace.opened(records_store) as records:
        _add(records, title="Due in September", due="2020-09-30")
        _add(records, title="Due in July", due="2020-07-31")
        _add(records, title="Due next year", due="2021-06-30")
        listed = [(a.title, a.days_overdue(date(2020, 10, 1))) for a in actions.listed(records, date(2020, 10, 1))]
        overdue = [a.title for a in actions.listed(records, date(2020, 10, 1), overdue_only=True)]
    assert listed == [("Due in July", 62), ("Due in September", 1), ("Due next year", 0)]
    assert overdue == ["Due in July", "Due in September"]


def test_the_difference_an_action_made_against_a_test_done_by_hand(demo_db):
    con, registry = store.connect(demo_db, read_only=True), load_registry()
    moved = movement(con, "rhi_completed", date(2020, 4, 1), date(2021, 3, 31), False, registry)
    count = movement(con, "referrals", date(2020, 4, 1), date(2021, 3, 31), False, registry)
    since, before = Period.span(date(2020, 4, 1), date(2021, 3, 31)), Period.span(date(2019, 4, 1), date(2020, 3, 31))
    now, then = (compute(con, "rhi_completed", p).iloc[0] for p in (since, before))
    referrals_now, referrals_then = (compute(con, "referrals", p).iloc[0]["numerator"] for p in (since, before))
    con.close()
    pooled = (now["numerator"] + then["numerator"]) / (now["denominator"] + then["denominator"])
    z = (now["value"] / 100 - then["value"] / 100) / (
        pooled * (1 - pooled) * (1 / now["denominator"] + 1 / then["denominator"])
    ) ** 0.5
    assert moved.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)
    assert moved.direction == "better" and moved.before_value == pytest.approx(then["value"])
    assert (
        f"{then['value']:.1f}% before (Apr 2019 to Mar 2020), {now['value']:.1f}% since (Apr 2020 to Mar 2021); "
        "beyond normal variation (p < 0.001), better" in moved.sentence
    )
    exact = binomtest(int(referrals_now), int(referrals_now + referrals_then), 0.5).pvalue  # equal runs of 12 months
    expected = "similar" if exact >= 0.05 else ("lower" if referrals_now < referrals_then else "higher")
    assert count.p_value == pytest.approx(exact, rel=1e-9) and count.direction == expected


def test_cli_action_add_update_list(demo_copy):
    run, db = CliRunner().invoke, ["--db", str(demo_copy)]
    assert (
        run(
            cli,
            [
                "risk",
                "add",
                "Missing children not seen",
                "--owner",
                "local_authority",
                "--likelihood",
                "3",
                "--impact",
                "4",
                *db,
            ],
        ).exit_code
        == 0
    )
    added = run(
        cli,
        [
            "action",
            "add",
            "Return home interviews within 72 hours",
            "--source",
            "risk:1",
            "--owner",
            "local_authority",
            "--due",
            "2020-09-30",
            "--start",
            "2020-04-01",
            "--indicator",
            "rhi_completed",
            *db,
        ],
    )
    assert added.exit_code == 0 and "action #1 recorded (risk:1)" in added.output
    for bad, message in (
        (["--source", "risk:5"], "there is no risk #5"),
        (["--due", "2020-09-31"], "due: Input should be a valid date"),
        (["--owner", "Nobody"], "owner 'Nobody'"),
    ):
        args = {"--source": "board", "--owner": "police", "--due": "2020-09-30"} | dict(zip(bad[::2], bad[1::2]))
        refused = run(cli, ["action", "add", "Refused action", *[x for kv in args.items() for x in kv], *db])
        assert refused.exit_code == 2 and message in refused.output and "Traceback" not in refused.output
    assert run(cli, ["action", "update", "1", "--status", "overdue", *db]).exit_code == 2
    overdue = json.loads(
        run(cli, ["action", "list", "--overdue", "--as-of", "2020-10-01", "--format", "json", *db]).output
    )
    assert [(a["action_id"], a["status_on"], a["days_overdue"]) for a in overdue] == [(1, "overdue", 1)]
    assert (
        "before (Oct 2019 to Mar 2020)" in overdue[0]["impact"][0]
        and "since (Apr 2020 to Sep 2020)" in overdue[0]["impact"][0]
    )
    assert run(cli, ["action", "update", "1", "--status", "done", "--evidence", "RHI audit", *db]).exit_code == 0
    assert json.loads(run(cli, ["action", "list", "--overdue", "--format", "json", *db]).output) == []

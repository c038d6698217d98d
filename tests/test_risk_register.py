"""The risk register: score and rating bands by hand, history on both backends, bad input refused whole, the
'flagged for review' rule against a change test computed here with scipy, and the `cscp risk` commands."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from scipy.stats import norm
from typer.testing import CliRunner

from cscp_metrics.cli import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.periods import Period
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import risks, workspace
from cscp_metrics.records.refusals import Refused
from cscp_metrics.scrutiny import risk_register
from cscp_metrics.store import connection as store

# NPSA 5x5 matrix, written out: low 1-3, moderate 4-6, high 8-12, extreme 15-25
BY_HAND = {
    1: "low",
    2: "low",
    3: "low",
    4: "moderate",
    5: "moderate",
    6: "moderate",
    8: "high",
    9: "high",
    10: "high",
    12: "high",
    15: "extreme",
    16: "extreme",
    20: "extreme",
    25: "extreme",
}
KNOWN = {"police": "police", "education": "education", "quality assurance subgroup": "Quality Assurance Subgroup"}


def _risk(**overrides) -> dict:
    return {
        "title": "Increased domestic abuse",
        "owner": "police",
        "likelihood": 4,
        "impact": 4,
        "indicators": ("dva_contacts_share",),
        "area": "domestic_abuse",
    } | overrides


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_score_is_likelihood_times_impact_and_rated_in_its_band(likelihood, impact):
    risk = risks.Risk(
        risk_id=1,
        title="t",
        description=None,
        owner="o",
        likelihood=likelihood,
        impact=impact,
        area=None,
        controls=None,
        review_by=None,
        status="open",
        reviewed_on=date(2020, 4, 1),
        public=False,
        indicators=(),
    )
    assert risk.score == likelihood * impact
    assert risk.rating == BY_HAND[likelihood * impact]
    assert (
        risk.as_dict()["label"]
        == f"{BY_HAND[likelihood * impact]} (score {likelihood * impact} = likelihood {likelihood} x impact {impact})"
    )


def test_register_keeps_every_review_with_its_previous_value(records_store):
    registry = load_registry()
    with workspace.opened(records_store) as records:
        first = risks.add(records, _risk(), "ana@x.test", registry, KNOWN, date(2020, 4, 1))
        risks.add(
            records,
            _risk(title="Reduced visibility of children", likelihood=5, impact=5, owner="Education"),
            "ana@x.test",
            registry,
            KNOWN,
            date(2020, 4, 1),
        )
        risks.update(
            records,
            first.risk_id,
            {"likelihood": 2, "note": "MARAC referrals steady"},
            "sam@x.test",
            KNOWN,
            date(2020, 7, 1),
        )
    with workspace.opened(records_store) as records:
        listed = risks.listed(records)
        log = [
            (c["field"], c["previous_value"], c["new_value"], c["changed_by"])
            for c in risks.history.changes(records, "risk", first.risk_id)
        ]
    assert [(r.title, r.score, r.owner) for r in listed] == [
        ("Reduced visibility of children", 25, "education"),
        ("Increased domestic abuse", 8, "police"),
    ]
    assert listed[1].reviewed_on == date(2020, 7, 1) and listed[1].indicators == ("dva_contacts_share",)
    assert log == [
        ("created", None, "Increased domestic abuse", "ana@x.test"),
        ("indicator", None, "dva_contacts_share", "ana@x.test"),
        ("likelihood", "4", "2", "sam@x.test"),
        ("reviewed_on", "2020-04-01", "2020-07-01", "sam@x.test"),
    ]


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"likelihood": 0}, "likelihood: Input should be greater than or equal to 1"),
        ({"impact": 6}, "impact: Input should be less than or equal to 5 (got 6)"),
        ({"review_by": "2020-02-30"}, "review_by: Input should be a valid date"),
        ({"indicators": ("dva_contacts_share", "no_such_indicator")}, "unknown indicator 'no_such_indicator'"),
        ({"owner": "Fire brigade"}, "owner 'Fire brigade' is not an agency, a member or a partnership group"),
        ({"area": "weather"}, "unknown priority area 'weather'"),
    ],
)
def test_bad_input_is_refused_whole(records_store, overrides, problem):
    with workspace.opened(records_store) as records:
        with pytest.raises(Refused, match=problem.replace("(", r"\(").replace(")", r"\)")):
            risks.add(records, _risk(**overrides), "t", load_registry(), KNOWN, date(2020, 4, 1))
        assert records.scalar("SELECT count(*) FROM risks") == 0
        assert (
            records.scalar("SELECT count(*) FROM record_changes") + records.scalar("SELECT count(*) FROM record_links")
            == 0
        )


def _two_proportion_p(x1: float, n1: float, x0: float, n0: float) -> float:
    pooled = (x1 + x0) / (n1 + n0)
    z = (x1 / n1 - x0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    return 2 * norm.sf(abs(z))


def test_a_risk_is_flagged_when_a_linked_indicator_worsened_beyond_normal_variation(demo_db, tmp_path):
    registry, con = load_registry(), store.connect(demo_db, read_only=True)
    since, before = Period.span(date(2020, 4, 1), date(2021, 3, 31)), Period.span(date(2019, 4, 1), date(2020, 3, 31))
    now, then = (compute(con, "camhs_contacted_4_weeks", p).iloc[0] for p in (since, before))
    p_by_hand = _two_proportion_p(now["numerator"], now["denominator"], then["numerator"], then["denominator"])
    assert p_by_hand < 0.05 and now["value"] < then["value"]  # high is good: fewer contacted within 4 weeks is worse
    with workspace.opened(tmp_path / "s.duckdb") as records:
        moved = risks.add(
            records,
            _risk(
                title="CAMHS waits",
                owner="Quality Assurance Subgroup",
                indicators=("camhs_contacted_4_weeks",),
                area=None,
            ),
            "t",
            registry,
            KNOWN,
            date(2020, 4, 1),
        )
        steady = risks.add(records, _risk(), "t", registry, KNOWN, date(2020, 4, 1))
        closed = risks.update(records, moved.risk_id, {"status": "closed"}, "t", KNOWN, date(2020, 4, 1))
        reopened = risks.update(records, moved.risk_id, {"status": "open"}, "t", KNOWN, date(2020, 4, 1))
    until = risk_register.data_until(con)
    flagged = risk_register.risk_entry(con, reopened, "2020-21", until, False, registry)
    quiet = risk_register.risk_entry(con, steady, "2020-21", until, False, registry)
    shut = risk_register.risk_entry(con, closed, "2020-21", until, False, registry)
    con.close()
    assert until == date(2021, 3, 31)
    assert (
        flagged["flagged_for_review"]
        and "worsened beyond normal variation since the last review (2020-04-01)" in flagged["flag_reason"]
    )
    assert (
        f"{then['value']:.0f}% before (Apr 2019 to Mar 2020), {now['value']:.0f}% since"
        in flagged["linked"][0]["since_last_review"]
    )
    assert f"p = {p_by_hand:.3f}" in flagged["linked"][0]["since_last_review"]
    assert not quiet["flagged_for_review"] and "within normal variation" in quiet["linked"][0]["since_last_review"]
    assert not shut["flagged_for_review"]  # a closed risk is not for review


def test_latest_finding_comes_from_where_to_look(demo_db, tmp_path):
    con = store.connect(demo_db, read_only=True)
    england = con.execute(
        "SELECT value FROM benchmarks WHERE indicator_id = 'cp_over_2_years' AND period = '2019-20' "
        "AND area_code = 'E92000001'"
    ).fetchone()[0]
    local = compute(con, "cp_over_2_years", "2019-20").iloc[0]
    with workspace.opened(tmp_path / "s.duckdb") as records:
        risk = risks.add(
            records, _risk(indicators=("cp_over_2_years",), area=None), "t", load_registry(), KNOWN, date(2020, 4, 1)
        )
    entry = risk_register.risk_entry(con, risk, "2019-20", date(2021, 3, 31), False, load_registry())
    con.close()
    assert local["lower_ci"] > england  # significantly higher than England, and long plans are worse
    assert entry["linked"][0]["finding"] == "higher than England, worse"


def test_cli_risk_add_update_list_show(demo_copy):
    run, db = CliRunner().invoke, ["--db", str(demo_copy)]
    added = run(
        cli,
        [
            "risk",
            "add",
            "Heightened risk to vulnerable adolescents",
            "--owner",
            "Vulnerable Adolescents Strategy Group",
            "--likelihood",
            "4",
            "--impact",
            "5",
            "--indicator",
            "rhi_completed",
            "--area",
            "vulnerable_adolescents",
            "--review-by",
            "2020-09-30",
            *db,
        ],
    )
    assert added.exit_code == 0 and "risk #1 recorded: extreme (score 20" in added.output
    for bad, message in (
        (["--likelihood", "9"], "likelihood: Input should be less than or equal to 5"),
        (["--review-by", "2020-13-01"], "review_by: Input should be a valid date"),
        (["--indicator", "made_up"], "unknown indicator 'made_up'"),
        (["--owner", "Nobody"], "owner 'Nobody'"),
    ):
        args = {"--owner": "police", "--likelihood": "2", "--impact": "2"}
        args.update(dict(zip(bad[::2], bad[1::2])))
        refused = run(cli, ["risk", "add", "Refused risk", *[x for kv in args.items() for x in kv], *db])
        assert refused.exit_code == 2 and message in refused.output and "Traceback" not in refused.output
    assert (
        run(cli, ["risk", "update", "1", "--impact", "3", "--note", "Exploitation team in place", *db]).exit_code == 0
    )
    assert run(cli, ["risk", "update", "9", "--impact", "3", *db]).exit_code == 2
    listed = json.loads(run(cli, ["risk", "list", "--format", "json", *db]).output)
    assert [(r["risk_id"], r["score"], r["rating"]) for r in listed] == [(1, 12, "high")]
    assert listed[0]["linked"][0]["indicator_id"] == "rhi_completed" and listed[0]["linked"][0]["period"] == "2019-20"
    shown = json.loads(run(cli, ["risk", "show", "1", "--format", "json", *db]).output)
    # added and reviewed today: the review date does not change, so the history is the creation, its link and the impact
    assert [(h["field"], h["previous_value"], h["new_value"], h["note"]) for h in shown["history"]] == [
        ("created", None, "Heightened risk to vulnerable adolescents", None),
        ("indicator", None, "rhi_completed", None),
        ("impact", "5", "3", "Exploitation team in place"),
    ]
    assert shown["history"][0]["changed_by"].startswith("cli:")

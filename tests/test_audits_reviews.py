"""Audits with their grade distribution and practice reviews with their themes, on both backends: the
percentages and the recommendations' progress computed by hand, bad input refused whole, and the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from cscp_metrics.cli import app as cli
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import actions, audits, workspace
from cscp_metrics.records.refusals import Refused

AGENCIES = {"police", "local_authority", "camhs"}
AUDIT = {
    "kind": "multi-agency themed",
    "title": "Adolescent mental health",
    "period": "2019-20",
    "agencies": ("camhs", "local_authority"),
    "sample_size": 12,
    "grades": {"good": 7, "outstanding": 2, "requires improvement": 3},
}


def test_grade_distribution_and_recommendation_progress(records_store):
    registry = load_registry()
    with workspace.opened(records_store) as records:
        audit_id = audits.add_audit(records, AUDIT, "ana@x.test", registry, AGENCIES)
        for title, due in (
            ("New protocol on adolescent mental health", "2020-06-30"),
            ("Track 16-year-olds into adult services", "2020-09-30"),
            ("Update the audit template for the voice of the child", "2021-03-31"),
        ):
            actions.add(
                records,
                {
                    "title": title,
                    "source": f"audit:{audit_id}",
                    "owner": "camhs",
                    "due": due,
                    "started_on": "2020-04-01",
                },
                "ana@x.test",
                registry,
                str,
                date(2020, 4, 1),
            )
        actions.update(
            records, 1, {"status": "done", "evidence": "Protocol signed off"}, "sam@x.test", date(2020, 6, 1)
        )
        entry = audits.audit_entry(records, audit_id, date(2020, 10, 1))
    assert entry["agencies"] == ["camhs", "local_authority"] and entry["graded_cases"] == 12
    assert [(g["grade"], g["cases"], g["percent"]) for g in entry["grades"]] == [
        ("outstanding", 2, 16.7),
        ("good", 7, 58.3),
        ("requires improvement", 3, 25.0),
    ]  # 2/12, 7/12, 3/12
    assert (entry["done"], entry["overdue"], entry["total"]) == (1, 1, 3)
    assert entry["progress"] == "1 of 3 done, 1 overdue"


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"kind": "peer review"}, "kind: Input should be 'multi-agency themed'"),
        ({"period": "2019-13"}, "'2019-13' is not a period"),
        ({"agencies": ("fire",)}, "unknown agency 'fire'"),
        ({"grades": {"brilliant": 2}}, "Input should be 'outstanding', 'good'"),
        ({"grades": {"good": 13}}, "the grades add up to 13 cases, more than the sample of 12"),
    ],
)
def test_bad_audits_are_refused_whole(records_store, overrides, problem):
    with workspace.opened(records_store) as records:
        with pytest.raises(Refused, match=problem.replace("(", r"\(")):
            audits.add_audit(records, AUDIT | overrides, "t", load_registry(), AGENCIES)
        counts = [
            records.scalar(f"SELECT count(*) FROM {t}")
            for t in ("audits", "audit_grades", "record_links", "record_changes")
        ]
    assert counts == [0, 0, 0, 0]


def test_practice_reviews_keep_their_themes(records_store):
    with workspace.opened(records_store) as records:
        review_id = audits.add_review(
            records,
            {
                "kind": "rapid review",
                "title": "Child with complex medical needs",
                "held_on": "2020-01-15",
                "themes": ("complex medical needs", "SUDI"),
            },
            "t",
            load_registry(),
        )
        with pytest.raises(Refused, match="held_on: Input should be a valid date"):
            audits.add_review(
                records, {"kind": "rapid review", "title": "Bad date", "held_on": "2020-02-30"}, "t", load_registry()
            )
        entry = audits.review_entry(records, review_id, date(2020, 4, 1))
        assert records.scalar("SELECT count(*) FROM reviews") == 1
    assert entry["themes"] == ["SUDI", "complex medical needs"] and entry["progress"] == "no recommendations recorded"


def test_cli_audit_and_review(demo_copy):
    run, db = CliRunner().invoke, ["--db", str(demo_copy)]
    added = run(
        cli,
        [
            "audit",
            "add",
            "Older children in need of help and protection",
            "--kind",
            "multi-agency themed",
            "--period",
            "2019-20",
            "--agency",
            "police",
            "--agency",
            "camhs",
            "--sample",
            "8",
            "--grade",
            "good=6",
            "--grade",
            "requires improvement=2",
            *db,
        ],
    )
    assert added.exit_code == 0 and "audit #1 recorded" in added.output
    refused = run(
        cli, ["audit", "add", "Bad grades", "--kind", "single-agency", "--period", "2019-20", "--grade", "good", *db]
    )
    assert refused.exit_code == 2 and "is not GRADE=CASES" in refused.output
    shown = json.loads(run(cli, ["audit", "show", "1", *db]).output)
    assert [(g["grade"], g["percent"]) for g in shown["grades"]] == [("good", 75.0), ("requires improvement", 25.0)]
    assert (
        run(
            cli,
            [
                "review",
                "add",
                "It was hard to escape",
                "--kind",
                "national panel report",
                "--date",
                "2020-03-05",
                "--theme",
                "criminal exploitation",
                *db,
            ],
        ).exit_code
        == 0
    )
    assert json.loads(run(cli, ["review", "list", "--format", "json", *db]).output)[0]["themes"] == [
        "criminal exploitation"
    ]

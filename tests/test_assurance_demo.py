"""The demo's assurance records follow its annual report, and seeding twice adds nothing."""

from __future__ import annotations

from datetime import date

from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import actions, assurance_demo, audits, risks, section11_compare, workspace
from cscp_metrics.scrutiny import risk_register
from cscp_metrics.store import connection as store


def test_demo_register_audits_reviews_and_actions(demo_db, tmp_path):
    with workspace.opened(tmp_path / "cscp.duckdb") as records:
        assurance_demo.seed(records)
        assert assurance_demo.seed(records) == ["the working records already hold assurance records: nothing added"]
        register = risks.listed(records)
        overdue = actions.listed(records, date(2021, 3, 31), overdue_only=True)
        audit_titles = [a["title"] for a in audits.listed(records, "audit", date(2021, 3, 31))]
        review_kinds = {r["kind"] for r in audits.listed(records, "review", date(2021, 3, 31))}
        compared = section11_compare.compare(records)
    assert len(register) == 6 and register[0].score == 20 and "domestic abuse" in register[1].title
    assert audit_titles == [
        "Adolescent mental health",
        "Older children in need of help and protection",
        "Effective safeguarding supervision",
    ]
    assert review_kinds == {"rapid review", "national panel report"}
    # as of 31 March 2021, by hand: 30 Nov 2020 + 121 days, 31 Dec 2020 + 90 days (twice)
    assert [(a.title[:20], a.days_overdue(date(2021, 3, 31))) for a in overdue] == [
        ("Audit of school nurs", 121),
        ("Reflective space for", 90),
        ("Safe sleep conversat", 90),
    ]
    assert (compared["round"], compared["previous_round"], len(compared["agencies"])) == ("2019", "2018", 8)
    con = store.connect(demo_db, read_only=True)
    flagged = [
        risk_register.risk_entry(con, r, "2019-20", date(2021, 3, 31), False, load_registry())["flagged_for_review"]
        for r in register
    ]
    con.close()
    assert sum(flagged) >= 1  # CAMHS contacts within 4 weeks fell beyond normal variation after April 2020


def test_the_board_from_one_read_of_the_records_shows_what_each_records_function_reads(demo_db, tmp_path):
    """The app reads the records once and keeps the read while they are unchanged, across store publishes."""
    from cscp_metrics.scrutiny import assurance_board

    as_of = date(2021, 3, 31)
    with workspace.opened(tmp_path / "cscp.duckdb") as records:
        assurance_demo.seed(records)
        read = assurance_board.read_records(records, as_of)
        audit_titles = [a["title"] for a in audits.listed(records, "audit", as_of)]
        review_titles = [r["title"] for r in audits.listed(records, "review", as_of)]
        action_statuses = [a.status_text(as_of) for a in actions.listed(records, as_of)]
    con = store.connect(demo_db, read_only=True)
    board = assurance_board.board(con, read, False)
    public = assurance_board.board(con, read, True)
    con.close()
    assert board.as_of == as_of and len(board.risks) == 6  # as of the day the records were read
    assert board.audits["title"].tolist() == audit_titles and board.reviews["title"].tolist() == review_titles
    assert board.actions["status"].tolist() == action_statuses and board.s11_round == "2019"
    # the demo marks none of its records public: the public board shows none of what the members' board shows
    assert not board.actions.empty and not board.audits.empty and not board.s11.empty
    assert public.risks.empty and public.actions.empty and public.audits.empty and public.s11.empty

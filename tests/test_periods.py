"""Periods are typed: a month is never a financial year, and every period compares with its own kind."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from cscp_metrics.indicators import summary
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.periods import Period, parse_period
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.store import aggregates
from cscp_metrics.store.loading import load_file


def _referrals(tmp_path, dates: list[str]):
    rows = "".join(f"C{i},R{i},{day},police\n" for i, day in enumerate(dates))
    path = tmp_path / "refs.csv"
    path.write_text("child_id,referral_id,referral_date,source\n" + rows)
    return path


def test_financial_year_2011_12_and_december_2011_are_different_periods_after_an_aggregate_build(empty_store, tmp_path):
    # 3 referrals in December 2011, 9 more elsewhere in April 2011 - March 2012, 2 outside it
    dates = (
        ["2011-12-01", "2011-12-15", "2011-12-31"]
        + [f"2011-{m:02d}-10" for m in range(4, 12)]
        + ["2012-03-31"]
        + ["2011-03-31", "2012-04-01"]
    )
    assert load_file(empty_store, "referrals", _referrals(tmp_path, dates)).ok
    aggregates.build(empty_store)
    year = compute(empty_store, "referrals", "2011-12")
    assert len(year) == 1 and year["numerator"].iloc[0] == 12 and year["period"].iloc[0] == "2011-12"
    month = compute(empty_store, "referrals", "Dec 2011")
    assert len(month) == 1 and month["numerator"].iloc[0] == 3 and month["period"].iloc[0] == "Dec 2011"
    stored = empty_store.execute(
        "SELECT period, period_kind FROM measure_aggregates WHERE measure_id = 'referrals' "
        "AND dimension = '' AND period_start = DATE '2011-12-01'"
    ).fetchall()
    assert ("Dec 2011", "month") in stored and not [
        label for label, kind in stored if kind == "month" and label == "2011-12"
    ]


def test_the_ambiguous_month_form_is_refused_with_a_message_saying_how_to_write_each():
    with pytest.raises(
        ValueError, match=r"2011-12 is the financial year April 2011 to March 2012; December 2011 is written Dec 2011"
    ):
        parse_period("2011-12", "month")
    assert parse_period("2011-12").kind == "year"
    assert parse_period("Dec 2011") == parse_period("December 2011") == Period.month(2011, 12)
    assert parse_period("2019-06").label == "Jun 2019"  # cannot be a financial year: a month
    with pytest.raises(ValueError, match="Jun 2019"):
        parse_period("2019-13")


def test_cli_says_how_december_2011_is_written(demo_db):
    out = subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "metric", "referrals", "--period", "2011-12", "--db", str(demo_db)],
        capture_output=True,
        text=True,
    )
    assert "December 2011 is written Dec 2011" in out.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "metric", "--help"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
    ).stdout
    assert "Dec 2011" in help_text


def test_previous_and_same_period_last_year_keep_the_kind():
    june = parse_period("2019-06")
    assert (june.previous().label, june.same_period_last_year().label) == ("May 2019", "Jun 2018")
    q1 = parse_period("2019-20-Q1")
    assert (q1.previous().label, q1.same_period_last_year().label) == ("2018-19-Q4", "2018-19-Q1")
    assert parse_period("Jan 2020").previous() == Period.month(2019, 12)
    assert parse_period("2019-20").previous().label == "2018-19"
    assert (q1.start, q1.end, parse_period("2019-20-Q4").start) == (
        date(2019, 4, 1),
        date(2019, 6, 30),
        date(2020, 1, 1),
    )


def _hand_count(con, year: int, month: int) -> int:
    return con.execute(
        "SELECT count(*) FROM referrals WHERE year(referral_date) = ? AND month(referral_date) = ?", [year, month]
    ).fetchone()[0]


def test_a_month_tile_compares_with_the_same_month_in_earlier_years(demo_con):
    tile = summary.tile(demo_con, "referrals", "2019-06", "england", public=False)
    assert tile.value == _hand_count(demo_con, 2019, 6)
    assert list(tile.trend["period"]) == [f"Jun {y}" for y in range(2014, 2020)]
    last_year = tile.trend.iloc[-2]
    assert last_year["value"] == _hand_count(demo_con, 2018, 6) > 0  # June 2018, not the whole of 2018-19


def test_a_month_change_signal_compares_with_the_same_month_last_year(empty_store, tmp_path):
    from cscp_metrics.scrutiny.outliers import change_signals

    # June 2018: 5 referrals; the rest of 2018-19: 100; June 2019: 30 (a rise on June, a fall on the whole year)
    dates = (
        [f"2018-06-{d:02d}" for d in range(1, 6)]
        + [f"2018-{m:02d}-{d:02d}" for m in (7, 8, 9, 10) for d in range(1, 26)]
        + [f"2019-06-{d:02d}" for d in range(1, 31)]
    )
    assert load_file(empty_store, "referrals", _referrals(tmp_path, dates)).ok
    aggregates.build(empty_store)
    reg = load_registry()
    row = compute(empty_store, "referrals", "2019-06", registry=reg).iloc[0]
    [signal] = change_signals(empty_store, reg.indicators["referrals"], "2019-06", row, False, reg)
    assert signal.comparator == "same period last year (Jun 2018)"
    assert (signal.comparator_value, signal.value, signal.direction != "lower") == (5, 30, True)
    assert "rose from 5 in Jun 2018 to 30" in signal.sentence


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("2019-20-Q1", "2019-20 Q1 (April to June 2019)"),
        ("2019-20-Q4", "2019-20 Q4 (January to March 2020)"),
        ("Jun 2019", "June 2019"),
        ("2019-20", "2019-20"),
        ("2011-12", "2011-12"),  # a financial year, never December 2011
        ("not a period", "not a period"),
    ],
)
def test_a_period_is_written_in_words_where_a_sentence_shows_it(label, words):
    from cscp_metrics.indicators.periods import period_words

    assert period_words(label) == words


def test_a_period_in_a_list_is_written_briefly():
    from cscp_metrics.indicators.periods import period_words

    assert [period_words(x, brief=True) for x in ("2019-20-Q3", "Jun 2019", "2019-20")] == [
        "2019-20 Q3",
        "Jun 2019",
        "2019-20",
    ]


def test_the_variation_line_names_the_last_month_with_a_figure():
    import pandas as pd

    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.summary import spc_text

    months = [f"{2019 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(24)]  # Apr 2019 to Mar 2021
    values = [10.0 + (m % 3) for m in range(23)] + [float("nan")]
    monthly = pd.DataFrame({"period": months, "value": values})
    text = spc_text(load_registry().indicators["referrals"], monthly, None)
    assert text == "common cause in February 2021 (23-month chart)", text


def test_a_tiles_variation_names_the_month_it_judges(demo_con):
    from cscp_metrics.indicators.summary import tile

    # XmR judges the latest of the 24 months, so a year can be the highest of its run and end on a low month
    text = tile(demo_con, "re_referral_rate", "2019-20-Q3", "none", public=False).spc
    assert text.endswith(" in December 2019 (24-month chart)"), text

"""Every public breakdown the dashboard and the CLI can show: no count of 1-5 shown, and none derivable.

The checks here do not reuse the disclosure code: each view's shown cells are compared with the true (partnership)
values, and a hidden cell is worked out the way a reader would (the published total minus the shown cells)."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cscp_metrics import read_memo
from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators import summary
from cscp_metrics.indicators.disclosure import HIDDEN_FLAGS, NOT_RECORDED
from cscp_metrics.indicators.periods import fy_label
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.shown_cells import published
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.store import connection as store
from cscp_ui.charts import SHOWN_COLUMNS
from cscp_ui.filters import QUARTERS

# Every period the public view offers with CSCP_DISCLOSURE_ALL_PERIODS=1 (about 35 engine calls a breakdown);
# by default the latest full year of the demo and its quarters, which keeps the test well under a minute.
YEARS = [fy_label(y) for y in range(2014, 2021)]  # the demo's years on the filters
SWEPT_YEARS = YEARS if os.environ.get("CSCP_DISCLOSURE_ALL_PERIODS") else ["2019-20"]
PERIODS = [y if q == "all" else f"{y}-{q}" for y in SWEPT_YEARS for q in QUARTERS]
CLI_PERIODS = {"2019-20": "csv", "2019-20-Q2": "json"}  # the CLI runs the same engine and suppression
COUNTS = ("numerator", "denominator")


def _public_indicators():
    return [i for i in load_registry().indicators.values() if i.local and i.disclosure == "children"]


def _number(cell) -> float | None:
    if cell is None or cell == "c" or (isinstance(cell, str) and cell.strip() in ("", "nan", "None")):
        return None
    value = float(cell)
    return None if np.isnan(value) else value


def _small(x: float | None) -> bool:
    return x is not None and 1 <= x <= 5


def _hidden_cells(shown: pd.DataFrame, col: str) -> list[bool]:
    """Which cells of a column a view hides: in a column of numbers (the engine's frame) its flag column says,
    elsewhere (CSV, CLI) a 'c'."""
    if pd.api.types.is_numeric_dtype(shown[col]) and HIDDEN_FLAGS[col] in shown:
        return shown[HIDDEN_FLAGS[col]].astype(bool).tolist()
    return [cell == "c" for cell in shown[col]]


def leaks(shown: pd.DataFrame, true: pd.DataFrame, totals_shown: pd.Series, totals_true: pd.Series) -> list[str]:
    """What a reader of one public view could learn: a shown count of 1-5; a rate or interval shown for a count
    of 1-5 (with the denominator it gives the count back); a hidden count of 1-5 that is the published total
    minus the shown cells (one hidden cell, or the sum of several)."""
    found = []
    true = true.set_index(true["breakdown_value"].astype(object).where(true["breakdown_value"].notna(), NOT_RECORDED))
    names = shown["breakdown_value"].astype(object).where(shown["breakdown_value"].notna(), NOT_RECORDED)
    for name, (_, row) in zip(names, shown.iterrows()):
        real = true.loc[name]
        for col in COUNTS:
            if _small(_number(row[col])):
                found.append(f"{name}: {col} {row[col]} shown")
        if (_small(real["numerator"]) or _small(real["denominator"])) and any(
            _number(row[c]) is not None for c in ("value", "lower_ci", "upper_ci")
        ):
            found.append(f"{name}: rate shown for {real['numerator']} of {real['denominator']}")
    for col in COUNTS:
        flags = _hidden_cells(shown, col)
        hidden = [n for n, h in zip(names, flags) if h]
        found += [
            f"{n}: {col} hidden but holds {cell}"
            for n, cell, h in zip(names, shown[col], flags)
            if h and cell != "c" and _number(cell) is not None
        ]
        total = _number(totals_shown[col])
        adds_up = total is not None and np.isclose(pd.to_numeric(true[col], errors="coerce").sum(), totals_true[col])
        if hidden and adds_up:  # one hidden cell, or several that together are a quarter's total hidden elsewhere
            derived = total - sum(_number(c) or 0 for c, h in zip(shown[col], flags) if not h)
            if _small(derived):
                found.append(f"{', '.join(hidden)}: {col} = total {total:g} - shown = {derived:g}")
    return found


@pytest.fixture(scope="module")
def con(demo_db):
    connection = store.connect(demo_db, read_only=True)
    yield connection
    connection.close()


def test_no_public_breakdown_shows_or_gives_away_a_small_number(con, demo_db):
    """Every indicator x breakdown x period swept (engine frame, chart CSV and, for two periods, the CLI's CSV
    and JSON): the same cells hidden everywhere, and no leak."""
    checked_cells, problems, runner = 0, [], CliRunner()
    with read_memo.scope():  # the public and true breakdowns share their reads (the CLI reads its own store)
        for ind in [i for i in _public_indicators() if i.breakdowns]:
            totals_shown = summary.public_totals(con, ind, PERIODS, fast=True).set_index("period")
            totals_true = summary.public_totals(
                con, ind.model_copy(update={"disclosure": "none"}), PERIODS, fast=True
            ).set_index("period")
            for period in PERIODS:
                for dim in ind.breakdowns:
                    public = summary.breakdown(con, ind.id, period, dim, {}, public=True)
                    if public.empty:
                        continue
                    true = summary.breakdown(con, ind.id, period, dim, {}, public=False)
                    csv = pd.read_csv(
                        io.StringIO(
                            safe_for_spreadsheet(published(public).reindex(columns=SHOWN_COLUMNS)).to_csv(index=False)
                        ),
                        dtype=str,
                        keep_default_na=False,
                    )
                    views = {"engine": public, "chart CSV": csv}
                    if period in CLI_PERIODS:
                        fmt = CLI_PERIODS[period]
                        out = runner.invoke(
                            cli,
                            [
                                "metric",
                                ind.id,
                                "--period",
                                period,
                                "--by",
                                dim,
                                "--public",
                                "--db",
                                str(demo_db),
                                "--format",
                                fmt,
                            ],
                        )
                        views[f"CLI {fmt}"] = (
                            pd.DataFrame(json.loads(out.stdout))
                            if fmt == "json"
                            else pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
                        )
                    for view, frame in views.items():
                        frame = frame.assign(breakdown_value=frame["breakdown_value"].replace({"": None}))
                        checked_cells += len(frame) * len(COUNTS)
                        problems += [
                            f"{ind.id} {period} by {dim} ({view}): {p}"
                            for p in leaks(frame, true, totals_shown.loc[period], totals_true.loc[period])
                        ]
                        hidden = sorted(
                            frame.loc[_hidden_cells(frame, "numerator"), "breakdown_value"].fillna(NOT_RECORDED)
                        )
                        expected = sorted(public.loc[public["suppressed"], "breakdown_value"])
                        if hidden != expected:
                            problems.append(f"{ind.id} {period} by {dim}: {view} hides {hidden}, the chart {expected}")
    print(f"public count cells checked: {checked_cells}; problems: {len(problems)}")
    assert checked_cells > 5_000
    assert problems == [], f"{len(problems)} leaks, e.g.\n" + "\n".join(problems[:20])


def test_a_quarter_hidden_alone_is_not_given_away_by_its_year_and_the_other_quarters(con):
    """Tiles: the year's total minus three shown quarters would be the fourth. The trend (same quarter over six
    years) shows the same cells as the tiles."""
    checked, problems = 0, []
    for ind in _public_indicators():
        shown = summary.public_totals(con, ind, PERIODS, fast=True).set_index("period")
        true = summary.public_totals(con, ind.model_copy(update={"disclosure": "none"}), PERIODS, fast=True).set_index(
            "period"
        )
        for year in SWEPT_YEARS:
            quarters = [f"{year}-Q{q}" for q in range(1, 5)]
            for col in COUNTS:
                checked += 5
                total = _number(shown.loc[year, col])
                hidden = [q for q in quarters if shown.loc[q, HIDDEN_FLAGS[col]]]
                assert all(pd.isna(shown.loc[q, col]) for q in hidden), (ind.id, col, hidden)
                adds_up = np.isclose(
                    pd.to_numeric(true.loc[quarters, col], errors="coerce").sum(), float(true.loc[year, col])
                )
                if total is not None and adds_up and len(hidden) == 1:
                    derived = total - sum(_number(shown.loc[q, col]) or 0 for q in quarters if q not in hidden)
                    if _small(derived):
                        problems.append(f"{ind.id} {hidden[0]} {col}: {total:g} - other quarters = {derived:g}")
    print(f"quarter and year tiles checked: {checked}; problems: {len(problems)}")
    assert problems == [], "\n".join(problems[:20])


def test_tile_and_trend_hide_the_same_quarters(con):
    for ind_id in ("referrals", "re_referral_rate", "cse_risk_assessments", "lado_referrals"):
        ind = load_registry().indicators[ind_id]
        trend = summary.yearly_trend(con, ind, summary.parse_period("2019-20-Q3"), public=True)
        for period, value, hidden in zip(trend["period"], trend["value"], trend["suppressed"]):
            assert hidden == summary._row(con, ind, period, public=True)["suppressed"], (ind_id, period)
            assert not hidden or pd.isna(value), (ind_id, period)


def test_a_hidden_year_of_a_trend_is_listed_as_c_and_said_why(con):
    """Cyber Choices referrals, public, 2019-20: 6 a year except 2015-16, a count of 1 to 5. The year is a gap in the
    line and 'c' in the list (not left out, which read as a year with no return), with what c means."""
    from cscp_ui.tiles import HIDDEN_YEARS, view_of

    tile = summary.tile(con, "cyber_choices_referrals", "2019-20", "england", True)
    true = summary.tile(con, "cyber_choices_referrals", "2019-20", "england", False)
    hidden = true.trend[tile.trend["suppressed"].astype(bool).to_numpy()]
    assert list(hidden["period"]) == ["2015-16"] and 1 <= float(hidden["value"].iloc[0]) <= 5
    lines = view_of(tile).lines.replace("\u2060", "")
    assert "2014-15: 6 · 2015-16: c · 2016-17: 6" in lines and HIDDEN_YEARS in lines
    assert HIDDEN_YEARS not in view_of(true).lines  # the partnership view shows the count itself
    # five years hidden and one shown: still a list of the years (no line to draw with one value)
    mostly = view_of(summary.tile(con, "primary_exclusions", "2019-20", "england", True))
    assert mostly.sparkline is None and mostly.lines.count(": c") == 5 and HIDDEN_YEARS in mostly.lines

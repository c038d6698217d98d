"""The public funnel (the page's data, chart and CSV, and `cscp funnel`) shows no LA's count of 1-5, nor what
gives one back: DfE's own files suppress them ('c'), but an EES file imported later, or a figure keyed in, may not.

Counts of 1-5 are planted in a copy of the demo store, in every funnel (indicator x year); which LAs must be hidden
is read from the benchmarks table here, not from the disclosure code."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready import publish
from cscp_metrics.scrutiny import league
from cscp_metrics.store import connection as store
from cscp_metrics.store import years as store_years

REG = load_registry()
CAMDEN = "E09000007"
OWN_SMALL = ("cp_over_2_years", "2019-20")  # the partnership's own DfE figure is planted small in this funnel
ROW_FIGURES = ("numerator", "denominator", "value", "band", "rank")


@pytest.fixture(scope="module")
def planted(demo_db, tmp_path_factory):
    """(store path, {(indicator, period): LA codes whose count or denominator is 1-5})."""
    path = tmp_path_factory.mktemp("small_funnel") / "store.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    offered = [(i, year) for year in store_years.years(con) for i in league.funnel_indicators(con, REG, year)]
    for ind, period in offered:  # every funnel the page offers
        ind_id = ind.id
        codes = [
            r[0]
            for r in con.execute(
                "SELECT area_code FROM benchmarks JOIN areas USING (area_code) WHERE level = 'la' "
                "AND indicator_id = ? AND period = ? AND value IS NOT NULL AND numerator IS NOT NULL "
                "AND denominator > 0 AND area_code <> ? ORDER BY area_code",
                [ind_id, period, CAMDEN],
            ).fetchall()
        ]
        small = {codes[0]: 3, codes[1]: 1}  # a count of 3 and of 1 out of the LA's real denominator
        if (ind_id, period) == OWN_SMALL:
            small[CAMDEN] = 5
        for code, count in small.items():
            con.execute(
                "UPDATE benchmarks SET numerator = ?, value = ? / denominator * ? "
                "WHERE indicator_id = ? AND period = ? AND area_code = ?",
                [count, count, ind.multiplier, ind_id, period, code],
            )
        if ind.statistic == "proportion":  # 2 of 4: both the count and its denominator
            con.execute(
                "UPDATE benchmarks SET numerator = 2, denominator = 4, value = 50 "
                "WHERE indicator_id = ? AND period = ? AND area_code = ?",
                [ind_id, period, codes[2]],
            )
    publish.rebuild(con, ["funnels"])  # as a publish would, stamped: the page reads the ready funnels, as in use
    hidden = con.execute(
        "SELECT indicator_id, period, list(area_code) FROM benchmarks JOIN areas USING (area_code) "
        "WHERE level = 'la' AND value IS NOT NULL AND (numerator BETWEEN 1 AND 5 OR denominator BETWEEN 1 AND 5) "
        "GROUP BY ALL"
    ).fetchall()
    con.close()
    return path, {(i, p): set(codes) for i, p, codes in hidden}


def _small(cell) -> bool:
    number = pd.to_numeric(pd.Series([cell]), errors="coerce").iloc[0]
    return bool(not np.isnan(number) and 1 <= number <= 5)


def _shown_small(rows: pd.DataFrame, columns) -> list:
    return [(r.get("name"), c, r[c]) for r in rows.to_dict("records") for c in columns if _small(r[c])]


def test_public_funnel_page_chart_and_csv_hide_counts_of_1_to_5(planted, monkeypatch):
    path, hidden = planted
    monkeypatch.setenv("CSCP_DB", str(path))
    from cscp_ui import data, funnel

    monkeypatch.setattr(funnel, "council", type("C", (), {"name": staticmethod(lambda: "Camden")}))
    data._SEEN.clear()
    charted = set()
    assert sum(len(v) for v in hidden.values()) >= 2 * len(hidden) > 200  # every funnel has its small LAs
    for (ind_id, period), codes in hidden.items():
        ind = REG.indicators[ind_id]
        points, curves = data.funnel(ind_id, period, True)
        where = f"{ind_id} {period}"
        assert not _shown_small(points, ("numerator", "denominator")), where
        secret = points[points["area_code"].isin(codes)]
        assert len(secret) == len(codes) and secret["suppressed"].all(), where
        assert secret[list(ROW_FIGURES)].isna().all().all(), where  # a hidden LA's figures are no figures
        published = points[~points["area_code"].isin(codes)]
        assert not published["suppressed"].any(), where
        # ranks count only the published LAs, so a hidden LA's value is not bounded by its neighbours' ranks
        assert sorted(published["rank"].astype(int)) == sorted(
            published["value"].astype(float).rank(method="min", ascending=ind.polarity == "low_is_good").astype(int)
        ), where
        assert (points["rank_of"] == len(published)).all(), where
        # the limit curves start below the smallest published denominator, not at a hidden one
        assert curves["n"].min() >= 0.8 * published["denominator"].astype(float).min() - 1e-9, where
        csv = pd.read_csv(io.StringIO(funnel.csv_of_chart(ind, points)), dtype=str)
        assert not _shown_small(csv, csv.columns[3:5]), where  # the count and its denominator
        assert (csv.iloc[:, 0] == "c").sum() == len(codes), where  # rank 'c' for each hidden LA
        if ind_id in charted and (ind_id, period) != OWN_SMALL:
            continue  # one chart per indicator: drawing is the slow part, and the same filter for every funnel
        charted.add(ind_id)
        drawn = funnel._figure(ind, points, curves, "England")
        names = {str(n[0]) for t in drawn.data if t.customdata is not None for n in t.customdata}
        assert not names & set(secret["name"]), where  # a dot is its value and its denominator: not drawn
        if (ind_id, period) == OWN_SMALL:
            finding, _ = funnel.league.headline_parts(ind, points, period, float(curves["centre"].iloc[0]))
            assert finding.split(":", 1)[1].strip().startswith("c"), finding  # no value, band or rank
    true_points, _ = data.funnel(*OWN_SMALL, False)  # the partnership view shows what DfE gave
    assert true_points.set_index("area_code").loc[CAMDEN, "numerator"] == 5


def test_cscp_funnel_hides_counts_of_1_to_5_unless_partnership(planted):
    """Every indicator and every year through the CLI (0.2 s a call; the page test covers every pair)."""
    path, hidden = planted
    runner = CliRunner()
    by_indicator: dict[str, list[str]] = {}
    for ind_id, period in sorted(hidden):
        by_indicator.setdefault(ind_id, []).append(period)
    years = sorted({p for _, p in hidden})
    pairs = {(i, periods[n % len(periods)]) for n, (i, periods) in enumerate(by_indicator.items())}
    pairs |= {(next(i for i, ps in by_indicator.items() if y in ps), y) for y in years}
    assert {i for i, _ in pairs} == set(by_indicator) and {p for _, p in pairs} == set(years)
    for ind_id, period in sorted(pairs):
        codes = hidden[(ind_id, period)]
        result = runner.invoke(cli, ["funnel", ind_id, "--period", period, "--format", "json", "--db", str(path)])
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        areas = pd.DataFrame(out["areas"])
        assert not _shown_small(areas, ("numerator", "denominator")), (ind_id, period)
        assert (areas[areas["area_code"].isin(codes)][list(ROW_FIGURES)] == "c").all().all(), (ind_id, period)
    ind_id, period = OWN_SMALL
    table = runner.invoke(cli, ["funnel", ind_id, "--period", period, "--db", str(path)]).output
    assert table.splitlines()[0].split(":", 1)[1].strip().startswith("c"), table
    csv = runner.invoke(cli, ["funnel", ind_id, "--period", period, "--format", "csv", "--db", str(path)]).output
    shown = pd.read_csv(io.StringIO(csv), dtype=str)
    assert not _shown_small(shown, ("numerator", "denominator")) and len(shown) > 80
    true = runner.invoke(
        cli, ["funnel", ind_id, "--period", period, "--format", "json", "--partnership", "--db", str(path)]
    )
    camden = next(a for a in json.loads(true.output)["areas"] if a["area_code"] == CAMDEN)
    assert camden["numerator"] == 5

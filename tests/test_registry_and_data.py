"""Registry rules, DfE benchmark import, the demo's determinism and published figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from cscp_metrics.indicators.registry import Indicator, check, load_registry
from cscp_metrics.scrutiny.figures import check_figures
from cscp_metrics.store import benchmarks
from cscp_metrics.store import connection as store

ROOT = Path(__file__).resolve().parent.parent
DFE = ROOT.parent / "shared" / "reference-data" / "dfe"


def test_registry_rules_pass_and_catch_mistakes():
    registry = load_registry()
    assert check(registry) == []
    for required in ("referrals", "re_referral_rate", "cp_plan_rate", "lac_rate", "missing_children", "rhi_reduction"):
        assert required in registry.indicators
    broken = registry.model_copy(
        update={
            "indicators": {
                **registry.indicators,
                "bad": Indicator(
                    id="bad",
                    title="x",
                    priority_area="x",
                    definition="short",
                    statistic="rate",
                    numerator="nope",
                    source="x",
                ),
            }
        }
    )
    problems = "\n".join(check(broken))
    assert "numerator 'nope' is not a measure in measures.toml" in problems
    assert "needs a denominator" in problems and "too short" in problems


def test_references_are_parsed_once_and_nothing_else_reads_their_words():
    """indicators.toml's 'population', 'dfe_only' and 'partner:<id>' become typed references when the registry
    is read; a module comparing an indicator's numerator or denominator with those words would silently never
    match a reference, so none may."""
    import re
    from pathlib import Path

    from cscp_metrics.indicators.registry import refs

    assert refs.parse("partner:caring_dads_referrals") == refs.PartnerRef(measure="caring_dads_referrals")
    assert refs.parse("population") == refs.PopulationRef() and refs.parse("dfe_only") == refs.DfeOnlyRef()
    assert str(refs.parse("partner:x")) == "partner:x" and str(refs.parse("re_referrals")) == "re_referrals"
    with pytest.raises(ValueError, match="names no partner measure"):
        refs.parse("partner:")
    registry = load_registry()
    assert registry.indicators["cp_plan_rate"].per_population
    assert registry.indicators["caring_dads_completed"].from_returns
    assert not all(i.local for i in registry.indicators.values())
    core = Path(__file__).resolve().parents[1]
    pattern = re.compile(
        r"(numerator|denominator)\b[^\n]*(==|!=|startswith|removeprefix|\bin\b)[^\n]*(\"population\"|\"dfe_only\"|\"partner:)"
    )
    found = [
        f"{path.relative_to(core)}:{number}: {line.strip()}"
        for folder in ("cscp_metrics", "cscp_ui")
        for path in (core / folder).rglob("*.py")
        if path.name != "refs.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_a_denominator_of_dfe_only_is_refused_with_its_reason():
    registry = load_registry()
    from cscp_metrics.indicators.registry import refs

    ind = registry.indicators["re_referral_rate"].model_copy(update={"denominator": refs.parse("dfe_only")})
    broken = registry.model_copy(update={"indicators": {**registry.indicators, ind.id: ind}})
    assert "indicator re_referral_rate: dfe_only is a numerator" in "\n".join(check(broken))


def test_every_published_figure_reproduced(demo_con):
    results = check_figures(demo_con)
    assert len(results) == 154
    assert [r.line() for r in results if r.status == "mismatch"] == []
    assert sum(r.status == "exception" for r in results) <= 5


def test_benchmark_counts_reproduce_each_la_printed_value(demo_con):
    rows = demo_con.execute("""
        SELECT b.indicator_id, b.period, b.area_code, b.numerator, b.denominator, b.published_value, b.value
        FROM benchmarks b JOIN areas a USING (area_code)
        WHERE b.published_value IS NOT NULL AND b.denominator > 0 AND a.level = 'la'""").fetchall()
    assert len(rows) > 5000
    for indicator, period, area, x, n, published, value in rows:
        assert value == published, (indicator, period, area)
        if indicator != "lac_rate":  # DfE's own population estimates, not the ONS base the store holds
            assert abs(x / n * 100 - published) <= 0.05 + 1e-9, (indicator, period, area, x / n * 100, published)


def test_ees_symbols_become_reasons_not_zeros(demo_con):
    reasons = demo_con.execute("SELECT DISTINCT missing_reason FROM benchmarks WHERE value IS NULL").fetchall()
    assert any("suppressed by DfE" in (r[0] or "") for r in reasons)
    assert (
        demo_con.execute(
            "SELECT count(*) FROM benchmarks WHERE missing_reason LIKE '%suppressed%' AND value = 0"
        ).fetchone()[0]
        == 0
    )


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_committed_extract_is_what_the_script_builds(tmp_path):
    con = store.connect(":memory:")
    benchmarks.import_dfe(con, DFE)
    benchmarks.export_extract(con, tmp_path)
    for table in benchmarks.EXTRACT_TABLES:
        assert (tmp_path / f"dfe_{table}.csv").read_text() == (
            benchmarks.extract_dir() / f"dfe_{table}.csv"
        ).read_text()

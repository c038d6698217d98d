"""Registry rule: each measure's SQL passes EXPLAIN on an empty store, and a broken one is named."""

from __future__ import annotations

from cscp_metrics.indicators.registry import Measure, load_registry
from cscp_metrics.indicators.registry_sql import measure_sql_problems


def test_every_measure_runs_on_the_store_schema():
    assert measure_sql_problems() == []


def test_a_misspelt_column_is_named_with_its_measure():
    registry = load_registry()
    broken = registry.model_copy(
        update={
            "measures": {
                "referrals": registry.measures["referrals"],
                "typo": Measure(id="typo", table="referrals_x", agg="count(DISTINCT referal_id)"),
                "no_table": Measure(id="no_table", table="nowhere"),
            }
        }
    )
    problems = measure_sql_problems(broken)
    assert any(
        p.startswith("measure typo: its SQL does not run on the store's schema:") and "referal_id" in p
        for p in problems
    ), problems
    assert "measure no_table: table 'nowhere' is not in measures.toml [tables]" in problems
    assert not any(p.startswith("measure referrals") for p in problems)

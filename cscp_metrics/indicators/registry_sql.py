"""A registry rule that needs the store's schema: every measure's query, for every breakdown its table offers,
runs (EXPLAIN) on an empty store. A misspelt column in measures.toml fails here, not on a page."""

from __future__ import annotations

import duckdb

from cscp_metrics.indicators.engine import measure_sql
from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.store import connection

_ANY_PERIOD = parse_period("2019-20")


def measure_sql_problems(registry: Registry | None = None) -> list[str]:
    """One line per measure × breakdown whose SQL does not run on the store's schema, naming both."""
    registry = registry or load_registry()
    con = duckdb.connect()
    try:
        connection.migrate(con)
        problems = []
        for measure in registry.measures.values():
            if measure.kind == "partner":
                continue  # partner measures read one table by id, with no SQL of their own
            if measure.table not in registry.tables:
                problems.append(f"measure {measure.id}: table '{measure.table}' is not in measures.toml [tables]")
                continue
            for dimension in [None, "month", *registry.tables[measure.table].dimensions]:
                sql, params = measure_sql(registry, measure, _ANY_PERIOD, dimension)
                try:
                    con.execute("EXPLAIN " + sql, params)
                except duckdb.Error as error:
                    first_line = str(error).splitlines()[0]
                    problems.append(
                        f"measure {measure.id}"
                        + (f" by {dimension}" if dimension else "")
                        + f": its SQL does not run on the store's schema: {first_line}"
                    )
        return problems
    finally:
        con.close()

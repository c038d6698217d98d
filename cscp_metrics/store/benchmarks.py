"""Import DfE published statistics (EES open-data layout) as benchmarks, and the committed extract."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from cscp_metrics.indicators.dfe_sources import (
    EES_SYMBOLS,
    ONS,
    POPULATION,
    SN_2021,
    SN_2025,
    SOURCES,
    Column,
    DfeSource,
)
from cscp_metrics.store.sql_quoting import identifier, literal
from cscp_metrics.store.statements import scalar, transaction

ONS_VINTAGE = "2025 release: 2013-2023 rebased on Census 2021"
EXTRACT_TABLES = ("areas", "population", "statistical_neighbours", "benchmarks")
_AREA = "CASE geographic_level WHEN 'National' THEN country_code WHEN 'Regional' THEN region_code ELSE new_la_code END"


def _read(con: duckdb.DuckDBPyConnection, directory: Path, file: str) -> str:
    name = "__ees_" + file.split(".")[0].replace("-", "_")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
        [str(directory / file)],
    )
    return name


def _measure_sql(table: str, col: Column) -> str:
    filters = (
        " AND ".join(f'"{k}" IN ({", ".join(repr(v) for v in value.split("|"))})' for k, value in col.where) or "true"
    )
    num = f'try_cast("{col.column}" AS DOUBLE)'
    return (
        f"SELECT time_period::INTEGER AS tp, {_AREA} AS area_code, "
        f"CASE WHEN bool_and({num} IS NOT NULL) THEN sum({num}) END AS v, "
        f"min(CASE WHEN {num} IS NULL THEN trim(coalesce(\"{col.column}\", '')) END) AS symbol "
        f"FROM {table} WHERE {filters} GROUP BY ALL"
    )


def _import_source(con: duckdb.DuckDBPyConnection, directory: Path, source: DfeSource) -> int:
    table = _read(con, directory, source.file)
    num = _measure_sql(table, source.numerator)
    if source.denominator is None:
        den = "SELECT NULL::INTEGER AS tp, NULL AS area_code, NULL::DOUBLE AS v, NULL AS symbol"
    elif source.denominator.column == POPULATION:
        den = (
            "SELECT mid_year + 1 AS tp, area_code, population AS v, NULL AS symbol FROM population WHERE source = 'ons'"
        )
    else:
        den = _measure_sql(table, source.denominator)
    pub = (
        _measure_sql(table, source.published)
        if source.published
        else "SELECT NULL::INTEGER AS tp, NULL AS area_code, NULL::DOUBLE AS v"
    )
    computed = "n.v" if source.denominator is None else f"n.v / nullif(d.v, 0) * {source.multiplier}"
    # DfE's printed figure wins where it prints one: for England and regions it rounds the counts to 10 but
    # computes its percentages from the unrounded counts, so the rounded counts cannot reproduce them.
    value = f"coalesce(p.v, {computed})" if source.published else computed
    symbols = ", ".join(f"('{k}', '{v}')" for k, v in EES_SYMBOLS.items())
    vintage = f"'{ONS_VINTAGE}'" if source.denominator and source.denominator.column == POPULATION else "NULL"
    before = scalar(con, "SELECT count(*) FROM benchmarks")
    con.execute(f"""
        INSERT INTO benchmarks
        SELECT '{source.indicator_id}', (n.tp - 1)::VARCHAR || '-' || lpad((n.tp % 100)::VARCHAR, 2, '0'), n.area_code,
               n.v, d.v, {value},
               CASE WHEN n.v IS NULL THEN 'numerator ' || coalesce(s.reason, 'not published')
                    WHEN {"false" if source.denominator is None else "d.v IS NULL"} THEN 'denominator not available' END,
               '{source.file}', {vintage}, p.v
        FROM ({num}) n
        LEFT JOIN ({den}) d ON d.tp = n.tp AND d.area_code = n.area_code
        LEFT JOIN ({pub}) p ON p.tp = n.tp AND p.area_code = n.area_code
        LEFT JOIN (VALUES {symbols}) s(symbol, reason) ON s.symbol = n.symbol
        WHERE n.area_code IS NOT NULL""")
    return scalar(con, "SELECT count(*) FROM benchmarks") - before


def _import_areas_and_population(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    ons = _read(con, directory, ONS)
    con.execute(f"""
        INSERT INTO areas
        SELECT DISTINCT ON (area_code) area_code, nullif(old_la_code, ''),
               coalesce(nullif(la_name, ''), nullif(region_name, ''), country_name),
               CASE geographic_level WHEN 'National' THEN 'national' WHEN 'Regional' THEN 'region' ELSE 'la' END,
               CASE WHEN region_code IN ('E13000001', 'E13000002') THEN 'E12000007' ELSE nullif(region_code, '') END,
               CASE WHEN region_code IN ('E13000001', 'E13000002') AND geographic_level = 'Local authority'
                    THEN region_code END
        FROM (SELECT {_AREA} AS area_code, * FROM {ons}) WHERE area_code NOT IN (SELECT area_code FROM areas)
        ORDER BY area_code""")
    con.execute(f"""
        INSERT INTO population
        SELECT {_AREA}, time_period::INTEGER, '0-17', population_estimate::DOUBLE, 'ons', '{ONS_VINTAGE}'
        FROM {ons} WHERE try_cast(population_estimate AS DOUBLE) IS NOT NULL""")


def _import_neighbours(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    for file, model, code_col, prefix in (
        (SN_2021, "2021", "LA number", "SN"),
        (SN_2025, "2025", "old_la_code", "SN_"),
    ):
        table = _read(con, directory, file)
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        code = next(c for c in cols if c.endswith(code_col) or c == code_col)
        for rank in range(1, 11):
            sn = f"{prefix}{rank}"
            closeness = cols[cols.index(sn) + 1]
            con.execute(f"""
                INSERT INTO statistical_neighbours
                SELECT a.area_code, b.area_code, {rank}, trim(t.{identifier(closeness)}), '{model}'
                FROM {table} t JOIN areas a ON a.old_la_code = trim(t.{identifier(code)})
                JOIN areas b ON b.old_la_code = trim(t.{identifier(sn)})""")


def import_dfe(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Replace the DfE reference tables with those read from EES files in `directory`, in one transaction."""
    with transaction(con):
        con.execute("DELETE FROM benchmarks WHERE source LIKE '%.csv'")
        con.execute("DELETE FROM statistical_neighbours")
        con.execute("DELETE FROM population WHERE source = 'ons'")
        con.execute("DELETE FROM areas WHERE area_code NOT IN (SELECT value FROM settings WHERE key = 'area_code')")
        _import_areas_and_population(con, directory)
        _import_neighbours(con, directory)
        counts = {s.indicator_id: _import_source(con, directory, s) for s in SOURCES}
    return counts


def extract_dir() -> Path:
    return Path(str(resources.files("cscp_metrics.reference")))


def export_extract(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    for table in EXTRACT_TABLES:
        where = "WHERE source = 'ons'" if table == "population" else ""
        where = "WHERE source LIKE '%.csv'" if table == "benchmarks" else where
        con.execute(
            f"COPY (SELECT * FROM {table} {where} ORDER BY ALL) TO {literal(str(out / f'dfe_{table}.csv'))} (HEADER)"
        )


def import_extract(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    directory = directory or extract_dir()
    with transaction(con):
        for table in EXTRACT_TABLES:
            con.execute(f"DELETE FROM {table}" + (" WHERE source = 'ons'" if table == "population" else ""))
            con.execute(
                f"INSERT INTO {table} SELECT * FROM read_csv(?, header = true, auto_detect = true)",
                [str(directory / f"dfe_{table}.csv")],
            )

"""What the engine is measured against: pandas from raw rows, and one hand-written query per indicator over the
aggregates the engine reads.

Both compute the core catalogue for one financial year by ward (each LA at England scale): contacts,
referrals, re-referral rate, children on a CP plan at 31 March, second or subsequent plans, children looked
after at 31 March, missing children and missing episodes."""

from __future__ import annotations

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import Registry

CORE = (
    "contacts",
    "referrals",
    "re_referral_rate",
    "cp_plans_open",
    "cp_second_subsequent",
    "lac",
    "missing_children",
    "missing_episodes",
)
RAW = ("children", "contacts", "referrals", "cp_plans", "looked_after_episodes", "missing_episodes")


def raw_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    frames = {t: con.execute(f"SELECT * EXCLUDE (load_id, extra) FROM {t}").df() for t in RAW}
    for table, cols in {
        "contacts": ["contact_date"],
        "referrals": ["referral_date"],
        "cp_plans": ["start_date", "end_date"],
        "looked_after_episodes": ["start_date", "end_date"],
    }.items():
        for col in cols:
            frames[table][col] = pd.to_datetime(frames[table][col])
    return frames


def pandas_catalogue(
    frames: dict[str, pd.DataFrame], start: str, end: str, only: tuple[str, ...] = CORE
) -> dict[str, pd.DataFrame]:
    """Each core indicator by ward: columns ward, numerator, denominator (NaN for counts)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    ward = frames["children"].drop_duplicates("child_id").set_index("child_id")["ward"]

    def by_ward(rows: pd.DataFrame, distinct: bool = False) -> pd.Series:
        w = rows["child_id"].map(ward)
        return (rows.groupby(w)["child_id"].nunique() if distinct else w.value_counts()).rename("n")

    def count(rows: pd.DataFrame, distinct: bool = False) -> pd.DataFrame:
        return (
            by_ward(rows, distinct).rename_axis("ward").reset_index(name="numerator").assign(denominator=float("nan"))
        )

    def share(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
        out = pd.concat([by_ward(part).rename("numerator"), by_ward(whole).rename("denominator")], axis=1).fillna(0)
        return out.rename_axis("ward").reset_index()

    def referrals() -> tuple[pd.DataFrame, pd.DataFrame]:
        refs = frames["referrals"]
        in_year = refs[refs["referral_date"].between(s, e)]
        days = refs[["child_id", "referral_date"]].drop_duplicates().sort_values(["child_id", "referral_date"])
        days["previous"] = days.groupby("child_id")["referral_date"].shift()
        in_year = in_year.merge(days, on=["child_id", "referral_date"], how="left")
        return in_year[in_year["previous"] >= in_year["referral_date"] - pd.DateOffset(years=1)], in_year

    def open_at_end(rows: pd.DataFrame) -> pd.DataFrame:
        return rows[(rows["start_date"] <= e) & (rows["end_date"].isna() | (rows["end_date"] > e))]

    def subsequent() -> pd.DataFrame:
        plans = frames["cp_plans"]
        started = plans[plans["start_date"].between(s, e)]
        first_start = plans.groupby("child_id")["start_date"].min()
        return share(started[started["start_date"] > started["child_id"].map(first_start)], started)

    def missing_in_year() -> pd.DataFrame:
        missing = frames["missing_episodes"]
        return missing[pd.to_datetime(missing["start_datetime"]).dt.normalize().between(s, e)]

    contacts = frames["contacts"]
    recipes = {
        "contacts": lambda: count(contacts[contacts["contact_date"].between(s, e)]),
        "referrals": lambda: count(referrals()[1]),
        "re_referral_rate": lambda: share(*referrals()),
        "cp_plans_open": lambda: count(open_at_end(frames["cp_plans"]), distinct=True),
        "cp_second_subsequent": subsequent,
        "lac": lambda: count(open_at_end(frames["looked_after_episodes"]), distinct=True),
        "missing_children": lambda: count(missing_in_year(), distinct=True),
        "missing_episodes": lambda: count(missing_in_year()),
    }
    return {name: recipes[name]() for name in only}


def aggregate_queries(year: str, registry: Registry) -> dict[str, tuple[str, list[str]]]:
    """One hand-written query per indicator over the same aggregates the engine reads (measure_aggregates by
    ward): the least any code could do to answer the catalogue from them."""
    out = {}
    for ind_id in CORE:
        ind = registry.indicators[ind_id]
        if ind.denominator is not None:
            sql = (
                "SELECT n.b, n.v, d.v FROM measure_aggregates n JOIN measure_aggregates d "
                "ON d.measure_id = ? AND d.period = n.period AND d.dimension = n.dimension AND d.b = n.b "
                "WHERE n.measure_id = ? AND n.period = ? AND n.dimension = 'ward'"
            )
            out[ind_id] = (sql, [str(ind.denominator), str(ind.numerator), year])  # measure ids
        else:
            out[ind_id] = (
                "SELECT b, v FROM measure_aggregates WHERE measure_id = ? AND period = ? AND dimension = 'ward'",
                [str(ind.numerator), year],
            )
    return out

"""What the engine is measured against: pandas from raw rows, and one hand-written DuckDB query per indicator.

Both compute the core catalogue for one financial year by ward (each LA at England scale): contacts,
referrals, re-referral rate, children on a CP plan at 31 March, second or subsequent plans, children looked
after at 31 March, missing children and missing episodes."""
from __future__ import annotations

import duckdb
import pandas as pd

CORE = ("contacts", "referrals", "re_referral_rate", "cp_plans_open", "cp_second_subsequent", "lac",
        "missing_children", "missing_episodes")
RAW = ("children", "contacts", "referrals", "cp_plans", "looked_after_episodes", "missing_episodes")


def raw_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    frames = {t: con.execute(f"SELECT * EXCLUDE (load_id, extra) FROM {t}").df() for t in RAW}
    for table, cols in {"contacts": ["contact_date"], "referrals": ["referral_date"], "cp_plans": ["start_date", "end_date"],
                        "looked_after_episodes": ["start_date", "end_date"]}.items():
        for col in cols:
            frames[table][col] = pd.to_datetime(frames[table][col])
    return frames


def pandas_catalogue(frames: dict[str, pd.DataFrame], start: str, end: str,
                     only: tuple[str, ...] = CORE) -> dict[str, pd.DataFrame]:
    """Each core indicator by ward: columns ward, numerator, denominator (NaN for counts)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    ward = frames["children"].drop_duplicates("child_id").set_index("child_id")["ward"]

    def by_ward(rows: pd.DataFrame, distinct: bool = False) -> pd.Series:
        w = rows["child_id"].map(ward)
        return (rows.groupby(w)["child_id"].nunique() if distinct else w.value_counts()).rename("n")

    def count(rows: pd.DataFrame, distinct: bool = False) -> pd.DataFrame:
        return by_ward(rows, distinct).rename_axis("ward").reset_index(name="numerator").assign(denominator=float("nan"))

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


def floor_queries(start: str, end: str) -> dict[str, str]:
    """One direct query per indicator over the raw tables (the fastest a query can reasonably be)."""
    s, e = f"DATE '{start}'", f"DATE '{end}'"
    ward = "LEFT JOIN (SELECT child_id, any_value(ward) AS ward FROM children GROUP BY child_id) c USING (child_id)"
    return {
        "contacts": f"SELECT ward, count(*) FROM contacts {ward} WHERE contact_date BETWEEN {s} AND {e} GROUP BY ward",
        "referrals": f"SELECT ward, count(*) FROM referrals {ward} WHERE referral_date BETWEEN {s} AND {e} GROUP BY ward",
        "re_referral_rate": f"""
            WITH d AS (SELECT child_id, referral_date, lag(referral_date) OVER (PARTITION BY child_id ORDER BY referral_date) AS prev
                       FROM (SELECT DISTINCT child_id, referral_date FROM referrals))
            SELECT ward, count(*) FILTER (WHERE d.prev >= CAST(r.referral_date - INTERVAL 1 YEAR AS DATE)), count(*)
            FROM referrals r JOIN d USING (child_id, referral_date) {ward}
            WHERE r.referral_date BETWEEN {s} AND {e} GROUP BY ward""",
        "cp_plans_open": f"SELECT ward, count(DISTINCT child_id) FROM cp_plans {ward} WHERE start_date <= {e} "
                         f"AND (end_date IS NULL OR end_date > {e}) GROUP BY ward",
        "cp_second_subsequent": f"""
            SELECT ward, count(*) FILTER (WHERE start_date > f.first_start), count(*) FROM cp_plans
            JOIN (SELECT child_id, min(start_date) AS first_start FROM cp_plans GROUP BY child_id) f USING (child_id) {ward}
            WHERE start_date BETWEEN {s} AND {e} GROUP BY ward""",
        "lac": f"SELECT ward, count(DISTINCT child_id) FROM looked_after_episodes {ward} WHERE start_date <= {e} "
               f"AND (end_date IS NULL OR end_date > {e}) GROUP BY ward",
        "missing_children": f"SELECT ward, count(DISTINCT child_id) FROM missing_episodes {ward} "
                            f"WHERE CAST(start_datetime AS DATE) BETWEEN {s} AND {e} GROUP BY ward",
        "missing_episodes": f"SELECT ward, count(*) FROM missing_episodes {ward} "
                            f"WHERE CAST(start_datetime AS DATE) BETWEEN {s} AND {e} GROUP BY ward",
    }

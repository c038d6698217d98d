"""`cscp demo`: generate the synthetic partnership, load it through the validated loader, add reference data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics import council
from cscp_metrics.demo import AREA_CODE, SEED, front_door, looked_after, missing, partner, protection
from cscp_metrics.demo.children import ChildRegister
from cscp_metrics.indicators.registry.pages import load_pages
from cscp_metrics.store import aggregates, benchmarks
from cscp_metrics.store.loading import load_file
from cscp_metrics.store.statements import scalar

REPORT_POPULATION = 49_275  # ONS mid-2017, children 0-17: the base the 2019-20 report used for its rates
AGENCIES = {
    "police": "Metropolitan Police (Central North BCU)",
    "health": "Health (CCG and NHS trusts)",
    "camhs": "Child and adolescent mental health services",
    "education": "Schools and education services",
    "youth_offending": "Youth Offending Service",
    "probation": "Probation (NPS and CRC)",
    "safety_net": "Camden Safety Net (domestic violence and abuse)",
    "lado": "Local Authority Designated Officer",
    "partnership": "CSCP business unit (training, reviews, budget)",
    "community_safety": "Community safety",
    "local_authority": "Children's social care and early help",
    "public_health": "Public health",
}


def generate(seed: int = SEED) -> dict[str, list[pd.DataFrame]]:
    """Every table's frames, in load order (partner returns: first submissions, then corrections)."""
    rng = np.random.default_rng(seed)
    register = ChildRegister(rng)
    frames = {
        "contacts": [front_door.contacts(rng, register)],
        "referrals": [front_door.referrals(rng, register)],
        "assessments": [protection.assessments(rng, register)],
        "section47_enquiries": [protection.section47(rng, register)],
        "cp_plans": [protection.cp_plans(rng, register)],
        "looked_after_episodes": [looked_after.looked_after_episodes(rng, register)],
        "care_leavers": [looked_after.care_leavers(rng, register)],
        "missing_episodes": [missing.missing_episodes(rng, register)],
        "partner_returns": list(partner.partner_returns(rng)),
    }
    return {"children": [register.frame()], **frames}


# Benchmarks the report printed that DfE's open files do not hold (source named on each row), each under the
# year it is from: the report set its 2019-20 assessments beside England's and London's 2018-19 figures.
REPORT_BENCHMARKS = (
    (
        "referrals_family_friend_self",
        "2019-20",
        "E13000001",
        11.4,
        "CSCP annual report 2019-20, section 2.3 (as printed)",
    ),
    (
        "assessments_in_45_days",
        "2018-19",
        "E12000007",
        81.0,
        "CSCP annual report 2019-20, section 5.1.1 (DfE 2018-19, as printed)",
    ),
    (
        "assessments_in_45_days",
        "2018-19",
        "E92000001",
        83.0,
        "CSCP annual report 2019-20, section 5.1.1 (DfE 2018-19, as printed)",
    ),
)


def _reference(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO benchmarks VALUES (?, ?, ?, NULL, NULL, ?, NULL, ?, NULL, ?)",
        [(i, p, a, v, s, v) for i, p, a, v, s in REPORT_BENCHMARKS],
    )
    # the same identity as `cscp init --la Camden`, with the 2021 neighbours the report-era comparisons use
    council.settle(con, council.find(con, AREA_CODE), prefer="2021")
    con.execute("INSERT OR REPLACE INTO settings VALUES ('demo', 'true'), ('default_year', '2019-20')")
    con.executemany("INSERT OR REPLACE INTO agencies VALUES (?, ?)", list(AGENCIES.items()))
    con.executemany(
        "INSERT OR REPLACE INTO priority_areas VALUES (?, ?, ?)",
        [(a, t, i) for i, (a, t) in enumerate(load_pages().areas.items())],
    )
    labels = {k: k.replace("_", " ").capitalize() for k in front_door.PRESENTING_2019}
    con.executemany("INSERT OR REPLACE INTO presenting_issues VALUES (?, ?)", list(labels.items()))
    con.execute("DELETE FROM population WHERE source = 'partnership'")
    con.executemany(
        "INSERT INTO population VALUES (?, ?, '0-17', ?, 'partnership', "
        "'ONS mid-2017 estimate, the base the 2019-20 annual report used for every year')",
        [(AREA_CODE, year, REPORT_POPULATION) for year in range(2012, 2025)],
    )


def build(con: duckdb.DuckDBPyConnection, seed: int = SEED) -> list[str]:
    """Load the demo into an empty store; return the loader's messages."""
    if scalar(con, "SELECT count(*) FROM loads WHERE outcome = 'loaded'"):
        raise RuntimeError("the store already holds loaded data; build the demo into a new store (--db NEW_PATH)")
    benchmarks.import_extract(con)
    _reference(con)
    messages: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for table, frames in generate(seed).items():
            for i, frame in enumerate(frames):
                path = Path(tmp) / f"demo_{table}{'_corrections' if i else ''}.parquet"
                frame.to_parquet(path, index=False)
                result = load_file(con, table, path)
                if not result.ok:
                    raise RuntimeError("\n".join(result.messages))
                messages += result.messages
    rows = aggregates.build(con)
    return messages + [f"aggregates: {rows:,} measure values by period and breakdown"]

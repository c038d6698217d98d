"""Contacts and referrals: counts, sources, RAG, presenting issues and DfE re-referrals, exactly as published."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from cscp_metrics.demo.calendar import FY_STARTS, one_year_earlier, sample_dates
from cscp_metrics.demo.children import REFERRAL_AGE_WEIGHTS, ChildRegister

CONTACTS = {2014: 5610, 2015: 5840, 2016: 6020, 2017: 6390, 2018: 6223, 2019: 6259, 2020: 5710}
# Contacts with no primary presenting issue recorded (2019-20: 6,259 - 5,920 = 339).
CONTACTS_NO_ISSUE = {2019: 339}
CONTACTS_BLUE_GREEN = {2019: 4832}  # 77.2% of 6,259
PRESENTING_2019 = {  # section 2.3 top ten, then the rest of the 5,920
    "domestic_abuse": 1132,
    "other": 838,
    "mental_health_parent": 633,
    "parenting": 507,
    "housing": 489,
    "physical_abuse": 431,
    "family_acute_stress": 395,
    "mental_health_child": 323,
    "drugs_child": 288,
    "neglect": 265,
    "emotional_abuse": 150,
    "going_missing": 120,
    "child_sexual_abuse": 92,
    "alcohol_parent": 90,
    "cse": 60,
    "learning_disability": 47,
    "radicalisation": 25,
    "private_fostering": 20,
    "fgm": 15,
}
CSA_CONTACTS = {2018: 155, 2019: 92}
CONTACT_SOURCES = {
    "police": 30,
    "school": 22,
    "health": 18,
    "local_authority": 10,
    "family_friend_self": 12,
    "other": 8,
}

# The report's 2018-19 and 2019-20 (DfE published 1,499 and 131 for 2019-20, after the census revision); the years
# the report does not print are DfE's published figures for Camden, so a trend does not jump where local records
# meet DfE's years.
REFERRALS = {2014: 2076, 2015: 1872, 2016: 1912, 2017: 1807, 2018: 1394, 2019: 1475, 2020: 1514}
RE_REFERRALS = {2014: 328, 2015: 243, 2016: 174, 2017: 228, 2018: 132, 2019: 119, 2020: 161}
REFERRAL_SOURCES = {  # police first, then schools, then health (section 2.3)
    2018: {"police": 470, "family_friend_self": 183, "school": 310, "health": 235, "local_authority": 130},
    2019: {"police": 501, "family_friend_self": 215, "school": 330, "health": 250, "local_authority": 120},
}
SOURCE_SHARES = {"police": 0.33, "school": 0.22, "health": 0.16, "local_authority": 0.09, "family_friend_self": 0.13}
# RAG at MASH: 91% red, 3.5% green, <1% blue in 2019-20; 13% green in 2016-17.
REFERRAL_RAG = {
    2019: {"red": 1342, "amber": 71, "green": 52, "blue": 10},
    2016: {"red": 1560, "amber": 83, "green": 249, "blue": 20},  # 13.0% of 1,912
}
CIN_OUTCOMES = {2019: {"red": 1107, "other": 110}}  # 82.5% of red; 1,217 of 1,475 = 82.5% overall
DISABLED_REFERRALS = {2018: 83, 2019: 109}


def _exact_counts(rng: np.random.Generator, n: int, shares: Mapping[str, float]) -> dict[str, int]:
    keys = list(shares)
    p = np.array([shares[k] for k in keys], dtype=float)
    return dict(zip(keys, (int(c) for c in rng.multinomial(n, p / p.sum()))))


def _labels(rng: np.random.Generator, counts: dict[str, int]) -> list[str]:
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def contacts(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    rows = []
    for fy in FY_STARTS:
        n = CONTACTS[fy]
        if fy == 2019:
            issues = dict(PRESENTING_2019)
        else:
            shares = {k: v / 5920 for k, v in PRESENTING_2019.items()}
            issues = _exact_counts(rng, n - int(n * 0.055), shares)
            if fy in CSA_CONTACTS:
                spare = CSA_CONTACTS[fy] - issues["child_sexual_abuse"]
                issues["child_sexual_abuse"] = CSA_CONTACTS[fy]
                issues["other"] -= spare
        issues[""] = n - sum(issues.values())
        blue_green = CONTACTS_BLUE_GREEN.get(fy, int(n * rng.uniform(0.74, 0.8)))
        rag = _labels(
            rng,
            {
                "blue": blue_green // 3,
                "green": blue_green - blue_green // 3,
                "amber": (n - blue_green) // 2,
                "red": n - blue_green - (n - blue_green) // 2,
            },
        )
        sources = _labels(rng, _exact_counts(rng, n, CONTACT_SOURCES))
        issue_list = _labels(rng, issues)
        for i, day in enumerate(sample_dates(rng, fy, n)):
            rows.append(
                (
                    f"CT{fy}{i:05d}",
                    register.new(day, age_weights=REFERRAL_AGE_WEIGHTS),
                    day,
                    sources[i],
                    issue_list[i] or None,
                    rag[i],
                )
            )
    return pd.DataFrame(rows, columns=["contact_id", "child_id", "contact_date", "source", "presenting_issue", "rag"])


def _year_plan(rng: np.random.Generator, fy: int) -> dict[str, list[str]]:
    n = REFERRALS[fy]
    sources = dict(REFERRAL_SOURCES.get(fy, {}))
    if not sources:
        sources = _exact_counts(rng, n, SOURCE_SHARES)
    sources["other"] = n - sum(v for k, v in sources.items() if k != "other")
    rag = dict(REFERRAL_RAG.get(fy) or _exact_counts(rng, n, {"red": 0.86, "amber": 0.06, "green": 0.07, "blue": 0.01}))
    rag["red"] += n - sum(rag.values())
    return {"source": _labels(rng, sources), "rag": _labels(rng, rag)}


def referrals(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    """Assign children chronologically so each year has exactly RE_REFERRALS[fy] DfE re-referrals."""
    last_referral: dict[str, date] = {}
    history: list[tuple[str, date]] = []
    rows = []
    for fy in FY_STARTS:
        n, plan = REFERRALS[fy], _year_plan(rng, fy)
        days = sample_dates(rng, fy, n)
        eligible = [i for i, d in enumerate(days) if fy > FY_STARTS[0] or d.month in (9, 10, 11, 12, 1, 2, 3)]
        repeat = set(rng.choice(eligible, size=RE_REFERRALS[fy], replace=False).tolist())
        for i, day in enumerate(days):
            window = one_year_earlier(day)
            if i in repeat:
                recent = [c for c, d in history[-600:] if window <= last_referral[c] < day]
                child = recent[int(rng.integers(0, len(recent)))]
            else:
                lapsed = (
                    [c for c, d in history[-3000:-1500] if last_referral[c] < window] if rng.random() < 0.12 else []
                )
                child = (
                    lapsed[int(rng.integers(0, len(lapsed)))]
                    if lapsed
                    else register.new(day, age_weights=REFERRAL_AGE_WEIGHTS)
                )
            last_referral[child] = day
            history.append((child, day))
            rows.append((f"R{fy}{i:05d}", child, day, plan["source"][i], plan["rag"][i]))
    frame = pd.DataFrame(rows, columns=["referral_id", "child_id", "referral_date", "source", "rag"])
    frame["outcome"] = _outcomes(rng, frame)
    _mark_disabled(rng, frame, register)
    return frame


def _fy_of(days: pd.Series) -> pd.Series:
    d = pd.to_datetime(days)
    return d.dt.year - (d.dt.month < 4)


def _outcomes(rng: np.random.Generator, frame: pd.DataFrame) -> list[str]:
    fy = _fy_of(frame["referral_date"])
    outcome = np.where(rng.random(len(frame)) < 0.82, "cin", "nfa").astype(object)
    for year, split in CIN_OUTCOMES.items():
        in_year = (fy == year).to_numpy()
        red = np.flatnonzero(in_year & (frame["rag"] == "red").to_numpy())
        other = np.flatnonzero(in_year & (frame["rag"] != "red").to_numpy())
        outcome[red] = "nfa"
        outcome[other] = "early_help"
        outcome[rng.choice(red, split["red"], replace=False)] = "cin"
        outcome[rng.choice(other, split["other"], replace=False)] = "cin"
    return list(outcome)


def _mark_disabled(rng: np.random.Generator, frame: pd.DataFrame, register: ChildRegister) -> None:
    """Disabled children whose only referrals fall in one year, so each year's count is exact."""
    fy = _fy_of(frame["referral_date"])
    years_per_child = fy.groupby(frame["child_id"]).nunique()
    refs_per_child = frame.groupby("child_id").size()
    single = years_per_child[(years_per_child == 1) & (refs_per_child == 1)].index
    first_year = fy.groupby(frame["child_id"]).first()
    for year in FY_STARTS:
        pool = sorted(c for c in single if first_year[c] == year)
        wanted = DISABLED_REFERRALS.get(year, int(len(pool) * 0.07))
        register.set_disabled(list(rng.choice(pool, size=wanted, replace=False)))

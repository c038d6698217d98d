"""Partner returns (aggregates per agency, measure and period) calibrated to the printed figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from cscp_metrics.demo.calendar import FY_STARTS
from cscp_metrics.indicators.periods import fy_label, quarters_of

# measure_id: (agency, {financial year start: value}); other years drift around the printed ones.
COUNTS: dict[str, tuple[str, dict[int, float]]] = {
    "cce_risk_assessments": ("local_authority", {2019: 75}),
    "cse_risk_assessments": ("local_authority", {2019: 48}),
    "substance_misuse_referrals": ("health", {2019: 136}),
    "cyber_choices_referrals": ("police", {2019: 6}),
    "gav_young_people": ("community_safety", {2019: 5435}),
    "ydp_children_in_custody": ("youth_offending", {2019: 15}),
    "ydp_children_after_arrest": ("youth_offending", {2019: 24}),
    "ydp_children_network": ("youth_offending", {2019: 173}),
    "ydp_parents_engaged": ("youth_offending", {2019: 162}),
    "ydp_family_plans": ("youth_offending", {2019: 23}),
    "concordat_breaches": ("police", {2019: 32}),
    "concordat_breaches_in_borough": ("police", {2019: 13}),
    "out_of_borough_children_held_overnight": ("police", {2019: 19}),
    "marac_cases_with_child": ("safety_net", {2019: 165}),
    "safety_net_referrals": ("safety_net", {2019: 2299}),
    "caring_dads_completed": ("safety_net", {2019: 2}),
    "dva_counselling_referrals": ("safety_net", {2019: 116}),
    "embrace_referrals": ("safety_net", {2019: 11}),
    "wrap_sessions": ("community_safety", {2019: 33}),
    "wrap_participants": ("community_safety", {2019: 545}),
    "brave_young_people": ("community_safety", {2019: 1035}),
    "equaliteach_students": ("community_safety", {2019: 858}),
    "solutions_not_sides": ("community_safety", {2019: 340}),
    "fgc_referrals": ("local_authority", {2019: 203}),
    "fgc_conferences": ("local_authority", {2018: 219, 2019: 200}),
    "lac_cypds": ("local_authority", {2018: 7, 2019: 12}),
    "ehc_plans": ("education", {2019: 1440}),
    "ehc_plans_cin_cp_lac": ("education", {2019: 461}),
    "ehc_plans_cypds": ("education", {2019: 129}),
    "cin_with_disability": ("local_authority", {2018: 111, 2019: 92}),
    "cp_cypds": ("local_authority", {2019: 16}),
    "elective_home_education": ("education", {2018: 241, 2019: 231}),
    "primary_exclusions": ("education", {2018: 5, 2019: 0}),
    "out_of_school_settings": ("education", {2019: 47}),
    "lado_referrals": ("lado", {2015: 120, 2016: 139, 2017: 136, 2018: 103, 2019: 75}),
    "lado_consultations": ("lado", {2019: 81}),
    "serious_incident_notifications": ("partnership", {2019: 7}),
    "section11_services": ("partnership", {2019: 19}),
    "training_sessions": ("partnership", {2019: 26}),
    "training_workshops": ("partnership", {2019: 3}),
    "professionals_trained": ("partnership", {2019: 670}),
    "community_workers_trained": ("partnership", {2019: 244}),
    "partnership_budget": ("partnership", {2019: 184461}),
    "camhs_new_referrals": ("camhs", {2018: 871, 2019: 950}),
}
# Proportions as numerator and denominator measures: (agency, {fy: (numerator, denominator)}).
SHARES: dict[tuple[str, str], tuple[str, dict[int, tuple[int, int]]]] = {
    ("early_help_closures_sustained", "early_help_closures"): ("local_authority", {2019: (420, 500)}),
    ("cce_interventions_risk_reduced", "cce_interventions"): ("local_authority", {2019: (43, 50)}),
    ("mace_safety_plans", "mace_young_people"): ("police", {2019: (64, 64)}),
    ("camhs_contacted_4_weeks", "camhs_new_referrals"): ("camhs", {2018: (592, 871), 2019: (779, 950)}),
    ("ydp_consenting", "ydp_children_network"): ("youth_offending", {2019: (168, 173)}),
    ("ap_pilot_remained", "ap_pilot_pupils"): ("education", {2019: (20, 24)}),
    ("ap_pilot_sessions_attended", "ap_pilot_sessions_possible"): ("education", {2019: (3408, 4800)}),
    ("ap_pilot_accredited", "ap_pilot_completers"): ("education", {2019: (17, 18)}),
    ("ap_pilot_post16", "ap_pilot_leavers"): ("education", {2019: (10, 12)}),
    ("safety_net_referrals_16_18", "safety_net_referrals"): ("safety_net", {2019: (41, 2299)}),
    ("lighthouse_referrals", "sexual_offences_children"): ("police", {2019: (58, 79)}),
    ("cp_conferences_probation_report", "cp_conferences_probation_involved"): ("probation", {2019: (21, 21)}),
    ("cp_conferences_probation_attended", "cp_conferences_probation_involved"): ("probation", {2019: (3, 21)}),
    ("cp_conferences_gp_report", "cp_conferences"): ("health", {2019: (264, 300)}),
    ("lac_health_assessments", "lac_12_months"): ("health", {2019: (153, 170)}),
    ("lac_dental_and_health", "lac_dental_eligible"): ("health", {2019: (118, 138)}),
    ("lac_participating_reviews", "lac_12_months"): ("local_authority", {2019: (168, 170)}),
    ("lac_under5_dev_checks", "lac_under5_12_months"): ("health", {2019: (14, 14)}),
    ("children_low_income", "children_population_2016"): ("public_health", {2019: (14290, 49275)}),
}
FIXED_DENOMINATORS = {"children_population_2016"}  # a one-off measure's population: only its printed year is returned
# Breakdowns printed in the report: measure -> (agency, dimension, {value: count}) for 2019-20.
BREAKDOWNS: dict[str, tuple[str, str, dict[str, int]]] = {
    "lado_referrals_by_concern": (
        "lado",
        "concern",
        {"physical": 29, "private_life": 22, "sexual": 15, "neglect": 1, "emotional": 10},
    ),
    "lado_outcomes": (
        "lado",
        "outcome",
        {
            "no_evidence": 26,
            "professional_standards": 18,
            "restraint": 8,
            "suspended": 22,
            "disciplinary": 12,
            "ongoing": 22,
        },
    ),
    "partnership_contributions": (
        "partnership",
        "contributor",
        {"local_authority": 144943, "ccg": 33450, "mopac": 5000, "other": 2550},
    ),
    "partnership_expenditure": (
        "partnership",
        "item",
        {"staff": 123484, "consultants": 16170, "training": 24493, "other": 21796},
    ),
}
QUARTERLY_FROM = 40  # counts this large are returned quarterly; smaller ones once a year
CENSUS = {"ehc_plans", "ehc_plans_cin_cp_lac", "ehc_plans_cypds"}  # a headcount on census day: one return a year
SUPERSEDED = {("concordat_breaches", 2019): 30}  # first return, later corrected to the printed 32


def _series(rng: np.random.Generator, printed: dict[int, float]) -> dict[int, float]:
    out = dict(printed)
    anchor = printed[max(printed)]
    for fy in FY_STARTS:
        if fy not in out:
            nearest = printed[min(printed, key=lambda p: abs(p - fy))] or anchor
            out[fy] = max(0.0, round(nearest * rng.uniform(0.8, 1.2)))
    return out


def _row(agency: str, measure: str, start: date, end: date, value: float, dim: str = "", level: str = "") -> dict:
    return {
        "agency": agency,
        "measure_id": measure,
        "period_start": start,
        "period_end": end,
        "breakdown_dimension": dim,
        "breakdown_value": level,
        "value": float(value),
    }


def _emit(rng: np.random.Generator, agency: str, measure: str, fy: int, value: float) -> list[dict]:
    quarters = quarters_of(fy_label(fy))
    if value < QUARTERLY_FROM:
        return [_row(agency, measure, quarters[0].start, quarters[-1].end, value)]
    split = rng.multinomial(int(value), [0.26, 0.24, 0.26, 0.24])
    return [_row(agency, measure, q.start, q.end, v) for q, v in zip(quarters, split)]


def partner_returns(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the returns as first submitted, a later file of corrections that supersede some of them)."""
    rows: list[dict] = []
    shared_denominators = {den for (_, den) in SHARES} & set(COUNTS)
    for measure, (agency, printed) in COUNTS.items():
        if measure in shared_denominators:
            continue
        for fy, value in _series(rng, printed).items():
            emitted_rows = _emit(rng, agency, measure, fy, SUPERSEDED.get((measure, fy), value))
            if measure in CENSUS:  # drawn as the rest (every later draw stays as it was), returned as one headcount
                emitted_rows = [{**emitted_rows[0], "period_end": emitted_rows[-1]["period_end"], "value": value}]
            rows += emitted_rows
    emitted: set[tuple[str, int]] = set()
    for (num, den), (agency, printed_pairs) in SHARES.items():
        dens = _series(rng, {fy: d for fy, (_, d) in printed_pairs.items()})
        if den in FIXED_DENOMINATORS:  # drawn all the same, so that every later draw of the demo stays as it was
            base = printed_pairs[max(printed_pairs)][1]
            dens = {fy: printed_pairs[fy][1] if fy in printed_pairs else base for fy in dens}
        shares = {fy: n / d for fy, (n, d) in printed_pairs.items()}
        for fy, d in dens.items():
            n = (
                printed_pairs[fy][0]
                if fy in printed_pairs
                else round(d * min(1.0, shares[max(shares)] * rng.uniform(0.92, 1.05)))
            )
            if den in FIXED_DENOMINATORS and fy not in printed_pairs:
                continue  # a one-off measure (2016's low income): no synthetic years to test a change on
            year = quarters_of(fy_label(fy))
            rows.append(_row(agency, num, year[0].start, year[-1].end, n))
            if (den, fy) not in emitted:
                rows.append(_row(agency, den, year[0].start, year[-1].end, d))
                emitted.add((den, fy))
    for measure, (agency, dim, levels) in BREAKDOWNS.items():
        for fy in FY_STARTS:
            year = quarters_of(fy_label(fy))
            for level, value in levels.items():
                v = value if fy == 2019 else round(value * rng.uniform(0.7, 1.3))
                rows.append(_row(agency, measure, year[0].start, year[-1].end, v, dim, level))
    first = pd.DataFrame(rows)
    corrections = [r for (m, fy) in SUPERSEDED for r in _emit(rng, COUNTS[m][0], m, fy, COUNTS[m][1][fy])]
    return first, pd.DataFrame(corrections)

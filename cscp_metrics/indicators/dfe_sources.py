"""Which DfE (EES open-data) file and columns give each benchmarked indicator, as data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

POPULATION = "population"  # denominator: ONS mid-year estimate of children aged 0-17 for year Y-1


class Column(BaseModel):
    """A value column of an EES file, optionally from the rows matching `where` (column = value)."""

    model_config = ConfigDict(frozen=True)

    column: str
    where: tuple[tuple[str, str], ...] = ()


class DfeSource(BaseModel):
    model_config = ConfigDict(frozen=True)

    indicator_id: str
    file: str
    numerator: Column
    denominator: Column | None = None  # None for counts; Column(column=POPULATION) for rates
    published: Column | None = None  # DfE's own value, checked against ours
    multiplier: float = 1.0


C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
B1 = "b1_children_in_need_2013_to_2025.csv"
C3 = "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
D5 = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
STABILITY = "la_cla_placement_stability.csv"
ACTIVITY = "la_care_leavers_activity.csv"
ACCOMMODATION = "la_care_leavers_accommodation_suitability.csv"
ONS = "ons_mid-year_population_estimates_2012_to_2024.csv"
SN_2021 = "New_Statistical_Neighbour_Groupings_April_2021.csv"
SN_2025 = "sn_model_2025_wide.csv"

_POP = Column(column=POPULATION)
_LAC31 = (("population_type", "Children looked after on 31 March each year"),)
_CLA31 = (("cla_group", "CLA on 31 March"),)
# Care leavers: both DfE age groups (17-18 and 19-21) are summed to match the local 17-21 cohort.
_LEAVERS = (("care_leaver_age", "17 to 18 years|19 to 21 years"),)

SOURCES: tuple[DfeSource, ...] = (
    DfeSource(indicator_id="referrals", file=C1, numerator=Column(column="referral_count")),
    DfeSource(
        indicator_id="referral_rate",
        file=C1,
        numerator=Column(column="referral_count"),
        denominator=_POP,
        multiplier=10_000,
    ),
    DfeSource(
        indicator_id="re_referral_rate",
        file=C1,
        numerator=Column(column="rereferral_count"),
        denominator=Column(column="referral_count"),
        published=Column(column="rereferral_percent"),
        multiplier=100,
    ),
    DfeSource(
        indicator_id="cin_rate", file=B1, numerator=Column(column="At31_episodes"), denominator=_POP, multiplier=10_000
    ),
    DfeSource(
        indicator_id="cp_plan_rate", file=D5, numerator=Column(column="CPP_At31"), denominator=_POP, multiplier=10_000
    ),
    DfeSource(
        indicator_id="cp_starts_rate",
        file=D3,
        numerator=Column(column="CPP_start"),
        denominator=_POP,
        multiplier=10_000,
    ),
    DfeSource(
        indicator_id="cp_second_subsequent",
        file=D3,
        numerator=Column(column="CPP_subsequent"),
        denominator=Column(column="CPP_start"),
        published=Column(column="CPP_subsequent_percent"),
        multiplier=100,
    ),
    DfeSource(
        indicator_id="cp_over_2_years",
        file=D5,
        numerator=Column(column="2_years_or_more"),
        denominator=Column(column="CPP_At31"),
        published=Column(column="2_years_or_more_percent"),
        multiplier=100,
    ),
    DfeSource(
        indicator_id="neglect_at_assessment",
        file=C3,
        numerator=Column(column="Neglect"),
        denominator=Column(column="Episodes_with_assessment_factor"),
        multiplier=100,
    ),
    DfeSource(indicator_id="lac", file=CLA, numerator=Column(column="children_count", where=_LAC31)),
    DfeSource(
        indicator_id="lac_rate",
        file=CLA,
        numerator=Column(column="children_count", where=_LAC31),
        denominator=_POP,
        published=Column(column="rate_per_10000", where=_LAC31),
        multiplier=10_000,
    ),
    DfeSource(
        indicator_id="lac_3_plus_moves",
        file=STABILITY,
        multiplier=100,
        numerator=Column(
            column="children_count",
            where=_CLA31 + (("placement_stability", "With 3 or more placements during the year"),),
        ),
        denominator=Column(column="children_count", where=_CLA31 + (("placement_stability", "Total children"),)),
    ),
    DfeSource(
        indicator_id="care_leavers_eet",
        file=ACTIVITY,
        multiplier=100,
        numerator=Column(
            column="care_leaver_count", where=_LEAVERS + (("breakdown", "Total in education, employment or training"),)
        ),
        denominator=Column(column="care_leaver_count", where=_LEAVERS + (("breakdown", "Total"),)),
    ),
    DfeSource(
        indicator_id="care_leavers_suitable_accommodation",
        file=ACCOMMODATION,
        multiplier=100,
        numerator=Column(
            column="care_leaver_count", where=_LEAVERS + (("breakdown", "Accommodation considered suitable"),)
        ),
        denominator=Column(column="care_leaver_count", where=_LEAVERS + (("breakdown", "Suitability total"),)),
    ),
)

EES_SYMBOLS = {
    "c": "suppressed by DfE (small number)",
    "x": "not available",
    "z": "not applicable",
    "k": "fewer than 0.5",
    "u": "low reliability",
    ":": "not available",
    "": "not published",
}

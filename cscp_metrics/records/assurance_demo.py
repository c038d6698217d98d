"""The demo partnership's assurance records, as its 2019-20 annual report describes them (chapter 1.10.4 and
chapter 5): the COVID-19 risk register formed in spring 2020, the multi-agency audits on adolescent mental health
and older children in need of help and protection, the section 11 audit on effective safeguarding supervision,
the rapid reviews and the national panel's review of criminal exploitation, and their recommendations. Owners,
dates, grades and statuses are plausible inventions where the report gives none."""

from __future__ import annotations

from datetime import date
from typing import Any

from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import actions, audits, returns_status, risks, section11
from cscp_metrics.records.workspace import Records

BY = "demo"
REVIEWED = date(2020, 4, 1)
RISKS: tuple[tuple[Any, ...], ...] = (  # title, owner, likelihood, impact, area, indicators
    (
        "Reduced visibility of vulnerable children: nursery and school closures, social distancing",
        "education",
        5,
        4,
        "front_door",
        ("referrals", "re_referral_rate"),
    ),
    (
        "Increased domestic abuse and violence in the household",
        "safety_net",
        4,
        4,
        "domestic_abuse",
        ("dva_contacts_share",),
    ),
    (
        "Heightened risk of abuse and neglect from pressures on vulnerable families",
        "local_authority",
        3,
        4,
        "neglect",
        ("neglect_at_assessment", "cp_plan_rate"),
    ),
    (
        "Heightened risk of sexual and criminal exploitation of vulnerable adolescents",
        "Vulnerable Adolescents Strategy Group",
        4,
        4,
        "vulnerable_adolescents",
        ("missing_children", "rhi_completed"),
    ),
    (
        "Anxiety, stress, mental ill-health and self-harm from isolation",
        "camhs",
        4,
        3,
        "vulnerable_adolescents",
        ("camhs_contacted_4_weeks", "camhs_new_referrals"),
    ),
    (
        "Online safety: more time online and on social media unsupervised",
        "education",
        3,
        3,
        "vulnerable_adolescents",
        (),
    ),
)
AUDITS: tuple[tuple[Any, ...], ...] = (  # kind, title, period, agencies, sample, grades, area
    (
        "multi-agency themed",
        "Adolescent mental health",
        "2018-19",
        ("camhs", "local_authority", "health", "education"),
        10,
        {"outstanding": 1, "good": 5, "requires improvement": 4},
        "vulnerable_adolescents",
    ),
    (
        "multi-agency themed",
        "Older children in need of help and protection",
        "2019-20",
        ("police", "local_authority", "youth_offending", "education", "health"),
        8,
        {"good": 6, "requires improvement": 2},
        "vulnerable_adolescents",
    ),
    (
        "section 11",
        "Effective safeguarding supervision",
        "2019-20",
        ("police", "health", "camhs", "education", "youth_offending", "probation", "safety_net", "local_authority"),
        19,
        {},
        None,
    ),
)
REVIEWS = (  # kind, title, held on, themes
    (
        "rapid review",
        "Child with complex medical needs on a child protection plan",
        date(2019, 11, 20),
        ("complex medical needs",),
    ),
    ("rapid review", "Sudden unexpected death in infancy", date(2020, 2, 10), ("SUDI", "safe sleep")),
    (
        "national panel report",
        "It was hard to escape: safeguarding children at risk from criminal exploitation",
        date(2020, 3, 5),
        ("criminal exploitation", "youth violence"),
    ),
)
ACTIONS = (  # title, source, owner, started, due, status, evidence, indicators
    (
        "New protocol on multi-agency working with adolescents' mental health",
        "audit:1",
        "camhs",
        date(2019, 6, 1),
        date(2020, 12, 31),
        "done",
        "Protocol agreed at the Quality Assurance Subgroup",
        (),
    ),
    (
        "Track the audit's 16-year-olds into adult mental health services for 24 months",
        "audit:1",
        "camhs",
        date(2019, 9, 1),
        date(2021, 9, 30),
        "on track",
        None,
        (),
    ),
    (
        "Audit of school nurses' engagement with adolescents at risk",
        "audit:2",
        "health",
        date(2020, 9, 1),
        date(2020, 11, 30),
        "at risk",
        None,
        (),
    ),
    (
        "Consider a family group conference early in every exploitation case",
        "audit:2",
        "local_authority",
        date(2020, 4, 1),
        date(2020, 9, 30),
        "done",
        "FGC referral recorded or reasons given in 9 of 10 cases sampled",
        (),
    ),
    (
        "Assessments to take account of race, ethnicity and religion",
        "audit:2",
        "Quality Assurance Subgroup",
        date(2020, 4, 1),
        date(2021, 6, 30),
        "on track",
        None,
        (),
    ),
    (
        "Multi-agency training on effective safeguarding supervision",
        "audit:3",
        "partnership",
        date(2020, 4, 1),
        date(2020, 11, 30),
        "done",
        "Four sessions, autumn 2020",
        (),
    ),
    (
        "Reflective space for designated safeguarding leads",
        "audit:3",
        "education",
        date(2020, 6, 1),
        date(2020, 12, 31),
        "not started",
        None,
        (),
    ),
    (
        "Briefings on managing allegations against staff (LADO)",
        "audit:3",
        "lado",
        date(2020, 4, 1),
        date(2020, 10, 31),
        "done",
        "Termly briefings running since September 2020",
        (),
    ),
    (
        "Case learning event on children with complex medical needs",
        "review:1",
        "partnership",
        date(2019, 12, 1),
        date(2020, 1, 31),
        "done",
        "54 professionals attended in January 2020",
        (),
    ),
    (
        "Safe sleep conversations at every health visiting contact",
        "review:2",
        "health",
        date(2020, 3, 1),
        date(2020, 12, 31),
        "on track",
        None,
        (),
    ),
    (
        "Implement Nightwatch with night-time economy venues",
        "review:3",
        "community_safety",
        date(2020, 6, 1),
        date(2021, 3, 31),
        "on track",
        None,
        ("missing_children_exploitation",),
    ),
    (
        "Return home interviews offered after every missing episode",
        "risk:4",
        "local_authority",
        date(2020, 4, 1),
        date(2020, 9, 30),
        "done",
        "RHI completion audited monthly",
        ("rhi_completed",),
    ),
    (
        "Domestic abuse helpline and campaign during lockdown",
        "risk:2",
        "safety_net",
        date(2020, 4, 1),
        date(2020, 6, 30),
        "done",
        "Campaign ran April-June 2020",
        ("dva_contacts_share",),
    ),
)
S11: dict[str, tuple[str, ...]] = {
    "2018": ("police", "health", "camhs", "education", "probation", "local_authority"),
    "2019": ("police", "health", "camhs", "education", "youth_offending", "probation", "safety_net", "local_authority"),
}
RATINGS = ("green", "green", "amber", "green", "red", "green", "amber", "green")


def _rating(round: str, agency_index: int, standard_index: int) -> str:
    """A deterministic mix: 2019 mostly better than 2018; supervision (standard 9) weakest in 2018."""
    shift = 1 if round == "2019" else 0
    return RATINGS[(agency_index * 3 + standard_index * 5 + shift * 2) % len(RATINGS)]


def seed_beside(records: Records, con: Any) -> list[str]:
    """The demo's working records beside its store (`cscp demo` and the app's first run): the assurance records, and
    a return schedule read from the returns it holds."""
    return [f"assurance records: {line}" for line in seed(records)] + [
        f"return schedule: {line}" for line in returns_status.schedule_from_returns(con, records, BY)
    ]


def seed(records: Records) -> list[str]:
    if records.scalar("SELECT count(*) FROM risks") or records.scalar("SELECT count(*) FROM audits"):
        return ["the working records already hold assurance records: nothing added"]
    registry = load_registry()
    with records.transaction():
        for title, owner, likelihood, impact, area, indicators in RISKS:
            risks.add(
                records,
                {
                    "title": title,
                    "owner": owner,
                    "likelihood": likelihood,
                    "impact": impact,
                    "area": area,
                    "indicators": indicators,
                    "review_by": date(2020, 9, 30),
                },
                BY,
                registry,
                {owner.lower(): owner},
                REVIEWED,
            )
        for kind, title, period, agencies, sample, grades, area in AUDITS:
            audits.add_audit(
                records,
                {
                    "kind": kind,
                    "title": title,
                    "period": period,
                    "agencies": agencies,
                    "sample_size": sample,
                    "grades": grades,
                    "area": area,
                },
                BY,
                registry,
                None,
            )
        for kind, title, held_on, themes in REVIEWS:
            audits.add_review(
                records, {"kind": kind, "title": title, "held_on": held_on, "themes": themes}, BY, registry
            )
        for title, source, owner, started, due, status, evidence, indicators in ACTIONS:
            action = actions.add(
                records,
                {
                    "title": title,
                    "source": source,
                    "owner": owner,
                    "due": due,
                    "started_on": started,
                    "indicators": indicators,
                },
                BY,
                registry,
                str,
                started,
            )
            if status != "not started":
                finished = min(due, date(2021, 3, 1))
                actions.update(records, action.action_id, {"status": status, "evidence": evidence}, BY, finished)
        for round, agencies in S11.items():
            for a, agency in enumerate(agencies):
                section11.store_rows(
                    records,
                    [
                        section11.S11Row.model_validate(
                            {
                                "agency": agency,
                                "round": round,
                                "standard": standard,
                                "rating": _rating(round, a, s),
                                "evidence": f"{agency} self-assessment {round}, standard {s + 1}: policy, audit and board report",
                            }
                        )
                        for s, standard in enumerate(section11.STANDARDS)
                    ],
                    BY,
                )
    return [
        f"{len(RISKS)} risks, {len(AUDITS)} audits, {len(REVIEWS)} practice reviews, {len(ACTIONS)} recommendations "
        f"and actions, section 11 rounds {', '.join(S11)}"
    ]

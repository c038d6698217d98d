"""Section 11 compared: each standard across agencies for a round, and each agency's rating against the round
before (improved, same, worse, new), with counts of red, amber and green per agency."""

from __future__ import annotations

from cscp_metrics.records.section11 import STANDARDS
from cscp_metrics.records.workspace import Records

ORDER = {"red": 0, "amber": 1, "green": 2}


def rounds(records: Records) -> list[str]:
    return [r["round"] for r in records.rows("SELECT DISTINCT round FROM s11_current ORDER BY round")]


def change(now: str, before: str | None) -> str:
    if before is None:
        return "new"
    return "improved" if ORDER[now] > ORDER[before] else "worse" if ORDER[now] < ORDER[before] else "same"


def compare(records: Records, round: str | None = None) -> dict:
    """{'round', 'previous_round', 'rows': one per agency x standard, 'agencies': RAG counts}."""
    known = rounds(records)
    if not known:
        return {"round": None, "previous_round": None, "rows": [], "agencies": []}
    chosen = round or known[-1]
    if chosen not in known:
        raise ValueError(f"no section 11 round {chosen!r}; rounds: {', '.join(known)}")
    earlier = [r for r in known if r < chosen]
    previous = earlier[-1] if earlier else None
    before = {
        (r["agency"], r["standard"]): r["rating"]
        for r in records.rows("SELECT agency, standard, rating FROM s11_current WHERE round = ?", [previous])
    }
    now = records.rows(
        "SELECT agency, standard, rating, evidence FROM s11_current WHERE round = ? ORDER BY agency", [chosen]
    )
    rows = sorted(
        (
            {
                **r,
                "previous": before.get((r["agency"], r["standard"])),
                "change": change(r["rating"], before.get((r["agency"], r["standard"]))),
            }
            for r in now
        ),
        key=lambda r: (STANDARDS.index(r["standard"]) if r["standard"] in STANDARDS else 99, r["agency"]),
    )
    agencies = []
    for agency in sorted({r["agency"] for r in rows}):
        mine = [r for r in rows if r["agency"] == agency]
        counts = {rag: sum(r["rating"] == rag for r in mine) for rag in ("red", "amber", "green")}
        agencies.append(
            {
                "agency": agency,
                **counts,
                "improved": sum(r["change"] == "improved" for r in mine),
                "worse": sum(r["change"] == "worse" for r in mine),
                "label": f"{counts['green']} green, {counts['amber']} amber, {counts['red']} red",
            }
        )
    return {"round": chosen, "previous_round": previous, "rows": rows, "agencies": agencies}

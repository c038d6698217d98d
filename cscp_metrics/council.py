"""The store's council: which English LA it is (ONS code or DfE name), its region, inner/outer London and
statistical neighbours, written to the store's settings so every screen and sentence can name it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import duckdb

from cscp_metrics.indicators import areas
from cscp_metrics.indicators.areas import COMPARATORS
from cscp_metrics.read_memo import remember, remembered
from cscp_metrics.store import years as store_years
from cscp_metrics.store.settings import setting

LONDON = "E12000007"
INNER_OUTER = {"E13000001": "Inner London", "E13000002": "Outer London"}
SN_PREFERRED, SN_FALLBACK = "2025", "2021"
ONS_AS_DFE = "ONS mid-year estimate (as DfE)"
IDENTITY_KEYS = ("area_code", "area_name", "region_code", "region_name", "inner_outer_code", "sn_model", "sn_note")


class UnknownCouncil(ValueError):
    """No English council has that code or name; the message lists close matches."""


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    region_code: str | None
    region_name: str | None
    inner_outer_code: str | None
    latest_period: str | None  # the latest year DfE publishes anything for it

    @property
    def inner_outer_name(self) -> str | None:
        return INNER_OUTER.get(self.inner_outer_code or "")


def _key(text: str) -> str:
    """Names compared without case, punctuation, '&' vs 'and' or a trailing 'council'."""
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"\b(city of|county council|borough council|city council|council)\b", " ", text)
    return " ".join(text.split())


def councils(con: duckdb.DuckDBPyConnection) -> list[Council]:
    """Every LA in the store's reference data, the current one first where an old and a new share a name."""
    rows = con.execute("""
        SELECT a.area_code, a.name, a.region_code, r.name, a.inner_outer_code, max(b.period) AS latest
        FROM areas a LEFT JOIN areas r ON r.area_code = a.region_code
        LEFT JOIN benchmarks b ON b.area_code = a.area_code AND b.value IS NOT NULL
        WHERE a.level = 'la' GROUP BY ALL ORDER BY latest DESC NULLS LAST, a.area_code""").fetchall()
    return [Council(*row) for row in rows]


def find(con: duckdb.DuckDBPyConnection, code_or_name: str) -> Council:
    """The council with this ONS code (E10000016), DfE LA number (886) or DfE name ('Kent'), any case."""
    wanted = code_or_name.strip()
    known = councils(con)
    for council in known:  # the list is newest first: a reorganised council's current code wins a shared name
        if wanted.upper() == council.code or _key(wanted) == _key(council.name):
            return council
    row = con.execute(
        "SELECT area_code FROM areas WHERE level = 'la' AND old_la_code::VARCHAR = ?", [wanted]
    ).fetchone()
    if row:
        return next(c for c in known if c.code == row[0])
    names = sorted({c.name for c in known})
    by_key = {_key(n): n for n in names}
    close = [by_key[k] for k in difflib.get_close_matches(_key(wanted), list(by_key), n=5, cutoff=0.6)]
    close += [n for n in names if _key(wanted) and _key(wanted) in _key(n) and n not in close][: 5 - len(close)]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownCouncil(
        f"No English council has the code or name '{code_or_name}'.{hint} Use an ONS code "
        f"(e.g. E10000016) or the council's name as DfE spells it (e.g. Kent); "
        f"{len(names)} councils are known."
    )


def neighbours_for(
    con: duckdb.DuckDBPyConnection, council: Council, prefer: str = SN_PREFERRED
) -> tuple[str, list[str], str]:
    """(model, neighbour codes by rank, note). The 2025 model where it covers the council, else 2021. Where an old
    and a new council share a DfE number (Somerset, North Yorkshire...), the one DfE still publishes is kept."""
    for model in dict.fromkeys((prefer, SN_PREFERRED, SN_FALLBACK)):
        rows = con.execute(
            """
            SELECT s.rank, arg_max(s.neighbour_code, coalesce(b.latest, '')) FROM statistical_neighbours s
            LEFT JOIN (SELECT area_code, max(period) AS latest FROM benchmarks WHERE value IS NOT NULL GROUP BY 1) b
                   ON b.area_code = s.neighbour_code
            WHERE s.area_code = ? AND s.model = ? GROUP BY s.rank ORDER BY s.rank""",
            [council.code, model],
        ).fetchall()
        if rows:
            note = (
                ""
                if model == prefer
                else (
                    f"the 2025 statistical neighbour model does not cover {council.name}: its 2021 groupings are used"
                )
            )
            return model, [r[1] for r in rows], note
    return SN_PREFERRED, [], f"DfE publishes no statistical neighbours for {council.name}"


def settle(con: duckdb.DuckDBPyConnection, council: Council, prefer: str = SN_PREFERRED) -> list[str]:
    """Write the council's identity, its neighbours (deduplicated) and its population base into the store."""
    model, codes, note = neighbours_for(con, council, prefer)
    con.execute("DELETE FROM statistical_neighbours WHERE area_code = ? AND model = ?", [council.code, model])
    con.executemany(
        "INSERT INTO statistical_neighbours SELECT ?, ?, ?, NULL, ?",
        [(council.code, code, rank, model) for rank, code in enumerate(codes, 1)],
    )
    values = dict(
        zip(
            IDENTITY_KEYS,
            (
                council.code,
                council.name,
                council.region_code or "",
                council.region_name or "",
                council.inner_outer_code or "",
                model,
                note,
            ),
        )
    )
    con.executemany("INSERT OR REPLACE INTO settings VALUES (?, ?)", list(values.items()))
    # local rates use DfE's base (ONS mid-year estimate for the year before) unless the store has its own (the demo's)
    con.execute(
        "DELETE FROM population WHERE area_code = ? AND source = 'partnership' AND vintage = ?",
        [council.code, ONS_AS_DFE],
    )
    con.execute(
        "INSERT INTO population SELECT area_code, mid_year, age_group, population, 'partnership', ? "
        "FROM population p WHERE area_code = ? AND source = 'ons' AND NOT EXISTS (SELECT 1 FROM population o "
        "WHERE o.area_code = p.area_code AND o.source = 'partnership')",
        [ONS_AS_DFE, council.code],
    )
    names = [
        r[0]
        for r in con.execute(
            "SELECT a.name FROM unnest(?) WITH ORDINALITY AS t(code, i) JOIN areas a ON a.area_code = t.code ORDER BY i",
            [codes],
        ).fetchall()
    ]
    place = ", ".join(p for p in (council.region_name, council.inner_outer_name) if p)
    lines = [f"{council.name} ({council.code}), {place}", f"statistical neighbours ({model} model): {', '.join(names)}"]
    return lines + ([f"note: {note}"] if note else [])


def resettle(con: duckdb.DuckDBPyConnection) -> list[str]:
    """After the DfE figures are refreshed (`cscp benchmarks import`): the store's council settled again on them."""
    code = setting(con, "area_code")
    return settle(con, find(con, code), areas.neighbour_model(con)) if code else []


@remembered
def comparators(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Comparator key -> the area it stands for: England, the council's region (for London: London and its inner or
    outer half), its statistical neighbours. Keys are those of the URL (cmp=england, london, inner_london, region, sn)."""
    settings = dict(con.execute("SELECT key, value FROM settings").fetchall())
    if not settings.get("region_code"):  # a store without a settled council: the comparators of the first demo
        return dict(COMPARATORS)
    out = {"england": "England"}
    if settings["region_code"] == LONDON:
        out["london"] = "London"
        half = INNER_OUTER.get(settings.get("inner_outer_code", ""))
        if half:
            out[half.lower().replace(" ", "_")] = half
    else:
        out["region"] = settings.get("region_name") or settings["region_code"]
    out["sn"] = "Statistical neighbours"
    return out


def caption(con: duckdb.DuckDBPyConnection) -> str:
    """e.g. 'Kent (E10000016), South East. Figures: DfE published (OGL) for years without local records;
    statistical neighbours: DfE 2025 model.'"""
    s = dict(con.execute("SELECT key, value FROM settings").fetchall())
    if "area_code" not in s:
        return "No council settled in this store yet: build one with cscp init --la 'Your council'."
    place = ", ".join(p for p in (s.get("region_name"), INNER_OUTER.get(s.get("inner_outer_code", ""))) if p)
    note = f" ({s['sn_note']})" if s.get("sn_note") else ""
    return (
        f"{s.get('area_name', s['area_code'])} ({s['area_code']}){', ' + place if place else ''}. Figures: DfE "
        f"published statistics for years without the partnership's own records; statistical neighbours: DfE "
        f"{s.get('sn_model', '2021')} model{note}."
    )


FACTS = ("name", "years", "default_year", "local_years", "comparators", "caption", "demo")


def facts(con: duckdb.DuckDBPyConnection) -> dict:
    """What every page says of the store: its council's name and caption, its years (the default one: 2024-25 for a
    store with none), its comparators, and whether it is the synthetic demo. Computed at publish into the version's
    receipt (ready/stamp.py), so the first view of a version reads a file instead of asking six questions. As with
    the ready figures, a release that changes what these say bumps ready/stamp.VERSION, so older receipts are not
    read."""
    local = store_years.local_years(con)
    return {
        "name": areas.partnership_name(con),
        "years": store_years.years(con, local),
        "default_year": store_years.default_year(con, local) or "2024-25",
        "local_years": local,
        "comparators": comparators(con),
        "caption": caption(con),
        "demo": setting(con, "demo") == "true",
    }


def remember_facts(kept: dict, con: duckdb.DuckDBPyConnection, known: dict) -> None:
    """The reads facts() answers put in the version's memo (read_memo.scope(kept)) from facts computed at publish:
    the first view of a version just published does not scan its aggregates for its years (5-6 ms at London scale)."""
    remember(kept, store_years.local_years, con, value=known["local_years"])

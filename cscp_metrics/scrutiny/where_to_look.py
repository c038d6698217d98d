"""The scrutineer's first pass: all signals for a period, strongest evidence and biggest effect first."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.no_data import DFE_PUBLISHED_IDS
from cscp_metrics.indicators.registry import Indicator, Registry, load_registry
from cscp_metrics.records import challenges
from cscp_metrics.scrutiny import outliers, yearly_variation
from cscp_metrics.scrutiny.signals import Signal


def find(
    con: duckdb.DuckDBPyConnection,
    period: str,
    *,
    public: bool = True,
    include_similar: bool = False,
    registry: Registry | None = None,
    challenge_log: duckdb.DuckDBPyConnection | None = None,
) -> list[Signal]:
    """Every indicator checked; reconciliation rows are always listed (they are the scrutineer's questions too)."""
    return select(checked(con, period, public, registry), period, include_similar, challenge_log)


def checked(
    con: duckdb.DuckDBPyConnection, period: str, public: bool, registry: Registry | None = None
) -> list[Signal]:
    """Every check's signal, those that found nothing (similar) included, with the reconciliation, ranked."""
    return rank(unranked(con, period, public, registry))


def unranked(
    con: duckdb.DuckDBPyConnection,
    period: str,
    public: bool,
    registry: Registry | None = None,
    known: Mapping[str, list[Signal]] | None = None,
) -> list[Signal]:
    """What `checked` ranks, as stored when a version is published (ready/signals.py): each indicator's checks in
    the registry's order, then the reconciliation. `known`: indicators whose signals are known already."""
    registry = registry or load_registry()
    found: list[Signal] = []
    for ind in registry.indicators.values():
        if not ind.local and ind.id not in DFE_PUBLISHED_IDS:
            continue
        found += (
            known[ind.id]
            if known is not None and ind.id in known
            else indicator_signals(con, ind, period, public, registry)
        )
    return found + outliers.reconciliation_signals(con, period, registry)


def select(
    ranked: list[Signal],
    period: str,
    include_similar: bool = False,
    challenge_log: duckdb.DuckDBPyConnection | None = None,
) -> list[Signal]:
    """The checks that found something (all of them with include_similar), each with the open challenges on its
    indicator. A similar signal has strength 0 and so ranks below every other: leaving it out keeps the order."""
    found = [s for s in ranked if include_similar or s.direction != "similar" or s.kind == "reconciliation"]
    if challenge_log is not None:  # one read of the log, matched to every signal
        logged = [c for c in challenges.meeting_list(challenge_log, period) if c.shown_in(period)]
        found = [_with_challenges(s, logged) for s in found]
    return found


def indicator_signals(
    con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, public: bool, registry: Registry
) -> list[Signal]:
    """Every check of one indicator: comparators, breakdowns, SPC, yearly variation, change, funnel."""
    row = compute(con, ind.id, period, registry=registry).iloc[0]
    return [
        *outliers.comparator_signals(con, ind, period, row, public),
        *outliers.breakdown_signals(con, ind, period, row, public, registry),
        *outliers.spc_signals(con, ind, period, public),
        *yearly_variation.signals(con, ind, period, row),
        *outliers.change_signals(con, ind, period, row, public, registry),
        *outliers.funnel_signals(con, ind, period, public),
    ]


def rank(found: list[Signal]) -> list[Signal]:
    """Strongest first, with each further signal about an indicator already listed halved (a finding seen against
    its past, its breakdowns and all LAs is still one finding), so the list leads with distinct findings."""
    seen: dict[str, int] = {}
    scored = []
    for order, signal in enumerate(sorted(found, key=Signal.rank_key)):
        repeats = seen.get(signal.indicator_id, 0)
        seen[signal.indicator_id] = repeats + 1
        scored.append((-signal.strength() * 0.5**repeats, order, signal))
    return [signal for *_, signal in sorted(scored, key=lambda t: (t[0], t[1]))]


def _with_challenges(signal: Signal, logged: list[challenges.Challenge]) -> Signal:
    questions = tuple(c.line for c in logged if c.indicator_id == signal.indicator_id)
    return signal.model_copy(update={"challenges": questions}) if questions else signal


def as_frame(signals: list[Signal]) -> pd.DataFrame:
    """The signals as the CLI's CSV lists them ('c' for a hidden figure)."""
    return pd.DataFrame([s.as_published() for s in signals])

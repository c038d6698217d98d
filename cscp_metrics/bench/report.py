"""The benchmark's markdown table: each ratio against its goal."""

from __future__ import annotations

import operator

OPS = {">=": operator.ge, "<=": operator.le}


def meets(value: float, goal: str) -> bool:
    op, target = goal.split()
    return OPS[op](value, float(target))


def markdown(result: dict) -> str:
    rows = [
        f"# cscp bench: {result['scale']} ({result['las']} LAs, {result['rows']['contacts']:,} contacts, "
        f"{result['rows']['referrals']:,} referrals; {result['machine']['cores']} cores, "
        f"{result['machine']['memory_gb']} GB)",
        "",
        "| measure | value | goal | met |",
        "|---|---|---|---|",
    ]
    for key, goal in result["goals"].items():
        if result[key] is None:
            rows.append(f"| {key} | not measured (Streamlit is not installed) | {goal} | |")
            continue
        rows.append(f"| {key} | {result[key]:,.2f} | {goal} | {'yes' if meets(result[key], goal) else 'NO'} |")
    rows.append(f"| page_query_engine_ms | {result['page_query_engine_ms']:,.1f} | (absolute) | |")
    if result.get("peak_memory_second_process_mb"):
        rows.append(
            f"| peak memory of the publish's second process, MB | {result['peak_memory_second_process_mb']:,.0f} "
            "| (absolute) | |"
        )
    rows.append(
        f"| precompute at publish, s (share of the load) | {result['precompute_s']:,.1f} "
        f"({result['precompute_share_of_load']:.0%}) | (absolute) | |"
    )
    rows.append(
        f"| baselines agree with the engine | {result['baselines_agree']} | True | "
        f"{'yes' if result['baselines_agree'] else 'NO'} |"
    )
    return "\n".join(rows)

"""Input refused before anything is stored: one message per problem, naming the field and the value given."""

from __future__ import annotations

from pydantic import ValidationError


class Refused(ValueError):
    """Nothing was stored; the message says what to change."""


def describe(err: ValidationError, what: str) -> Refused:
    """`risk not recorded: likelihood must be 1-5: Input should be less than or equal to 5 (got 7)`."""
    problems = []
    for e in err.errors():
        field = ".".join(str(p) for p in e["loc"]) or "input"
        given = e.get("input")
        shown = "" if isinstance(given, dict) else f" (got {given!r})"
        problems.append(f"{field}: {e['msg']}{shown}")
    return Refused(f"{what} not recorded: " + "; ".join(problems))

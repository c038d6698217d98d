"""Reporting periods: financial year '2019-20', quarter '2019-20-Q1' (Apr-Jun), month '2019-06'."""
from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

_FY = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Period(BaseModel):
    """A closed date range [start, end] with the label users see."""
    model_config = ConfigDict(frozen=True)

    label: str
    kind: str          # year | quarter | month
    start: date
    end: date

    @property
    def fy_start_year(self) -> int:
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def fy_label(self) -> str:
        return fy_label(self.fy_start_year)


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def parse_period(label: str) -> Period:
    """Parse a period label; raise ValueError with the accepted forms when it is not one."""
    text = label.strip()
    if m := _QUARTER.match(text):
        year, q = int(m.group(1)), int(m.group(3))
        _check_fy(year, int(m.group(2)), label)
        first_month = 4 + 3 * (q - 1)
        y = year + (first_month > 12)
        fm = (first_month - 1) % 12 + 1
        return Period(label=text, kind="quarter", start=date(y, fm, 1), end=_month_end(y, fm + 2))
    if (m := _FY.match(text)) and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        year = int(m.group(1))
        return Period(label=text, kind="year", start=date(year, 4, 1), end=date(year + 1, 3, 31))
    if (m := _MONTH.match(text)) and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        return Period(label=text, kind="month", start=date(year, month, 1), end=_month_end(year, month))
    raise ValueError(f"'{label}' is not a period: use a financial year like 2019-20, "
                     "a quarter like 2019-20-Q1 (April-June) or a month like 2019-06")


def _check_fy(year: int, short: int, label: str) -> None:
    if (year + 1) % 100 != short:
        raise ValueError(f"'{label}': the financial year must run over two consecutive years, e.g. 2019-20-Q1")


def quarters_of(fy: str) -> list[Period]:
    return [parse_period(f"{fy}-Q{q}") for q in range(1, 5)]


def months_of(period: Period) -> list[Period]:
    out, d = [], period.start
    while d <= period.end:
        out.append(parse_period(f"{d.year}-{d.month:02d}"))
        d = _month_end(d.year, d.month) + timedelta(days=1)
    return out


def previous(period: Period) -> Period:
    """The same kind of period one year earlier (for change against last year)."""
    if period.kind == "month":
        return parse_period(f"{period.start.year - 1}-{period.start.month:02d}")
    prev = fy_label(period.fy_start_year - 1)
    return parse_period(prev if period.kind == "year" else f"{prev}-{period.label[-2:]}")


def dfe_time_period(fy: str) -> int:
    """EES time_period for a financial year: the year of 31 March at its end (2019-20 -> 2020)."""
    return parse_period(fy).end.year

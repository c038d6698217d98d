"""Reporting periods, typed: financial year '2019-20', quarter '2019-20-Q1' (Apr-Jun), month 'Jun 2019'.

'2011-12' is the financial year April 2011 to March 2012, never December 2011: a month is labelled 'Dec 2011'
(the form every period label of kind month takes, in the store's aggregates too). A month may also be written
'2019-06' when that cannot be read as a financial year; asked for a month, '2011-12' is refused with a message
saying how to write each."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FORMS = (
    "a financial year like 2019-20 (April 2019 to March 2020), a quarter like 2019-20-Q1 (April-June) "
    "or a month like Jun 2019 (Dec 2011 for December 2011: 2011-12 is the financial year)"
)

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
_MONTH_NAME = re.compile(r"^([A-Za-z]{3,9})\.? (\d{4})$")
_FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

Kind = Literal["year", "quarter", "month", "span"]


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


class Period(BaseModel):
    """A closed date range [start, end] of one kind, with the label users see and type."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    start: date
    end: date
    label: str

    @classmethod
    def financial_year(cls, start_year: int) -> Period:
        return cls(
            kind="year", start=date(start_year, 4, 1), end=date(start_year + 1, 3, 31), label=fy_label(start_year)
        )

    @classmethod
    def quarter_of(cls, start_year: int, quarter: int) -> Period:
        first = _add_months(date(start_year, 4, 1), 3 * (quarter - 1))
        last = _add_months(first, 2)
        return cls(
            kind="quarter",
            start=first,
            end=_month_end(last.year, last.month),
            label=f"{fy_label(start_year)}-Q{quarter}",
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(
            kind="month", start=date(year, month, 1), end=_month_end(year, month), label=f"{MONTHS[month - 1]} {year}"
        )

    @classmethod
    def span(cls, start: date, end: date) -> Period:
        """Any run of whole months (e.g. the 24 months an SPC chart covers); never aggregated, never a DfE year."""
        return cls(
            kind="span",
            start=start,
            end=end,
            label=f"{MONTHS[start.month - 1]} {start.year} to {MONTHS[end.month - 1]} {end.year}",
        )

    @property
    def fy_start_year(self) -> int:
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def fy_label(self) -> str:
        return fy_label(self.fy_start_year)

    @property
    def quarter(self) -> int | None:
        """1-4 (April-June = 1) for a quarter, else None."""
        return (self.start.month - 4) % 12 // 3 + 1 if self.kind == "quarter" else None

    def financial_year_of(self) -> Period:
        """The financial year this period falls in (DfE publishes only these)."""
        return Period.financial_year(self.fy_start_year)

    def same_period_last_year(self) -> Period:
        """The same kind of period a year earlier: June 2018 for June 2019, 2018-19-Q1 for 2019-20-Q1."""
        return self.shifted(-12)

    def previous(self) -> Period:
        """The period of the same kind just before: May 2019 for June 2019, 2018-19-Q4 for 2019-20-Q1."""
        return self.shifted(-{"year": 12, "quarter": 3, "month": 1}.get(self.kind, 12))

    def shifted(self, months: int) -> Period:
        if self.kind == "year":
            return Period.financial_year(self.fy_start_year + months // 12)
        if self.kind == "quarter":
            moved = _add_months(self.start, months)
            year = moved.year if moved.month >= 4 else moved.year - 1
            return Period.quarter_of(year, (moved.month - 4) % 12 // 3 + 1)
        if self.kind == "month":
            moved = _add_months(self.start, months)
            return Period.month(moved.year, moved.month)
        last = _add_months(date(self.end.year, self.end.month, 1), months)
        return Period.span(_add_months(self.start, months), _month_end(last.year, last.month))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_period(label: str, kind: Kind | None = None) -> Period:
    """Parse a period label; raise ValueError saying how each kind is written when it is not one (or not `kind`)."""
    text = label.strip()
    period = _parse(text)
    if period is None:
        raise ValueError(f"'{label}' is not a period: write {FORMS}")
    if kind == "month" and (note := ambiguity_note(text)):
        raise ValueError(f"'{label}' is not a month: {note}")
    if kind is not None and period.kind != kind:
        raise ValueError(f"'{label}' is a {period.kind}, not a {kind}: write {FORMS}")
    return period


def period_words(label: str, brief: bool = False) -> str:
    """A period as a sentence says it: '2019-20 Q1 (April to June 2019)', 'June 2019'; a year as it is written.
    `brief`, for a list of periods (a trend): '2019-20 Q1', 'Jun 2019'."""
    try:
        period = parse_period(label)
    except ValueError:
        return label
    if brief:
        return f"{period.fy_label} Q{period.quarter}" if period.kind == "quarter" else period.label
    if period.kind == "quarter":
        first, last = (_FULL_MONTHS[d.month - 1].capitalize() for d in (period.start, period.end))
        return f"{period.fy_label} Q{period.quarter} ({first} to {last} {period.end.year})"
    if period.kind == "month":
        return month_words(f"{period.start:%Y-%m}")
    return period.label


def month_words(value: object) -> str:
    """A month breakdown's value '2019-07' as 'July 2019', as a chart's axis shows it (anything else as it is)."""
    m = _YEAR_MONTH.match(str(value))
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return str(value)
    return f"{_FULL_MONTHS[int(m.group(2)) - 1].capitalize()} {m.group(1)}"


def ambiguity_note(label: str) -> str | None:
    """For a label that is a financial year but could be misread as a month (2011-12), how to write each."""
    m = _YEAR_MONTH.match(label.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12 or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return (
        f"{label.strip()} is the financial year April {year} to March {year + 1}; "
        f"{_FULL_MONTHS[month - 1].title()} {year} is written {MONTHS[month - 1]} {year}"
    )


def _parse(text: str) -> Period | None:
    if m := _QUARTER.match(text):
        year = int(m.group(1))
        if (year + 1) % 100 != int(m.group(2)):
            raise ValueError(f"'{text}': a financial year runs over two consecutive years, e.g. 2019-20-Q1")
        return Period.quarter_of(year, int(m.group(3)))
    if m := _YEAR_MONTH.match(text):
        year, second = int(m.group(1)), int(m.group(2))
        if (year + 1) % 100 == second:  # a financial year, even when it could also be a month (2011-12)
            return Period.financial_year(year)
        return Period.month(year, second) if 1 <= second <= 12 else None
    if m := _MONTH_NAME.match(text):
        name = m.group(1).lower()
        for number, full in enumerate(_FULL_MONTHS, 1):
            if name in (full, MONTHS[number - 1].lower()):
                return Period.month(int(m.group(2)), number)
    return None


def quarters_of(fy: str) -> list[Period]:
    year = parse_period(fy, "year").fy_start_year
    return [Period.quarter_of(year, q) for q in range(1, 5)]


def months_of(period: Period) -> list[Period]:
    out, day = [], period.start
    while day <= period.end:
        out.append(Period.month(day.year, day.month))
        day = _add_months(day, 1)
    return out


def covering(first: date, last: date) -> list[Period]:
    """Every financial year, quarter and month that overlaps [first, last] (what the aggregates hold)."""
    y0, y1 = Period.month(first.year, first.month).fy_start_year, Period.month(last.year, last.month).fy_start_year
    out = []
    for year in range(y0, y1 + 1):
        fy = Period.financial_year(year)
        out += [fy, *(Period.quarter_of(year, q) for q in range(1, 5)), *months_of(fy)]
    return [p for p in out if p.end >= first and p.start <= last]

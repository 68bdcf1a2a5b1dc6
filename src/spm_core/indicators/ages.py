"""Ages as birth-date ranges, and the age groups reports are broken down by.

An age in completed units on a day is a falling step function of the birth date, so
"age ≥ n on D" is "born on or before some day" and the SQL compiler can compare birth
dates with bounds computed once per period. The bounds come from
:func:`spm_core.domain.lifestage.age_in` itself, so they agree with it on every birth
date, 29 February included.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from spm_core.definitions.expr import shift_months
from spm_core.domain.lifestage import AgeUnit, age_in
from spm_core.domain.text import Text

__all__ = ["AGE_GROUPS", "AgeGroup", "birth_range", "latest_birth"]


def latest_birth(day: date, age: int, unit: AgeUnit) -> date:
    """Return the latest birth date at which someone is at least ``age`` old on ``day``.

    Example:
        >>> latest_birth(date(2025, 2, 28), 1, AgeUnit.YEARS)
        datetime.date(2024, 2, 29)
    """
    if age == 0:
        return day
    if unit is AgeUnit.DAYS:
        return day - timedelta(days=age)
    months = age * 12 if unit is AgeUnit.YEARS else age
    candidate = shift_months(day, -months)
    while age_in(candidate, day, unit) < age:
        candidate -= timedelta(days=1)
    while candidate < day and age_in(candidate + timedelta(days=1), day, unit) >= age:
        candidate += timedelta(days=1)
    return candidate


def birth_range(low: int, high: int | None, unit: AgeUnit, day: date) -> tuple[date | None, date]:
    """Return ``(earliest, latest)`` birth dates of ages ``low..high`` on ``day`` (inclusive).

    ``earliest`` is ``None`` when there is no upper age.

    Example:
        >>> birth_range(0, 59, AgeUnit.MONTHS, date(2025, 12, 31))
        (datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
    """
    latest = latest_birth(day, low, unit)
    if high is None:
        return None, latest
    return latest_birth(day, high + 1, unit) + timedelta(days=1), latest


@attrs.frozen
class AgeGroup:
    """An age band in completed years on the period's last day, used to break reports down."""

    code: str
    low: int
    high: int | None
    label: Text


AGE_GROUPS: tuple[AgeGroup, ...] = (
    AgeGroup("0-4", 0, 4, Text("0–4 tahun (balita)", "0–4 years (under five)")),
    AgeGroup("5-6", 5, 6, Text("5–6 tahun", "5–6 years")),
    AgeGroup("7-15", 7, 15, Text("7–15 tahun", "7–15 years")),
    AgeGroup("16-18", 16, 18, Text("16–18 tahun", "16–18 years")),
    AgeGroup("19-59", 19, 59, Text("19–59 tahun", "19–59 years")),
    AgeGroup("60+", 60, None, Text("60 tahun ke atas", "60 years and over")),
)
"""The age groups of a disaggregated report: the SPM age bands of the basic services."""

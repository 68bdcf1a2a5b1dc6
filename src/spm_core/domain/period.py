"""Reporting periods: month, quarter (triwulan), half-year (semester) and year.

A period is written ``2025-03``, ``2025-Q1``, ``2025-S2`` or ``2025``; :meth:`Period.parse`
reads these forms and ``str()`` writes them. Periods sort by start date, then shorter
first, so ``2025-01 < 2025-Q1 < 2025-S1 < 2025``.
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
from collections.abc import Callable
from datetime import date
from typing import overload

import attrs

from spm_core.domain.text import Text
from spm_core.errors import InvalidPeriod

__all__ = ["Period", "PeriodKind"]

_MIN_YEAR = 1000
_MAX_YEAR = 9999
_FORMS_ID = "2025-03 (bulan), 2025-Q1 (triwulan), 2025-S2 (semester) atau 2025 (tahun)"
_FORMS_EN = "2025-03 (month), 2025-Q1 (quarter), 2025-S2 (half-year) or 2025 (year)"
_PATTERN = re.compile(r"([0-9]{4})(?:-(?:([0-9]{1,2})|([QqSs])([0-9]{1,2})))?")
_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ROMAN = ("I", "II", "III", "IV")


class PeriodKind(enum.StrEnum):
    """The length of a reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"

    @property
    def label(self) -> Text:
        """The kind in both languages."""
        return _KIND_LABELS[self]

    @property
    def months_long(self) -> int:
        """How many months one period of this kind spans (1, 3, 6 or 12)."""
        return _KIND_MONTHS[self]

    @property
    def per_year(self) -> int:
        """How many periods of this kind a year holds (12, 4, 2 or 1)."""
        return 12 // _KIND_MONTHS[self]


_KIND_LABELS = {
    PeriodKind.MONTH: Text("Bulan", "Month"),
    PeriodKind.QUARTER: Text("Triwulan", "Quarter"),
    PeriodKind.SEMESTER: Text("Semester", "Half-year"),
    PeriodKind.YEAR: Text("Tahun", "Year"),
}
_KIND_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.SEMESTER: 6,
    PeriodKind.YEAR: 12,
}


def _invalid(value: object, reason_id: str, reason_en: str) -> InvalidPeriod:
    return InvalidPeriod(value=value, reason_id=reason_id, reason_en=reason_en)


class _YearAttribute:
    """``Period.year(2025)`` builds a whole-year period; ``period.year`` is its year."""

    @overload
    def __get__(self, instance: None, owner: type[Period]) -> Callable[[int], Period]: ...

    @overload
    def __get__(self, instance: Period, owner: type[Period]) -> int: ...

    def __get__(
        self, instance: Period | None, owner: type[Period]
    ) -> int | Callable[[int], Period]:
        if instance is None:
            return owner.whole_year
        return instance._year


@functools.total_ordering
@attrs.frozen(repr=False)
class Period:
    """A month, quarter, half-year or year of the calendar.

    Build one with :meth:`month`, :meth:`quarter`, :meth:`semester`, :meth:`year`,
    :meth:`containing` or :meth:`parse`. ``index`` counts from 1 within the year (month
    1–12, quarter 1–4, semester 1–2, year 1). On an instance, ``year`` is the year.

    Example:
        >>> p = Period.parse("2025-Q1")
        >>> p.start, p.end, p.label.en
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), 'Quarter 1 2025')
        >>> [str(m) for m in p.months()]
        ['2025-01', '2025-02', '2025-03']
        >>> Period.year(2025).year
        2025
    """

    kind: PeriodKind
    _year: int
    index: int = 1

    year = _YearAttribute()

    def __attrs_post_init__(self) -> None:
        shown = f"kind={self.kind!r}, year={self._year!r}, index={self.index!r}"
        if not isinstance(self.kind, PeriodKind):
            raise _invalid(
                shown,
                "jenis periode harus month, quarter, semester atau year",
                "the kind must be month, quarter, semester or year",
            )
        if type(self._year) is not int or not _MIN_YEAR <= self._year <= _MAX_YEAR:
            raise _invalid(
                shown,
                f"tahun harus bilangan bulat {_MIN_YEAR}–{_MAX_YEAR}",
                f"the year must be a whole number from {_MIN_YEAR} to {_MAX_YEAR}",
            )
        top = self.kind.per_year
        if type(self.index) is not int or not 1 <= self.index <= top:
            raise _invalid(
                shown,
                f"{self.kind.label.id.lower()} ke-{self.index} tidak ada (1–{top})",
                f"there is no {self.kind.label.en.lower()} {self.index} (1–{top})",
            )

    # ------------------------------------------------------------------ constructors

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Return month ``month`` (1–12) of ``year``."""
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Return quarter (triwulan) ``quarter`` (1–4) of ``year``."""
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def semester(cls, year: int, semester: int) -> Period:
        """Return half-year (semester) ``semester`` (1–2) of ``year``."""
        return cls(PeriodKind.SEMESTER, year, semester)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        """Return the calendar year ``year``; also reachable as ``Period.year(year)``."""
        return cls(PeriodKind.YEAR, year, 1)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        """Return the period of ``kind`` that contains ``day``.

        Example:
            >>> str(Period.containing(date(2025, 8, 17), PeriodKind.QUARTER))
            '2025-Q3'
        """
        return cls(kind, day.year, (day.month - 1) // kind.months_long + 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Return the period written as ``2025-03``, ``2025-Q1``, ``2025-S2`` or ``2025``.

        Raises:
            InvalidPeriod: the text is in none of these forms, or names a month, quarter or
                semester that does not exist.
        """
        found = _PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if found is None:
            raise _invalid(text, f"bentuknya harus {_FORMS_ID}", f"it must look like {_FORMS_EN}")
        year_text, month_text, letter, number = found.groups()
        year = int(year_text)
        if year < _MIN_YEAR:
            raise _invalid(
                text,
                f"tahun harus {_MIN_YEAR}–{_MAX_YEAR}",
                f"the year must be from {_MIN_YEAR} to {_MAX_YEAR}",
            )
        if month_text is not None:
            kind, index = PeriodKind.MONTH, int(month_text)
        elif letter is not None:
            kind = PeriodKind.QUARTER if letter in "Qq" else PeriodKind.SEMESTER
            index = int(number)
        else:
            kind, index = PeriodKind.YEAR, 1
        if not 1 <= index <= kind.per_year:
            raise _invalid(
                text,
                f"{kind.label.id.lower()} ke-{index} tidak ada (1–{kind.per_year})",
                f"there is no {kind.label.en.lower()} {index} (1–{kind.per_year})",
            )
        return cls(kind, year, index)

    # ------------------------------------------------------------------ calendar

    @property
    def start(self) -> date:
        """The first day of the period."""
        return date(self._year, self._first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        last = self._first_month + self.kind.months_long - 1
        return date(self._year, last, calendar.monthrange(self._year, last)[1])

    @property
    def _first_month(self) -> int:
        return (self.index - 1) * self.kind.months_long + 1

    def contains(self, day: date) -> bool:
        """Return whether ``day`` falls within the period (both ends included)."""
        return self.start <= day <= self.end

    def months(self) -> tuple[Period, ...]:
        """Return the months inside the period, in order."""
        first = self._first_month
        return tuple(
            Period.month(self._year, m) for m in range(first, first + self.kind.months_long)
        )

    def next(self) -> Period:
        """Return the period of the same kind that follows this one."""
        if self.index < self.kind.per_year:
            return Period(self.kind, self._year, self.index + 1)
        return Period(self.kind, self._year + 1, 1)

    def previous(self) -> Period:
        """Return the period of the same kind that precedes this one."""
        if self.index > 1:
            return Period(self.kind, self._year, self.index - 1)
        return Period(self.kind, self._year - 1, self.kind.per_year)

    # ------------------------------------------------------------------ text

    @property
    def label(self) -> Text:
        """The period in words, e.g. ``Maret 2025`` / ``March 2025``."""
        y, i = self._year, self.index
        if self.kind is PeriodKind.MONTH:
            return Text(f"{_MONTHS_ID[i - 1]} {y}", f"{_MONTHS_EN[i - 1]} {y}")
        if self.kind is PeriodKind.QUARTER:
            return Text(f"Triwulan {_ROMAN[i - 1]} {y}", f"Quarter {i} {y}")
        if self.kind is PeriodKind.SEMESTER:
            return Text(f"Semester {_ROMAN[i - 1]} {y}", f"{('First', 'Second')[i - 1]} half {y}")
        return Text(f"Tahun {y}", f"Year {y}")

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self._year}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self._year}-Q{self.index}"
        if self.kind is PeriodKind.SEMESTER:
            return f"{self._year}-S{self.index}"
        return f"{self._year}"

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"

    # ------------------------------------------------------------------ order

    def _key(self) -> tuple[date, int]:
        return (self.start, self.kind.months_long)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

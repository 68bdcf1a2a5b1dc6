"""Deadlines in working days: weekends, national holidays and joint leave days skipped.

A need type's ``sla_days`` counts **working days** (hari kerja) of the agency: Monday to
Friday, minus the national public holidays (*hari libur nasional*, from the maintained
``holidays`` package, which follows the yearly SKB of the three ministers) and minus the
joint leave days (*cuti bersama*) the deployment's plugins declare for the year
(:class:`~spm_core.definitions.JointLeaveDay`, national or for one region).

The deadline of a referral routed on day *d* with ``sla_days`` = *n* is the *n*-th
working day after *d*; it is met if the agency resolves it on or before that day, and
the referral is overdue from the day after.

Example:
    >>> from datetime import date
    >>> calendar = WorkingCalendar()
    >>> calendar.add_working_days(date(2025, 3, 28), 3)  # Fri; Nyepi, weekend, Idulfitri
    datetime.date(2025, 4, 4)
    >>> calendar.why_closed(date(2025, 3, 31)).en
    'National holiday: Eid al-Fitr'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import attrs
import holidays

from spm_core.catalog import Catalog, CatalogView
from spm_core.definitions import JointLeaveDay, NeedType
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue
from spm_core.store import Referral

__all__ = ["Deadline", "WorkingCalendar", "calendar_for", "deadline_of", "due_on"]

_WEEKEND = {5: Text("Sabtu", "Saturday"), 6: Text("Minggu", "Sunday")}


@cache
def _national(language: str) -> holidays.HolidayBase:
    """The Indonesian public holidays (years are filled in as they are asked for)."""
    return holidays.country_holidays("ID", language=language)


@attrs.frozen
class WorkingCalendar:
    """The working days of the agencies serving one place.

    ``leave_days`` are the joint leave days that apply there, each with its name.
    """

    leave_days: tuple[JointLeaveDay, ...] = ()
    _closed: frozenset[dt.date] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_closed", frozenset(d.day for d in self.leave_days))

    def is_working_day(self, day: dt.date) -> bool:
        """Return whether agencies work on ``day``."""
        return day.weekday() < 5 and day not in _national("id") and day not in self._closed

    def why_closed(self, day: dt.date) -> Text | None:
        """Return why ``day`` is not a working day (``None`` if it is one).

        Example:
            >>> WorkingCalendar().why_closed(dt.date(2025, 8, 17)).id
            'Libur nasional: Hari Kemerdekaan Republik Indonesia'
        """
        if day in _national("id"):
            return Text(
                f"Libur nasional: {_national('id')[day]}",
                f"National holiday: {_national('en_US')[day]}",
            )
        for leave in self.leave_days:
            if leave.day == day:
                return Text(f"Cuti bersama: {leave.title.id}", f"Joint leave: {leave.title.en}")
        return _WEEKEND.get(day.weekday())

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """Return the ``days``-th working day after ``start`` (``start`` itself not counted).

        Raises:
            InvalidValue: ``days`` is negative.
        """
        if days < 0:
            raise InvalidValue(
                value=days,
                reason_id="jumlah hari kerja tidak boleh negatif",
                reason_en="the number of working days may not be negative",
            )
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Return the working days after ``start`` up to and including ``end``.

        The count is negative when ``end`` is earlier than ``start``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def calendar_for(
    source: Catalog | CatalogView | Iterable[JointLeaveDay], place: KodeWilayah
) -> WorkingCalendar:
    """Return the working calendar of the agencies serving ``place``.

    ``source`` is the catalog view of ``place``'s region (its :class:`JointLeaveDay`
    definitions: national ones and the region's own), the catalog (then the view of
    ``place``'s region is taken, latest versions), or the joint leave days themselves.
    """
    if isinstance(source, Catalog):
        source = source.for_region(place)
    days = source.all(JointLeaveDay.kind) if isinstance(source, CatalogView) else tuple(source)
    applying = [d for d in days if isinstance(d, JointLeaveDay) and d.applies_to(place)]
    return WorkingCalendar(tuple(sorted(applying, key=lambda d: (d.day, d.code))))


def due_on(need: NeedType, routed_on: dt.date, calendar: WorkingCalendar) -> dt.date | None:
    """Return the deadline of a need routed on ``routed_on`` (``None``: no deadline)."""
    if need.sla_days is None:
        return None
    return calendar.add_working_days(routed_on, need.sla_days)


@attrs.frozen
class Deadline:
    """Where a referral stands against its deadline on a given day.

    ``working_days_left`` is positive while time remains, zero on the due day and
    negative once overdue (the working days late); ``None`` without a deadline.
    """

    due_on: dt.date | None
    on: dt.date
    overdue: bool
    met: bool | None
    working_days_left: int | None

    @property
    def label(self) -> Text:
        """The state in both languages, for a list or a table."""
        if self.due_on is None:
            return Text("Tanpa batas waktu", "No deadline")
        if self.met is not None:
            return Text("Tepat waktu", "On time") if self.met else Text("Terlambat", "Late")
        if self.overdue:
            late = max(1, -(self.working_days_left or 0))
            return Text(f"Lewat {late} hari kerja", f"{late} working day(s) overdue")
        return Text(
            f"Sisa {self.working_days_left} hari kerja",
            f"{self.working_days_left} working day(s) left",
        )


def deadline_of(referral: Referral, on: dt.date, calendar: WorkingCalendar) -> Deadline:
    """Return where ``referral`` stands against its deadline on ``on``."""
    due = referral.due_on
    if due is None:
        return Deadline(None, on, overdue=False, met=None, working_days_left=None)
    if referral.closed_on is not None:
        met = referral.met_deadline
        return Deadline(due, on, overdue=False, met=met, working_days_left=None)
    left = calendar.working_days_between(on, due)
    return Deadline(due, on, overdue=referral.overdue(on), met=None, working_days_left=left)

"""Deadlines count working days: weekends, national holidays and joint leave days skipped."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.definitions import JointLeaveDay, NeedType
from spm_core.domain import KodeWilayah, SpmField, Subject, Text
from spm_core.errors import InvalidValue
from spm_core.referrals.deadlines import WorkingCalendar, calendar_for, due_on

EIDFITR_LEAVE = JointLeaveDay(
    code="cuti-2025-04-02",
    title=Text("Cuti bersama Idulfitri 1446 H", "Eid al-Fitr 1446 H joint leave"),
    day=date(2025, 4, 2),
)
HEARING_AID = NeedType(
    code="sosial.alat-bantu-dengar",
    title=Text("Alat bantu dengar", "Hearing aid"),
    field=SpmField.SOSIAL,
    subject=Subject.RESIDENT,
    sla_days=3,
)
KOTA_VILLAGE = KodeWilayah("32.75.01.1001")
KAB_VILLAGE = KodeWilayah("32.16.01.2001")


def test_a_plain_week_counts_monday_to_friday() -> None:
    calendar = WorkingCalendar()
    # Routed on Wednesday 5 March 2025: Thursday, Friday, (weekend), Monday.
    assert calendar.add_working_days(date(2025, 3, 5), 3) == date(2025, 3, 10)
    assert calendar.why_closed(date(2025, 3, 8)) == Text("Sabtu", "Saturday")
    assert calendar.why_closed(date(2025, 3, 7)) is None


def test_across_a_weekend_national_holidays_and_a_declared_joint_leave_day() -> None:
    """Routed Friday 28 March 2025 with a 3-working-day deadline.

    Saturday 29 (Nyepi and weekend), Sunday 30, Monday 31 March and Tuesday 1 April
    (Idulfitri 1446 H, national holidays) do not count; Wednesday 2 April is cuti bersama
    once a plugin declares it. Without it the deadline is Friday 4 April; with it,
    Monday 7 April.
    """
    without = WorkingCalendar()
    assert due_on(HEARING_AID, date(2025, 3, 28), without) == date(2025, 4, 4)
    assert without.why_closed(date(2025, 3, 31)) == Text(
        "Libur nasional: Hari Raya Idul Fitri", "National holiday: Eid al-Fitr"
    )
    calendar = calendar_for([EIDFITR_LEAVE], KOTA_VILLAGE)
    assert due_on(HEARING_AID, date(2025, 3, 28), calendar) == date(2025, 4, 7)
    assert calendar.why_closed(date(2025, 4, 2)) == Text(
        "Cuti bersama: Cuti bersama Idulfitri 1446 H",
        "Joint leave: Eid al-Fitr 1446 H joint leave",
    )
    assert calendar.working_days_between(date(2025, 3, 28), date(2025, 4, 7)) == 3
    assert calendar.working_days_between(date(2025, 4, 7), date(2025, 3, 28)) == -3


def test_a_regional_leave_day_applies_in_its_region_only() -> None:
    local = attrs.evolve(EIDFITR_LEAVE, code="cuti-kota", area=KodeWilayah("32.75"))
    assert calendar_for([local], KOTA_VILLAGE).is_working_day(date(2025, 4, 2)) is False
    assert calendar_for([local], KAB_VILLAGE).is_working_day(date(2025, 4, 2)) is True


def test_a_need_without_a_deadline_has_none_and_negative_days_are_refused() -> None:
    assert (
        due_on(attrs.evolve(HEARING_AID, sla_days=None), date(2025, 3, 3), WorkingCalendar())
        is None
    )
    with pytest.raises(InvalidValue):
        WorkingCalendar().add_working_days(date(2025, 3, 3), -1)


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    days=st.integers(min_value=1, max_value=40),
)
def test_the_deadline_is_a_working_day_exactly_that_many_working_days_later(
    start: date, days: int
) -> None:
    calendar = calendar_for([EIDFITR_LEAVE], KOTA_VILLAGE)
    due = calendar.add_working_days(start, days)
    assert calendar.is_working_day(due)
    assert calendar.working_days_between(start, due) == days
    assert calendar.working_days_between(start, due - timedelta(days=1)) == days - 1

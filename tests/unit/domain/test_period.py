"""Reporting periods: text forms, calendar bounds, neighbours, order and labels."""

from __future__ import annotations

from datetime import date

import pytest

from spm_core.domain import Period, PeriodKind
from spm_core.errors import InvalidPeriod


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [
        ("2025-03", Period.month(2025, 3), date(2025, 3, 1), date(2025, 3, 31)),
        ("2024-02", Period.month(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-02", Period.month(2025, 2), date(2025, 2, 1), date(2025, 2, 28)),
        ("2025-Q1", Period.quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-Q4", Period.quarter(2025, 4), date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-S1", Period.semester(2025, 1), date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-S2", Period.semester(2025, 2), date(2025, 7, 1), date(2025, 12, 31)),
        ("2025", Period.year(2025), date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_text_forms_and_bounds(text: str, period: Period, start: date, end: date) -> None:
    assert Period.parse(text) == period
    assert str(period) == text
    assert (period.start, period.end) == (start, end)
    assert period.contains(start)
    assert period.contains(end)
    assert not period.contains(date.fromordinal(start.toordinal() - 1))
    assert not period.contains(date.fromordinal(end.toordinal() + 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 2025-3 ", "2025-03"),
        ("2025-q2", "2025-Q2"),
        ("2025-s1", "2025-S1"),
        ("2025-Q01", "2025-Q1"),
    ],
)
def test_parse_is_lenient_about_case_blanks_and_padding(text: str, expected: str) -> None:
    assert str(Period.parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "reason_en", "reason_id"),
    [
        ("2025-13", "there is no month 13 (1–12)", "bulan ke-13 tidak ada"),
        ("2025-00", "there is no month 0 (1–12)", "bulan ke-0 tidak ada"),
        ("2025-Q5", "there is no quarter 5 (1–4)", "triwulan ke-5 tidak ada"),
        ("2025-Q0", "there is no quarter 0 (1–4)", "triwulan ke-0"),
        ("2025-S3", "there is no half-year 3 (1–2)", "semester ke-3 tidak ada"),
        ("0999", "the year must be from 1000 to 9999", "tahun harus 1000–9999"),
        ("25-03", "it must look like 2025-03 (month)", "bentuknya harus 2025-03 (bulan)"),
        ("2025/03", "it must look like", "bentuknya harus"),
        ("2025-T1", "it must look like", "bentuknya harus"),
        ("Maret 2025", "it must look like", "bentuknya harus"),
        ("", "it must look like", "bentuknya harus"),
    ],
)
def test_invalid_text_says_why(text: str, reason_en: str, reason_id: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        Period.parse(text)
    assert caught.value.code == "invalid-period"
    assert caught.value.value == text
    assert reason_en in caught.value.message_en
    assert reason_id in caught.value.message_id


def test_non_text_is_rejected() -> None:
    with pytest.raises(InvalidPeriod):
        Period.parse(202503)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "year", "index"),
    [
        (PeriodKind.MONTH, 2025, 13),
        (PeriodKind.QUARTER, 2025, 0),
        (PeriodKind.SEMESTER, 2025, 3),
        (PeriodKind.YEAR, 2025, 2),
        (PeriodKind.MONTH, 999, 1),
        (PeriodKind.MONTH, 10000, 1),
        ("month", 2025, 1),
        (PeriodKind.MONTH, True, 1),
        (PeriodKind.MONTH, 2025, 1.0),
    ],
)
def test_constructor_checks_its_parts(kind: object, year: object, index: object) -> None:
    with pytest.raises(InvalidPeriod):
        Period(kind, year, index)  # type: ignore[arg-type]


def test_year_is_both_a_constructor_and_an_attribute() -> None:
    whole = Period.year(2025)
    assert whole == Period(PeriodKind.YEAR, 2025) == Period.whole_year(2025)
    assert whole.year == 2025
    assert Period.quarter(2024, 3).year == 2024
    assert whole.index == 1
    assert repr(whole) == "Period.parse('2025')"


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        (date(2025, 1, 1), PeriodKind.MONTH, "2025-01"),
        (date(2025, 3, 31), PeriodKind.QUARTER, "2025-Q1"),
        (date(2025, 4, 1), PeriodKind.QUARTER, "2025-Q2"),
        (date(2025, 8, 17), PeriodKind.QUARTER, "2025-Q3"),
        (date(2025, 6, 30), PeriodKind.SEMESTER, "2025-S1"),
        (date(2025, 7, 1), PeriodKind.SEMESTER, "2025-S2"),
        (date(2025, 12, 31), PeriodKind.YEAR, "2025"),
    ],
)
def test_containing(day: date, kind: PeriodKind, expected: str) -> None:
    assert str(Period.containing(day, kind)) == expected


def test_months_inside() -> None:
    assert [str(m) for m in Period.parse("2025-S2").months()] == [
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
    ]
    assert Period.month(2025, 3).months() == (Period.month(2025, 3),)
    assert len(Period.year(2025).months()) == 12


@pytest.mark.parametrize(
    ("text", "after", "before"),
    [
        ("2025-12", "2026-01", "2025-11"),
        ("2025-01", "2025-02", "2024-12"),
        ("2025-Q4", "2026-Q1", "2025-Q3"),
        ("2025-Q1", "2025-Q2", "2024-Q4"),
        ("2025-S2", "2026-S1", "2025-S1"),
        ("2025", "2026", "2024"),
    ],
)
def test_neighbours(text: str, after: str, before: str) -> None:
    period = Period.parse(text)
    assert str(period.next()) == after
    assert str(period.previous()) == before


def test_no_period_after_9999() -> None:
    with pytest.raises(InvalidPeriod):
        Period.month(9999, 12).next()


def test_order_is_start_then_length() -> None:
    texts = ["2025", "2025-S1", "2025-Q2", "2025-01", "2025-Q1", "2024-12", "2025-04", "2025-S2"]
    ordered = sorted(Period.parse(t) for t in texts)
    assert [str(p) for p in ordered] == [
        "2024-12",
        "2025-01",
        "2025-Q1",
        "2025-S1",
        "2025",
        "2025-04",
        "2025-Q2",
        "2025-S2",
    ]
    assert Period.month(2025, 1) <= Period.month(2025, 1)
    assert Period.year(2025) > Period.semester(2025, 1)
    assert Period.quarter(2025, 2) >= Period.year(2025)


def test_comparing_with_other_types_fails() -> None:
    with pytest.raises(TypeError):
        _ = Period.year(2025) < "2026"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "label_id", "label_en"),
    [
        ("2025-03", "Maret 2025", "March 2025"),
        ("2025-08", "Agustus 2025", "August 2025"),
        ("2025-Q1", "Triwulan I 2025", "Quarter 1 2025"),
        ("2025-Q4", "Triwulan IV 2025", "Quarter 4 2025"),
        ("2025-S1", "Semester I 2025", "First half 2025"),
        ("2025-S2", "Semester II 2025", "Second half 2025"),
        ("2025", "Tahun 2025", "Year 2025"),
    ],
)
def test_labels(text: str, label_id: str, label_en: str) -> None:
    label = Period.parse(text).label
    assert (label.id, label.en) == (label_id, label_en)


def test_kinds() -> None:
    assert [k.months_long for k in PeriodKind] == [1, 3, 6, 12]
    assert [k.per_year for k in PeriodKind] == [12, 4, 2, 1]
    assert PeriodKind("quarter").label.id == "Triwulan"
    assert PeriodKind.SEMESTER.label.en == "Half-year"

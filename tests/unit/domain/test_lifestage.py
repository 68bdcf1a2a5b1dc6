"""Ages in completed units, age ranges and the life-cycle groups of §3.2."""

from __future__ import annotations

from datetime import date

import pytest

from spm_core.domain import AgeRange, AgeUnit, LifeStage, age_in, life_stages
from spm_core.errors import InvalidValue

D, M, Y = AgeUnit.DAYS, AgeUnit.MONTHS, AgeUnit.YEARS


@pytest.mark.parametrize(
    ("birth", "on", "unit", "age"),
    [
        (date(2025, 1, 1), date(2025, 1, 1), D, 0),
        (date(2025, 1, 1), date(2025, 1, 29), D, 28),
        (date(2024, 2, 28), date(2024, 3, 1), D, 2),
        (date(2025, 1, 15), date(2025, 2, 14), M, 0),
        (date(2025, 1, 15), date(2025, 2, 15), M, 1),
        (date(2025, 1, 31), date(2025, 2, 27), M, 0),
        (date(2025, 1, 31), date(2025, 2, 28), M, 1),
        (date(2024, 1, 31), date(2024, 2, 29), M, 1),
        (date(2025, 1, 31), date(2025, 4, 30), M, 3),
        (date(2020, 6, 1), date(2025, 5, 31), M, 59),
        (date(2020, 6, 1), date(2025, 6, 1), M, 60),
        (date(1965, 8, 17), date(2025, 8, 16), Y, 59),
        (date(1965, 8, 17), date(2025, 8, 17), Y, 60),
        # Born on 29 February: a birthday on 28 February in common years.
        (date(2024, 2, 29), date(2025, 2, 27), Y, 0),
        (date(2024, 2, 29), date(2025, 2, 28), Y, 1),
        (date(2024, 2, 29), date(2028, 2, 28), Y, 3),
        (date(2024, 2, 29), date(2028, 2, 29), Y, 4),
        (date(2024, 2, 29), date(2025, 3, 28), M, 12),
        (date(2024, 2, 29), date(2025, 3, 29), M, 13),
    ],
)
def test_age_in_completed_units(birth: date, on: date, unit: AgeUnit, age: int) -> None:
    assert age_in(birth, on, unit) == age


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(InvalidValue) as caught:
        age_in(date(2025, 1, 2), date(2025, 1, 1), AgeUnit.DAYS)
    assert "before the birth date 2025-01-02" in caught.value.message_en
    assert "sebelum tanggal lahir" in caught.value.message_id


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(InvalidValue):
        age_in(date(2025, 1, 1), date(2025, 2, 1), "weeks")  # type: ignore[arg-type]
    assert age_in(date(2025, 1, 1), date(2026, 2, 1), "years") == 1  # type: ignore[arg-type]


def test_age_range_bounds() -> None:
    closed = AgeRange(12, 59, M)
    assert [closed.admits(a) for a in (11, 12, 59, 60)] == [False, True, True, False]
    half_open = AgeRange(73, 216, M, high_inclusive=False)
    assert [half_open.admits(a) for a in (72, 73, 215, 216)] == [False, True, True, False]
    open_ended = AgeRange(60, None, Y)
    assert [open_ended.admits(a) for a in (59, 60, 120)] == [False, True, True]


def test_age_range_contains_dates() -> None:
    bayi = AgeRange(0, 11, M)
    assert bayi.contains(date(2024, 3, 10), date(2025, 3, 9))
    assert not bayi.contains(date(2024, 3, 10), date(2025, 3, 10))
    with pytest.raises(InvalidValue):
        bayi.contains(date(2025, 3, 10), date(2025, 3, 9))


@pytest.mark.parametrize(
    ("low", "high", "inclusive"),
    [(-1, 5, True), (5, 4, True), (5, 5, False), (1.5, 5, True), (0, 2.5, True)],
)
def test_age_range_rejects_impossible_bounds(low: object, high: object, inclusive: bool) -> None:
    with pytest.raises(InvalidValue):
        AgeRange(low, high, Y, inclusive)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("age_range", "label_id", "label_en"),
    [
        (AgeRange(0, 28, D), "0–28 hari", "0–28 days"),
        (AgeRange(60, None, Y), "≥ 60 tahun", "60 years and over"),
        (
            AgeRange(73, 216, M, high_inclusive=False),
            "73 s.d. < 216 bulan",
            "73 to under 216 months",
        ),
    ],
)
def test_age_range_labels(age_range: AgeRange, label_id: str, label_en: str) -> None:
    assert (age_range.label.id, age_range.label.en) == (label_id, label_en)


# --------------------------------------------------------------------------- life stages


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (LifeStage.BAYI_BARU_LAHIR, AgeRange(0, 28, D)),
        (LifeStage.BAYI, AgeRange(0, 11, M)),
        (LifeStage.BALITA, AgeRange(12, 59, M)),
        (LifeStage.BALITA_SPM, AgeRange(0, 59, M)),
        (LifeStage.ANAK_PRASEKOLAH, AgeRange(60, 72, M)),
        (LifeStage.ANAK_USIA_SEKOLAH, AgeRange(73, 216, M, high_inclusive=False)),
        (LifeStage.REMAJA, AgeRange(10, 18, Y)),
        (LifeStage.USIA_PRODUKTIF, AgeRange(15, 59, Y)),
        (LifeStage.DEWASA, AgeRange(18, 59, Y)),
        (LifeStage.LANSIA, AgeRange(60, None, Y)),
    ],
)
def test_default_ranges_follow_domain_reference(stage: LifeStage, expected: AgeRange) -> None:
    assert stage.range == expected


def test_unconfirmed_bounds_are_marked() -> None:
    confirmed = {s for s in LifeStage if s.confirmed}
    assert confirmed == {LifeStage.BALITA_SPM, LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA}
    for stage in LifeStage:
        assert ("UNCONFIRMED" in stage.source) is not stage.confirmed


def test_every_stage_has_labels_and_a_source() -> None:
    for stage in LifeStage:
        assert stage.label.id
        assert stage.label.en
        assert stage.source
    assert LifeStage.LANSIA.label.id == "Lanjut usia"


ON = date(2025, 6, 15)
_S = LifeStage


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (date(2025, 6, 15), {_S.BAYI_BARU_LAHIR, _S.BAYI, _S.BALITA_SPM}),
        (date(2025, 5, 18), {_S.BAYI_BARU_LAHIR, _S.BAYI, _S.BALITA_SPM}),  # 28 days
        (date(2025, 5, 17), {_S.BAYI, _S.BALITA_SPM}),  # 29 days
        (date(2024, 6, 16), {_S.BAYI, _S.BALITA_SPM}),  # 11 months
        (date(2024, 6, 15), {_S.BALITA, _S.BALITA_SPM}),  # 12 months
        (date(2020, 6, 16), {_S.BALITA, _S.BALITA_SPM}),  # 59 months
        (date(2020, 6, 15), {_S.ANAK_PRASEKOLAH}),  # 60 months
        (date(2019, 6, 15), {_S.ANAK_PRASEKOLAH}),  # 72 months
        (date(2019, 5, 15), {_S.ANAK_USIA_SEKOLAH}),  # 73 months
        (date(2015, 6, 15), {_S.ANAK_USIA_SEKOLAH, _S.REMAJA}),  # 10 years
        (date(2010, 6, 15), {_S.ANAK_USIA_SEKOLAH, _S.REMAJA, _S.USIA_PRODUKTIF}),  # 15
        (date(2007, 6, 16), {_S.ANAK_USIA_SEKOLAH, _S.REMAJA, _S.USIA_PRODUKTIF}),  # 17
        (date(2007, 6, 15), {_S.REMAJA, _S.USIA_PRODUKTIF, _S.DEWASA}),  # 18
        (date(2006, 6, 15), {_S.USIA_PRODUKTIF, _S.DEWASA}),  # 19
        (date(1965, 6, 16), {_S.USIA_PRODUKTIF, _S.DEWASA}),  # 59
        (date(1965, 6, 15), {_S.LANSIA}),  # 60
        (date(1920, 1, 1), {_S.LANSIA}),
    ],
)
def test_life_stages_on_a_day(birth: date, expected: set[LifeStage]) -> None:
    assert life_stages(birth, ON) == frozenset(expected)


def test_a_region_can_correct_a_range() -> None:
    birth = date(2007, 6, 15)  # 18 on ON
    assert LifeStage.REMAJA in life_stages(birth, ON)
    narrower = {LifeStage.REMAJA: AgeRange(10, 18, Y, high_inclusive=False)}
    assert LifeStage.REMAJA not in life_stages(birth, ON, ranges=narrower)
    assert LifeStage.DEWASA in life_stages(birth, ON, ranges=narrower)


def test_life_stages_before_birth_is_an_error() -> None:
    with pytest.raises(InvalidValue):
        life_stages(date(2026, 1, 1), ON)


def test_units_have_labels() -> None:
    assert [u.label.id for u in AgeUnit] == ["hari", "bulan", "tahun"]
    assert AgeUnit("months") is AgeUnit.MONTHS

"""Ages in completed units and the life-cycle groups (sasaran) that Posyandu serve.

Ages count *completed* days, months or years. An anniversary on a day the month lacks
falls on the month's last day: someone born on 31 January is one month old on
28 February, and someone born on 29 February turns one on 28 February of a common year.

The age bounds of each :class:`LifeStage` are defaults from the regulations (domain
reference §3.2). They are data — :class:`AgeRange` values — so a region that reads a
regulation differently can pass its own ranges to :func:`life_stages`.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Mapping
from datetime import date

import attrs

from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["AgeRange", "AgeUnit", "LifeStage", "age_in", "life_stages"]


class AgeUnit(enum.StrEnum):
    """The unit an age is counted in."""

    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"

    @property
    def label(self) -> Text:
        """The unit in both languages (plural)."""
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    AgeUnit.DAYS: Text("hari", "days"),
    AgeUnit.MONTHS: Text("bulan", "months"),
    AgeUnit.YEARS: Text("tahun", "years"),
}


def age_in(birth: date, on: date, unit: AgeUnit) -> int:
    """Return the age on ``on`` of someone born on ``birth``, in completed ``unit``.

    Raises:
        InvalidValue: ``on`` is before ``birth``.

    Example:
        >>> age_in(date(2024, 2, 29), date(2025, 2, 28), AgeUnit.YEARS)
        1
        >>> age_in(date(2025, 1, 31), date(2025, 2, 28), AgeUnit.MONTHS)
        1
        >>> age_in(date(2025, 1, 1), date(2025, 1, 29), AgeUnit.DAYS)
        28
    """
    if on < birth:
        raise InvalidValue(
            value=on.isoformat(),
            reason_id=f"tanggal ini sebelum tanggal lahir {birth.isoformat()}",
            reason_en=f"the date is before the birth date {birth.isoformat()}",
        )
    if unit == AgeUnit.DAYS:
        return (on - birth).days
    months = (on.year - birth.year) * 12 + on.month - birth.month
    anniversary_day = min(birth.day, calendar.monthrange(on.year, on.month)[1])
    if on.day < anniversary_day:
        months -= 1
    if unit == AgeUnit.MONTHS:
        return months
    if unit == AgeUnit.YEARS:
        return months // 12
    raise InvalidValue(
        value=unit,
        reason_id="satuan usia harus days, months atau years",
        reason_en="the age unit must be days, months or years",
    )


def _check_bounds(age_range: AgeRange) -> None:
    low, high = age_range.low, age_range.high
    if type(low) is not int or low < 0:
        raise InvalidValue(
            value=low,
            reason_id="batas bawah usia harus bilangan bulat ≥ 0",
            reason_en="the lower age bound must be a whole number ≥ 0",
        )
    if high is not None and (
        type(high) is not int or high < low or (high == low and not age_range.high_inclusive)
    ):
        raise InvalidValue(
            value=high,
            reason_id=f"batas atas usia harus bilangan bulat dan tidak di bawah {low}",
            reason_en=f"the upper age bound must be a whole number not below {low}",
        )


@attrs.frozen
class AgeRange:
    """Ages from ``low`` to ``high`` completed ``unit`` (``high`` of ``None``: no limit).

    ``low`` is always included; ``high`` is included unless ``high_inclusive`` is false.

    Example:
        >>> balita = AgeRange(12, 59, AgeUnit.MONTHS)
        >>> balita.contains(date(2021, 1, 15), on=date(2025, 12, 14)), balita.label.en
        (True, '12–59 months')
    """

    low: int
    high: int | None
    unit: AgeUnit
    high_inclusive: bool = True

    def __attrs_post_init__(self) -> None:
        _check_bounds(self)

    def admits(self, age: int) -> bool:
        """Return whether an age already counted in :attr:`unit` lies in the range."""
        if age < self.low:
            return False
        if self.high is None:
            return True
        return age <= self.high if self.high_inclusive else age < self.high

    def contains(self, birth: date, on: date) -> bool:
        """Return whether someone born on ``birth`` is in the range on ``on``.

        Raises:
            InvalidValue: ``on`` is before ``birth``.
        """
        return self.admits(age_in(birth, on, self.unit))

    @property
    def label(self) -> Text:
        """The range in words, e.g. ``12–59 bulan`` / ``12–59 months``."""
        unit = self.unit.label
        if self.high is None:
            return Text(f"≥ {self.low} {unit.id}", f"{self.low} {unit.en} and over")
        if self.high_inclusive:
            return Text(f"{self.low}–{self.high} {unit.id}", f"{self.low}–{self.high} {unit.en}")
        return Text(
            f"{self.low} s.d. < {self.high} {unit.id}",
            f"{self.low} to under {self.high} {unit.en}",
        )


@attrs.frozen
class _Stage:
    range: AgeRange
    label: Text
    source: str
    confirmed: bool


class LifeStage(enum.StrEnum):
    """The life-cycle groups of Posyandu ILP and SPM Kesehatan, each with its default ages.

    Groups overlap on purpose (a 15-year-old is remaja and usia produktif); SPM and ILP
    bounds that differ are kept as separate groups. ``confirmed`` is false where the
    domain reference marks the bound UNCONFIRMED against the regulation's text.

    Example:
        >>> LifeStage.BALITA_SPM.range.label.id
        '0–59 bulan'
        >>> LifeStage.DEWASA.confirmed
        False
    """

    BAYI_BARU_LAHIR = "bayi_baru_lahir"
    BAYI = "bayi"
    BALITA = "balita"
    BALITA_SPM = "balita_spm"
    ANAK_PRASEKOLAH = "anak_prasekolah"
    ANAK_USIA_SEKOLAH = "anak_usia_sekolah"
    REMAJA = "remaja"
    USIA_PRODUKTIF = "usia_produktif"
    DEWASA = "dewasa"
    LANSIA = "lansia"

    @property
    def range(self) -> AgeRange:
        """The default age range of the group."""
        return _STAGES[self].range

    @property
    def label(self) -> Text:
        """The group's name in both languages."""
        return _STAGES[self].label

    @property
    def source(self) -> str:
        """Where the default bounds come from."""
        return _STAGES[self].source

    @property
    def confirmed(self) -> bool:
        """Whether the bounds were checked against the regulation (false: UNCONFIRMED)."""
        return _STAGES[self].confirmed


_DAYS, _MONTHS, _YEARS = AgeUnit.DAYS, AgeUnit.MONTHS, AgeUnit.YEARS
_PMK_25 = "Permenkes 25/2014 (Upaya Kesehatan Anak)"
_STAGES = {
    LifeStage.BAYI_BARU_LAHIR: _Stage(
        AgeRange(0, 28, _DAYS),
        Text("Bayi baru lahir", "Newborn"),
        f"{_PMK_25}; SPM Kesehatan (Permenkes 4/2019) — wording UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.BAYI: _Stage(
        AgeRange(0, 11, _MONTHS),
        Text("Bayi", "Infant"),
        f"{_PMK_25} — UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.BALITA: _Stage(
        AgeRange(12, 59, _MONTHS),
        Text("Balita (12–59 bulan)", "Young child (12–59 months)"),
        f"{_PMK_25} — UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.BALITA_SPM: _Stage(
        AgeRange(0, 59, _MONTHS),
        Text("Balita (SPM)", "Child under five (SPM)"),
        "SPM Kesehatan, Permenkes 4/2019 (JPD balita; Permenkes 6/2024 keeps the 12 JPD)",
        confirmed=True,
    ),
    LifeStage.ANAK_PRASEKOLAH: _Stage(
        AgeRange(60, 72, _MONTHS),
        Text("Anak prasekolah", "Preschool child"),
        f"{_PMK_25} — UNCONFIRMED",
        confirmed=False,
    ),
    # "Lebih dari 6 tahun sampai sebelum 18 tahun", counted in months so that it starts
    # where anak prasekolah (up to 72 completed months) ends.
    LifeStage.ANAK_USIA_SEKOLAH: _Stage(
        AgeRange(73, 216, _MONTHS, high_inclusive=False),
        Text("Anak usia sekolah", "School-age child"),
        f"{_PMK_25}: more than 6 to under 18 years — UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.REMAJA: _Stage(
        AgeRange(10, 18, _YEARS),
        Text("Remaja", "Adolescent"),
        f"{_PMK_25} — UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.USIA_PRODUKTIF: _Stage(
        AgeRange(15, 59, _YEARS),
        Text("Usia produktif (SPM)", "Productive age (SPM)"),
        "SPM Kesehatan, Permenkes 4/2019 (JPD usia produktif)",
        confirmed=True,
    ),
    LifeStage.DEWASA: _Stage(
        AgeRange(18, 59, _YEARS),
        Text("Usia dewasa (ILP)", "Adult (ILP)"),
        "Posyandu ILP, Kepmenkes HK.01.07/MENKES/2015/2023 — UNCONFIRMED",
        confirmed=False,
    ),
    LifeStage.LANSIA: _Stage(
        AgeRange(60, None, _YEARS),
        Text("Lanjut usia", "Older person"),
        "UU 13/1998 (Kesejahteraan Lanjut Usia); SPM Kesehatan, Permenkes 4/2019",
        confirmed=True,
    ),
}


def life_stages(
    birth: date, on: date, *, ranges: Mapping[LifeStage, AgeRange] | None = None
) -> frozenset[LifeStage]:
    """Return every life-cycle group someone born on ``birth`` belongs to on ``on``.

    ``ranges`` replaces the default range of the groups it names (a region's reading).

    Raises:
        InvalidValue: ``on`` is before ``birth``.

    Example:
        >>> sorted(life_stages(date(2024, 1, 10), date(2025, 3, 1)))
        [<LifeStage.BALITA: 'balita'>, <LifeStage.BALITA_SPM: 'balita_spm'>]
    """
    overrides = ranges or {}
    ages = {unit: age_in(birth, on, unit) for unit in AgeUnit}
    return frozenset(
        stage
        for stage in LifeStage
        if (age_range := overrides.get(stage, stage.range)).admits(ages[age_range.unit])
    )

"""Hypothesis strategies for every domain value and for whole populations.

NIK, Nomor KK, region codes, periods, bilingual texts and age ranges each have a
strategy; the enums (``Sex``, ``Relationship``, ``LifeStage``, …) need none, as
hypothesis draws enum members by itself. :func:`households` and :func:`populations`
draw whole households of one kelurahan/desa — one head, a spouse of the other sex in
most, children younger than their parents — with NIK and KK numbers that agree with
their members' birth dates, sex and kecamatan.

Hypothesis is imported inside each function, so importing this module costs nothing
extra; the ``hypothesis`` entry point of the distribution calls
:func:`_register_hypothesis_strategies`, which makes ``st.from_type(Nik)`` and friends
work in any test.

Example::

    from hypothesis import given
    from spm_core.domain import Sex
    from spm_core.testing.strategies import niks

    @given(niks(sex=Sex.FEMALE))
    def test_women_have_day_over_40(nik):
        assert int(str(nik)[6:8]) > 40
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from spm_core.domain.enums import Relationship, Sex
from spm_core.domain.kk import NomorKK
from spm_core.domain.lifestage import AgeRange, AgeUnit
from spm_core.domain.nik import Nik
from spm_core.domain.period import Period, PeriodKind
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "SAMPLE_REGION_CODES",
    "DrawnHousehold",
    "DrawnResident",
    "age_ranges",
    "households",
    "kk_numbers",
    "nik_texts",
    "niks",
    "periods",
    "populations",
    "region_codes",
    "texts",
]

SAMPLE_REGION_CODES: tuple[str, ...] = (
    # provinsi
    "11", "31", "32", "35", "51", "64", "91",
    # kabupaten/kota: Kota Bekasi, Kabupaten Bekasi and a spread of others
    "11.01", "31.71", "32.16", "32.75", "35.78", "51.71", "64.72", "91.03",
    # kecamatan (91.03.01 is a distrik)
    "11.01.01", "31.71.01", "32.16.01", "32.16.06", "32.75.01", "32.75.02", "32.75.08",
    "35.78.01", "51.71.01", "64.72.01", "91.03.01",
    # desa/kelurahan: kelurahan, desa and a desa adat
    "11.01.01.2001", "31.71.01.1001", "32.16.01.1007", "32.16.01.2001", "32.16.06.2004",
    "32.75.01.1001", "35.78.01.1001", "51.71.01.2010", "64.72.01.1001", "91.03.01.3010",
)  # fmt: skip
"""Real codes of the Kepmendagri 300.2.2-2138/2025 list, at every level (checked in tests)."""

_EARLIEST = date(1900, 1, 1)
_LATEST = date(2099, 12, 31)


def region_codes(level: WilayahLevel | None = None) -> SearchStrategy[KodeWilayah]:
    """Return a strategy for real region codes, at ``level`` or at any level.

    The codes come from :data:`SAMPLE_REGION_CODES`, so drawing one is cheap.
    """
    from hypothesis import strategies as st

    codes = [KodeWilayah(c) for c in SAMPLE_REGION_CODES]
    return st.sampled_from([c for c in codes if level is None or c.level == level])


def _region_prefixes() -> SearchStrategy[KodeWilayah]:
    """Real kecamatan codes, plus well-formed codes that may be absent from the list."""
    from hypothesis import strategies as st

    made_up = st.builds(
        lambda p, k, c: KodeWilayah(f"{p:02d}.{k:02d}.{c:02d}"),
        st.integers(11, 99),
        st.integers(1, 99),
        st.integers(1, 99),
    )
    return st.one_of(region_codes(WilayahLevel.KECAMATAN), made_up)


def _kecamatan_digits(code: KodeWilayah) -> str:
    return code.at_level(WilayahLevel.KECAMATAN).digits


def _nik(prefix: KodeWilayah, born: date, sex: Sex, serial: int) -> Nik:
    day = born.day + (40 if sex is Sex.FEMALE else 0)
    yy = born.year % 100
    return Nik(f"{_kecamatan_digits(prefix)}{day:02d}{born.month:02d}{yy:02d}{serial:04d}")


def niks(
    sex: Sex | None = None,
    birth_dates: SearchStrategy[date] | None = None,
    region_prefixes: SearchStrategy[KodeWilayah] | None = None,
) -> SearchStrategy[Nik]:
    """Return a strategy for structurally valid NIKs.

    Args:
        sex: only NIKs of this sex; both when ``None``.
        birth_dates: birth dates to encode; by default any date of 1900–2099.
        region_prefixes: codes at kecamatan level or below (their kecamatan is used); by
            default real kecamatan codes mixed with well-formed codes that the current list
            may lack, as old NIKs have.
    """
    from hypothesis import strategies as st

    return st.builds(
        _nik,
        _region_prefixes() if region_prefixes is None else region_prefixes,
        st.dates(_EARLIEST, _LATEST) if birth_dates is None else birth_dates,
        st.sampled_from(Sex) if sex is None else st.just(sex),
        st.integers(1, 9999),
    )


def nik_texts() -> SearchStrategy[str]:
    """Return a strategy for valid NIKs as their 16-digit text."""
    return niks().map(str)


def _kk(prefix: KodeWilayah, registered: date, serial: int) -> NomorKK:
    yy = registered.year % 100
    digits = f"{registered.day:02d}{registered.month:02d}{yy:02d}"
    return NomorKK(f"{_kecamatan_digits(prefix)}{digits}{serial:04d}")


def kk_numbers(
    registration_dates: SearchStrategy[date] | None = None,
    region_prefixes: SearchStrategy[KodeWilayah] | None = None,
) -> SearchStrategy[NomorKK]:
    """Return a strategy for structurally valid family-card (KK) numbers."""
    from hypothesis import strategies as st

    return st.builds(
        _kk,
        _region_prefixes() if region_prefixes is None else region_prefixes,
        st.dates(_EARLIEST, _LATEST) if registration_dates is None else registration_dates,
        st.integers(1, 9999),
    )


def periods(kinds: tuple[PeriodKind, ...] | None = None) -> SearchStrategy[Period]:
    """Return a strategy for reporting periods of ``kinds`` (all kinds by default)."""
    from hypothesis import strategies as st

    chosen = tuple(PeriodKind) if kinds is None else kinds
    return st.builds(Period.containing, st.dates(_EARLIEST, _LATEST), st.sampled_from(chosen))


def texts() -> SearchStrategy[Text]:
    """Return a strategy for bilingual texts (both languages non-blank)."""
    from hypothesis import strategies as st

    words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)
    line = words.filter(lambda w: w.strip() != "")
    return st.builds(Text, line, line)


def age_ranges() -> SearchStrategy[AgeRange]:
    """Return a strategy for age ranges in any unit, open-ended or not."""
    from hypothesis import strategies as st

    def build(unit: AgeUnit, low: int, width: int | None) -> AgeRange:
        return AgeRange(low, None if width is None else low + width, unit)

    return st.builds(
        build, st.sampled_from(AgeUnit), st.integers(0, 100), st.none() | st.integers(0, 100)
    )


@attrs.frozen
class DrawnResident:
    """A resident of a drawn household.

    ``nik`` is ``None`` for a child not registered yet; ``relationship`` is the SHDK
    relationship to the head.
    """

    nik: Nik | None
    sex: Sex
    birth_date: date
    relationship: Relationship


@attrs.frozen
class DrawnHousehold:
    """A drawn household of one kelurahan/desa: KK number (``None``: none yet), members."""

    kk: NomorKK | None
    village: KodeWilayah
    members: tuple[DrawnResident, ...]

    @property
    def head(self) -> DrawnResident:
        """The head of the household (exactly one per household)."""
        return next(m for m in self.members if m.relationship is Relationship.KEPALA_KELUARGA)


_VILLAGES = tuple(c for c in SAMPLE_REGION_CODES if c.count(".") == 3)


def households(
    villages: SearchStrategy[KodeWilayah] | None = None,
    on: date = date(2025, 6, 30),
    max_children: int = 4,
) -> SearchStrategy[DrawnHousehold]:
    """Return a strategy for whole households living in a kelurahan/desa on day ``on``.

    A head of 18–80, a spouse of the other sex in most households, up to
    ``max_children`` children born after both parents turned 16 (the youngest may be
    born on ``on``), sometimes a parent of the head. NIK and KK numbers, when present,
    carry the village's kecamatan and the members' birth dates and sex.
    """
    from hypothesis import strategies as st

    places = (
        villages if villages is not None else st.sampled_from([KodeWilayah(c) for c in _VILLAGES])
    )

    @st.composite
    def build(draw: st.DrawFn) -> DrawnHousehold:
        village = draw(places)
        kecamatan = village.at_level(WilayahLevel.KECAMATAN)

        def person(born: date, sex: Sex, relationship: Relationship) -> DrawnResident:
            registered = draw(st.booleans()) or relationship is not Relationship.ANAK
            nik = draw(niks(sex, st.just(born), st.just(kecamatan))) if registered else None
            return DrawnResident(nik, sex, born, relationship)

        def born_between(oldest: date, youngest: date) -> date:
            return draw(st.dates(min(oldest, youngest), youngest))

        head_sex = draw(st.sampled_from(Sex))
        head_born = born_between(on - timedelta(days=80 * 365), on - timedelta(days=18 * 366))
        members = [person(head_born, head_sex, Relationship.KEPALA_KELUARGA)]
        parents_born = [head_born]
        if draw(st.integers(0, 9)) < 8:
            spouse_sex = Sex.FEMALE if head_sex is Sex.MALE else Sex.MALE
            spouse_born = born_between(on - timedelta(days=80 * 365), on - timedelta(days=18 * 366))
            spouse = Relationship.ISTRI if spouse_sex is Sex.FEMALE else Relationship.SUAMI
            members.append(person(spouse_born, spouse_sex, spouse))
            parents_born.append(spouse_born)
        first_child = max(parents_born) + timedelta(days=16 * 366)
        if first_child <= on:
            for _ in range(draw(st.integers(0, max_children))):
                born = born_between(first_child, on)
                members.append(person(born, draw(st.sampled_from(Sex)), Relationship.ANAK))
        if draw(st.integers(0, 9)) == 0:
            elder = born_between(date(1900, 1, 1), head_born - timedelta(days=16 * 366))
            members.append(person(elder, draw(st.sampled_from(Sex)), Relationship.ORANG_TUA))
        kk = draw(st.none() | kk_numbers(st.dates(head_born, on), st.just(kecamatan)))
        return DrawnHousehold(kk, village, tuple(members))

    return build()


def populations(
    villages: SearchStrategy[KodeWilayah] | None = None,
    on: date = date(2025, 6, 30),
    max_households: int = 10,
) -> SearchStrategy[tuple[DrawnHousehold, ...]]:
    """Return a strategy for a population: households whose NIK and KK numbers are unique."""
    from hypothesis import strategies as st

    def unique_numbers(found: tuple[DrawnHousehold, ...]) -> bool:
        niks_ = [m.nik for h in found for m in h.members if m.nik is not None]
        kks = [h.kk for h in found if h.kk is not None]
        return len(niks_) == len(set(niks_)) and len(kks) == len(set(kks))

    return (
        st.lists(households(villages, on), max_size=max_households)
        .map(tuple)
        .filter(unique_numbers)
    )


def _register_hypothesis_strategies() -> None:
    """Register the strategies with ``st.from_type``; called by the hypothesis entry point.

    Cheap and never failing: a problem here must not break anyone's test run.
    """
    with contextlib.suppress(Exception):
        from hypothesis import strategies as st

        st.register_type_strategy(Nik, niks())
        st.register_type_strategy(NomorKK, kk_numbers())
        st.register_type_strategy(KodeWilayah, region_codes())
        st.register_type_strategy(Period, periods())
        st.register_type_strategy(Text, texts())
        st.register_type_strategy(AgeRange, age_ranges())
        st.register_type_strategy(DrawnHousehold, households())

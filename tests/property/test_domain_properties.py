"""Properties of the domain values, with python-stdnum as an independent NIK oracle."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import assume, find, given
from hypothesis import strategies as st
from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from spm_core.domain import (
    AgeUnit,
    KodeWilayah,
    LifeStage,
    Nik,
    NomorKK,
    Period,
    PeriodKind,
    Sex,
    WilayahLevel,
    age_in,
    life_stages,
    lookup,
)
from spm_core.errors import InvalidKk, InvalidNik, InvalidPeriod, InvalidRegionCode
from spm_core.testing.strategies import (
    _register_hypothesis_strategies,
    kk_numbers,
    nik_texts,
    niks,
    periods,
    region_codes,
)

# Text that looks like what people paste: mostly digits, some separators, the odd letter.
digit_heavy = st.text(
    alphabet=st.sampled_from("0123456789" * 6 + " .-,eE+\u00a0\u200bOl"), max_size=24
)
sixteen_digits = st.text(alphabet="0123456789", min_size=16, max_size=16)
dates = st.dates(date(1900, 1, 1), date(2099, 12, 31))
separators = st.sampled_from([" ", ".", "-", "\u00a0", "\u200b"])


@pytest.fixture(autouse=True, scope="module")
def _region_list_loaded() -> None:
    """Load the Kepmendagri list once, so its first load does not count against deadlines."""
    assert lookup("32.75.01.1001") is not None


# --------------------------------------------------------------------------- robustness


@given(st.one_of(st.text(), digit_heavy, sixteen_digits))
def test_nik_parse_raises_only_invalid_nik(text: str) -> None:
    if Nik.is_valid(text):
        assert len(str(Nik.parse(text))) == 16
    else:
        with pytest.raises(InvalidNik) as caught:
            Nik.parse(text)
        assert caught.value.message_id != caught.value.message_en


@given(st.one_of(st.text(), digit_heavy, sixteen_digits))
def test_kk_parse_raises_only_invalid_kk(text: str) -> None:
    if NomorKK.is_valid(text):
        assert len(str(NomorKK.parse(text))) == 16
    else:
        with pytest.raises(InvalidKk) as caught:
            NomorKK.parse(text)
        assert caught.value.message_id != caught.value.message_en


@given(st.one_of(st.text(), st.text(alphabet="0123456789.", max_size=14)))
def test_region_parse_raises_only_invalid_region_code(text: str) -> None:
    try:
        code = KodeWilayah.parse(text)
    except InvalidRegionCode:
        assert not KodeWilayah.is_valid(text)
    else:
        assert KodeWilayah.parse(code.digits) == code


@given(st.one_of(st.text(), st.text(alphabet="0123456789-QqSs ", max_size=9)))
def test_period_parse_raises_only_invalid_period(text: str) -> None:
    try:
        period = Period.parse(text)
    except InvalidPeriod:
        pass
    else:
        assert Period.parse(str(period)) == period


# --------------------------------------------------------------------------- NIK


@given(niks())
def test_generated_niks_round_trip(nik: Nik) -> None:
    assert Nik.parse(str(nik)) == nik
    assert Nik.is_valid(str(nik))


@given(niks(), st.lists(separators, min_size=15, max_size=15))
def test_separators_anywhere_are_ignored(nik: Nik, seps: list[str]) -> None:
    text = "".join(d + s for d, s in zip(str(nik), [*seps, ""], strict=True))
    assert Nik.parse(f" {text} ") == nik


@given(nik_texts())
def test_nik_texts_are_valid(text: str) -> None:
    assert Nik.parse(text).value == text


@given(st.sampled_from(Sex), dates, st.integers(0, 36_000), st.data())
def test_sex_and_birth_date_read_back(
    sex: Sex, born: date, later: int, data: st.DataObject
) -> None:
    nik = data.draw(niks(sex=sex, birth_dates=st.just(born)))
    assert nik.sex is sex
    assert nik.birth_date(on=born) == born
    # Any day less than a century later still points at the same birth date.
    assert nik.birth_date(on=born + timedelta(days=later)) == born
    codes = {n.code for n in nik.check(birth_date=born, sex=sex)}
    assert codes <= {"nik-region-unknown"}


@given(niks(), dates)
def test_a_different_birth_date_gives_a_notice_never_an_error(nik: Nik, recorded: date) -> None:
    notices = nik.check(birth_date=recorded)
    same_digits = (recorded.day, recorded.month, recorded.year % 100) == (
        nik.birth_day,
        nik.birth_month,
        nik.birth_year_2digit,
    )
    assert ("nik-birth-date-mismatch" in {n.code for n in notices}) is not same_digits


@given(niks(region_prefixes=region_codes(WilayahLevel.DESA_KELURAHAN)))
def test_region_prefix_is_the_kecamatan_of_the_code(nik: Nik) -> None:
    assert nik.region_prefix.level is WilayahLevel.KECAMATAN
    assert lookup(nik.region_prefix) is not None
    assert nik.check() == ()


# Real prefixes that python-stdnum's own table also knows.
_STDNUM_KNOWN = ("32.75.01", "32.16.06", "31.71.01", "35.78.01", "51.71.01", "64.72.01")


@given(niks(region_prefixes=st.sampled_from([KodeWilayah(c) for c in _STDNUM_KNOWN])))
def test_stdnum_accepts_our_niks_and_reads_the_same_date(nik: Nik) -> None:
    assert stdnum_nik.validate(str(nik)) == str(nik)
    theirs = stdnum_nik.get_birth_date(str(nik))
    assert (theirs.day, theirs.month, theirs.year % 100) == (
        nik.birth_day,
        nik.birth_month,
        nik.birth_year_2digit,
    )
    assert theirs in {nik.birth_date(on=date(1999, 12, 31)), nik.birth_date(on=date(2099, 12, 31))}


@given(sixteen_digits)
def test_stdnum_date_rejections_imply_ours(text: str) -> None:
    try:
        theirs = stdnum_nik.get_birth_date(text)
    except ValidationError:
        assert not Nik.is_valid(text)
        return
    if Nik.is_valid(text):
        ours = Nik(text)
        assert (theirs.day, theirs.month, theirs.year % 100) == (
            ours.birth_day,
            ours.birth_month,
            ours.birth_year_2digit,
        )


# --------------------------------------------------------------------------- KK


@given(kk_numbers())
def test_generated_kk_numbers_round_trip(kk: NomorKK) -> None:
    assert NomorKK.parse(str(kk)) == kk
    assert NomorKK.parse("-".join(str(kk)[i : i + 4] for i in range(0, 16, 4))) == kk


@given(dates, st.integers(0, 36_000), st.data())
def test_registration_date_reads_back(registered: date, later: int, data: st.DataObject) -> None:
    kk = data.draw(kk_numbers(registration_dates=st.just(registered)))
    assert kk.registration_date(on=registered + timedelta(days=later)) == registered


# --------------------------------------------------------------------------- regions


@given(region_codes())
def test_region_codes_round_trip_and_nest(code: KodeWilayah) -> None:
    assert KodeWilayah.parse(str(code)) == KodeWilayah.parse(code.digits) == code
    assert [a.level for a in code.ancestors()] == sorted(
        (lvl for lvl in WilayahLevel if lvl < code.level), reverse=True
    )
    assert all(a.contains(code) and not code.contains(a) for a in code.ancestors())
    assert code.contains(code)
    assert lookup(code) is not None


# --------------------------------------------------------------------------- periods


@given(dates)
def test_a_date_is_in_exactly_one_month_of_its_year(day: date) -> None:
    holding = [m for m in Period.year(day.year).months() if m.contains(day)]
    assert holding == [Period.containing(day, PeriodKind.MONTH)]


@pytest.mark.parametrize("kind", [PeriodKind.QUARTER, PeriodKind.SEMESTER, PeriodKind.MONTH])
@given(year=st.integers(1900, 2100))
def test_periods_tile_the_year(kind: PeriodKind, year: int) -> None:
    parts = [Period(kind, year, i) for i in range(1, kind.per_year + 1)]
    assert parts[0].start == date(year, 1, 1)
    assert parts[-1].end == date(year, 12, 31)
    for earlier, later in itertools.pairwise(parts):
        assert later.start == earlier.end + timedelta(days=1)
    assert (
        sum((p.end - p.start).days + 1 for p in parts)
        == (Period.year(year).end - Period.year(year).start).days + 1
    )


@given(periods())
def test_period_text_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods())
def test_next_and_previous_are_inverse(period: Period) -> None:
    assert period.next().previous() == period
    assert period.previous().next() == period
    assert period.next().start == period.end + timedelta(days=1)
    assert period < period.next()


@given(periods())
def test_months_tile_the_period(period: Period) -> None:
    months = period.months()
    assert months[0].start == period.start
    assert months[-1].end == period.end
    assert all(period.contains(m.start) and period.contains(m.end) for m in months)


@given(periods(), periods())
def test_order_is_start_then_length(a: Period, b: Period) -> None:
    key_a = (a.start, a.kind.months_long)
    key_b = (b.start, b.kind.months_long)
    assert (a < b) == (key_a < key_b)
    assert (a == b) == (key_a == key_b)


# --------------------------------------------------------------------------- ages


@given(dates, st.integers(0, 40_000))
def test_age_units_agree(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    months = age_in(birth, on, AgeUnit.MONTHS)
    assert age_in(birth, on, AgeUnit.DAYS) == days
    assert age_in(birth, on, AgeUnit.YEARS) == months // 12
    assert months * 28 <= days < (months + 1) * 31 + 1


@given(dates, st.integers(0, 18 * 365 + 3))
def test_children_are_in_exactly_one_child_group(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    assume(age_in(birth, on, AgeUnit.YEARS) < 18)
    groups = {LifeStage.BAYI, LifeStage.BALITA, LifeStage.ANAK_PRASEKOLAH}
    groups.add(LifeStage.ANAK_USIA_SEKOLAH)
    stages = life_stages(birth, on)
    assert len(stages & groups) == 1
    assert (LifeStage.BALITA_SPM in stages) == bool(stages & {LifeStage.BAYI, LifeStage.BALITA})


@given(dates, st.integers(15 * 366, 110 * 366))
def test_productive_age_and_lansia_split_adults(birth: date, days: int) -> None:
    stages = life_stages(birth, birth + timedelta(days=days))
    assert len(stages & {LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA}) == 1


# --------------------------------------------------------------------------- registration


def test_registered_strategies_serve_from_type(monkeypatch: pytest.MonkeyPatch) -> None:
    _register_hypothesis_strategies()
    assert isinstance(find(st.from_type(Nik), lambda _: True), Nik)
    assert isinstance(find(st.from_type(NomorKK), lambda _: True), NomorKK)
    assert isinstance(find(st.from_type(KodeWilayah), lambda _: True), KodeWilayah)
    assert isinstance(find(st.from_type(Period), lambda _: True), Period)

    def broken(*_args: object) -> None:
        raise RuntimeError("registry unavailable")

    monkeypatch.setattr(st, "register_type_strategy", broken)
    _register_hypothesis_strategies()  # must not raise

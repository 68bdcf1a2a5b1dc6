"""Worked cases for Nik: parsing, the bilingual reasons, century inference and notices."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from spm_core.domain import KodeWilayah, Nik, Sex, WilayahLevel
from spm_core.errors import InvalidNik, InvalidValue

# A man born 17-08-1945 registered in Kec. Bekasi Timur, Kota Bekasi.
BEKASI_MAN = "3275011708450001"
# A woman born 05-08-1990 (day 05 + 40) registered in Kec. Tambun Selatan, Kab. Bekasi.
TAMBUN_WOMAN = "3216064508900012"
# Kab. Fakfak was 91.01 before the Papua provinces were split in 2022; 91.01 is gone now.
FAKFAK_BEFORE_2022 = "9101011708850001"


# --------------------------------------------------------------------------- valid


@pytest.mark.parametrize(
    ("text", "sex", "day", "month", "yy", "serial", "prefix"),
    [
        (BEKASI_MAN, Sex.MALE, 17, 8, 45, "0001", "32.75.01"),
        (TAMBUN_WOMAN, Sex.FEMALE, 5, 8, 90, "0012", "32.16.06"),
        ("3275014101000001", Sex.FEMALE, 1, 1, 0, "0001", "32.75.01"),
        ("3275017112999999", Sex.FEMALE, 31, 12, 99, "9999", "32.75.01"),
        ("3275010102000001", Sex.MALE, 1, 2, 0, "0001", "32.75.01"),
        ("3275016902000001", Sex.FEMALE, 29, 2, 0, "0001", "32.75.01"),
    ],
)
def test_valid_niks_read_back(
    text: str, sex: Sex, day: int, month: int, yy: int, serial: str, prefix: str
) -> None:
    nik = Nik.parse(text)
    assert str(nik) == text == nik.value
    assert nik.sex is sex
    assert (nik.birth_day, nik.birth_month, nik.birth_year_2digit) == (day, month, yy)
    assert nik.serial == serial
    assert nik.region_prefix == KodeWilayah(prefix)
    assert nik.region_prefix.level is WilayahLevel.KECAMATAN
    assert nik.province_code == KodeWilayah(prefix[:2])
    assert Nik.is_valid(text)


@pytest.mark.parametrize(
    "text",
    [
        " 3275011708450001 ",
        "3275 0117 0845 0001",
        "3275.0117.0845.0001",
        "32.75.01-170845-0001",
        "\u00a03275011708450001\u00a0",
        "\u200b3275011708450001\ufeff",
        "3275\u00a00117\u200b08450001",
        "\t3275011708450001\n",
    ],
)
def test_parse_strips_blanks_and_separators(text: str) -> None:
    assert Nik.parse(text) == Nik(BEKASI_MAN)


def test_equal_niks_are_interchangeable() -> None:
    assert Nik.parse(BEKASI_MAN) == Nik(BEKASI_MAN)
    assert len({Nik(BEKASI_MAN), Nik.parse(" " + BEKASI_MAN)}) == 1
    assert Nik(BEKASI_MAN) != Nik(TAMBUN_WOMAN)


def test_masked_shows_only_the_ends() -> None:
    assert Nik(BEKASI_MAN).masked() == "3275**********01"
    assert len(Nik(TAMBUN_WOMAN).masked()) == 16


def test_female_day_is_offset_by_40() -> None:
    nik = Nik.parse("3275014101900001")
    assert nik.sex is Sex.FEMALE
    assert nik.birth_day == 1
    assert nik.birth_date(on=date(2025, 1, 1)) == date(1990, 1, 1)


# --------------------------------------------------------------------------- invalid


@pytest.mark.parametrize(
    ("text", "reason_en", "reason_id"),
    [
        ("", "it is empty", "kosong"),
        ("   \u00a0", "it is empty", "kosong"),
        ("...", "it contains no digits", "tidak berisi angka"),
        ("327501170845000", "it has 15 digits; it must have 16", "terdiri dari 15 digit"),
        ("32750117084500011", "it has 17 digits; it must have 16", "terdiri dari 17 digit"),
        ("32750117O8450001", "not a digit ('O')", "selain angka ('O')"),
        ("NIK 3275011708450001", "not a digit ('N')", "selain angka"),
        ("3.27305E+15", "damaged by a spreadsheet", "rusak oleh spreadsheet"),
        ("3,27305E+15", "damaged by a spreadsheet", "rusak oleh spreadsheet"),
        ("3.275011708450001e+15", "damaged by a spreadsheet", "rusak oleh spreadsheet"),
        ("3275011708450001.0", "damaged by a spreadsheet", "rusak oleh spreadsheet"),
        ("1075011708450001", "province code 10 does not exist", "kode provinsi 10"),
        ("0075011708450001", "province code 00 does not exist", "kode provinsi 00"),
        ("3200011708450001", "regency/city code 00 does not exist", "kabupaten/kota 00"),
        ("3275001708450001", "district (kecamatan) code 00", "kode kecamatan 00"),
        ("3275010008450001", "day of birth 00 is impossible", "tanggal lahir 00"),
        ("3275013208450001", "day of birth 32 is impossible", "tanggal lahir 32"),
        ("3275014008450001", "day of birth 40 is impossible", "tanggal lahir 40"),
        ("3275017208450001", "day of birth 72 is impossible", "tanggal lahir 72"),
        ("3275019908450001", "day of birth 99 is impossible", "tanggal lahir 99"),
        ("3275011700450001", "month 00 does not exist", "bulan 00"),
        ("3275011713450001", "month 13 does not exist", "bulan 13"),
        ("3275013002900001", "30-02-90 exists in neither", "30-02-90 tidak ada"),
        ("3275017002900001", "30-02-90 exists in neither", "30-02-90 tidak ada"),
        ("3275013104900001", "31-04-90 exists in neither", "31-04-90 tidak ada"),
        ("3275012902010001", "29-02-01 exists in neither", "29-02-01 tidak ada"),
        ("3273052708900000", "serial 0000 is never issued", "nomor urut 0000"),
    ],
)
def test_invalid_niks_say_why_in_both_languages(text: str, reason_en: str, reason_id: str) -> None:
    with pytest.raises(InvalidNik) as caught:
        Nik.parse(text)
    err = caught.value
    assert err.code == "invalid-nik"
    assert err.value == text
    assert reason_en in err.message_en
    assert reason_id in err.message_id
    assert not Nik.is_valid(text)


@pytest.mark.parametrize(
    "value", [3275011708450001, 3.275011708450001e15, None, b"3275011708450001"]
)
def test_non_text_is_rejected_as_such(value: object) -> None:
    with pytest.raises(InvalidNik) as caught:
        Nik.parse(value)  # type: ignore[arg-type]
    assert "it must be text" in caught.value.message_en
    assert "harus berupa teks" in caught.value.message_id
    assert not Nik.is_valid(value)


def test_spreadsheet_damage_asks_for_text() -> None:
    with pytest.raises(InvalidNik) as caught:
        Nik.parse("3.27305E+15")
    assert "Text" in caught.value.message_en
    assert "Teks" in caught.value.message_id


def test_invalid_nik_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue):
        Nik.parse("12")


@pytest.mark.parametrize("text", [" 3275011708450001", "3275-0117-0845-0001", "3275011713450001"])
def test_constructor_takes_canonical_digits_only(text: str) -> None:
    with pytest.raises(InvalidNik):
        Nik(text)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        (BEKASI_MAN, date(2025, 1, 1), date(1945, 8, 17)),
        ("3275010101240001", date(2025, 1, 1), date(2024, 1, 1)),
        ("3275010106250001", date(2025, 1, 1), date(1925, 6, 1)),
        ("3275010106250001", date(2025, 6, 1), date(2025, 6, 1)),
        ("3275010106250001", date(2025, 5, 31), date(1925, 6, 1)),
        ("3275016902000001", date(2025, 1, 1), date(2000, 2, 29)),
        ("3275012902040001", date(2025, 1, 1), date(2004, 2, 29)),
        ("3275012902960001", date(2025, 1, 1), date(1996, 2, 29)),
    ],
)
def test_birth_date_takes_the_latest_century_not_after_on(
    text: str, on: date, expected: date
) -> None:
    assert Nik(text).birth_date(on=on) == expected


def test_birth_date_defaults_to_today() -> None:
    nik = Nik("3275010101000001")
    assert nik.birth_date() == date(2000, 1, 1)


# --------------------------------------------------------------------------- notices


def test_matching_facts_give_no_notice() -> None:
    assert Nik(BEKASI_MAN).check(birth_date=date(1945, 8, 17), sex=Sex.MALE) == ()
    assert Nik(TAMBUN_WOMAN).check(birth_date=date(1990, 8, 5), sex=Sex.FEMALE) == ()
    assert Nik(BEKASI_MAN).check() == ()


def test_birth_date_mismatch_is_a_notice_not_an_error() -> None:
    notices = Nik(BEKASI_MAN).check(birth_date=date(1945, 8, 18))
    assert [n.code for n in notices] == ["nik-birth-date-mismatch"]
    notice = notices[0]
    assert notice.field == "nik"
    assert "170845" in notice.message_id
    assert "1945-08-18" in notice.message_en
    assert notice.message("id") != notice.message("en")


def test_birth_date_compares_digits_not_centuries() -> None:
    # A centenarian: the NIK says ..45, the record says 1845 — the digits agree.
    assert Nik(BEKASI_MAN).check(birth_date=date(1845, 8, 17)) == ()
    assert Nik(BEKASI_MAN).check(birth_date=date(1946, 8, 17)) != ()


def test_sex_mismatch_is_a_notice() -> None:
    notices = Nik(TAMBUN_WOMAN).check(sex=Sex.MALE)
    assert [n.code for n in notices] == ["nik-sex-mismatch"]
    assert "Perempuan" in notices[0].message_id
    assert "Female" in notices[0].message_en


def test_several_mismatches_give_several_notices() -> None:
    notices = Nik(TAMBUN_WOMAN).check(birth_date=date(1991, 8, 5), sex=Sex.MALE)
    assert [n.code for n in notices] == ["nik-birth-date-mismatch", "nik-sex-mismatch"]


def test_old_prefix_is_accepted_with_a_notice() -> None:
    nik = Nik.parse(FAKFAK_BEFORE_2022)
    assert nik.region_prefix == KodeWilayah("91.01.01")
    assert nik.region_prefix.name() is None
    notices = nik.check(birth_date=date(1985, 8, 17), sex=Sex.MALE)
    assert [n.code for n in notices] == ["nik-region-unknown"]
    assert "91.01.01" in notices[0].message_id
    assert "pemekaran" in notices[0].message_id
    assert "split" in notices[0].message_en


@pytest.mark.parametrize("text", ["1170011708450001", "9999991708450001", "7001011708450001"])
def test_prefixes_missing_from_the_list_are_never_rejected(text: str) -> None:
    assert Nik.is_valid(text)
    assert "nik-region-unknown" in [n.code for n in Nik(text).check()]


# --------------------------------------------------------------------------- stdnum oracle


@pytest.mark.parametrize(
    "text", [BEKASI_MAN, TAMBUN_WOMAN, FAKFAK_BEFORE_2022, "3171016902000001", "3578012902960001"]
)
def test_valid_cases_agree_with_stdnum(text: str) -> None:
    assert stdnum_nik.validate(text) == text
    theirs = stdnum_nik.get_birth_date(text)
    ours = Nik.parse(text)
    assert (theirs.day, theirs.month, theirs.year % 100) == (
        ours.birth_day,
        ours.birth_month,
        ours.birth_year_2digit,
    )


@pytest.mark.parametrize(
    "text",
    ["3275013002900001", "3275012902010001", "3275011713450001", "3275013208450001", "32750117"],
)
def test_rejections_agree_with_stdnum(text: str) -> None:
    with pytest.raises(ValidationError):
        stdnum_nik.validate(text)
    assert not Nik.is_valid(text)

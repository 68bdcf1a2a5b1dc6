"""Worked cases for NomorKK: structure, registration date and the bilingual reasons."""

from __future__ import annotations

from datetime import date

import pytest

from spm_core.domain import KodeWilayah, NomorKK
from spm_core.errors import InvalidKk, InvalidNik

# Issued in Kec. Tambun Selatan, Kab. Bekasi, registered on 12-03-2018, family 0007.
TAMBUN_KK = "3216061203180007"


def test_parts_read_back() -> None:
    kk = NomorKK.parse(TAMBUN_KK)
    assert str(kk) == kk.value == TAMBUN_KK
    assert kk.region_prefix == KodeWilayah("32.16.06")
    assert kk.region_prefix.name() == "Tambun Selatan"
    assert kk.serial == "0007"
    assert kk.registration_date(on=date(2025, 1, 1)) == date(2018, 3, 12)
    assert kk.masked() == "3216**********07"


@pytest.mark.parametrize(
    "text",
    [" 3216061203180007 ", "3216 0612 0318 0007", "3216-0612-0318-0007", "\u00a03216.061203180007"],
)
def test_parse_strips_blanks_and_separators(text: str) -> None:
    assert NomorKK.parse(text) == NomorKK(TAMBUN_KK)
    assert NomorKK.is_valid(text)


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        (TAMBUN_KK, date(2018, 3, 12), date(2018, 3, 12)),
        (TAMBUN_KK, date(2018, 3, 11), date(1918, 3, 12)),
        ("3275010101750001", date(2025, 1, 1), date(1975, 1, 1)),
        ("3275012902000001", date(2025, 1, 1), date(2000, 2, 29)),
    ],
)
def test_registration_date_century(text: str, on: date, expected: date) -> None:
    assert NomorKK(text).registration_date(on=on) == expected


@pytest.mark.parametrize(
    ("text", "reason_en"),
    [
        ("", "it is empty"),
        ("321606120318007", "it has 15 digits; it must have 16"),
        ("32160612031800071", "it has 17 digits; it must have 16"),
        ("3216O61203180007", "not a digit ('O')"),
        ("3.21606E+15", "damaged by a spreadsheet"),
        ("3216061203180007.0", "damaged by a spreadsheet"),
        ("0916061203180007", "province code 09 does not exist"),
        ("3200061203180007", "regency/city code 00 does not exist"),
        ("3216001203180007", "district (kecamatan) code 00 does not exist"),
        ("3216064203180007", "day of registration 42 is impossible"),
        ("3216060003180007", "day of registration 00 is impossible"),
        ("3216061213180007", "month 13 does not exist"),
        ("3216063002180007", "30-02-18 exists in neither"),
        ("3216061203180000", "serial 0000 is never issued"),
    ],
)
def test_invalid_numbers_say_why(text: str, reason_en: str) -> None:
    with pytest.raises(InvalidKk) as caught:
        NomorKK.parse(text)
    err = caught.value
    assert err.code == "invalid-kk"
    assert err.value == text
    assert reason_en in err.message_en
    assert err.message_id.startswith("Nomor KK")
    assert err.message_id != err.message_en
    assert not NomorKK.is_valid(text)


def test_kk_errors_are_not_nik_errors() -> None:
    with pytest.raises(InvalidKk) as caught:
        NomorKK.parse("12")
    assert not isinstance(caught.value, InvalidNik)


def test_non_text_is_rejected() -> None:
    with pytest.raises(InvalidKk) as caught:
        NomorKK.parse(3216061203180007)  # type: ignore[arg-type]
    assert "it must be text" in caught.value.message_en


def test_constructor_takes_canonical_digits_only() -> None:
    with pytest.raises(InvalidKk):
        NomorKK("3216-0612-0318-0007")


def test_women_offset_is_not_allowed_in_a_kk() -> None:
    # Valid as a NIK (a woman born 2 March 2018), not as a KK registration date.
    assert not NomorKK.is_valid("3216064203180007")

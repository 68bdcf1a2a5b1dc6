"""Cleaning and structure checks shared by the 16-digit civil-registry numbers.

NIK and Nomor KK have the same outer shape: a 6-digit region prefix, a DDMMYY date and a
4-digit serial. This private module holds what the two share; :mod:`.nik` and :mod:`.kk`
are the public faces and pass in their own error class, so every message names the right
kind of number.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NoReturn

from spm_core.errors import InvalidValue

LENGTH = 16
"""Number of digits in a NIK and in a Nomor KK."""

# Zero-width characters that copy-paste from chat apps and spreadsheets leaves behind.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Every Unicode space (NBSP included), the zero-width characters, dots and hyphens.
_SEPARATORS = re.compile(rf"[\s{_ZERO_WIDTH}.\-]")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_FLOAT = re.compile(r"[0-9]+[.,]0+")
_DIGITS = re.compile(r"[0-9]+")
_EDGES = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")


def looks_numeric(value: object) -> bool:
    """Return whether ``value`` is a number, or text a spreadsheet made out of one.

    True for an ``int`` or ``float`` (not a ``bool``), for scientific notation
    (``3.27501E+15``) and for float text (``3275010101900001.0``), all of which mean a
    16-digit number was stored as a number and may have lost digits.

    Example:
        >>> looks_numeric(3275010101900001.0), looks_numeric("3.27501E+15")
        (True, True)
        >>> looks_numeric("3275010101900001")
        False
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str):
        return False
    stripped = _EDGES.sub("", value)
    return bool(_SCIENTIFIC.fullmatch(stripped) or _FLOAT.fullmatch(stripped))


def fail(error: type[InvalidValue], value: object, reason_id: str, reason_en: str) -> NoReturn:
    """Raise ``error`` for ``value`` with a reason in both languages."""
    raise error(value=value, reason_id=reason_id, reason_en=reason_en)


def clean(text: object, error: type[InvalidValue]) -> str:
    """Return the 16 digits in ``text`` or raise ``error`` saying what is wrong.

    Surrounding and inner spaces (NBSP included), zero-width characters, dots and hyphens
    are removed. Text a spreadsheet made out of a number (``3.27305E+15``,
    ``3273052708900001.0``) is rejected with a message saying so.

    Example:
        >>> from spm_core.errors import InvalidNik
        >>> clean(" 3275.0101-0190 0001 ", InvalidNik)
        '3275010101900001'
    """
    if not isinstance(text, str):
        fail(
            error,
            text,
            f"harus berupa teks, bukan {type(text).__name__}; sebagai angka, digit "
            "terakhirnya bisa hilang",
            f"it must be text, not {type(text).__name__}; as a number it can lose its last digits",
        )
    stripped = _EDGES.sub("", text)
    if not stripped:
        fail(error, text, "kosong", "it is empty")
    if _SCIENTIFIC.fullmatch(stripped) or _FLOAT.fullmatch(stripped):
        fail(
            error,
            text,
            "tampaknya rusak oleh spreadsheet yang menyimpannya sebagai angka; format kolom "
            "sebagai Teks lalu ketik ulang nomornya",
            "it looks damaged by a spreadsheet that stored it as a number; format the column "
            "as Text and type the number again",
        )
    digits = _SEPARATORS.sub("", stripped)
    if not digits:
        fail(error, text, "tidak berisi angka", "it contains no digits")
    if not _DIGITS.fullmatch(digits):
        bad = next(ch for ch in digits if ch not in "0123456789")
        fail(
            error,
            text,
            f"berisi karakter selain angka ({bad!r})",
            f"it contains a character that is not a digit ({bad!r})",
        )
    if len(digits) != LENGTH:
        fail(
            error,
            text,
            f"terdiri dari {len(digits)} digit, seharusnya {LENGTH}",
            f"it has {len(digits)} digits; it must have {LENGTH}",
        )
    return digits


def check_region(digits: str, error: type[InvalidValue], value: object) -> None:
    """Raise ``error`` when the 6-digit region prefix of ``digits`` cannot exist.

    Only the structure is checked: a prefix missing from the current Kepmendagri list is
    accepted, because a NIK or KK keeps the code of the region that issued it.
    """
    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    if int(province) < 11:
        fail(
            error,
            value,
            f"kode provinsi {province} tidak ada (kode provinsi mulai dari 11)",
            f"province code {province} does not exist (province codes start at 11)",
        )
    if regency == "00":
        fail(
            error,
            value,
            "kode kabupaten/kota 00 tidak ada",
            "regency/city code 00 does not exist",
        )
    if district == "00":
        fail(
            error,
            value,
            "kode kecamatan 00 tidak ada",
            "district (kecamatan) code 00 does not exist",
        )


def candidate_dates(day: int, month: int, yy: int) -> tuple[date, ...]:
    """Return the dates with these digits in the 1900s and the 2000s that exist."""
    found: list[date] = []
    for century in (1900, 2000):
        try:
            found.append(date(century + yy, month, day))
        except ValueError:
            continue
    return tuple(found)


def check_date(day: int, month: int, yy: int, error: type[InvalidValue], value: object) -> None:
    """Raise ``error`` unless day ``day`` of ``month`` in year ``yy`` exists in some century.

    The day must already be within 1–31 (the caller checks its own range first).
    """
    if not 1 <= month <= 12:
        fail(
            error,
            value,
            f"bulan {month:02d} tidak ada (01–12)",
            f"month {month:02d} does not exist (01–12)",
        )
    if not candidate_dates(day, month, yy):
        shown = f"{day:02d}-{month:02d}-{yy:02d}"
        fail(
            error,
            value,
            f"tanggal {shown} tidak ada, baik pada tahun 1900-an maupun 2000-an",
            f"the date {shown} exists in neither the 1900s nor the 2000s",
        )


def check_serial(digits: str, error: type[InvalidValue], value: object) -> None:
    """Raise ``error`` when the 4-digit serial at the end of ``digits`` is ``0000``."""
    if digits[-4:] == "0000":
        fail(
            error,
            value,
            "nomor urut 0000 tidak pernah diterbitkan; bila nomor disimpan sebagai angka di "
            "spreadsheet, digit terakhirnya sering berubah menjadi 0",
            "serial 0000 is never issued; a spreadsheet that stores the number as a number "
            "often turns its last digit into 0",
        )


def infer_date(day: int, month: int, yy: int, on: date | None) -> date:
    """Return the most recent date with these digits that is not after ``on`` (default today).

    Example:
        >>> infer_date(17, 8, 45, date(2025, 1, 1))
        datetime.date(1945, 8, 17)
        >>> infer_date(1, 1, 24, date(2025, 1, 1))
        datetime.date(2024, 1, 1)
    """
    reference = date.today() if on is None else on
    century = reference.year // 100
    # Five centuries always reach a 29 February (leap years repeat every 400 years).
    for year in range(century * 100 + yy, max(century - 5, 0) * 100, -100):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= reference:
            return found
    shown = f"{day:02d}-{month:02d}-{yy:02d}"
    fail(
        InvalidValue,
        reference,
        f"tidak ada tanggal {shown} pada atau sebelum {reference.isoformat()}",
        f"no date {shown} falls on or before {reference.isoformat()}",
    )

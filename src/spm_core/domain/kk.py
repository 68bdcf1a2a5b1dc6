"""Nomor Kartu Keluarga (KK): the 16-digit family-card number, ``PP KK CC DDMMYY SSSS``.

Digits 1–6 are the kecamatan where the card was issued, 7–12 the registration date
(DDMMYY, no +40), 13–16 the family serial. Like the NIK, a KK keeps the region code of
issuance after the region is split, so the prefix is checked for structure only.
"""

from __future__ import annotations

from datetime import date

import attrs

from spm_core.domain import _digits
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidKk

__all__ = ["NomorKK"]


def _checked(text: object) -> str:
    """Return the 16 digits of a structurally valid KK number, or raise :class:`InvalidKk`."""
    digits = _digits.clean(text, InvalidKk)
    _digits.check_region(digits, InvalidKk, text)
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if not 1 <= day <= 31:
        _digits.fail(
            InvalidKk,
            text,
            f"tanggal pendaftaran {day:02d} tidak mungkin (01–31)",
            f"day of registration {day:02d} is impossible (01–31)",
        )
    _digits.check_date(day, month, yy, InvalidKk, text)
    _digits.check_serial(digits, InvalidKk, text)
    return digits


def _canonical(_instance: object, _attribute: object, value: str) -> None:
    if _checked(value) != value:
        _digits.fail(
            InvalidKk,
            value,
            "harus 16 digit tanpa pemisah; gunakan NomorKK.parse untuk masukan",
            "it must be 16 digits without separators; use NomorKK.parse for input",
        )


@attrs.frozen
class NomorKK:
    """A structurally valid family-card number, held as its 16 digits.

    Example:
        >>> kk = NomorKK.parse("3216-0612-0318-0007")
        >>> str(kk.region_prefix), kk.registration_date(on=date(2025, 1, 1)), kk.serial
        ('32.16.06', datetime.date(2018, 3, 12), '0007')
    """

    value: str = attrs.field(validator=_canonical)

    @classmethod
    def parse(cls, text: str) -> NomorKK:
        """Return the KK number in ``text``, ignoring blanks and ``space . -`` separators.

        Raises:
            InvalidKk: the text cannot be a KK number; the bilingual reason says why.
        """
        return cls(_checked(text))

    @classmethod
    def is_valid(cls, text: object) -> bool:
        """Return whether ``text`` parses as a KK number."""
        try:
            _checked(text)
        except InvalidKk:
            return False
        return True

    @property
    def region_prefix(self) -> KodeWilayah:
        """The kecamatan that issued the card (digits 1–6), possibly a pre-split code."""
        v = self.value
        return KodeWilayah(f"{v[0:2]}.{v[2:4]}.{v[4:6]}")

    @property
    def serial(self) -> str:
        """The 4-digit family serial, as text."""
        return self.value[12:16]

    def registration_date(self, *, on: date | None = None) -> date:
        """Return the registration date, in the most recent century not after ``on`` (today)."""
        v = self.value
        return _digits.infer_date(int(v[6:8]), int(v[8:10]), int(v[10:12]), on)

    def masked(self) -> str:
        """Return the number for display with digits 5–14 hidden."""
        return f"{self.value[:4]}{'*' * 10}{self.value[-2:]}"

    def __str__(self) -> str:
        return self.value

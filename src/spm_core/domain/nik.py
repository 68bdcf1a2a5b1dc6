"""NIK (Nomor Induk Kependudukan): the 16-digit resident number, ``PP KK CC DDMMYY SSSS``.

Digits 1–6 are the region where the NIK was first registered (kept after the region is
split or renumbered), 7–12 the birth date (day + 40 for women), 13–16 a serial from
``0001``. A NIK is checked for structure only: whether Dukcapil issued it cannot be told
from the digits. Disagreements with other recorded facts are :class:`Notice` values,
never errors, because Dukcapil does not reissue a NIK when a birth date is corrected.

python-stdnum's ``stdnum.id.nik`` is the test oracle for these checks rather than their
implementation: it rejects region prefixes missing from its current list (old prefixes
must be accepted here) and fixes the century without a reference date.
"""

from __future__ import annotations

from datetime import date

import attrs

from spm_core.domain import _digits
from spm_core.domain.enums import Sex
from spm_core.domain.wilayah import KodeWilayah, lookup
from spm_core.errors import InvalidNik, Notice

__all__ = ["Nik"]


def _checked(text: object) -> str:
    """Return the 16 digits of a structurally valid NIK, or raise :class:`InvalidNik`."""
    digits = _digits.clean(text, InvalidNik)
    _digits.check_region(digits, InvalidNik, text)
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        _digits.fail(
            InvalidNik,
            text,
            f"tanggal lahir {day:02d} tidak mungkin (01–31 untuk laki-laki, 41–71 untuk perempuan)",
            f"day of birth {day:02d} is impossible (01–31 for men, 41–71 for women)",
        )
    _digits.check_date(day % 40, month, yy, InvalidNik, text)
    _digits.check_serial(digits, InvalidNik, text)
    return digits


def _canonical(_instance: object, _attribute: object, value: str) -> None:
    if _checked(value) != value:
        _digits.fail(
            InvalidNik,
            value,
            "harus 16 digit tanpa pemisah; gunakan Nik.parse untuk masukan",
            "it must be 16 digits without separators; use Nik.parse for input",
        )


@attrs.frozen
class Nik:
    """A structurally valid NIK, held as its 16 digits.

    The constructor takes the 16 digits only; :meth:`parse` accepts what people type.

    Example:
        >>> nik = Nik.parse("3275 0145 0890 0012")
        >>> nik.sex, nik.birth_day, nik.birth_month, str(nik.region_prefix)
        (<Sex.FEMALE: 'P'>, 5, 8, '32.75.01')
        >>> nik.birth_date(on=date(2025, 1, 1))
        datetime.date(1990, 8, 5)
        >>> nik.masked()
        '3275**********12'
    """

    value: str = attrs.field(validator=_canonical)

    @classmethod
    def parse(cls, text: str) -> Nik:
        """Return the NIK in ``text``, ignoring surrounding blanks and ``space . -`` separators.

        Raises:
            InvalidNik: the text cannot be a NIK; the bilingual reason names the part that
                is wrong (length, region, day, month, date, serial, or a value damaged by a
                spreadsheet such as ``3.27305E+15``). A region prefix missing from the
                current Kepmendagri list is accepted (see :meth:`check`).
        """
        return cls(_checked(text))

    @classmethod
    def is_valid(cls, text: object) -> bool:
        """Return whether ``text`` parses as a NIK.

        Example:
            >>> Nik.is_valid("3275014101900001"), Nik.is_valid("3.27305E+15")
            (True, False)
        """
        try:
            _checked(text)
        except InvalidNik:
            return False
        return True

    @property
    def province_code(self) -> KodeWilayah:
        """The province of first registration (digits 1–2)."""
        return KodeWilayah(self.value[0:2])

    @property
    def region_prefix(self) -> KodeWilayah:
        """The kecamatan of first registration (digits 1–6), possibly a pre-split code."""
        v = self.value
        return KodeWilayah(f"{v[0:2]}.{v[2:4]}.{v[4:6]}")

    @property
    def sex(self) -> Sex:
        """Female when the day part is over 40, else male."""
        return Sex.FEMALE if int(self.value[6:8]) > 40 else Sex.MALE

    @property
    def birth_day(self) -> int:
        """The day of birth (1–31), with the 40 added for women taken off."""
        return int(self.value[6:8]) % 40

    @property
    def birth_month(self) -> int:
        """The month of birth (1–12)."""
        return int(self.value[8:10])

    @property
    def birth_year_2digit(self) -> int:
        """The last two digits of the year of birth (0–99)."""
        return int(self.value[10:12])

    @property
    def serial(self) -> str:
        """The 4-digit serial, as text (``"0001"``)."""
        return self.value[12:16]

    def birth_date(self, *, on: date | None = None) -> date:
        """Return the birth date, taking the most recent century not after ``on`` (today).

        Example:
            >>> Nik("3275011708450001").birth_date(on=date(2025, 1, 1))
            datetime.date(1945, 8, 17)
        """
        return _digits.infer_date(self.birth_day, self.birth_month, self.birth_year_2digit, on)

    def check(self, birth_date: date | None = None, sex: Sex | None = None) -> tuple[Notice, ...]:
        """Return warnings about this NIK against recorded facts; never raise.

        Codes: ``nik-birth-date-mismatch`` (day, month or two-digit year differ from
        ``birth_date``), ``nik-sex-mismatch`` (the day part says another sex than
        ``sex``), ``nik-region-unknown`` (the prefix is not in the current list, as with a
        code from before a region was split).

        Example:
            >>> [n.code for n in Nik("3275011708450001").check(sex=Sex.FEMALE)]
            ['nik-sex-mismatch']
        """
        notices: list[Notice] = []
        if birth_date is not None and (
            self.birth_day,
            self.birth_month,
            self.birth_year_2digit,
        ) != (birth_date.day, birth_date.month, birth_date.year % 100):
            notices.append(self._date_notice(birth_date))
        if sex is not None and sex != self.sex:
            notices.append(self._sex_notice(sex))
        if lookup(self.region_prefix) is None:
            notices.append(self._region_notice())
        return tuple(notices)

    def masked(self) -> str:
        """Return the NIK for display with digits 5–14 hidden (``3275**********01``)."""
        return f"{self.value[:4]}{'*' * 10}{self.value[-2:]}"

    def __str__(self) -> str:
        return self.value

    def _date_notice(self, recorded: date) -> Notice:
        shown = self.value[6:12]
        return Notice(
            code="nik-birth-date-mismatch",
            message_id=(
                f"Bagian tanggal lahir NIK ({shown}) berbeda dengan tanggal lahir tercatat "
                f"({recorded.isoformat()}). NIK tidak diterbitkan ulang bila tanggal lahir "
                "dikoreksi; data tetap disimpan."
            ),
            message_en=(
                f"The birth-date part of the NIK ({shown}) differs from the recorded birth "
                f"date ({recorded.isoformat()}). A NIK is not reissued when a birth date is "
                "corrected; the data is kept."
            ),
            field="nik",
            value=self.value,
        )

    def _sex_notice(self, recorded: Sex) -> Notice:
        return Notice(
            code="nik-sex-mismatch",
            message_id=(
                f"NIK menunjukkan jenis kelamin {self.sex.label.id}, sedangkan yang tercatat "
                f"{recorded.label.id}."
            ),
            message_en=(
                f"The NIK indicates sex {self.sex.label.en}, but {recorded.label.en} is recorded."
            ),
            field="nik",
            value=self.value,
        )

    def _region_notice(self) -> Notice:
        prefix = self.region_prefix.value
        return Notice(
            code="nik-region-unknown",
            message_id=(
                f"Kode wilayah {prefix} pada NIK tidak ada dalam daftar wilayah saat ini; "
                "NIK tetap memakai kode wilayah saat pertama didaftarkan, juga setelah "
                "pemekaran."
            ),
            message_en=(
                f"Region code {prefix} in the NIK is not in the current list of regions; a "
                "NIK keeps the code of its first registration, also after a region is split."
            ),
            field="nik",
            value=self.value,
        )

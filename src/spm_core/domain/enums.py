"""Closed vocabularies of the domain: SPM fields, sex, SHDK relationships, subjects.

Each member carries a :class:`~spm_core.domain.text.Text` label in both languages.
Stored values are the members' ``value`` (stable text or SHDK number), never labels.
"""

from __future__ import annotations

import enum

from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["GovernmentLevel", "Relationship", "Sex", "SpmField", "Subject"]


class SpmField(enum.StrEnum):
    """The six fields (bidang) of the Standar Pelayanan Minimal (UU 23/2014 Ps. 12(1), PP 2/2018).

    Example:
        >>> SpmField("pupr").label.en
        'Public works'
    """

    KESEHATAN = "kesehatan"
    PENDIDIKAN = "pendidikan"
    PUPR = "pupr"
    PERKIM = "perkim"
    TRANTIBUM = "trantibum"
    SOSIAL = "sosial"

    @property
    def label(self) -> Text:
        """The field's name in both languages."""
        return _FIELD_LABELS[self]

    @classmethod
    def parse(cls, value: str) -> SpmField:
        """Return the field named ``value`` (case-insensitive) or raise :class:`InvalidValue`."""
        try:
            return cls(value.strip().lower())
        except (ValueError, AttributeError):
            raise InvalidValue(
                value=value,
                reason_id="bidang SPM harus salah satu dari " + ", ".join(m.value for m in cls),
                reason_en="the SPM field must be one of " + ", ".join(m.value for m in cls),
            ) from None


_FIELD_LABELS = {
    SpmField.KESEHATAN: Text("Kesehatan", "Health"),
    SpmField.PENDIDIKAN: Text("Pendidikan", "Education"),
    SpmField.PUPR: Text("Pekerjaan Umum", "Public works"),
    SpmField.PERKIM: Text(
        "Perumahan Rakyat dan Kawasan Permukiman", "Public housing and settlement areas"
    ),
    SpmField.TRANTIBUM: Text(
        "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
        "Public order, safety and community protection",
    ),
    SpmField.SOSIAL: Text("Sosial", "Social affairs"),
}


class Sex(enum.StrEnum):
    """Sex as recorded on the KK and encoded in the NIK (women: day of birth + 40)."""

    MALE = "L"
    FEMALE = "P"

    @property
    def label(self) -> Text:
        """The sex in both languages."""
        return Text("Laki-laki", "Male") if self is Sex.MALE else Text("Perempuan", "Female")


class Relationship(enum.IntEnum):
    """Status hubungan dalam keluarga (SHDK), codes 1–11 as in civil-registry systems.

    Source: reference table ``tweb_penduduk_hubungan`` of OpenSID; that the numbers equal
    SIAK's own is UNCONFIRMED (domain reference §5.3), so stored data keeps the number and
    the label is looked up here.
    """

    KEPALA_KELUARGA = 1
    SUAMI = 2
    ISTRI = 3
    ANAK = 4
    MENANTU = 5
    CUCU = 6
    ORANG_TUA = 7
    MERTUA = 8
    FAMILI_LAIN = 9
    PEMBANTU = 10
    LAINNYA = 11

    @property
    def label(self) -> Text:
        """The relationship in both languages."""
        return _SHDK_LABELS[self]

    @classmethod
    def parse(cls, value: int | str) -> Relationship:
        """Return the SHDK for a code (``4``, ``"4"``) or name (``"anak"``), else raise."""
        try:
            if isinstance(value, str) and not value.strip().isdigit():
                return cls[value.strip().upper().replace(" ", "_")]
            return cls(int(value))
        except (KeyError, ValueError, TypeError):
            raise InvalidValue(
                value=value,
                reason_id="SHDK harus kode 1–11",
                reason_en="the SHDK relationship must be a code from 1 to 11",
            ) from None


_SHDK_LABELS = {
    Relationship.KEPALA_KELUARGA: Text("Kepala Keluarga", "Head of household"),
    Relationship.SUAMI: Text("Suami", "Husband"),
    Relationship.ISTRI: Text("Istri", "Wife"),
    Relationship.ANAK: Text("Anak", "Child"),
    Relationship.MENANTU: Text("Menantu", "Child-in-law"),
    Relationship.CUCU: Text("Cucu", "Grandchild"),
    Relationship.ORANG_TUA: Text("Orang Tua", "Parent"),
    Relationship.MERTUA: Text("Mertua", "Parent-in-law"),
    Relationship.FAMILI_LAIN: Text("Famili Lain", "Other relative"),
    Relationship.PEMBANTU: Text("Pembantu", "Domestic worker"),
    Relationship.LAINNYA: Text("Lainnya", "Other"),
}


class Subject(enum.StrEnum):
    """What a record or an indicator is about."""

    RESIDENT = "resident"
    HOUSEHOLD = "household"
    PLACE = "place"

    @property
    def label(self) -> Text:
        """The subject kind in both languages."""
        return {
            Subject.RESIDENT: Text("Warga", "Resident"),
            Subject.HOUSEHOLD: Text("Rumah tangga", "Household"),
            Subject.PLACE: Text("Tempat", "Place"),
        }[self]


class GovernmentLevel(enum.StrEnum):
    """The level of government that owes a service (PP 2/2018 splits JPD by level)."""

    PROVINSI = "provinsi"
    KABUPATEN_KOTA = "kabupaten_kota"

    @property
    def label(self) -> Text:
        """The level in both languages."""
        if self is GovernmentLevel.PROVINSI:
            return Text("Provinsi", "Province")
        return Text("Kabupaten/Kota", "Regency/City")

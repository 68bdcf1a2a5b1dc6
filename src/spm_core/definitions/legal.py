"""Legal basis, validity dates and provenance carried by every contributed definition."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import InvalidValue

__all__ = ["ALWAYS", "LegalBasis", "PluginLevel", "Provenance", "Validity", "scope_label"]


@attrs.frozen
class LegalBasis:
    """The regulation (and article) a definition encodes.

    ``confirmed=False`` marks a fact that could not be checked against a primary text;
    such a definition is data that a region plugin can correct, and reports show the
    flag.

    Example:
        >>> LegalBasis("PP 2/2018", "Ps. 6 ayat (3)").cite()
        'PP 2/2018 Ps. 6 ayat (3)'
    """

    regulation: str
    article: str | None = None
    confirmed: bool = True
    note: str | None = None
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.regulation.strip():
            raise InvalidValue(
                value=self.regulation,
                reason_id="nama peraturan wajib diisi",
                reason_en="the regulation must be named",
            )

    def cite(self) -> str:
        """Return the citation as one line, marked ``(UNCONFIRMED)`` when not confirmed."""
        text = self.regulation if self.article is None else f"{self.regulation} {self.article}"
        return text if self.confirmed else f"{text} (UNCONFIRMED)"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return attrs.asdict(self)


@attrs.frozen
class Validity:
    """The dates (inclusive) between which a definition is in force; ``None`` is open.

    Example:
        >>> Validity(start=date(2024, 1, 1)).contains(date(2023, 12, 31))
        False
    """

    start: date | None = None
    end: date | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidValue(
                value=f"{self.start}..{self.end}",
                reason_id="tanggal akhir berlaku sebelum tanggal mulai",
                reason_en="the end of validity is before its start",
            )

    def contains(self, day: date) -> bool:
        """Return whether the definition is in force on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, start: date, end: date) -> bool:
        """Return whether the definition is in force on any day of ``start..end``."""
        return (self.start is None or self.start <= end) and (self.end is None or start <= self.end)

    def overlaps_validity(self, other: Validity) -> bool:
        """Return whether some day lies in both validities.

        Example:
            >>> Validity(end=date(2023, 12, 31)).overlaps_validity(Validity(date(2024, 1, 1)))
            False
        """
        return (self.start is None or other.end is None or self.start <= other.end) and (
            other.start is None or self.end is None or other.start <= self.end
        )

    def __str__(self) -> str:
        start = "" if self.start is None else self.start.isoformat()
        end = "" if self.end is None else self.end.isoformat()
        return f"{start}..{end}"

    def to_dict(self) -> dict[str, str | None]:
        """Return ISO dates (or ``None``)."""
        return {
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
        }


ALWAYS = Validity()
"""Validity with no start and no end."""


class PluginLevel(enum.IntEnum):
    """The level of a plugin, which with its region gives the scope of its definitions.

    National field plugins < province plugins < kab/kota region plugins: in the view of a
    place, a kab/kota plugin's definition of a code replaces the province's, which
    replaces the national one — in that plugin's region only. Two plugins of the same
    scope defining the same code in overlapping validity are an error at load.
    """

    NATIONAL = 0
    PROVINCE = 1
    REGION = 2

    @property
    def label(self) -> Text:
        """The level in both languages."""
        return {
            PluginLevel.NATIONAL: Text("Nasional", "National"),
            PluginLevel.PROVINCE: Text("Provinsi", "Province"),
            PluginLevel.REGION: Text("Kabupaten/Kota", "Regency/City"),
        }[self]


def scope_label(region: KodeWilayah | None) -> Text:
    """Name a scope in both languages: national, a province or a kab/kota.

    Example:
        >>> scope_label(KodeWilayah("32.75")).en, scope_label(None).id
        ('regency/city 32.75', 'nasional')
    """
    if region is None:
        return Text("nasional", "national")
    if region.level == WilayahLevel.PROVINSI:
        return Text(f"provinsi {region}", f"province {region}")
    return Text(f"kab/kota {region}", f"regency/city {region}")


@attrs.frozen
class Provenance:
    """Which plugin contributed a definition, at which level, for which region.

    ``region`` is the plugin's region (``None`` for a national plugin): the *scope* in
    which the definition applies. ``version`` is the plugin distribution's version.
    """

    plugin: str
    level: PluginLevel
    version: str | None = None
    region: KodeWilayah | None = None

    @property
    def scope(self) -> Text:
        """The scope the definition applies to, in both languages."""
        return scope_label(self.region)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "plugin": self.plugin,
            "level": self.level.name.lower(),
            "version": self.version,
            "region": None if self.region is None else str(self.region),
        }

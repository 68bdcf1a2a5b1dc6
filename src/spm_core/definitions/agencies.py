"""Agency roles (what kind of OPD) and concrete agencies of one region."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah

__all__ = ["Agency", "AgencyRole"]


@attrs.frozen(kw_only=True)
class AgencyRole(Definition):
    """A kind of agency that acts on needs (``dinas-sosial``, ``bpbd``), independent of region.

    Routing rules target roles; each region maps a role to its own agency, because OPD
    names and splits differ (Kota Bekasi's DBMSDA vs Kabupaten Bekasi's SDABMBK).
    """

    kind: ClassVar[str] = "agency_role"
    kind_label: ClassVar[Text] = Text("peran perangkat daerah", "agency role")
    field: SpmField | None = None


def _roles(value: Iterable[str]) -> tuple[str, ...]:
    """Return the role codes as a tuple (a lone string is one role, not its letters)."""
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(kw_only=True)
class Agency(Definition):
    """A concrete agency (OPD, UPTD, utility) of one region, filling one or more roles.

    ``area`` is the region it serves (a kab/kota, or a kecamatan for a Puskesmas).
    """

    kind: ClassVar[str] = "agency"
    kind_label: ClassVar[Text] = Text("perangkat daerah", "agency")
    roles: tuple[str, ...] = attrs.field(converter=_roles)
    area: KodeWilayah
    short_name: str | None = None

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need every role to be defined."""
        return tuple(("agency_role", role) for role in self.roles)

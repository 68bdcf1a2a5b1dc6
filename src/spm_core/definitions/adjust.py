"""The typed interface the late ``spm_adjust_catalog`` hook receives."""

from __future__ import annotations

from typing import Protocol, TypeVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah

__all__ = ["Adjustment", "CatalogAdjuster"]

D = TypeVar("D", bound=Definition)


@attrs.frozen
class Adjustment:
    """One change a plugin made to the catalog in its own scope, kept for provenance.

    ``scope`` is the region the change applies to (``None``: national).
    """

    plugin: str
    action: str
    kind: str
    code: str
    detail: str
    scope: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Return a JSON-ready mapping."""
        return attrs.asdict(self)


class CatalogAdjuster(Protocol):
    """What a plugin may change, in its own region only, once every definition is collected.

    Every change is an **overlay**: it applies in the calling plugin's scope (its kab/kota
    or province; everywhere for a national plugin) and leaves the definition untouched
    for every other region, as an OpenFisca reform returns a new system and never
    mutates the baseline. Each change is recorded as an :class:`Adjustment` naming the
    plugin. A code that does not exist raises
    :class:`~spm_core.errors.UnresolvedReference` with a "did you mean"; a definition
    that belongs to (or serves) another region raises :class:`~spm_core.errors.OutOfRegion`;
    two plugins of one scope changing the same definition raise
    :class:`~spm_core.errors.ConflictingAdjustment`. To add a local definition, return it
    from ``spm_definitions``.
    """

    @property
    def plugin(self) -> str:
        """The name of the plugin whose adjustments are being recorded."""
        ...

    @property
    def region(self) -> KodeWilayah | None:
        """The region the changes apply to (``None`` for a national plugin)."""
        ...

    def get(self, cls: type[D], code: str) -> D:
        """Return definition ``code`` of class ``cls`` as this plugin's region sees it.

        Example: ``adjuster.get(Indicator, "kesehatan.balita")``. The latest version is
        returned, with the overlays made so far.
        """
        ...

    def replace(self, definition: Definition) -> None:
        """Use ``definition`` instead of the one with the same kind and code, in this region.

        The replacement stands in for every dated version; to give the region versions
        of its own, each with its validity, return them from ``spm_definitions``.
        """
        ...

    def disable(self, cls: type[Definition], code: str, *, reason: Text) -> None:
        """Remove definition ``code`` of class ``cls`` from this region, with a reason."""
        ...

    def set_sla(self, need_type: str, days: int) -> None:
        """Set the deadline, in days, for need type ``need_type`` in this region."""
        ...

    def retarget_route(self, rule_code: str, role: str, *more_roles: str) -> None:
        """Send needs matched by routing rule ``rule_code`` to ``role`` (and ``more_roles``)."""
        ...

    def rename_agency(self, code: str, name: Text, *, short_name: str | None = None) -> None:
        """Give agency ``code`` a new name (nomenclature changes often)."""
        ...

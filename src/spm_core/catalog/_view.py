"""Catalog views: the definitions of one place on one day, and where each came from."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

import attrs

from spm_core.catalog._adjust import Resolved
from spm_core.catalog._collect import KINDS, Scope, close_codes, kind_label
from spm_core.definitions import (
    Adjustment,
    Agency,
    AgencyRole,
    Definition,
    FieldDefinition,
    Indicator,
    NeedType,
    Provenance,
    RecordType,
    RoutingRule,
    ServiceType,
    Validator,
    definition_to_dict,
    scope_label,
)
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import UnknownCode
from spm_core.routing import RoutingTable

__all__ = ["CatalogView", "Origin"]

D = TypeVar("D", bound=Definition)

Table = Mapping[str, Mapping[str, Definition]]


@attrs.frozen
class Origin:
    """Where one definition of a view came from.

    ``provenance`` and ``scope`` name the version the view starts from; ``replaced``
    lists the more general versions (national, province) it stands in for; ``adjustments``
    the overlays applied on top, in order. ``disabled`` is true when an overlay removed
    the definition from the view.
    """

    kind: str
    code: str
    provenance: Provenance
    scope: KodeWilayah | None
    replaced: tuple[Provenance, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    disabled: bool = False

    @property
    def status(self) -> str:
        """Say how the view got it: ``"national"``, ``"replaced"`` or ``"added"``.

        ``"replaced"``: a local version stands in for a more general one; ``"added"``:
        only the local scope defines it.
        """
        if self.scope is None:
            return "national"
        return "replaced" if self.replaced else "added"

    @property
    def status_label(self) -> Text:
        """The status in both languages, with ``+ adjusted`` when overlays apply."""
        base = {
            "national": Text("nasional", "national"),
            "replaced": Text("diganti", "replaced"),
            "added": Text("ditambah", "added"),
        }[self.status]
        if self.disabled:
            return Text(f"{base.id}, dinonaktifkan", f"{base.en}, disabled")
        if self.adjustments:
            return Text(f"{base.id}, disesuaikan", f"{base.en}, adjusted")
        return base

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "code": self.code,
            "status": self.status,
            "scope": None if self.scope is None else str(self.scope),
            "scope_label": scope_label(self.scope).to_dict(),
            "provenance": self.provenance.to_dict(),
            "replaced": [p.to_dict() for p in self.replaced],
            "adjustments": [a.to_dict() for a in self.adjustments],
            "disabled": self.disabled,
        }


class _Lookups:
    """Lookups shared by :class:`CatalogView` and the catalog's national view."""

    def _table(self) -> Table:
        raise NotImplementedError  # pragma: no cover - every subclass overrides

    def get(self, kind: str, code: str) -> Definition:
        """Return the definition of ``kind`` (``"indicator"``, …) with ``code``.

        Raises:
            UnknownCode: no such definition; the message suggests close codes.
        """
        items = self._table().get(kind, {})
        try:
            return items[code]
        except KeyError:
            raise UnknownCode(
                kind=kind_label(kind), value=code, suggestions=close_codes(code, items)
            ) from None

    def all(self, kind: str) -> tuple[Definition, ...]:
        """Return every definition of ``kind``, sorted by code."""
        return tuple(self._table().get(kind, {}).values())

    def __iter__(self) -> Iterator[Definition]:
        table = self._table()
        for kind in KINDS:
            yield from table.get(kind, {}).values()

    def __len__(self) -> int:
        return sum(len(items) for items in self._table().values())

    def _typed(self, cls: type[D], code: str) -> D:
        found = self.get(cls.kind, code)
        assert isinstance(found, cls)
        return found

    def _all_typed(self, cls: type[D]) -> tuple[D, ...]:
        return tuple(d for d in self.all(cls.kind) if isinstance(d, cls))

    def field(self, code: str) -> FieldDefinition:
        """Return the field definition ``code`` (``"kesehatan"``, …)."""
        return self._typed(FieldDefinition, code)

    def service_type(self, code: str) -> ServiceType:
        """Return the service type (JPD) ``code``."""
        return self._typed(ServiceType, code)

    def record_type(self, code: str) -> RecordType:
        """Return the record type ``code``."""
        return self._typed(RecordType, code)

    def indicator(self, code: str) -> Indicator:
        """Return the indicator ``code``."""
        return self._typed(Indicator, code)

    def need_type(self, code: str) -> NeedType:
        """Return the need type ``code``."""
        return self._typed(NeedType, code)

    def agency_role(self, code: str) -> AgencyRole:
        """Return the agency role ``code``."""
        return self._typed(AgencyRole, code)

    def agency(self, code: str) -> Agency:
        """Return the agency ``code``."""
        return self._typed(Agency, code)

    def routing_rule(self, code: str) -> RoutingRule:
        """Return the routing rule ``code``."""
        return self._typed(RoutingRule, code)

    @property
    def fields(self) -> tuple[FieldDefinition, ...]:
        """Every field definition."""
        return self._all_typed(FieldDefinition)

    @property
    def service_types(self) -> tuple[ServiceType, ...]:
        """Every service type."""
        return self._all_typed(ServiceType)

    @property
    def record_types(self) -> tuple[RecordType, ...]:
        """Every record type."""
        return self._all_typed(RecordType)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator."""
        return self._all_typed(Indicator)

    @property
    def need_types(self) -> tuple[NeedType, ...]:
        """Every need type."""
        return self._all_typed(NeedType)

    @property
    def agency_roles(self) -> tuple[AgencyRole, ...]:
        """Every agency role."""
        return self._all_typed(AgencyRole)

    @property
    def agencies(self) -> tuple[Agency, ...]:
        """Every agency."""
        return self._all_typed(Agency)

    @property
    def routing_rules(self) -> tuple[RoutingRule, ...]:
        """Every routing rule."""
        return self._all_typed(RoutingRule)

    @property
    def validators(self) -> tuple[Validator, ...]:
        """Every validator."""
        return self._all_typed(Validator)

    def validators_for(self, record_type: str) -> tuple[Validator, ...]:
        """Return the validators that check records of ``record_type``."""
        return tuple(v for v in self.validators if v.record_type == record_type)


class ViewData:
    """The resolved definitions of one scope chain in one validity epoch (shared by views)."""

    def __init__(self, resolved: Mapping[tuple[str, str], Resolved]) -> None:
        table: dict[str, dict[str, Definition]] = {kind: {} for kind in KINDS}
        origins: dict[tuple[str, str], Origin] = {}
        for (kind, code), item in sorted(resolved.items()):
            if item.definition is not None:
                table[kind][code] = item.definition
            assert item.base.provenance is not None
            origins[(kind, code)] = Origin(
                kind=kind,
                code=code,
                provenance=item.base.provenance,
                scope=item.scope,
                replaced=tuple(v.provenance for v in item.shadowed if v.provenance is not None),
                adjustments=tuple(o.adjustment() for o in item.overlays),
                disabled=item.definition is None,
            )
        self.table: Table = table
        self.origins: Mapping[tuple[str, str], Origin] = origins

    @functools.cached_property
    def routing_table(self) -> RoutingTable:
        """The rules and agencies of this view, indexed for routing."""
        return RoutingTable(
            (d for d in self.table["routing_rule"].values() if isinstance(d, RoutingRule)),
            (d for d in self.table["agency"].values() if isinstance(d, Agency)),
            (d for d in self.table["agency_role"].values() if isinstance(d, AgencyRole)),
        )


class CatalogView(_Lookups):
    """The catalog as one place sees it on one day.

    Get one with :meth:`spm_core.catalog.Catalog.for_region`. Every (kind, code) is
    resolved kab/kota → province → national among the versions in force on :attr:`on`
    (the latest versions when :attr:`on` is ``None``), with the region's adjustments
    applied. It has the catalog's lookups (:meth:`get`, :meth:`all`, :meth:`indicator`,
    :attr:`indicators`, :attr:`need_types`, :attr:`agencies`, …), says where each
    definition came from (:meth:`origin`), and offers the routing table that
    :func:`spm_core.routing.route` uses.
    """

    def __init__(self, region: Scope, on: date | None, data: ViewData) -> None:
        self._region = region
        self._on = on
        self._data = data

    def _table(self) -> Table:
        return self._data.table

    @property
    def region(self) -> KodeWilayah | None:
        """The most specific scope of the view: a kab/kota, a province, or ``None``."""
        return self._region

    @property
    def on(self) -> date | None:
        """The day of the view (``None``: the latest version of everything)."""
        return self._on

    @property
    def routing_table(self) -> RoutingTable:
        """The view's rules and agencies, indexed for :func:`spm_core.routing.route`."""
        return self._data.routing_table

    def origin(self, kind: str, code: str) -> Origin:
        """Return where definition ``code`` of ``kind`` came from in this view.

        Disabled definitions have an origin too (``disabled=True``).

        Raises:
            UnknownCode: the view has no such definition, not even a disabled one.
        """
        try:
            return self._data.origins[(kind, code)]
        except KeyError:
            codes = [c for (k, c) in self._data.origins if k == kind]
            raise UnknownCode(
                kind=kind_label(kind), value=code, suggestions=close_codes(code, codes)
            ) from None

    def origins(self, kind: str | None = None) -> tuple[Origin, ...]:
        """Return the origin of every definition (of ``kind``), disabled ones included."""
        return tuple(o for o in self._data.origins.values() if kind is None or o.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """Return the view as JSON-ready data: each definition with its origin.

        Disabled definitions are listed under ``"disabled"`` with their origin only.
        """
        table = self._data.table
        return {
            "region": None if self._region is None else str(self._region),
            "on": None if self._on is None else self._on.isoformat(),
            "definitions": [
                {**definition_to_dict(table[o.kind][o.code]), "origin": o.to_dict()}
                for o in self._data.origins.values()
                if not o.disabled
            ],
            "disabled": [o.to_dict() for o in self._data.origins.values() if o.disabled],
        }

    def __repr__(self) -> str:
        on = "latest" if self._on is None else self._on.isoformat()
        return f"CatalogView(region={self._region!s}, on={on}, definitions={len(self)})"

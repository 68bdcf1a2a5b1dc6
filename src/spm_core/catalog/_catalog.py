"""The catalog: every version of every definition in every scope, validated and frozen."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

import attrs
import pluggy

from spm_core.catalog._adjust import Overlay, resolve_key, run_adjustments
from spm_core.catalog._collect import (
    KINDS,
    Key,
    Scope,
    Versions,
    chain_of,
    close_codes,
    collect,
    group_versions,
    kind_label,
)
from spm_core.catalog._view import CatalogView, Table, ViewData, _Lookups
from spm_core.definitions import (
    Adjustment,
    Agency,
    Definition,
    PluginInfo,
    PluginLevel,
    Provenance,
    check_indicators,
    definition_to_dict,
)
from spm_core.domain.period import Period
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import UnresolvedReference
from spm_core.plugins import SpmPluginManager, plugin_infos
from spm_core.routing import check_routable

__all__ = ["Catalog", "Override"]

Overlays = Mapping[tuple[Key, Scope], tuple[Overlay, ...]]


@attrs.frozen
class Override:
    """A definition that a more local scope's version replaces in ``region``."""

    kind: str
    code: str
    winner: Provenance
    replaced: Provenance
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "code": self.code,
            "region": self.region,
            "winner": self.winner.to_dict(),
            "replaced": self.replaced.to_dict(),
        }


def _region(value: KodeWilayah | str | None) -> KodeWilayah | None:
    if value is None or isinstance(value, KodeWilayah):
        return value
    return KodeWilayah.parse(value)


def _boundaries(versions: Versions) -> tuple[date, ...]:
    """Return every day on which some version starts or stops being in force."""
    days: set[date] = set()
    for by_scope in versions.values():
        for group in by_scope.values():
            for version in group:
                if version.validity.start is not None:
                    days.add(version.validity.start)
                if version.validity.end is not None and version.validity.end < date.max:
                    days.add(version.validity.end + timedelta(days=1))
    return tuple(sorted(days))


def _overrides(versions: Versions) -> tuple[Override, ...]:
    out: list[Override] = []
    for (kind, code), by_scope in sorted(versions.items()):
        for scope in sorted((s for s in by_scope if s is not None), key=str):
            winner = by_scope[scope][-1].provenance
            assert winner is not None
            for general in chain_of(scope)[1:]:
                if general in by_scope and general != scope:
                    replaced = by_scope[general][-1].provenance
                    assert replaced is not None
                    out.append(Override(kind, code, winner, replaced, str(scope)))
    return tuple(out)


def _configured_regions(
    infos: Mapping[str, PluginInfo], versions: Versions
) -> tuple[tuple[KodeWilayah, bool], ...]:
    """Return each configured kab/kota and whether its own plugins list its agencies.

    A kab/kota is configured when a region plugin names it, or an agency serves it or a
    place inside it. When a region plugin of that kab/kota lists agencies, it must list
    one for every role a need there can reach (no generic agency); otherwise a role
    without agency is routed to the generic agency, flagged.
    """
    regions = {i.region for i in infos.values() if i.level is PluginLevel.REGION and i.region}
    listing: set[KodeWilayah] = set()
    for (kind, _code), by_scope in versions.items():
        if kind != Agency.kind:
            continue
        for scope, group in by_scope.items():
            if scope is not None and scope.level == WilayahLevel.KABUPATEN_KOTA:
                listing.add(scope)
            for agency in group:
                assert isinstance(agency, Agency)
                if agency.area.level >= WilayahLevel.KABUPATEN_KOTA:
                    regions.add(agency.area.at_level(WilayahLevel.KABUPATEN_KOTA))
    return tuple((r, r in listing) for r in sorted(regions))


@attrs.frozen(eq=False)
class Catalog(_Lookups):
    """Every definition of a deployment — each version, in each scope — validated, immutable.

    Build it with :meth:`build`. Ask :meth:`for_region` for the view of one place on one
    day: each (kind, code) resolved kab/kota → province → national among the versions in
    force that day, with that region's adjustments. The catalog's own lookups
    (:meth:`get`, :meth:`indicator`, :attr:`need_types`, …) answer for the **national
    view, latest versions** — what ``for_region(None)`` gives.

    **Which version a report uses.** A report for a period uses the version in force on
    the period's **last day** (:meth:`for_period`): a 2023 report reads the 2019 health
    standard, a report for a month of 2025 the 2024 one, and a period during which a
    standard changed is judged by the standard in force when it closes.

    Example:
        >>> from spm_core.plugins import make_plugin_manager
        >>> catalog = Catalog.build(make_plugin_manager())
        >>> catalog.field("kesehatan").provenance.plugin
        'kesehatan'
        >>> catalog.for_region("32.75", on=date(2023, 6, 30)).service_type(
        ...     "kesehatan.ibu-hamil").legal_basis[1].regulation
        'Permenkes 4/2019'
    """

    _versions: Versions = attrs.field(repr=False)
    _overlays: Overlays = attrs.field(repr=False)
    plugins: tuple[PluginInfo, ...]
    regions: tuple[KodeWilayah, ...] = ()
    """The configured kab/kota: those the load-time routing check covered."""
    overrides: tuple[Override, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    _boundaries: tuple[date, ...] = ()
    _cache: dict[tuple[Scope, int | None], ViewData] = attrs.field(factory=dict, repr=False)

    @classmethod
    def build(cls, pm: pluggy.PluginManager) -> Catalog:
        """Collect, group, adjust, validate and freeze the definitions of ``pm``'s plugins.

        Raises:
            DuplicateDefinition: two versions of one code in one scope overlap in time.
            ConflictingAdjustment: two plugins of one scope adjust the same definition.
            OutOfRegion: a plugin adjusts a definition of, or serving, another region.
            InvalidDefinition: a hook returns something that is not a definition, a
                region plugin defines an agency or route outside its region, or a
                routing rule's condition uses a node routing cannot evaluate.
            UnresolvedReference: a definition names a code no plugin defines, in some
                region's view on some day (the message suggests close codes).
            Unroutable: in a configured region, some need type has no rule, or a role
                has no agency, for some kelurahan/desa.
        """
        infos = plugin_infos(pm)
        versions_of = (
            {name: dist[1] for name, dist in pm.distributions.items()}
            if isinstance(pm, SpmPluginManager)
            else {}
        )
        provenances = {
            reg: Provenance(info.name, info.level, versions_of.get(reg), info.region)
            for reg, info in infos.items()
        }
        versions = group_versions(collect(pm, infos, provenances))
        ordered = sorted(infos.items(), key=lambda kv: (kv[1].level, kv[1].name))
        overlays, made = run_adjustments(pm, ordered, provenances, versions)
        adjustments = tuple(overlay.adjustment() for overlay in made)
        configured = _configured_regions(infos, versions)
        catalog = cls(
            versions,
            overlays,
            tuple(info for _, info in ordered),
            tuple(r for r, _ in configured),
            _overrides(versions),
            adjustments,
            _boundaries(versions),
        )
        catalog._validate(infos, configured)
        return catalog

    # -- views -------------------------------------------------------------------------

    def _data(self, chain: tuple[Scope, ...], on: date | None) -> ViewData:
        epoch = None if on is None else bisect.bisect_right(self._boundaries, on)
        key = (chain[0], epoch)
        found = self._cache.get(key)
        if found is None:
            resolved = {}
            for vkey in self._versions:
                item = resolve_key(vkey, chain, on, self._versions, self._overlays)
                if item is not None:
                    resolved[vkey] = item
            found = self._cache[key] = ViewData(resolved)
        return found

    def for_region(
        self, region: KodeWilayah | str | None, *, on: date | None = None
    ) -> CatalogView:
        """Return the view of ``region`` on day ``on``.

        Args:
            region: a kab/kota, or any code inside one (a kecamatan, a kelurahan/desa:
                its kab/kota's view), a province, or ``None`` for the national view; a
                :class:`~spm_core.domain.KodeWilayah` or its text.
            on: the day; each (kind, code) uses the version in force that day. ``None``
                takes the latest version of each.

        Views are cached per region and validity period, so asking again is cheap.

        Example:
            >>> from spm_core.plugins import make_plugin_manager
            >>> catalog = Catalog.build(make_plugin_manager())
            >>> view = catalog.for_region("32.16", on=date(2025, 6, 30))
            >>> view.origin("indicator", "kesehatan.balita").status
            'national'
        """
        code = _region(region)
        chain = chain_of(code)
        return CatalogView(chain[0], on, self._data(chain, on))

    def for_period(self, region: KodeWilayah | str | None, period: Period) -> CatalogView:
        """Return the view a report for ``period`` uses: the versions in force on its last day."""
        return self.for_region(region, on=period.end)

    def _table(self) -> Table:
        return self._data((None,), None).table

    def versions(self, kind: str, code: str) -> tuple[Definition, ...]:
        """Return every version of (``kind``, ``code``) in every scope, without overlays.

        Sorted by scope (national first), then by start of validity.
        """
        by_scope = self._versions.get((kind, code), {})
        out: list[Definition] = []
        for scope in sorted(by_scope, key=lambda s: "" if s is None else str(s)):
            out.extend(by_scope[scope])
        return tuple(out)

    def definitions(self) -> Iterator[Definition]:
        """Yield every version of every definition in every scope, without overlays."""
        for kind in KINDS:
            for key in sorted(k for k in self._versions if k[0] == kind):
                yield from self.versions(*key)

    # -- validation --------------------------------------------------------------------

    def _validate(
        self,
        infos: Mapping[str, PluginInfo],
        configured: tuple[tuple[KodeWilayah, bool], ...],
    ) -> None:
        days: list[date | None] = [None, *self._boundaries]
        if self._boundaries:
            days.append(self._boundaries[0] - timedelta(days=1))
        provinces = {i.region for i in infos.values() if i.level is PluginLevel.PROVINCE}
        scopes: list[tuple[KodeWilayah | None, bool | None]] = [(None, None)]
        scopes += [(p, None) for p in sorted(r for r in provinces if r is not None)]
        scopes += [(r, own) for r, own in configured]
        checked: set[tuple[KodeWilayah, bool, int]] = set()
        for region, own in scopes:
            for day in days:
                data = self._data(chain_of(region), day)
                _check_references(data.table)
                check_indicators(data.table)
                if own is None or region is None:
                    continue
                signature = hash(
                    tuple(
                        (kind, tuple(data.table[kind].items()))
                        for kind in ("need_type", "routing_rule", "agency", "agency_role")
                    )
                )
                if (region, own, signature) in checked:
                    continue
                checked.add((region, own, signature))
                check_routable(
                    data.routing_table,
                    data.table["need_type"],
                    region,
                    allow_generic=not own,
                )

    # -- export ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return every version, override and adjustment as JSON-ready data.

        Each definition carries its provenance (with its scope), validity and legal basis.
        """
        return {
            "plugins": [
                {
                    "name": p.name,
                    "title": p.title.to_dict(),
                    "level": p.level.name.lower(),
                    "region": None if p.region is None else str(p.region),
                }
                for p in self.plugins
            ],
            "regions": [str(r) for r in self.regions],
            "definitions": [definition_to_dict(d) for d in self.definitions()],
            "overrides": [o.to_dict() for o in self.overrides],
            "adjustments": [a.to_dict() for a in self.adjustments],
        }


def _check_references(table: Table) -> None:
    for kind in KINDS:
        for code, item in table.get(kind, {}).items():
            for target_kind, target in item.references():
                if target not in table.get(target_kind, {}):
                    raise UnresolvedReference(
                        kind=kind_label(kind),
                        owner=code,
                        plugin=item.provenance.plugin if item.provenance else "?",
                        target_kind=kind_label(target_kind),
                        value=target,
                        suggestions=close_codes(target, table.get(target_kind, {})),
                    )

"""The catalog: every definition from every plugin, resolved, validated and frozen.

``Catalog.build(pm)`` calls each contribution hook once per plugin, stamps each
definition with its provenance, applies precedence by declared level (never load
order), lets plugins adjust the result through the late hook, validates it (unique
codes, every reference resolves, every need type routable in every configured region)
and freezes it. Lookups are by kind and code.
"""

from __future__ import annotations

import types
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import attrs
import pluggy

from spm_core.definitions import (
    DEFINITION_KINDS,
    Adjustment,
    Agency,
    AgencyRole,
    Definition,
    FieldDefinition,
    Indicator,
    NeedType,
    PluginInfo,
    Provenance,
    RecordType,
    RoutingRule,
    ServiceType,
    Validator,
    definition_to_dict,
)
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import (
    DuplicateDefinition,
    InvalidDefinition,
    UnknownCode,
    UnresolvedReference,
    Unroutable,
)
from spm_core.plugins import SpmPluginManager, call_each, plugin_infos

__all__ = ["KINDS", "Catalog", "Override"]

D = TypeVar("D", bound=Definition)

KINDS: tuple[str, ...] = tuple(cls.kind for cls in DEFINITION_KINDS)
"""Every kind of definition, in dependency order (referenced kinds first)."""

_CLASS_OF_KIND: Mapping[str, type[Definition]] = {cls.kind: cls for cls in DEFINITION_KINDS}


@attrs.frozen
class Override:
    """A definition replaced by one with the same code from a higher-level plugin."""

    kind: str
    code: str
    winner: Provenance
    replaced: Provenance

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "code": self.code,
            "winner": self.winner.to_dict(),
            "replaced": self.replaced.to_dict(),
        }


def _kind_label(kind: str) -> str:
    return _CLASS_OF_KIND[kind].kind_label.en if kind in _CLASS_OF_KIND else kind


def _collect(
    pm: pluggy.PluginManager, infos: Mapping[str, PluginInfo], versions: Mapping[str, str]
) -> dict[str, list[Definition]]:
    """Call ``spm_definitions`` once per plugin; sort what comes back by kind."""
    collected: dict[str, list[Definition]] = defaultdict(list)
    hook = "spm_definitions"
    for reg_name, result in call_each(pm, hook):
        info = infos[reg_name]
        provenance = Provenance(info.name, info.level, versions.get(reg_name))
        if result is None:
            continue
        if isinstance(result, str | bytes | Mapping) or not hasattr(result, "__iter__"):
            raise InvalidDefinition(
                kind="definition",
                value=hook,
                plugin=info.name,
                reason_id="hook harus mengembalikan daftar definisi",
                reason_en="the hook must return an iterable of definitions",
            )
        for item in result:
            if not isinstance(item, Definition) or item.kind not in _CLASS_OF_KIND:
                raise InvalidDefinition(
                    kind="definition",
                    value=repr(item)[:80],
                    plugin=info.name,
                    reason_id=f"{hook} harus mengembalikan definisi dari jenis yang dikenal "
                    f"({', '.join(KINDS)})",
                    reason_en=f"{hook} must return definitions of a known kind "
                    f"({', '.join(KINDS)})",
                )
            _check_region(item, info)
            collected[item.kind].append(attrs.evolve(item, provenance=provenance))
    return collected


def _check_region(item: Definition, info: PluginInfo) -> None:
    """A province or kab/kota plugin's agencies and routes must lie in its region."""
    if info.region is None or not isinstance(item, Agency | RoutingRule):
        return
    if item.area is None or not info.region.contains(item.area):
        raise InvalidDefinition(
            kind=item.kind_label.en,
            value=item.code,
            plugin=info.name,
            reason_id=f"wilayahnya harus berada di dalam wilayah plugin {info.region}",
            reason_en=f"its area must lie inside the plugin's region {info.region}",
        )


def _resolve(
    collected: Mapping[str, list[Definition]],
) -> tuple[dict[str, dict[str, Definition]], list[Override]]:
    resolved: dict[str, dict[str, Definition]] = {kind: {} for kind in KINDS}
    overrides: list[Override] = []
    for kind, items in collected.items():
        by_code: dict[str, list[Definition]] = defaultdict(list)
        for item in items:
            by_code[item.code].append(item)
        for code, group in by_code.items():
            group.sort(key=lambda d: (_prov(d).level, _prov(d).plugin))
            top = _prov(group[-1]).level
            at_top = [d for d in group if _prov(d).level == top]
            if len(at_top) > 1:
                raise DuplicateDefinition(
                    kind=_kind_label(kind),
                    value=code,
                    level=top.name.lower(),
                    first=_prov(at_top[0]).plugin,
                    second=_prov(at_top[1]).plugin,
                )
            winner = group[-1]
            resolved[kind][code] = winner
            overrides.extend(
                Override(kind, code, _prov(winner), _prov(lost)) for lost in group[:-1]
            )
    return resolved, overrides


def _prov(definition: Definition) -> Provenance:
    assert definition.provenance is not None  # stamped by _collect
    return definition.provenance


@attrs.define
class _Adjuster:
    """The :class:`~spm_core.definitions.CatalogAdjuster` handed to each plugin in turn."""

    definitions: dict[str, dict[str, Definition]]
    provenance: Provenance
    info: PluginInfo
    adjustments: list[Adjustment] = attrs.field(factory=list)

    @property
    def plugin(self) -> str:
        """The plugin whose changes are being recorded."""
        return self.provenance.plugin

    def get(self, kind: str, code: str) -> Definition:
        """Return the current definition of ``kind`` with ``code``."""
        try:
            return self.definitions[kind][code]
        except KeyError:
            raise UnresolvedReference(
                kind="spm_adjust_catalog",
                owner=self.plugin,
                plugin=self.plugin,
                target_kind=_kind_label(kind),
                value=code,
            ) from None

    def _record(self, action: str, kind: str, code: str, detail: str) -> None:
        self.adjustments.append(Adjustment(self.plugin, action, kind, code, detail))

    def _put(self, definition: Definition) -> None:
        self.definitions[definition.kind][definition.code] = definition

    def _check_new(self, definition: Definition) -> None:
        """Reject what a contribution hook would reject: an unknown kind, a foreign area."""
        if definition.kind not in self.definitions:
            raise InvalidDefinition(
                kind=definition.kind_label.en,
                value=definition.code,
                plugin=self.plugin,
                reason_id="jenis definisi tidak dikenal katalog",
                reason_en="the catalog knows no definitions of this kind",
            )
        _check_region(definition, self.info)

    def rename_agency(self, code: str, name: Text, *, short_name: str | None = None) -> None:
        """Give agency ``code`` a new name."""
        agency = self.get("agency", code)
        assert isinstance(agency, Agency)
        self._put(attrs.evolve(agency, title=name, short_name=short_name or agency.short_name))
        self._record("rename", "agency", code, f"{agency.title.id} → {name.id}")

    def retarget_route(self, rule_code: str, role: str) -> None:
        """Send needs matched by ``rule_code`` to agency role ``role``."""
        rule = self.get("routing_rule", rule_code)
        self.get("agency_role", role)
        assert isinstance(rule, RoutingRule)
        self._put(attrs.evolve(rule, role=role))
        self._record("retarget", "routing_rule", rule_code, f"{rule.role} → {role}")

    def set_sla(self, need_type: str, days: int) -> None:
        """Set the default deadline of ``need_type`` to ``days`` days."""
        need = self.get("need_type", need_type)
        assert isinstance(need, NeedType)
        self._put(attrs.evolve(need, sla_days=days))
        self._record("set_sla", "need_type", need_type, f"{need.sla_days} → {days}")

    def disable(self, kind: str, code: str, *, reason: Text) -> None:
        """Remove definition ``code`` of ``kind`` from this deployment."""
        self.get(kind, code)
        del self.definitions[kind][code]
        self._record("disable", kind, code, f"{reason.id} / {reason.en}")

    def add(self, definition: Definition) -> None:
        """Add a new local definition; its code must not exist yet."""
        self._check_new(definition)
        if definition.code in self.definitions.get(definition.kind, {}):
            existing = _prov(self.definitions[definition.kind][definition.code])
            raise DuplicateDefinition(
                kind=definition.kind_label.en,
                value=definition.code,
                level=self.provenance.level.name.lower(),
                first=existing.plugin,
                second=self.plugin,
            )
        self._put(attrs.evolve(definition, provenance=self.provenance))
        self._record("add", definition.kind, definition.code, definition.title.en)

    def replace(self, definition: Definition) -> None:
        """Replace the definition with the same kind and code."""
        self._check_new(definition)
        self.get(definition.kind, definition.code)
        self._put(attrs.evolve(definition, provenance=self.provenance))
        self._record("replace", definition.kind, definition.code, definition.title.en)


def _validate(definitions: Mapping[str, Mapping[str, Definition]]) -> None:
    for kind, items in definitions.items():
        for code, item in items.items():
            for target_kind, target in item.references():
                if target not in definitions.get(target_kind, {}):
                    raise UnresolvedReference(
                        kind=_kind_label(kind),
                        owner=code,
                        plugin=_prov(item).plugin,
                        target_kind=_kind_label(target_kind),
                        value=target,
                    )
    _validate_routing(definitions)


def _configured_regions(definitions: Mapping[str, Mapping[str, Definition]]) -> set[KodeWilayah]:
    regions: set[KodeWilayah] = set()
    for agency in definitions["agency"].values():
        assert isinstance(agency, Agency)
        area = agency.area
        while area.level > WilayahLevel.KABUPATEN_KOTA and area.parent is not None:
            area = area.parent
        if area.level == WilayahLevel.KABUPATEN_KOTA:
            regions.add(area)
    return regions


def _rank(rule: RoutingRule) -> tuple[int, int]:
    """Order rules as routing does: the more specific area first, then the higher priority."""
    return (0 if rule.area is None else int(rule.area.level), rule.priority)


def _has_agency(role: str, area: KodeWilayah, agencies: list[Agency]) -> bool:
    return any(
        role in a.roles and (area.contains(a.area) or a.area.contains(area)) for a in agencies
    )


def _reachable_rules(need: str, region: KodeWilayah, rules: list[RoutingRule]) -> list[RoutingRule]:
    """Return the rules routing could choose for ``need`` somewhere in ``region``.

    A rule covering the whole region is reachable unless an unconditional rule outranks
    it; a rule for a smaller area inside the region is reachable there.

    Raises:
        Unroutable: no rule applies, or every rule that applies has a condition (``when``),
            so some needs would find no route.
    """
    own = [r for r in rules if r.need_type == need]
    covering = [r for r in own if r.area is None or r.area.contains(region)]
    if not covering:
        raise Unroutable(
            value=need,
            region=str(region),
            reason_id="tidak ada aturan rujukan yang berlaku",
            reason_en="no routing rule applies",
        )
    fallback = [r for r in covering if r.when is None]
    if not fallback:
        raise Unroutable(
            value=need,
            region=str(region),
            reason_id="setiap aturan yang berlaku bersyarat, jadi sebagian kebutuhan tidak "
            "mendapat rujukan",
            reason_en="every rule that applies has a condition, so some needs get no route",
        )
    best = max(_rank(r) for r in fallback)
    inside = [r for r in own if r.area is not None and r.area != region and region.contains(r.area)]
    return [r for r in covering if _rank(r) >= best] + inside


def _validate_routing(definitions: Mapping[str, Mapping[str, Definition]]) -> None:
    rules = [r for r in definitions["routing_rule"].values() if isinstance(r, RoutingRule)]
    agencies = [a for a in definitions["agency"].values() if isinstance(a, Agency)]
    for region in sorted(_configured_regions(definitions), key=str):
        for need in definitions["need_type"].values():
            for rule in _reachable_rules(need.code, region, rules):
                inside = rule.area is not None and region.contains(rule.area)
                area = rule.area if rule.area is not None and inside else region
                if not _has_agency(rule.role, area, agencies):
                    raise Unroutable(
                        value=need.code,
                        region=str(region),
                        reason_id=f"tidak ada perangkat daerah untuk peran {rule.role!r} "
                        f"(aturan {rule.code!r})",
                        reason_en=f"no agency fills role {rule.role!r} (rule {rule.code!r})",
                    )


@attrs.frozen(eq=False)
class Catalog:
    """Every definition of a deployment, validated and immutable.

    Build it with :meth:`build`; look definitions up with :meth:`get` or the typed
    accessors (:meth:`indicator`, :meth:`record_type`, …).

    Example:
        >>> from spm_core.plugins import make_plugin_manager
        >>> catalog = Catalog.build(make_plugin_manager())
        >>> catalog.field("kesehatan").provenance.plugin
        'kesehatan'
    """

    _definitions: Mapping[str, Mapping[str, Definition]]
    plugins: tuple[PluginInfo, ...]
    overrides: tuple[Override, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()

    @classmethod
    def build(cls, pm: pluggy.PluginManager) -> Catalog:
        """Collect, resolve, adjust, validate and freeze the definitions of ``pm``'s plugins.

        Raises:
            DuplicateDefinition: two plugins of one level define the same code.
            InvalidDefinition: a hook returns something that is not a definition, or a
                region plugin defines an agency or route outside its region.
            UnresolvedReference: a definition names a code no plugin defines.
            Unroutable: a need type has no rule or no agency in a configured region.
        """
        infos = plugin_infos(pm)
        versions = (
            {name: dist[1] for name, dist in pm.distributions.items()}
            if isinstance(pm, SpmPluginManager)
            else {}
        )
        resolved, overrides = _resolve(_collect(pm, infos, versions))
        ordered = sorted(infos.items(), key=lambda kv: (kv[1].level, kv[1].name))
        adjustments = _run_adjustments(pm, ordered, resolved, versions)
        _validate(resolved)
        frozen = types.MappingProxyType(
            {
                kind: types.MappingProxyType(dict(sorted(items.items())))
                for kind, items in resolved.items()
            }
        )
        return cls(
            frozen,
            tuple(info for _, info in ordered),
            tuple(overrides),
            tuple(adjustments),
        )

    # -- generic lookups ---------------------------------------------------------------

    def get(self, kind: str, code: str) -> Definition:
        """Return the definition of ``kind`` (``"indicator"``, …) with ``code``.

        Raises:
            UnknownCode: no such definition.
        """
        try:
            return self._definitions[kind][code]
        except KeyError:
            raise UnknownCode(kind=_kind_label(kind), value=code) from None

    def all(self, kind: str) -> tuple[Definition, ...]:
        """Return every definition of ``kind``, sorted by code."""
        return tuple(self._definitions.get(kind, {}).values())

    def __iter__(self) -> Iterator[Definition]:
        for kind in KINDS:
            yield from self._definitions[kind].values()

    def __len__(self) -> int:
        return sum(len(items) for items in self._definitions.values())

    def _typed(self, cls: type[D], code: str) -> D:
        found = self.get(cls.kind, code)
        assert isinstance(found, cls)
        return found

    def _all_typed(self, cls: type[D]) -> tuple[D, ...]:
        return tuple(d for d in self.all(cls.kind) if isinstance(d, cls))

    # -- typed lookups -----------------------------------------------------------------

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

    # -- export ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return every definition, override and adjustment as JSON-ready data.

        Each definition carries its provenance and legal basis.
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
            "definitions": [definition_to_dict(d) for d in self],
            "overrides": [o.to_dict() for o in self.overrides],
            "adjustments": [a.to_dict() for a in self.adjustments],
        }


def _run_adjustments(
    pm: pluggy.PluginManager,
    ordered: list[tuple[str, PluginInfo]],
    definitions: dict[str, dict[str, Definition]],
    versions: Mapping[str, str],
) -> list[Adjustment]:
    """Run ``spm_adjust_catalog`` plugin by plugin, national first, kab/kota last."""
    impls = {impl.plugin_name: impl for impl in pm.hook.spm_adjust_catalog.get_hookimpls()}
    adjustments: list[Adjustment] = []
    for reg_name, info in ordered:
        impl = impls.get(reg_name)
        if impl is None:
            continue
        provenance = Provenance(info.name, info.level, versions.get(reg_name))
        adjuster = _Adjuster(definitions, provenance, info)
        impl.function(**{name: adjuster for name in impl.argnames})
        adjustments.extend(adjuster.adjustments)
    return adjustments

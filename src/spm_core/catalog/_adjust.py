"""Overlays: what ``spm_adjust_catalog`` changes, scoped to the calling plugin's region.

An adjustment never edits a definition. It records an :class:`Overlay` — a scope, the
(kind, code) it targets and a pure function from the resolved definition to the one the
scope sees — and the catalog applies overlays when it builds the view of a region. The
national definition is left as it was for every other region.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

import attrs
import pluggy

from spm_core.catalog._collect import (
    CLASS_OF_KIND,
    Key,
    Scope,
    Versions,
    chain_of,
    check_definition,
    close_codes,
    kind_label,
)
from spm_core.definitions import (
    Adjustment,
    Agency,
    AgencyRole,
    Definition,
    NeedType,
    PluginInfo,
    Provenance,
    RoutingRule,
    scope_label,
)
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import (
    ConflictingAdjustment,
    InvalidDefinition,
    OutOfRegion,
    UnresolvedReference,
)

__all__ = ["Overlay", "Resolved", "check_conflicts", "resolve_key", "run_adjustments"]

D = TypeVar("D", bound=Definition)


@attrs.frozen(eq=False)
class Overlay:
    """One adjustment: in ``scope``, (``kind``, ``code``) is seen through ``apply``.

    ``apply`` returns the adjusted definition, or ``None`` when the change disables it.
    """

    scope: Scope
    provenance: Provenance
    kind: str
    code: str
    action: str
    detail: str
    apply: Callable[[Definition], Definition | None]

    def adjustment(self) -> Adjustment:
        """Return the public record of this change."""
        return Adjustment(
            self.provenance.plugin,
            self.action,
            self.kind,
            self.code,
            self.detail,
            None if self.scope is None else str(self.scope),
        )


Overlays = Mapping[tuple[Key, Scope], tuple[Overlay, ...]]


@attrs.frozen
class Resolved:
    """One (kind, code) as a view sees it: the definition and where it came from."""

    definition: Definition | None
    """The definition after overlays, or ``None`` when an overlay disabled it."""
    base: Definition
    """The version the view started from, before overlays."""
    scope: Scope
    """The scope ``base`` belongs to."""
    shadowed: tuple[Definition, ...]
    """Versions of more general scopes, in force that day, that ``base`` replaced."""
    overlays: tuple[Overlay, ...]


def _pick(versions: tuple[Definition, ...], on: date | None) -> Definition | None:
    if on is None:
        return versions[-1]
    for version in versions:
        if version.validity.contains(on):
            return version
    return None


def resolve_key(
    key: Key,
    chain: tuple[Scope, ...],
    on: date | None,
    versions: Versions,
    overlays: Overlays,
) -> Resolved | None:
    """Resolve one (kind, code) for the scopes ``chain`` (most specific first) on ``on``.

    The most specific scope with a version in force on ``on`` (the latest version when
    ``on`` is ``None``) gives the base; the overlays of that scope and of every more
    specific scope in ``chain`` are applied, general first. Returns ``None`` when no
    scope of ``chain`` has a version in force.
    """
    by_scope = versions.get(key)
    if not by_scope:
        return None
    for depth, scope in enumerate(chain):
        found = by_scope.get(scope)
        base = None if not found else _pick(found, on)
        if base is None:
            continue
        shadowed: list[Definition] = []
        for general in chain[depth + 1 :]:
            more_general = by_scope.get(general)
            version = None if not more_general else _pick(more_general, on)
            if version is not None:
                shadowed.append(version)
        applied: list[Overlay] = []
        current: Definition | None = base
        for local in reversed(chain[: depth + 1]):
            for overlay in overlays.get((key, local), ()):
                if current is None:
                    break
                current = overlay.apply(current)
                applied.append(overlay)
        return Resolved(current, base, scope, tuple(shadowed), tuple(applied))
    return None


# ----------------------------------------------------------------------- adjuster


def _evolve_as(cls: type[Definition], definition: Definition, **changes: Any) -> Definition:
    """Return ``definition`` (a ``cls``) with ``changes``: the body of an overlay."""
    assert isinstance(definition, cls)
    return attrs.evolve(definition, **changes)


@attrs.define
class _Adjuster:
    """The :class:`~spm_core.definitions.CatalogAdjuster` handed to one plugin."""

    versions: Versions
    overlays: dict[tuple[Key, Scope], list[Overlay]]
    provenance: Provenance
    info: PluginInfo
    made: list[Overlay] = attrs.field(factory=list)

    @property
    def plugin(self) -> str:
        """The plugin whose changes are being recorded."""
        return self.provenance.plugin

    @property
    def region(self) -> KodeWilayah | None:
        """The region the changes apply to (``None`` for a national plugin)."""
        return self.info.region

    # -- lookups -------------------------------------------------------------------

    def _unknown(self, kind: str, code: str) -> UnresolvedReference:
        codes = [c for (k, c) in self.versions if k == kind]
        return UnresolvedReference(
            kind="spm_adjust_catalog",
            owner=self.plugin,
            plugin=self.plugin,
            target_kind=kind_label(kind),
            value=code,
            suggestions=close_codes(code, codes),
        )

    def _current(self, kind: str, code: str) -> Definition:
        key = (kind, code)
        chain = chain_of(self.region)
        frozen = {k: tuple(v) for k, v in self.overlays.items()}
        resolved = resolve_key(key, chain, None, self.versions, frozen)
        if resolved is None:
            others = sorted(str(s) for s in self.versions.get(key, {}) if s is not None)
            if others:
                listed = ", ".join(others)
                raise self._outside(
                    kind,
                    code,
                    Text(
                        f"definisi itu berlaku di wilayah lain ({listed})",
                        f"that definition applies in another region ({listed})",
                    ),
                )
            raise self._unknown(kind, code)
        if resolved.definition is None:
            raise self._unknown(kind, code)
        found = resolved.definition
        area = found.area if isinstance(found, Agency | RoutingRule) else None
        outside = (
            self.region is not None
            and area is not None
            and not (self.region.contains(area) or area.contains(self.region))
        )
        if outside:
            raise self._outside(
                kind,
                code,
                Text(
                    f"wilayahnya ({area}) berada di luar wilayah plugin",
                    f"its area ({area}) lies outside the plugin's region",
                ),
            )
        return found

    def _outside(self, kind: str, code: str, reason: Text) -> OutOfRegion:
        return OutOfRegion(
            plugin=self.plugin,
            region=str(self.region),
            kind=kind_label(kind),
            value=code,
            reason_id=reason.id,
            reason_en=reason.en,
        )

    def get(self, cls: type[D], code: str) -> D:
        """Return definition ``code`` of class ``cls`` as this plugin's region sees it."""
        found = self._current(cls.kind, code)
        if not isinstance(found, cls):  # pragma: no cover - kinds map to one class each
            raise self._unknown(cls.kind, code)
        return found

    def _overlay(
        self,
        kind: str,
        code: str,
        action: str,
        detail: str,
        apply: Callable[[Definition], Definition | None],
    ) -> None:
        overlay = Overlay(self.region, self.provenance, kind, code, action, detail, apply)
        self.overlays[((kind, code), self.region)].append(overlay)
        self.made.append(overlay)

    def _role(self, role: str) -> None:
        if not any(k == ("agency_role", role) for k in self.versions):
            raise self._unknown(AgencyRole.kind, role)

    # -- changes -------------------------------------------------------------------

    def replace(self, definition: Definition) -> None:
        """Use ``definition`` instead of the one with the same kind and code, in this region.

        The replacement stands in for every dated version.
        """
        if definition.kind not in CLASS_OF_KIND:
            raise InvalidDefinition(
                kind=definition.kind_label,
                value=definition.code,
                plugin=self.plugin,
                reason_id="jenis definisi tidak dikenal katalog",
                reason_en="the catalog knows no definitions of this kind",
            )
        self._current(definition.kind, definition.code)
        check_definition(definition, self.info)
        stamped = attrs.evolve(definition, provenance=self.provenance)
        self._overlay(
            definition.kind, definition.code, "replace", definition.title.en, lambda _: stamped
        )

    def disable(self, cls: type[Definition], code: str, *, reason: Text) -> None:
        """Remove definition ``code`` of class ``cls`` from this region, with a reason."""
        self._current(cls.kind, code)
        self._overlay(cls.kind, code, "disable", f"{reason.id} / {reason.en}", lambda _: None)

    def set_sla(self, need_type: str, days: int) -> None:
        """Set the deadline, in days, for need type ``need_type`` in this region."""
        need = self.get(NeedType, need_type)
        attrs.evolve(need, sla_days=days)  # validate now, at the plugin's call
        self._overlay(
            NeedType.kind,
            need_type,
            "set_sla",
            f"{need.sla_days} → {days}",
            functools.partial(_evolve_as, NeedType, sla_days=days),
        )

    def retarget_route(self, rule_code: str, role: str, *more_roles: str) -> None:
        """Send needs matched by ``rule_code`` to ``role`` (and ``more_roles``), here."""
        rule = self.get(RoutingRule, rule_code)
        roles = (role, *more_roles)
        for each in roles:
            self._role(each)
        attrs.evolve(rule, roles=roles)  # validate now (no repeated role)
        self._overlay(
            RoutingRule.kind,
            rule_code,
            "retarget",
            f"{', '.join(rule.roles)} → {', '.join(roles)}",
            functools.partial(_evolve_as, RoutingRule, roles=roles),
        )

    def rename_agency(self, code: str, name: Text, *, short_name: str | None = None) -> None:
        """Give agency ``code`` a new name in this region."""
        agency = self.get(Agency, code)

        def rename(d: Definition) -> Definition:
            assert isinstance(d, Agency)
            return attrs.evolve(d, title=name, short_name=short_name or d.short_name)

        self._overlay(Agency.kind, code, "rename", f"{agency.title.id} → {name.id}", rename)


def run_adjustments(
    pm: pluggy.PluginManager,
    ordered: Iterable[tuple[str, PluginInfo]],
    provenances: Mapping[str, Provenance],
    versions: Versions,
) -> tuple[dict[tuple[Key, Scope], tuple[Overlay, ...]], tuple[Overlay, ...]]:
    """Run ``spm_adjust_catalog`` plugin by plugin (national first, kab/kota last).

    Returns the overlays by (key, scope), each in the order they were made, and every
    overlay in that order.
    """
    impls = {impl.plugin_name: impl for impl in pm.hook.spm_adjust_catalog.get_hookimpls()}
    overlays: dict[tuple[Key, Scope], list[Overlay]] = defaultdict(list)
    made: list[Overlay] = []
    for reg_name, info in ordered:
        impl = impls.get(reg_name)
        if impl is None:
            continue
        adjuster = _Adjuster(versions, overlays, provenances[reg_name], info)
        impl.function(**{name: adjuster for name in impl.argnames})
        made.extend(adjuster.made)
    check_conflicts(overlays)
    return {key: tuple(items) for key, items in overlays.items()}, tuple(made)


def check_conflicts(overlays: Mapping[tuple[Key, Scope], Iterable[Overlay]]) -> None:
    """Reject two plugins of one scope adjusting the same definition, naming both.

    Raises:
        ConflictingAdjustment: the first such pair, plugins in name order.
    """
    for ((kind, code), scope), items in sorted(
        overlays.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
    ):
        first_of: dict[str, Overlay] = {}
        for overlay in items:
            first_of.setdefault(overlay.provenance.plugin, overlay)
        if len(first_of) > 1:
            first, second = sorted(first_of)[:2]
            label = scope_label(scope)
            raise ConflictingAdjustment(
                kind=kind_label(kind),
                value=code,
                scope_id=label.id,
                scope_en=label.en,
                first=first,
                first_action=first_of[first].action,
                second=second,
                second_action=first_of[second].action,
            )

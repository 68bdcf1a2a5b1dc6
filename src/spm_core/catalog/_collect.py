"""Collect definitions from ``spm_definitions`` and group them by (kind, code, scope).

Each plugin's definitions are stamped with its provenance, whose ``region`` is the scope
they apply to. Within one scope, the versions of one code must not overlap in time:
that is checked here, naming both plugins in an order that does not depend on how the
plugins were registered.
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

import attrs
import pluggy

from spm_core.definitions import (
    DEFINITION_KINDS,
    Agency,
    Definition,
    JointLeaveDay,
    PluginInfo,
    Provenance,
    RoutingRule,
    scope_label,
)
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import DuplicateDefinition, InvalidDefinition
from spm_core.plugins import call_each
from spm_core.routing import unsupported_condition

__all__ = [
    "KINDS",
    "Key",
    "Scope",
    "Versions",
    "chain_of",
    "check_definition",
    "close_codes",
    "collect",
    "group_versions",
    "kind_label",
]

KINDS: tuple[str, ...] = tuple(cls.kind for cls in DEFINITION_KINDS)
"""Every kind of definition, in dependency order (referenced kinds first)."""

CLASS_OF_KIND: Mapping[str, type[Definition]] = {cls.kind: cls for cls in DEFINITION_KINDS}

Scope = KodeWilayah | None
"""The region a definition applies to: ``None`` (national), a province or a kab/kota."""

Key = tuple[str, str]
"""(kind, code)."""

Versions = dict[Key, dict[Scope, tuple[Definition, ...]]]
"""(kind, code) → scope → its versions, ordered by the start of their validity."""


def kind_label(kind: str) -> Text | str:
    """Return the bilingual label of ``kind``, or ``kind`` itself.

    Errors show a bilingual label in the language of each of their messages.
    """
    return CLASS_OF_KIND[kind].kind_label if kind in CLASS_OF_KIND else kind


def close_codes(code: str, candidates: Iterable[str]) -> list[str]:
    """Return the codes of ``candidates`` closest to a mistyped ``code``, for a "did you mean".

    Codes share their field prefix (``kesehatan.``), so only the best match and any
    nearly as good are returned, at most three.

    Example:
        >>> close_codes("kesehatan.balta", ["kesehatan.balita", "kesehatan.usia-lanjut"])
        ['kesehatan.balita']
    """
    scored = sorted(
        ((difflib.SequenceMatcher(None, code, c).ratio(), c) for c in set(candidates)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if not scored:
        return []
    return [c for ratio, c in scored[:3] if ratio >= max(0.6, scored[0][0] - 0.05)]


def chain_of(region: KodeWilayah | None) -> tuple[Scope, ...]:
    """Return the scopes that apply in ``region``, most specific first.

    Example:
        >>> [str(s) for s in chain_of(KodeWilayah("32.75.01.1001"))]
        ['32.75', '32', 'None']
    """
    if region is None:
        return (None,)
    if region.level == WilayahLevel.PROVINSI:
        return (region, None)
    kabkota = region.at_level(WilayahLevel.KABUPATEN_KOTA)
    return (kabkota, kabkota.at_level(WilayahLevel.PROVINSI), None)


def check_definition(item: Definition, info: PluginInfo) -> None:
    """Reject what no plugin may contribute or substitute.

    A region (or province) plugin's agencies, routing rules and joint leave days must
    lie in its region,
    and a routing rule's ``when`` may use only nodes routing can evaluate.
    """
    if isinstance(item, RoutingRule) and item.when is not None:
        unsupported = unsupported_condition(item.when)
        if unsupported is not None:
            raise InvalidDefinition(
                kind=item.kind_label,
                value=item.code,
                plugin=info.name,
                reason_id=f"syarat 'when' memakai {unsupported}, yang tidak dapat dinilai "
                "saat merujuk (hanya usia, jenis kelamin, nilai catatan terakhir, dan/atau/"
                "bukan)",
                reason_en=f"its 'when' uses {unsupported}, which routing cannot evaluate "
                "(only age, sex, latest record values, and/or/not)",
            )
    if info.region is None or not isinstance(item, Agency | RoutingRule | JointLeaveDay):
        return
    if item.area is None or not info.region.contains(item.area):
        raise InvalidDefinition(
            kind=item.kind_label,
            value=item.code,
            plugin=info.name,
            reason_id=f"wilayahnya harus berada di dalam wilayah plugin {info.region}",
            reason_en=f"its area must lie inside the plugin's region {info.region}",
        )


def collect(
    pm: pluggy.PluginManager,
    infos: Mapping[str, PluginInfo],
    provenances: Mapping[str, Provenance],
) -> list[Definition]:
    """Call ``spm_definitions`` once per plugin; return every definition, stamped.

    Raises:
        InvalidDefinition: a plugin returns something that is not an iterable of
            definitions of a known kind, or a definition it may not contribute.
    """
    collected: list[Definition] = []
    hook = "spm_definitions"
    for reg_name, result in call_each(pm, hook):
        info = infos[reg_name]
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
            if not isinstance(item, Definition) or item.kind not in CLASS_OF_KIND:
                raise InvalidDefinition(
                    kind="definition",
                    value=repr(item)[:80],
                    plugin=info.name,
                    reason_id=f"{hook} harus mengembalikan definisi dari jenis yang dikenal "
                    f"({', '.join(KINDS)})",
                    reason_en=f"{hook} must return definitions of a known kind "
                    f"({', '.join(KINDS)})",
                )
            check_definition(item, info)
            collected.append(attrs.evolve(item, provenance=provenances[reg_name]))
    return collected


def _start(definition: Definition) -> date:
    return definition.validity.start or date.min


def _sort_key(definition: Definition) -> tuple[date, str, date]:
    prov = definition.provenance
    plugin = "" if prov is None else prov.plugin
    return (_start(definition), plugin, definition.validity.end or date.max)


def group_versions(definitions: Iterable[Definition]) -> Versions:
    """Group definitions by (kind, code, scope), versions ordered by start of validity.

    Raises:
        DuplicateDefinition: two versions in one scope overlap in time (two plugins of the
            same scope defining one code, or one plugin giving overlapping versions).
    """
    grouped: dict[Key, dict[Scope, list[Definition]]] = defaultdict(lambda: defaultdict(list))
    for item in definitions:
        grouped[(item.kind, item.code)][item.scope].append(item)
    out: Versions = {}
    for key, by_scope in grouped.items():
        out[key] = {}
        for scope, group in by_scope.items():
            group.sort(key=_sort_key)
            for earlier, later in itertools.pairwise(group):
                if earlier.validity.overlaps_validity(later.validity):
                    raise _duplicate(key, scope, earlier, later)
            out[key][scope] = tuple(group)
    return out


def _duplicate(key: Key, scope: Scope, a: Definition, b: Definition) -> DuplicateDefinition:
    first, second = sorted((a, b), key=lambda d: d.provenance.plugin if d.provenance else "")
    label: Text = scope_label(scope)
    return DuplicateDefinition(
        kind=kind_label(key[0]),
        value=key[1],
        scope_id=label.id,
        scope_en=label.en,
        first=first.provenance.plugin if first.provenance else "?",
        first_validity=str(first.validity),
        second=second.provenance.plugin if second.provenance else "?",
        second_validity=str(second.validity),
    )

"""The plugin contract of spm-core: every hook a plugin may implement.

Read top to bottom, this module is the whole contract. Hooks are grouped by the phase
in which the core calls them. Each hook is called once per plugin, separately, so the
core knows which plugin contributed what (its *provenance*); a hook's results are never
merged by registration order. Precedence between plugins is the level each declares in
:func:`spm_plugin_info`: national field plugins < province < kab/kota region plugins.

Hooks return definitions (frozen values from :mod:`spm_core.definitions`) and do no
I/O: no database, no network, no files outside the plugin's own package.

A plugin implements hooks with the ``hookimpl`` marker from
:mod:`spm_core.plugin_api`::

    from spm_core.plugin_api import hookimpl, PluginInfo, PluginLevel, Text

    @hookimpl
    def spm_plugin_info():
        return PluginInfo(name="kesehatan", title=Text("Kesehatan", "Health"))

and is found through the ``spm`` entry-point group of its distribution::

    [project.entry-points.spm]
    kesehatan = "spm_kesehatan"

A hook implementation whose name matches no specification here is an error at load.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from spm_core.definitions import (
    Agency,
    AgencyRole,
    CatalogAdjuster,
    FieldDefinition,
    Indicator,
    NeedType,
    PluginInfo,
    RecordType,
    RoutingRule,
    ServiceType,
    Validator,
)

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "spm"
"""The pluggy project name and the entry-point group plugins register in."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# -------------------------------------------------------------------------------------
# Phase 1 — identification. Called once per plugin when the catalog is built.
# -------------------------------------------------------------------------------------


@hookspec
def spm_plugin_info() -> PluginInfo:
    """Describe this plugin: its name, bilingual title, level and region.

    Called first, once per plugin. The level decides precedence: a definition from a
    ``REGION`` plugin replaces one with the same code from a ``NATIONAL`` plugin, and two
    plugins of the same level defining one code is an error naming both. A plugin that
    does not implement this hook is taken as ``NATIONAL`` and named by its registration
    name.

    Returns:
        A :class:`~spm_core.definitions.PluginInfo`.
    """


# -------------------------------------------------------------------------------------
# Phase 2 — contribution. Each hook is called once per plugin and returns a sequence of
# definitions; an empty sequence (or not implementing the hook) contributes nothing.
# Codes must be unique within their kind across plugins of one level.
# -------------------------------------------------------------------------------------


@hookspec
def spm_fields() -> Sequence[FieldDefinition]:
    """Declare which of the six SPM fields this plugin provides.

    A field plugin returns exactly one :class:`~spm_core.definitions.FieldDefinition`
    (its code is the field value, e.g. ``"kesehatan"``), with the article of PP 2/2018
    that establishes it as legal basis. Every other definition of a field refers to it.

    Returns:
        A sequence of field definitions (usually one).
    """


@hookspec
def spm_service_types() -> Sequence[ServiceType]:
    """Contribute service types (Jenis Pelayanan Dasar) with their recipients (PPD).

    Each carries the regulation article that lists it (PP 2/2018 Ps. 5–10) and the
    technical standard in force, with validity dates when the standard changed.

    Returns:
        A sequence of :class:`~spm_core.definitions.ServiceType`.
    """


@hookspec
def spm_record_types() -> Sequence[RecordType]:
    """Contribute record types: what a kader or agency records, with a value schema.

    The pydantic value schema validates each record's value at the boundary and its JSON
    Schema is published (``spm schema record:CODE``) for frontends.

    Returns:
        A sequence of :class:`~spm_core.definitions.RecordType`.
    """


@hookspec
def spm_indicators() -> Sequence[Indicator]:
    """Contribute indicators: denominator and numerator as expressions.

    Every record type an expression names must be defined by some plugin, and the
    indicator's service type must exist; the catalog checks both at load.

    Returns:
        A sequence of :class:`~spm_core.definitions.Indicator`.
    """


@hookspec
def spm_need_types() -> Sequence[NeedType]:
    """Contribute need types a kader can raise (a child out of school, RTLH, …).

    Returns:
        A sequence of :class:`~spm_core.definitions.NeedType`.
    """


@hookspec
def spm_agency_roles() -> Sequence[AgencyRole]:
    """Contribute agency roles — kinds of OPD that act on needs, independent of region.

    Returns:
        A sequence of :class:`~spm_core.definitions.AgencyRole`.
    """


@hookspec
def spm_agencies() -> Sequence[Agency]:
    """Contribute the concrete agencies of a region, each filling one or more roles.

    Usually implemented by region plugins only; an agency of a region plugin must lie in
    that plugin's region.

    Returns:
        A sequence of :class:`~spm_core.definitions.Agency`.
    """


@hookspec
def spm_routing_rules() -> Sequence[RoutingRule]:
    """Contribute routing rules: need type × area × context → agency role.

    National plugins give the default rule of each need type (no area); region plugins
    add rules for their area, which win because they are more specific.

    Returns:
        A sequence of :class:`~spm_core.definitions.RoutingRule`.
    """


@hookspec
def spm_validators() -> Sequence[Validator]:
    """Contribute data-quality checks run on a record's value before it is stored.

    Checks yield notices (warnings); they never reject a record.

    Returns:
        A sequence of :class:`~spm_core.definitions.Validator`.
    """


# -------------------------------------------------------------------------------------
# Phase 3 — adjustment. Called once per plugin after every definition is collected and
# precedence applied, in order of level (national first, kab/kota last), so the most
# local plugin has the last word.
# -------------------------------------------------------------------------------------


@hookspec
def spm_adjust_catalog(adjuster: CatalogAdjuster) -> None:
    """Adjust the assembled catalog for this deployment.

    Rename an agency, retarget a route, change a deadline, disable an indicator or add a
    local one through ``adjuster``. Every change is recorded with this plugin's name and
    shown by ``spm catalog``. The catalog is validated again afterwards.

    Args:
        adjuster: a :class:`~spm_core.definitions.CatalogAdjuster` bound to this plugin.
    """

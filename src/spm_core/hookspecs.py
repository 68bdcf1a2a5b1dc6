"""The plugin contract of spm-core: every hook a plugin may implement.

Read top to bottom, this module is the whole contract. Hooks are grouped by the phase
in which the core calls them. Each hook is called once per plugin, separately, so the
core knows which plugin contributed what (its *provenance*); a hook's results are never
merged by registration order. Each plugin's definitions and adjustments apply in its
*scope* — national, or the province or kab/kota it declares in :func:`spm_plugin_info` —
and a place sees the most specific scope that defines a code: kab/kota, then province,
then national.

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

from collections.abc import Iterable

import pluggy

from spm_core.definitions import CatalogAdjuster, Definition, PluginInfo

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

    Called first, once per plugin. The level and region give the plugin's scope: a
    ``REGION`` plugin's definition of a code replaces the ``NATIONAL`` one in its
    kab/kota only, so two kab/kota may each replace the same code; two plugins of the
    same scope defining one code (in overlapping validity) is an error naming both. A
    plugin that does not implement this hook is taken as ``NATIONAL`` and named by its
    registration name.

    Returns:
        A :class:`~spm_core.definitions.PluginInfo`.
    """


# -------------------------------------------------------------------------------------
# Phase 2 — contribution. Called once per plugin; returns definitions of any kind.
# -------------------------------------------------------------------------------------


@hookspec
def spm_definitions() -> Iterable[Definition]:
    """Contribute definitions of any kind: fields, service types, indicators, agencies, ….

    Called once per plugin, after :func:`spm_plugin_info`. Return any iterable (a tuple,
    a list, a generator, ``itertools.chain`` of the sibling modules' tuples) of objects
    whose class is listed in :data:`~spm_core.definitions.DEFINITION_KINDS`; the catalog
    sorts them by their ``kind`` and stamps each with this plugin's provenance. A new
    kind of definition is a new class in that list, never a new hook.

    A definition applies to the plugin's scope: national for a national plugin, the
    province or kab/kota of a province or region plugin (see :class:`PluginInfo`).
    Several versions of one code may be returned when their validity dates do not
    overlap; a region plugin's agencies and routing rules must lie in its region.

    Example::

        @hookimpl
        def spm_definitions():
            return (FIELD, *SERVICE_TYPES, *INDICATORS, *NEED_TYPES, *ROUTING_RULES)

    Returns:
        An iterable of :class:`~spm_core.definitions.Definition` objects (empty, or not
        implementing the hook, contributes nothing).
    """


# -------------------------------------------------------------------------------------
# Phase 3 — adjustment. Called once per plugin after every definition is collected, in
# order of level (national first, kab/kota last). Changes are overlays in the plugin's
# own region; the most local overlay applies last.
# -------------------------------------------------------------------------------------


@hookspec
def spm_adjust_catalog(adjuster: CatalogAdjuster) -> None:
    """Adjust the catalog for this plugin's region.

    Through ``adjuster``: read a definition as the region sees it
    (``adjuster.get(Indicator, code)``), replace or disable it, set a need type's
    deadline, retarget a routing rule to other roles, rename an agency. Each change is
    an overlay that applies in this plugin's scope only — its kab/kota or province,
    everywhere for a national plugin — and leaves the definition as it was for every
    other region. Every change is recorded with this plugin's name and scope and shown
    by ``spm catalog --region``. A mistyped code fails with a "did you mean"; a
    definition of another region, or two plugins of one scope changing the same
    definition, fail at load naming the plugins. The views of every configured region
    are validated afterwards. To add a definition, return it from
    :func:`spm_definitions`.

    Args:
        adjuster: a :class:`~spm_core.definitions.CatalogAdjuster` bound to this plugin.
    """

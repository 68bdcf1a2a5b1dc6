"""SPM pekerjaan umum: the national public-works field plugin (PP 2/2018 Ps. 7).

Registered through the ``spm`` entry-point group like any other plugin; this module
holds only its two hooks; the declarations live in the sibling modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from spm_core.plugin_api import Definition, PluginInfo, PluginLevel, Text, hookimpl
from spm_pupr import indicators, needs, records, services


@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Describe the plugin: national, named after its entry point."""
    return PluginInfo(
        name="pupr",
        title=Text("SPM Bidang Pekerjaan Umum", "SPM public-works field"),
        level=PluginLevel.NATIONAL,
    )


@hookimpl
def spm_definitions() -> Iterable[Definition]:
    """Contribute every definition of the field, of every kind."""
    return chain(
        (services.FIELD,),
        services.SERVICE_TYPES,
        records.RECORD_TYPES,
        indicators.INDICATORS,
        needs.NEED_TYPES,
        needs.AGENCY_ROLES,
        needs.ROUTING_RULES,
    )

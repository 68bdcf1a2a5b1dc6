"""SPM perumahan rakyat dan kawasan permukiman: the national housing plugin (PP 2/2018 Ps. 8).

Registered through the ``spm`` entry-point group like any other plugin; this module
holds only the hook implementations, each returning declarations from its sibling
modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from spm_core.plugin_api import (
    AgencyRole,
    FieldDefinition,
    Indicator,
    NeedType,
    PluginInfo,
    PluginLevel,
    RecordType,
    RoutingRule,
    ServiceType,
    Text,
    hookimpl,
)
from spm_perkim import indicators, needs, records, services


@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Describe the plugin: national, named after its entry point."""
    return PluginInfo(
        name="perkim",
        title=Text("SPM Bidang Perumahan Rakyat dan Kawasan Permukiman", "SPM housing field"),
        level=PluginLevel.NATIONAL,
    )


@hookimpl
def spm_fields() -> Sequence[FieldDefinition]:
    """Declare the housing field."""
    return (services.FIELD,)


@hookimpl
def spm_service_types() -> Sequence[ServiceType]:
    """Contribute the four housing service types."""
    return services.SERVICE_TYPES


@hookimpl
def spm_record_types() -> Sequence[RecordType]:
    """Contribute the housing record types."""
    return records.RECORD_TYPES


@hookimpl
def spm_indicators() -> Sequence[Indicator]:
    """Contribute the housing indicators."""
    return indicators.INDICATORS


@hookimpl
def spm_need_types() -> Sequence[NeedType]:
    """Contribute the housing need types (RTLH outside SPM, disaster housing within)."""
    return needs.NEED_TYPES


@hookimpl
def spm_agency_roles() -> Sequence[AgencyRole]:
    """Contribute the housing agency roles."""
    return needs.AGENCY_ROLES


@hookimpl
def spm_routing_rules() -> Sequence[RoutingRule]:
    """Contribute the national default routes of housing needs."""
    return needs.ROUTING_RULES

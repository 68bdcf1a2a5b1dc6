"""SPM trantibumlinmas: the national public-order and protection plugin (PP 2/2018 Ps. 9).

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
    Validator,
    hookimpl,
)
from spm_trantibum import indicators, needs, records, services


@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Describe the plugin: national, named after its entry point."""
    return PluginInfo(
        name="trantibum",
        title=Text(
            "SPM Bidang Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
            "SPM public-order and protection field",
        ),
        level=PluginLevel.NATIONAL,
    )


@hookimpl
def spm_fields() -> Sequence[FieldDefinition]:
    """Declare the public-order and protection field."""
    return (services.FIELD,)


@hookimpl
def spm_service_types() -> Sequence[ServiceType]:
    """Contribute the six public-order and protection service types."""
    return services.SERVICE_TYPES


@hookimpl
def spm_record_types() -> Sequence[RecordType]:
    """Contribute the hazard, disaster-service and fire record types."""
    return records.RECORD_TYPES


@hookimpl
def spm_validators() -> Sequence[Validator]:
    """Contribute the checks on fire records."""
    return records.VALIDATORS


@hookimpl
def spm_indicators() -> Sequence[Indicator]:
    """Contribute the disaster-service indicators."""
    return indicators.INDICATORS


@hookimpl
def spm_need_types() -> Sequence[NeedType]:
    """Contribute the public-order and protection need types."""
    return needs.NEED_TYPES


@hookimpl
def spm_agency_roles() -> Sequence[AgencyRole]:
    """Contribute the Satpol PP, BPBD and fire-service roles."""
    return needs.AGENCY_ROLES


@hookimpl
def spm_routing_rules() -> Sequence[RoutingRule]:
    """Contribute the national default routes of public-order and protection needs."""
    return needs.ROUTING_RULES

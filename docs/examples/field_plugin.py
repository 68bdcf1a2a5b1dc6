"""A field plugin in miniature: every kind of definition, small enough to read at once.

The six field plugins shipped with spm-core have the same shape, only larger. This one
declares the *sosial* field with one service type (rehabilitasi sosial dasar penyandang
disabilitas telantar, PP 2/2018 Ps. 10), two record types, a validator, an indicator, a
need type, an agency role and a routing rule. Its codes start with ``mini.`` so it can
be built beside nothing else::

    from spm_core.catalog import Catalog
    from spm_core.plugins import make_plugin_manager

    catalog = Catalog.build(make_plugin_manager(entry_points=False, extra=[field_plugin]))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import chain
from typing import Any, Literal

from spm_core.plugin_api import (
    AgencyRole,
    Compare,
    Definition,
    Field,
    FieldDefinition,
    HasRecord,
    Indicator,
    JointLeaveDay,
    LegalBasis,
    NeedType,
    Notice,
    Op,
    PluginInfo,
    RecordType,
    RecordValue,
    RoutingRule,
    ServiceType,
    SpmField,
    Subject,
    Text,
    Validator,
    Window,
    hookimpl,
)

PP_2_2018 = LegalBasis("PP 2/2018", "Ps. 10", source="pasal.id/peraturan/pp/pp-no-2-tahun-2018")
PERMENSOS_9_2018 = LegalBasis("Permensos 9/2018")


# --8<-- [start:spm_plugin_info]
@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Describe the plugin: a national plugin needs only a name and a bilingual title."""
    return PluginInfo(name="mini-sosial", title=Text("Contoh bidang sosial", "Example social"))


# --8<-- [end:spm_plugin_info]


# --8<-- [start:field]
FIELD = FieldDefinition(
    code="sosial",
    field=SpmField.SOSIAL,
    title=Text("Sosial", "Social affairs"),
    legal_basis=(PP_2_2018,),
)
"""The field this plugin provides; its code is the field's value."""


# --8<-- [end:field]


# --8<-- [start:service_types]
SERVICE_TYPES: tuple[ServiceType, ...] = (
    ServiceType(
        code="mini.rehabilitasi-disabilitas",
        field=SpmField.SOSIAL,
        title=Text(
            "Rehabilitasi sosial dasar penyandang disabilitas telantar di luar panti",
            "Basic social rehabilitation of neglected persons with disabilities",
        ),
        recipients=Text("Penyandang disabilitas telantar", "Neglected persons with disabilities"),
        legal_basis=(PP_2_2018, PERMENSOS_9_2018),
    ),
)
"""Contribute one Jenis Pelayanan Dasar with its recipients (PPD)."""


# --8<-- [end:service_types]


# --8<-- [start:record_types]
class Disabilitas(RecordValue):
    """What a kader records about a resident's disability."""

    ragam: Literal["fisik", "intelektual", "mental", "sensorik"] = Field(
        description="Ragam disabilitas / Kind of disability"
    )
    telantar: bool = Field(description="Telantar / Neglected")
    butuh_alat_bantu_dengar: bool = Field(
        default=False, description="Membutuhkan alat bantu dengar / Needs a hearing aid"
    )


class Rehabilitasi(RecordValue):
    """A basic social rehabilitation service given to a resident."""

    layanan: str = Field(min_length=1, description="Layanan yang diberikan / Service given")


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="mini.disabilitas",
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        title=Text("Disabilitas", "Disability"),
        value_schema=Disabilitas,
        specific=True,
    ),
    RecordType(
        code="mini.rehabilitasi",
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        title=Text("Rehabilitasi sosial dasar", "Basic social rehabilitation"),
        value_schema=Rehabilitasi,
        specific=True,
    ),
)
"""Contribute record types; disability is specific data under UU PDP 27/2022 Ps. 4."""


# --8<-- [end:record_types]


# --8<-- [start:validators]
def _hearing_aid_without_sensory(value: Mapping[str, Any]) -> Iterator[Notice]:
    if value["butuh_alat_bantu_dengar"] and value["ragam"] != "sensorik":
        yield Notice(
            code="hearing-aid-without-sensory",
            message_id="Alat bantu dengar dicatat untuk disabilitas non-sensorik; mohon dicek.",
            message_en="A hearing aid is recorded for a non-sensory disability; please check.",
            field="butuh_alat_bantu_dengar",
            value="true",
        )


VALIDATORS: tuple[Validator, ...] = (
    Validator(
        code="mini.disabilitas.alat-bantu",
        record_type="mini.disabilitas",
        title=Text("Alat bantu dengar dan ragam disabilitas", "Hearing aid and disability"),
        check=_hearing_aid_without_sensory,
    ),
)
"""Contribute a check that warns (never rejects) about an unlikely combination."""


# --8<-- [end:validators]


# --8<-- [start:indicators]
_NEGLECTED = HasRecord("mini.disabilitas", Window.EVER, (Compare("telantar", Op.EQ, True),))
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="mini.disabilitas-terlayani",
        field=SpmField.SOSIAL,
        service_type="mini.rehabilitasi-disabilitas",
        subject=Subject.RESIDENT,
        title=Text(
            "Penyandang disabilitas telantar yang memperoleh rehabilitasi sosial dasar",
            "Neglected persons with disabilities given basic social rehabilitation",
        ),
        denominator=_NEGLECTED,
        numerator=HasRecord("mini.rehabilitasi", Window.YEAR_TO_DATE),
        legal_basis=(PP_2_2018, PERMENSOS_9_2018),
    ),
)
"""Contribute an indicator: who is counted and who is served, as expressions."""


# --8<-- [end:indicators]


# --8<-- [start:need_types]
NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="mini.alat-bantu-dengar",
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="mini.rehabilitasi-disabilitas",
        title=Text("Membutuhkan alat bantu dengar", "Needs a hearing aid"),
        sla_days=30,
    ),
)
"""Contribute a need a kader can raise, with a default deadline for the agency."""


# --8<-- [end:need_types]


# --8<-- [start:agency_roles]
AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="mini.dinas-sosial",
        field=SpmField.SOSIAL,
        title=Text("Dinas Sosial", "Social affairs office"),
    ),
)
"""Contribute a kind of agency; each region says which of its OPD fills it."""


# --8<-- [end:agency_roles]


# --8<-- [start:routing_rules]
ROUTING_RULES: tuple[RoutingRule, ...] = (
    RoutingRule(
        code="mini.alat-bantu-dengar.default",
        need_type="mini.alat-bantu-dengar",
        roles="mini.dinas-sosial",
        title=Text("Alat bantu dengar → Dinas Sosial", "Hearing aid → social affairs office"),
    ),
)
"""Contribute the default route of the need type: everywhere, to the role."""


# --8<-- [end:routing_rules]


# --8<-- [start:joint_leave_days]
JOINT_LEAVE_DAYS: tuple[JointLeaveDay, ...] = tuple(
    JointLeaveDay(
        code=f"mini.cuti-bersama-{day.isoformat()}",
        title=Text("Cuti bersama Idulfitri 1446 H", "Joint leave: Eid al-Fitr 1446 H"),
        day=day,
        legal_basis=(
            LegalBasis(
                "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang Hari "
                "Libur Nasional dan Cuti Bersama Tahun 2025",
                confirmed=False,
            ),
        ),
    )
    for day in (date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4), date(2025, 4, 7))
)
"""Joint leave days of the whole country (no ``area``): referral deadlines skip them."""


# --8<-- [end:joint_leave_days]


# --8<-- [start:spm_definitions]
@hookimpl
def spm_definitions() -> Iterable[Definition]:
    """Contribute every definition above: one hook for every kind."""
    return chain(
        (FIELD,),
        SERVICE_TYPES,
        RECORD_TYPES,
        VALIDATORS,
        INDICATORS,
        NEED_TYPES,
        AGENCY_ROLES,
        ROUTING_RULES,
        JOINT_LEAVE_DAYS,
    )


# --8<-- [end:spm_definitions]

"""Public-order and protection needs, the agency roles that act on them, default routes.

Public order goes to the Satpol PP, disaster preparedness to the disaster agency (BPBD)
and fire to the fire service; each region maps the roles to its own agencies.
"""

from __future__ import annotations

from spm_core.plugin_api import AgencyRole, NeedType, RoutingRule, SpmField, Subject, Text
from spm_trantibum.services import (
    PERMENDAGRI_101_2018,
    PERMENDAGRI_114_2018,
    PERMENDAGRI_121_2018,
    PP_9,
)

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="satpol-pp",
        title=Text("Satuan Polisi Pamong Praja", "Municipal police (Satpol PP)"),
        field=SpmField.TRANTIBUM,
    ),
    AgencyRole(
        code="bpbd",
        title=Text("Badan Penanggulangan Bencana Daerah", "Regional disaster management agency"),
        field=SpmField.TRANTIBUM,
    ),
    AgencyRole(
        code="damkar",
        title=Text("Dinas Pemadam Kebakaran dan Penyelamatan", "Fire and rescue service"),
        field=SpmField.TRANTIBUM,
    ),
)
"""Public-order and protection agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="trantibum.gangguan-ketertiban",
        title=Text("Gangguan ketenteraman dan ketertiban", "Public-order disturbance"),
        description=Text(
            "Warga terdampak gangguan ketenteraman dan ketertiban umum yang perlu ditangani "
            "Satpol PP.",
            "Residents affected by a public-order disturbance that the Satpol PP must handle.",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        service_type="trantibum.ketertiban-umum",
        legal_basis=(PP_9, PERMENDAGRI_121_2018),
    ),
    NeedType(
        code="trantibum.kesiapsiagaan-bencana",
        title=Text(
            "Rumah tangga rawan bencana belum mendapat informasi atau kesiapsiagaan",
            "Household in a disaster-prone area without information or preparedness",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        service_type="trantibum.pencegahan-kesiapsiagaan-bencana",
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
    NeedType(
        code="trantibum.korban-kebakaran",
        title=Text("Korban kebakaran", "Fire victim"),
        description=Text(
            "Rumah tangga korban kebakaran yang memerlukan penyelamatan, evakuasi atau "
            "pemeriksaan pascakebakaran.",
            "A household hit by fire that needs rescue, evacuation or a post-fire inspection.",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        service_type="trantibum.penyelamatan-evakuasi-kebakaran",
        legal_basis=(PP_9, PERMENDAGRI_114_2018),
    ),
)
"""Public-order and protection need types."""

_ROLE_OF_NEED = {
    "trantibum.gangguan-ketertiban": ("satpol-pp", Text("Satpol PP", "Satpol PP")),
    "trantibum.kesiapsiagaan-bencana": ("bpbd", Text("BPBD", "disaster agency")),
    "trantibum.korban-kebakaran": ("damkar", Text("Damkar", "fire service")),
}

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(
            f"{need.title.id} → {_ROLE_OF_NEED[need.code][1].id}",
            f"{need.title.en} → {_ROLE_OF_NEED[need.code][1].en}",
        ),
        need_type=need.code,
        roles=_ROLE_OF_NEED[need.code][0],
    )
    for need in NEED_TYPES
)
"""National default routes: order to Satpol PP, disasters to BPBD, fire to Damkar."""

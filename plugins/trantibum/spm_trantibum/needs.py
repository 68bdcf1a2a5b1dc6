"""Public-order and protection needs, the agency roles that act on them, default routes.

Public order goes to the Satpol PP, disaster preparedness, rescue and evacuation to the
disaster agency (BPBD) and fire to the fire service; each region maps the roles to its
own agencies. Confidential reports of violence against women and children go, with the
lurah's or kepala desa's consent, to the women and children protection office
(``dp3a``), a role of its own because the posyandu steward is DP3A in some regions and
DPMD in others.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgencyRole,
    Compare,
    HasRecord,
    LastMonths,
    LatestValue,
    LegalBasis,
    NeedType,
    Op,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_trantibum.services import (
    PERMENDAGRI_101_2018,
    PERMENDAGRI_114_2018,
    PERMENDAGRI_121_2018,
    PP_9,
)

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

_HAZARD = "trantibum.rawan-bencana"

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
    AgencyRole(
        code="dp3a",
        title=Text(
            "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
            "Women's empowerment and child protection office",
        ),
        field=SpmField.TRANTIBUM,
        description=Text(
            "Perangkat daerah perlindungan perempuan dan anak (DP3A atau nama lain), "
            "termasuk UPTD PPA.",
            "The agency protecting women and children (DP3A or another name), with its "
            "service unit (UPTD PPA).",
        ),
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
        trigger=LatestValue(_HAZARD, Compare("in_hazard_zone", Op.EQ, True))
        & ~HasRecord(
            "trantibum.layanan-bencana",
            window=LastMonths(12),
            where=(Compare("service", Op.EQ, "pencegahan-kesiapsiagaan"),),
        ),
    ),
    NeedType(
        code="trantibum.penyelamatan-evakuasi",
        title=Text(
            "Korban bencana perlu penyelamatan atau evakuasi",
            "Disaster victim needing rescue or evacuation",
        ),
        description=Text(
            "Warga yang terjebak, terluka atau tidak dapat mengungsi sendiri saat bencana "
            "(lansia, penyandang disabilitas, ibu hamil, balita).",
            "A resident trapped, hurt or unable to evacuate alone in a disaster (older "
            "people, persons with disabilities, pregnant women, small children).",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.RESIDENT,
        service_type="trantibum.penyelamatan-evakuasi-bencana",
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
        trigger=LatestValue(
            "trantibum.korban-bencana",
            Compare("rescued_evacuated", Op.EQ, False),
            window=LastMonths(1),
        ),
    ),
    NeedType(
        code="trantibum.kekerasan-perempuan-anak",
        title=Text(
            "Dugaan kekerasan terhadap perempuan atau anak",
            "Suspected violence against a woman or child",
        ),
        description=Text(
            "Laporan rahasia dugaan KDRT, kekerasan atau perdagangan orang terhadap "
            "perempuan atau anak; diteruskan dengan persetujuan lurah/kepala desa.",
            "A confidential report of suspected domestic violence, abuse or trafficking of a "
            "woman or child; passed on with the lurah's or village head's consent.",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.RESIDENT,
        service_type=None,
        legal_basis=(
            LegalBasis("UU 23/2004", note="Penghapusan kekerasan dalam rumah tangga."),
            LegalBasis("UU 35/2014", note="Perlindungan anak."),
        ),
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
        trigger=HasRecord("trantibum.kejadian-kebakaran", window=LastMonths(1)),
    ),
)
"""Public-order and protection need types."""

_ROLE_OF_NEED = {
    "trantibum.gangguan-ketertiban": ("satpol-pp", Text("Satpol PP", "Satpol PP")),
    "trantibum.kesiapsiagaan-bencana": ("bpbd", Text("BPBD", "disaster agency")),
    "trantibum.korban-kebakaran": ("damkar", Text("Damkar", "fire service")),
    "trantibum.penyelamatan-evakuasi": ("bpbd", Text("BPBD", "disaster agency")),
    "trantibum.kekerasan-perempuan-anak": ("dp3a", Text("DP3A", "child protection office")),
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
"""National default routes: order to Satpol PP, disasters to BPBD, fire to Damkar,
violence against women and children to DP3A."""

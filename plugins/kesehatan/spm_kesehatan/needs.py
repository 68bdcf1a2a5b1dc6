"""Health needs a kader can raise, the agency roles that act on them, default routes.

The national default sends every health need to the Puskesmas serving the resident;
a region plugin maps the role to its own Puskesmas and may retarget a route.
"""

from __future__ import annotations

from spm_core.plugin_api import AgencyRole, NeedType, RoutingRule, SpmField, Subject, Text
from spm_kesehatan.services import PERMENKES_4_2019, pp_6

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-kesehatan",
        title=Text("Dinas Kesehatan", "Health office"),
        field=SpmField.KESEHATAN,
        description=Text(
            "Dinas kesehatan kabupaten/kota, pengampu SPM bidang kesehatan.",
            "The kab/kota health office, responsible for the SPM health field.",
        ),
    ),
    AgencyRole(
        code="puskesmas",
        title=Text("Puskesmas", "Community health centre (Puskesmas)"),
        field=SpmField.KESEHATAN,
        description=Text(
            "Pusat kesehatan masyarakat (UPTD dinas kesehatan) beserta pustu di wilayah "
            "kerjanya; pembina posyandu di bidang kesehatan.",
            "Community health centre (a unit of the health office) with its auxiliary posts; "
            "supports the posyandu in health matters.",
        ),
    ),
)
"""Health agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="kesehatan.balita-tidak-ditimbang",
        title=Text("Balita tidak ditimbang", "Child under five not weighed"),
        description=Text(
            "Balita yang tidak datang ke posyandu untuk ditimbang dan perlu dikunjungi atau "
            "dilayani oleh tenaga kesehatan.",
            "A child under five who missed weighing at the posyandu and needs a home visit "
            "or care by a health worker.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.balita",
        legal_basis=(pp_6(3, "d"), PERMENKES_4_2019),
    ),
    NeedType(
        code="kesehatan.gizi-buruk",
        title=Text("Balita diduga gizi buruk", "Child suspected of severe malnutrition"),
        description=Text(
            "Balita yang hasil penimbangan atau LiLA-nya menunjukkan dugaan gizi buruk atau "
            "gizi kurang dan perlu diperiksa tenaga kesehatan.",
            "A child whose weighing or arm circumference suggests severe or moderate "
            "malnutrition and who needs a health worker's examination.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.balita",
        legal_basis=(pp_6(3, "d"), PERMENKES_4_2019),
    ),
    NeedType(
        code="kesehatan.ibu-hamil-risiko",
        title=Text("Ibu hamil dengan tanda bahaya", "Pregnant woman with danger signs"),
        description=Text(
            "Ibu hamil dengan tanda bahaya kehamilan atau yang belum memeriksakan kehamilan "
            "sesuai jadwal.",
            "A pregnant woman with danger signs, or who has missed scheduled antenatal care.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.ibu-hamil",
        legal_basis=(pp_6(3, "a"), PERMENKES_4_2019),
    ),
)
"""Health need types."""

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → Puskesmas", f"{need.title.en} → Puskesmas"),
        need_type=need.code,
        roles="puskesmas",
    )
    for need in NEED_TYPES
)
"""National default routes: every health need to the Puskesmas (no area: everywhere)."""

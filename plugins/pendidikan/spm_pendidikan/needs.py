"""Education needs a kader can raise, the agency role that acts on them, default routes."""

from __future__ import annotations

from spm_core.plugin_api import AgencyRole, NeedType, RoutingRule, SpmField, Subject, Text
from spm_pendidikan.services import PERMENDIKBUDRISTEK_32_2022, PP_5

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-pendidikan",
        title=Text("Dinas Pendidikan", "Education office"),
        field=SpmField.PENDIDIKAN,
        description=Text(
            "Dinas pendidikan kabupaten/kota: PAUD, SD, SMP dan pendidikan kesetaraan.",
            "The kab/kota education office: early childhood, primary, lower-secondary and "
            "equivalency education.",
        ),
    ),
)
"""Education agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="pendidikan.anak-belum-paud",
        title=Text("Anak usia 5–6 tahun belum PAUD", "Child aged 5–6 not in early education"),
        description=Text(
            "Anak usia 5–6 tahun yang tidak mengikuti PAUD dan belum bersekolah.",
            "A child aged 5–6 who attends no early childhood education and no school.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        service_type="pendidikan.paud",
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
    ),
    NeedType(
        code="pendidikan.anak-tidak-sekolah",
        title=Text("Anak tidak sekolah (ATS)", "Child out of school"),
        description=Text(
            "Anak usia 7–18 tahun yang tidak bersekolah dan belum tamat pendidikan "
            "menengah: penerima layanan pendidikan kesetaraan, atau dikembalikan ke sekolah.",
            "A child aged 7–18 not in school who has not completed secondary education: a "
            "recipient of equivalency education, or to be brought back to school.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        service_type="pendidikan.kesetaraan",
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
    ),
)
"""Education need types."""

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → Dinas Pendidikan", f"{need.title.en} → education office"),
        need_type=need.code,
        roles="dinas-pendidikan",
    )
    for need in NEED_TYPES
)
"""National default routes: every education need to the kab/kota education office."""

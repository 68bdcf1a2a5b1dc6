"""Social needs a kader can raise, the agency role that acts on them, default routes.

A hearing aid is an assistive device (alat bantu) under basic social rehabilitation of
persons with disabilities, so it goes to the social office, as the Kota Bekasi posyandu
lead describes it.
"""

from __future__ import annotations

from spm_core.plugin_api import AgencyRole, NeedType, RoutingRule, SpmField, Subject, Text
from spm_sosial.services import PERMENSOS_9_2018, PP_10

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-sosial",
        title=Text("Dinas Sosial", "Social affairs office"),
        field=SpmField.SOSIAL,
        description=Text(
            "Dinas sosial kabupaten/kota: rehabilitasi sosial dasar di luar panti dan "
            "perlindungan sosial korban bencana.",
            "The kab/kota social affairs office: basic social rehabilitation outside "
            "institutions and social protection of disaster victims.",
        ),
    ),
)
"""Social agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="sosial.alat-bantu-dengar",
        title=Text("Membutuhkan alat bantu dengar", "Needs a hearing aid"),
        description=Text(
            "Warga dengan disabilitas rungu yang membutuhkan alat bantu dengar; alat bantu "
            "termasuk rehabilitasi sosial dasar penyandang disabilitas.",
            "A resident with a hearing disability who needs a hearing aid; assistive devices "
            "are part of basic social rehabilitation of persons with disabilities.",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="sosial.disabilitas-telantar",
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
    NeedType(
        code="sosial.lansia-telantar",
        title=Text("Lanjut usia telantar", "Neglected older person"),
        description=Text(
            "Warga usia 60 tahun ke atas yang kebutuhan dasarnya tidak terpenuhi dan tidak "
            "ada yang merawat.",
            "A resident aged 60 or over whose basic needs are unmet and who has no one to "
            "care for them.",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="sosial.lansia-telantar",
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
    NeedType(
        code="sosial.anak-telantar",
        title=Text("Anak telantar", "Neglected child"),
        description=Text(
            "Anak yang kebutuhan dasarnya tidak terpenuhi karena tidak ada yang mengasuh.",
            "A child whose basic needs are unmet because no one looks after them.",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="sosial.anak-telantar",
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
)
"""Social need types."""

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → Dinas Sosial", f"{need.title.en} → social affairs office"),
        need_type=need.code,
        roles="dinas-sosial",
    )
    for need in NEED_TYPES
)
"""National default routes: every social need to the social affairs office."""

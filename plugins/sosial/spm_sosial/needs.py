"""Social needs a kader can raise, the agency roles that act on them, default routes.

A hearing aid is an assistive device (alat bantu) of the social office's disability
services — for any person with a disability who needs one, not only the neglected — so
it goes to the social office, as the Kota Bekasi posyandu lead describes it. A resident
without NIK, KK or birth certificate goes to the population registry (``disdukcapil``),
a role of its own.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgencyRole,
    AgeUnit,
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
from spm_sosial.services import PERMENSOS_9_2018, PP_10

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

_YEAR = LastMonths(12)
_REHABILITATED = HasRecord(
    "sosial.rehabilitasi-sosial", window=_YEAR, where=(Compare("setting", Op.EQ, "luar-panti"),)
)

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
    AgencyRole(
        code="disdukcapil",
        title=Text("Dinas Kependudukan dan Pencatatan Sipil", "Population and civil registry"),
        field=SpmField.SOSIAL,
        description=Text(
            "Perangkat daerah administrasi kependudukan: NIK, KK, akta kelahiran.",
            "The agency for civil registration: NIK, family card, birth certificate.",
        ),
    ),
)
"""Social agency roles, with the population registry."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="sosial.alat-bantu-dengar",
        title=Text("Membutuhkan alat bantu dengar", "Needs a hearing aid"),
        description=Text(
            "Warga dengan disabilitas rungu yang membutuhkan alat bantu dengar, telantar atau "
            "tidak; alat bantu termasuk layanan disabilitas dinas sosial (untuk penyandang "
            "disabilitas telantar: rehabilitasi sosial dasar, jenis pelayanan dasar SPM).",
            "A resident with a hearing disability who needs a hearing aid, neglected or not; "
            "assistive devices are part of the social office's disability services (for a "
            "neglected person, basic social rehabilitation, an SPM service).",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type=None,
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
        trigger=AgeBetween(60, None, AgeUnit.YEARS)
        & LatestValue("sosial.lansia-telantar", Compare("neglected", Op.EQ, True), window=_YEAR)
        & ~_REHABILITATED,
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
        trigger=AgeBetween(0, 17, AgeUnit.YEARS)
        & LatestValue("sosial.anak-telantar", Compare("neglected", Op.EQ, True), window=_YEAR)
        & ~_REHABILITATED,
    ),
    NeedType(
        code="sosial.gelandangan-pengemis",
        title=Text("Gelandangan atau pengemis", "Homeless person or beggar"),
        description=Text(
            "Warga yang hidup menggelandang atau mengemis dan memerlukan rehabilitasi sosial "
            "dasar (permakanan, sandang, bimbingan, dokumen kependudukan, rujukan).",
            "A resident living rough or begging who needs basic social rehabilitation "
            "(meals, clothing, guidance, civil documents, referral).",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="sosial.gelandangan-pengemis",
        legal_basis=(PP_10, PERMENSOS_9_2018),
        trigger=HasRecord("sosial.gelandangan-pengemis", window=LastMonths(1)),
    ),
    NeedType(
        code="sosial.korban-bencana",
        title=Text(
            "Korban bencana perlu perlindungan sosial",
            "Disaster victim needing social protection",
        ),
        description=Text(
            "Korban bencana alam atau sosial yang kebutuhan dasarnya (makan, sandang, tempat "
            "penampungan, dukungan psikososial) belum terpenuhi saat atau setelah tanggap "
            "darurat.",
            "A victim of a natural or social disaster whose basic needs (food, clothing, "
            "shelter, psychosocial support) are unmet during or after the emergency.",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type="sosial.korban-bencana",
        legal_basis=(PP_10, PERMENSOS_9_2018),
        trigger=HasRecord("sosial.korban-bencana", window=LastMonths(1))
        & ~HasRecord(
            "sosial.perlindungan-bencana",
            window=LastMonths(1),
            where=(Compare("basic_needs_met", Op.EQ, True),),
        ),
    ),
    NeedType(
        code="sosial.tanpa-dokumen-kependudukan",
        title=Text(
            "Warga belum memiliki dokumen kependudukan",
            "Resident without civil registration documents",
        ),
        description=Text(
            "Warga tanpa NIK/KTP-el, kartu keluarga atau akta kelahiran, yang memerlukannya "
            "untuk mengakses layanan dasar dan bantuan sosial.",
            "A resident without an NIK/ID card, family card or birth certificate, who needs "
            "one to reach basic services and social assistance.",
        ),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        service_type=None,
        legal_basis=(LegalBasis("UU 24/2013", note="Administrasi kependudukan."),),
    ),
)
"""Social need types."""


def _route(need: NeedType) -> RoutingRule:
    registry = need.code == "sosial.tanpa-dokumen-kependudukan"
    name = (
        Text("Disdukcapil", "population registry")
        if registry
        else Text("Dinas Sosial", "social affairs office")
    )
    return RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → {name.id}", f"{need.title.en} → {name.en}"),
        need_type=need.code,
        roles="disdukcapil" if registry else "dinas-sosial",
    )


ROUTING_RULES: tuple[RoutingRule, ...] = tuple(_route(need) for need in NEED_TYPES)
"""National default routes: social needs to the social affairs office, civil documents
to the population registry."""

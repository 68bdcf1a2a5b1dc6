"""Education needs a kader can raise, the agency roles that act on them, default routes.

Kab/kota own early childhood, basic and equivalency education; the **province** owns
secondary (SMA/SMK) and special education (SLB), so a 16–18-year-old who needs a place in
upper-secondary school and a child who needs a special school go to the province's
education office (``dinas-pendidikan-provinsi``; in Jawa Barat its branch office, KCD).
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgencyRole,
    AgeUnit,
    Compare,
    LastMonths,
    LatestValue,
    NeedType,
    Op,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_pendidikan.records import FORMAL_SCHOOL, KESETARAAN
from spm_pendidikan.services import PERMENDIKBUDRISTEK_32_2022, PP_5

_STATUS = "pendidikan.status-sekolah"
_YEAR = LastMonths(12)


def _status(*statuses: str) -> LatestValue:
    return LatestValue(_STATUS, Compare("status", Op.IN, statuses), window=_YEAR)


_COMPLETED = LatestValue(
    _STATUS, Compare("reason_not_in_school", Op.EQ, "tamat-pendidikan-menengah"), window=_YEAR
)

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
    AgencyRole(
        code="dinas-pendidikan-provinsi",
        title=Text("Dinas Pendidikan Provinsi", "Provincial education office"),
        field=SpmField.PENDIDIKAN,
        description=Text(
            "Dinas pendidikan provinsi (atau cabang dinasnya): SMA, SMK dan SLB.",
            "The provincial education office (or its branch office): upper-secondary, "
            "vocational and special schools.",
        ),
    ),
)
"""Education agency roles: the kab/kota office and the provincial one."""

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
        trigger=AgeBetween(5, 6, AgeUnit.YEARS) & ~_status("paud", "sd", "slb"),
    ),
    NeedType(
        code="pendidikan.anak-tidak-sekolah",
        title=Text("Anak tidak sekolah (ATS)", "Child out of school"),
        description=Text(
            "Anak usia 7–18 tahun yang tidak bersekolah dan belum tamat pendidikan "
            "menengah: penerima layanan pendidikan kesetaraan, atau dikembalikan ke sekolah. "
            "Catatan mengusulkannya untuk usia 7–15; pada usia 16–18 catatan mengusulkan "
            "tempat di SMA/SMK (provinsi), dan kader tetap dapat mengajukannya untuk Paket C.",
            "A child aged 7–18 not in school who has not completed secondary education: a "
            "recipient of equivalency education, or to be brought back to school. The "
            "records propose it for ages 7–15; at 16–18 they propose a place in upper-"
            "secondary school (provincial), and a kader may still raise this need for Paket C.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        service_type="pendidikan.kesetaraan",
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
        trigger=AgeBetween(7, 15, AgeUnit.YEARS) & _status("tidak-sekolah") & ~_COMPLETED,
    ),
    NeedType(
        code="pendidikan.menengah-16-18",
        title=Text(
            "Anak 16–18 tahun perlu tempat di SMA/SMK", "Youth aged 16–18 needing upper-secondary"
        ),
        description=Text(
            "Warga usia 16–18 tahun yang tidak bersekolah dan belum tamat pendidikan "
            "menengah, atau yang memerlukan bantuan biaya/perlengkapan untuk tetap di SMA/SMK. "
            "Pendidikan menengah adalah urusan provinsi.",
            "A resident aged 16–18 out of school without completed secondary education, or "
            "needing help with fees or supplies to stay in upper-secondary school. Secondary "
            "education is a provincial matter.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        service_type="pendidikan.menengah",
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
        trigger=AgeBetween(16, 18, AgeUnit.YEARS)
        & _status("tidak-sekolah")
        & ~_COMPLETED
        & ~_status(*FORMAL_SCHOOL, *KESETARAAN),
    ),
    NeedType(
        code="pendidikan.perlu-sekolah-khusus",
        title=Text(
            "Anak berkebutuhan khusus perlu layanan pendidikan khusus",
            "Child with a disability needing special education",
        ),
        description=Text(
            "Anak penyandang disabilitas usia 4–18 tahun yang belum bersekolah atau "
            "memerlukan sekolah luar biasa (SLB). Pendidikan khusus adalah urusan provinsi.",
            "A child with a disability aged 4–18 who is not in school or needs a special "
            "school (SLB). Special education is a provincial matter.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        service_type="pendidikan.khusus",
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
        trigger=AgeBetween(4, 18, AgeUnit.YEARS)
        & LatestValue(_STATUS, Compare("reason_not_in_school", Op.EQ, "disabilitas"), window=_YEAR),
    ),
)
"""Education need types."""

_PROVINCE = {"pendidikan.menengah-16-18", "pendidikan.perlu-sekolah-khusus"}

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=(
            Text(
                f"{need.title.id} → Dinas Pendidikan Provinsi",
                f"{need.title.en} → provincial education office",
            )
            if need.code in _PROVINCE
            else Text(f"{need.title.id} → Dinas Pendidikan", f"{need.title.en} → education office")
        ),
        need_type=need.code,
        roles="dinas-pendidikan-provinsi" if need.code in _PROVINCE else "dinas-pendidikan",
    )
    for need in NEED_TYPES
)
"""National default routes: basic needs to the kab/kota office; secondary and special
education to the provincial office."""

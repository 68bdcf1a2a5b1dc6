"""Participation indicators (angka partisipasi sekolah, APS) a posyandu can observe.

Since 2025 the SPM priority indicators of kab/kota come from Rapor Pendidikan (SK Kepala
BSKAP 018/H/2024): APS 5–6, APS 7–15 and APS kesetaraan 7–18. The two Kemendikdasmen
pages differ slightly on which APS belongs to which level, so that citation is marked
unconfirmed. A child counts as participating when the latest school-status record of the
year shows enrolment.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgeUnit,
    Compare,
    Indicator,
    LatestValue,
    LegalBasis,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_pendidikan.records import FORMAL_SCHOOL, KESETARAAN
from spm_pendidikan.services import PERMENDIKBUDRISTEK_32_2022, PP_5, STANDARD_2022

__all__ = ["INDICATORS"]

_STATUS = "pendidikan.status-sekolah"

_RAPOR = LegalBasis(
    "SK Kepala BSKAP 018/H/2024",
    confirmed=False,
    note=(
        "Indikator prioritas SPM from Rapor Pendidikan; the Kemendikdasmen pages differ "
        "slightly on which APS belongs to kab/kota and which to the province."
    ),
    source="pmp.dikdasmen.kemdikbud.go.id/edukasi/spm/indikator-spm",
)


def _latest_status(*statuses: str) -> LatestValue:
    compare = (
        Compare("status", Op.EQ, statuses[0])
        if len(statuses) == 1
        else Compare("status", Op.IN, statuses)
    )
    return LatestValue(_STATUS, compare, window=Window.PERIOD)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="pendidikan.aps-5-6",
        title=Text(
            "Angka partisipasi sekolah usia 5–6 tahun (APS 5–6)",
            "School participation rate, ages 5–6",
        ),
        description=Text(
            "Anak usia 5–6 tahun yang sedang mengikuti PAUD (atau sudah di SD/SLB) dibagi "
            "seluruh anak usia 5–6 tahun.",
            "Children aged 5–6 enrolled in early childhood education (or already in primary "
            "or special school) over all children aged 5–6.",
        ),
        field=SpmField.PENDIDIKAN,
        service_type="pendidikan.paud",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(5, 6, AgeUnit.YEARS),
        numerator=_latest_status("paud", "sd", "slb"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022, _RAPOR),
        validity=STANDARD_2022,
    ),
    Indicator(
        code="pendidikan.aps-7-15",
        title=Text(
            "Angka partisipasi sekolah usia 7–15 tahun (APS 7–15)",
            "School participation rate, ages 7–15",
        ),
        description=Text(
            "Anak usia 7–15 tahun yang sedang bersekolah (jenjang apa pun, termasuk SLB dan "
            "Paket A/B/C) dibagi seluruh anak usia 7–15 tahun.",
            "Children aged 7–15 enrolled at any level (special schools and equivalency "
            "programmes included) over all children aged 7–15.",
        ),
        field=SpmField.PENDIDIKAN,
        service_type="pendidikan.dasar",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(7, 15, AgeUnit.YEARS),
        numerator=_latest_status(*FORMAL_SCHOOL, *KESETARAAN),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022, _RAPOR),
        validity=STANDARD_2022,
    ),
    Indicator(
        code="pendidikan.aps-kesetaraan-7-18",
        title=Text(
            "Partisipasi pendidikan kesetaraan usia 7–18 tahun",
            "Equivalency-education participation, ages 7–18",
        ),
        description=Text(
            "Anak usia 7–18 tahun di luar sekolah formal yang belum tamat pendidikan "
            "menengah: yang mengikuti Paket A/B/C dibagi seluruhnya (yang ikut Paket A/B/C "
            "ditambah yang tidak sekolah).",
            "Children aged 7–18 outside formal school who have not completed secondary "
            "education: those in equivalency programmes over all of them (those in Paket "
            "A/B/C plus those not in school).",
        ),
        field=SpmField.PENDIDIKAN,
        service_type="pendidikan.kesetaraan",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(7, 18, AgeUnit.YEARS)
        & (
            _latest_status(*KESETARAAN)
            | (
                _latest_status("tidak-sekolah")
                & LatestValue(
                    _STATUS,
                    Compare("reason_not_in_school", Op.NE, "tamat-pendidikan-menengah"),
                    window=Window.PERIOD,
                )
            )
        ),
        numerator=_latest_status(*KESETARAAN),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022, _RAPOR),
        validity=STANDARD_2022,
    ),
)
"""Every education indicator."""

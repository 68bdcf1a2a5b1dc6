"""Participation indicators (angka partisipasi sekolah, APS) a posyandu can observe.

Since 2025 the SPM priority indicators of kab/kota come from Rapor Pendidikan (SK Kepala
BSKAP 018/M/H/2024): APS 5–6, APS 7–15 and APS kesetaraan 7–18. The two Kemendikdasmen
pages differ slightly on which APS belongs to which level, so that citation is marked
unconfirmed. A child counts as participating when the latest school-status record of the
year shows enrolment. **Unknown is not served**: a child of the age with no status
record in the year is in every denominator the age puts them in, and counted as not
participating.

Each indicator comes in two dated versions: under Permendikbud 32/2018 (until 19 July
2022; the participation indicators of the regional IKK, "tingkat partisipasi warga
negara usia …", unconfirmed against that text) and under Permendikbudristek 32/2022.
"""

from __future__ import annotations

import attrs

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
from spm_pendidikan.services import (
    PERMENDIKBUD_32_2018,
    PERMENDIKBUDRISTEK_32_2022,
    PP_5,
    STANDARD_2018,
    STANDARD_2022,
)

__all__ = ["INDICATORS"]

_STATUS = "pendidikan.status-sekolah"

_RAPOR = LegalBasis(
    "SK Kepala BSKAP 018/M/H/2024",
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


_IKK_2018 = LegalBasis(
    "Permendikbud 32/2018",
    confirmed=False,
    note=(
        "Participation indicator of the regional IKK dashboards (tingkat partisipasi warga "
        "negara usia 5–6 di PAUD, 7–15 di SD/SMP, 7–18 di kesetaraan), used for periods "
        "before Permendikbudristek 32/2022; the 2018 text was not available."
    ),
    source="datago.magelangkota.go.id/frontend/ikk/data",
)

_NOT_COMPLETED = ~LatestValue(
    _STATUS,
    Compare("reason_not_in_school", Op.EQ, "tamat-pendidikan-menengah"),
    window=Window.PERIOD,
)
"""Not recorded (latest in the year) as having completed secondary education."""


def _dated(indicator: Indicator) -> tuple[Indicator, Indicator]:
    """Return the 2018 and the 2022 version of an indicator written for 2022."""
    version_2022 = attrs.evolve(
        indicator,
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022, _RAPOR),
        validity=STANDARD_2022,
    )
    version_2018 = attrs.evolve(
        indicator, legal_basis=(PP_5, PERMENDIKBUD_32_2018, _IKK_2018), validity=STANDARD_2018
    )
    return (version_2018, version_2022)


INDICATORS: tuple[Indicator, ...] = (
    *_dated(
        Indicator(
            code="pendidikan.aps-5-6",
            title=Text(
                "Angka partisipasi sekolah usia 5–6 tahun (APS 5–6)",
                "School participation rate, ages 5–6",
            ),
            description=Text(
                "Anak usia 5–6 tahun yang sedang mengikuti PAUD (atau sudah di SD/SLB) dibagi "
                "seluruh anak usia 5–6 tahun.",
                "Children aged 5–6 enrolled in early childhood education (or already in "
                "primary or special school) over all children aged 5–6.",
            ),
            field=SpmField.PENDIDIKAN,
            service_type="pendidikan.paud",
            subject=Subject.RESIDENT,
            denominator=AgeBetween(5, 6, AgeUnit.YEARS),
            numerator=_latest_status("paud", "sd", "slb"),
            period_kind=PeriodKind.YEAR,
        )
    ),
    *_dated(
        Indicator(
            code="pendidikan.aps-7-15",
            title=Text(
                "Angka partisipasi sekolah usia 7–15 tahun (APS 7–15)",
                "School participation rate, ages 7–15",
            ),
            description=Text(
                "Anak usia 7–15 tahun yang sedang bersekolah (jenjang apa pun, termasuk SLB "
                "dan Paket A/B/C) dibagi seluruh anak usia 7–15 tahun.",
                "Children aged 7–15 enrolled at any level (special schools and equivalency "
                "programmes included) over all children aged 7–15.",
            ),
            field=SpmField.PENDIDIKAN,
            service_type="pendidikan.dasar",
            subject=Subject.RESIDENT,
            denominator=AgeBetween(7, 15, AgeUnit.YEARS),
            numerator=_latest_status(*FORMAL_SCHOOL, *KESETARAAN),
            period_kind=PeriodKind.YEAR,
        )
    ),
    *_dated(
        Indicator(
            code="pendidikan.aps-kesetaraan-7-18",
            title=Text(
                "Partisipasi pendidikan kesetaraan usia 7–18 tahun",
                "Equivalency-education participation, ages 7–18",
            ),
            description=Text(
                "Anak usia 7–18 tahun yang tidak tercatat di sekolah formal atau PAUD dan "
                "tidak tercatat sudah tamat pendidikan menengah: yang mengikuti Paket A/B/C "
                "dibagi seluruhnya. Anak tanpa catatan status dalam tahun berjalan termasuk "
                "penyebut dan tidak terhitung dilayani, seperti pada APS 7–15.",
                "Children aged 7–18 not recorded in formal school or early education and not "
                "recorded as having completed secondary education: those in Paket A/B/C over "
                "all of them. A child with no status record in the year is in the "
                "denominator and not served, as in APS 7–15.",
            ),
            field=SpmField.PENDIDIKAN,
            service_type="pendidikan.kesetaraan",
            subject=Subject.RESIDENT,
            denominator=AgeBetween(7, 18, AgeUnit.YEARS)
            & ~_latest_status("paud", *FORMAL_SCHOOL)
            & _NOT_COMPLETED,
            numerator=_latest_status(*KESETARAAN),
            period_kind=PeriodKind.YEAR,
        )
    ),
    *_dated(
        Indicator(
            code="pendidikan.ats-7-18",
            title=Text(
                "Anak usia 7–18 tahun tidak sekolah (ATS) — pemantauan posyandu",
                "Out-of-school children aged 7–18 — posyandu monitoring",
            ),
            description=Text(
                "Anak usia 7–18 tahun yang catatan terakhirnya dalam tahun berjalan "
                "menyatakan tidak sekolah dan belum tamat pendidikan menengah, dibagi seluruh "
                "anak usia 7–18 tahun. Semakin kecil semakin baik; indikator pemantauan "
                "posyandu untuk menemukan sasaran, bukan capaian SPM.",
                "Children aged 7–18 whose latest record of the year says out of school, "
                "without completed secondary education, over all children aged 7–18. Lower "
                "is better: a posyandu monitoring indicator to find recipients, not an SPM "
                "achievement.",
            ),
            field=SpmField.PENDIDIKAN,
            service_type=None,
            subject=Subject.RESIDENT,
            denominator=AgeBetween(7, 18, AgeUnit.YEARS),
            numerator=_latest_status("tidak-sekolah") & _NOT_COMPLETED,
            period_kind=PeriodKind.YEAR,
        )
    ),
)
"""Every education indicator, each in its 2018 and its 2022 version."""

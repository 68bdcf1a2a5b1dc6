"""One indicator for each of the five kab/kota social services, and a disability monitor.

The regulation's pattern is "% [recipient group] that obtained basic social
rehabilitation outside institutions": served ÷ the group's population × 100.

**A recent assessment.** Being neglected is a state that changes: a person assessed as
neglected three years ago may be cared for now. The recipients of the disability, child
and older-person services are those whose **latest assessment within the 12 months up
to the period's end** says neglected (:data:`ASSESSMENT_MONTHS`); an older assessment
does not make anyone a recipient, and a newer one that says "not neglected" ends it.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgeUnit,
    Compare,
    HasRecord,
    Indicator,
    LastMonths,
    LatestValue,
    LegalBasis,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_sosial.services import PERMENSOS_9_2018, PP_10

__all__ = ["ASSESSMENT_MONTHS", "INDICATORS"]

ASSESSMENT_MONTHS = 12
"""An assessment of neglect counts for a period when made in the 12 months up to its end."""

_RECENT = LegalBasis(
    "Permensos 9/2018",
    confirmed=False,
    note=(
        "Reading of this library: the neglect assessment must be recent (the latest within "
        "12 months of the period's end); the regulation does not state a validity."
    ),
)

_RECENT_WINDOW = LastMonths(ASSESSMENT_MONTHS)


def _rehabilitated(group: str) -> HasRecord:
    return HasRecord(
        "sosial.rehabilitasi-sosial",
        window=Window.PERIOD,
        where=(Compare("group", Op.EQ, group), Compare("setting", Op.EQ, "luar-panti")),
    )


def _neglected(record_type: str) -> LatestValue:
    return LatestValue(record_type, Compare("neglected", Op.EQ, True), window=_RECENT_WINDOW)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="sosial.disabilitas-telantar",
        title=Text(
            "Penyandang disabilitas telantar yang memperoleh rehabilitasi sosial dasar di "
            "luar panti",
            "Neglected persons with disabilities who received basic social rehabilitation "
            "outside institutions",
        ),
        description=Text(
            "Penyandang disabilitas yang asesmen terakhirnya (dalam 12 bulan sampai akhir "
            "periode) menyatakan telantar, dan yang menerima rehabilitasi sosial dasar di "
            "luar panti dalam periode.",
            "Persons with disabilities whose latest assessment (within the 12 months up to "
            "the period's end) says neglected, and who received basic social rehabilitation "
            "outside institutions in the period.",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.disabilitas-telantar",
        subject=Subject.RESIDENT,
        denominator=_neglected("sosial.disabilitas"),
        numerator=_rehabilitated("disabilitas"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018, _RECENT),
    ),
    Indicator(
        code="sosial.anak-telantar",
        title=Text(
            "Anak telantar yang memperoleh rehabilitasi sosial dasar di luar panti",
            "Neglected children who received basic social rehabilitation outside institutions",
        ),
        description=Text(
            "Anak di bawah 18 tahun yang asesmen terakhirnya (dalam 12 bulan sampai akhir "
            "periode) menyatakan telantar, dan yang menerima rehabilitasi sosial dasar di "
            "luar panti dalam periode.",
            "Children under 18 whose latest assessment (within the 12 months up to the "
            "period's end) says neglected, and who received basic social rehabilitation "
            "outside institutions in the period.",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.anak-telantar",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(0, 17, AgeUnit.YEARS) & _neglected("sosial.anak-telantar"),
        numerator=_rehabilitated("anak"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018, _RECENT),
    ),
    Indicator(
        code="sosial.lansia-telantar",
        title=Text(
            "Lanjut usia telantar yang memperoleh rehabilitasi sosial dasar di luar panti",
            "Neglected older people who received basic social rehabilitation outside institutions",
        ),
        description=Text(
            "Warga usia 60 tahun ke atas yang asesmen terakhirnya (dalam 12 bulan sampai "
            "akhir periode) menyatakan telantar, dan yang menerima rehabilitasi sosial dasar "
            "di luar panti dalam periode.",
            "Residents aged 60 and over whose latest assessment (within the 12 months up to "
            "the period's end) says neglected, and who received basic social rehabilitation "
            "outside institutions in the period.",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.lansia-telantar",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(60, None, AgeUnit.YEARS) & _neglected("sosial.lansia-telantar"),
        numerator=_rehabilitated("lanjut-usia"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018, _RECENT),
    ),
    Indicator(
        code="sosial.gelandangan-pengemis",
        title=Text(
            "Gelandangan dan pengemis yang memperoleh rehabilitasi sosial dasar di luar panti",
            "Homeless people and beggars who received basic social rehabilitation outside "
            "institutions",
        ),
        description=Text(
            "Gelandangan dan pengemis yang dijangkau dalam periode dan menerima rehabilitasi "
            "sosial dasar di luar panti dalam periode.",
            "Homeless people and beggars reached in the period who received basic social "
            "rehabilitation outside institutions in the period.",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.gelandangan-pengemis",
        subject=Subject.RESIDENT,
        denominator=HasRecord("sosial.gelandangan-pengemis", window=Window.PERIOD),
        numerator=_rehabilitated("gelandangan-pengemis"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
    Indicator(
        code="sosial.korban-bencana",
        title=Text(
            "Korban bencana yang terpenuhi kebutuhan dasarnya pada saat dan setelah tanggap "
            "darurat",
            "Disaster victims whose basic needs were met during and after the emergency",
        ),
        description=Text(
            "Warga korban bencana alam atau sosial dalam periode yang menerima perlindungan "
            "sosial dan kebutuhan dasarnya terpenuhi sesuai standar.",
            "Residents who were victims of a natural or social disaster in the period and "
            "received social protection meeting their basic needs to standard.",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.korban-bencana",
        subject=Subject.RESIDENT,
        denominator=HasRecord("sosial.korban-bencana", window=Window.PERIOD),
        numerator=HasRecord(
            "sosial.perlindungan-bencana",
            window=Window.PERIOD,
            where=(Compare("basic_needs_met", Op.EQ, True),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
    Indicator(
        code="sosial.disabilitas-tanpa-layanan",
        title=Text(
            "Penyandang disabilitas tanpa rehabilitasi sosial dalam 12 bulan — pemantauan posyandu",
            "Persons with disabilities without social rehabilitation in 12 months — posyandu "
            "monitoring",
        ),
        description=Text(
            "Warga yang tercatat menyandang disabilitas (telantar atau tidak) dan tidak "
            "menerima rehabilitasi sosial disabilitas (termasuk alat bantu) dalam 12 bulan "
            "sampai akhir periode. Semakin kecil semakin baik.",
            "Residents recorded with a disability (neglected or not) who received no "
            "disability rehabilitation (assistive devices included) in the 12 months up to "
            "the period's end. Lower is better.",
        ),
        field=SpmField.SOSIAL,
        service_type=None,
        subject=Subject.RESIDENT,
        denominator=HasRecord("sosial.disabilitas", window=Window.EVER),
        numerator=~HasRecord(
            "sosial.rehabilitasi-sosial",
            window=_RECENT_WINDOW,
            where=(Compare("group", Op.EQ, "disabilitas"),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
)
"""Every social indicator: one per kab/kota service, then the disability monitor."""

"""Health indicators a posyandu can observe from its own records.

The regulation's generic indicator is "PPD served to standard ÷ PPD in the area × 100"
over one year. Here the PPD are counted from the residents the posyandu knows, and
"served" from what its kader and health workers recorded.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgeUnit,
    Compare,
    HasRecord,
    Indicator,
    LegalBasis,
    Op,
    PeriodKind,
    RecordCount,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_kesehatan.services import PERMENKES_4_2019, PERMENKES_6_2024, pp_6

__all__ = ["INDICATORS"]

_WEIGHED = "kesehatan.penimbangan"
_SCREENED = "kesehatan.skrining"

_BALITA_STANDARD = LegalBasis(
    "Permenkes 4/2019",
    confirmed=False,
    note=(
        "Standard for children under five: weighed at least 8 times and length/height "
        "measured at least twice a year (growth monitoring). The counts are as commonly "
        "quoted from the lampiran; not checked against a primary copy."
    ),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="kesehatan.balita",
        title=Text(
            "Balita mendapat pemantauan pertumbuhan sesuai standar",
            "Children under five with growth monitoring to standard",
        ),
        description=Text(
            "Balita (0–59 bulan) yang dalam setahun ditimbang minimal 8 kali dan diukur "
            "panjang/tinggi badannya minimal 2 kali. Standar pelayanan balita juga mencakup "
            "pemantauan perkembangan, vitamin A dan imunisasi dasar lengkap; indikator ini "
            "menghitung bagian pemantauan pertumbuhan yang dicatat posyandu.",
            "Children aged 0–59 months weighed at least 8 times and measured for length or "
            "height at least twice in the year. The standard for children under five also "
            "covers development monitoring, vitamin A and complete basic immunisation; this "
            "indicator counts the growth-monitoring part that the posyandu records.",
        ),
        field=SpmField.KESEHATAN,
        service_type="kesehatan.balita",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(0, 59, AgeUnit.MONTHS),
        numerator=(
            RecordCount(_WEIGHED, at_least=8)
            & RecordCount(_WEIGHED, at_least=2, where=(Compare("height_cm", Op.GT, 0),))
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(pp_6(3, "d"), _BALITA_STANDARD, PERMENKES_6_2024),
    ),
    Indicator(
        code="kesehatan.usia-produktif",
        title=Text(
            "Warga usia produktif mendapat skrining kesehatan sesuai standar",
            "People of working age screened to standard",
        ),
        description=Text(
            "Warga usia 15–59 tahun yang mendapat skrining faktor risiko penyakit tidak "
            "menular dalam tahun berjalan.",
            "Residents aged 15–59 screened for non-communicable disease risk factors in the year.",
        ),
        field=SpmField.KESEHATAN,
        service_type="kesehatan.usia-produktif",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(15, 59, AgeUnit.YEARS),
        numerator=HasRecord(
            _SCREENED,
            window=Window.PERIOD,
            where=(Compare("package", Op.EQ, "usia-produktif"),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(pp_6(3, "f"), PERMENKES_4_2019, PERMENKES_6_2024),
    ),
    Indicator(
        code="kesehatan.usia-lanjut",
        title=Text(
            "Warga usia lanjut mendapat skrining kesehatan sesuai standar",
            "Older people screened to standard",
        ),
        description=Text(
            "Warga usia 60 tahun ke atas yang mendapat skrining kesehatan lanjut usia dalam "
            "tahun berjalan.",
            "Residents aged 60 and over who had a geriatric screening in the year.",
        ),
        field=SpmField.KESEHATAN,
        service_type="kesehatan.usia-lanjut",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(60, None, AgeUnit.YEARS),
        numerator=HasRecord(
            _SCREENED,
            window=Window.PERIOD,
            where=(Compare("package", Op.EQ, "usia-lanjut"),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(pp_6(3, "g"), PERMENKES_4_2019, PERMENKES_6_2024),
    ),
)
"""Every health indicator."""

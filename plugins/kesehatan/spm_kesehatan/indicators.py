"""One indicator for each of the twelve kab/kota health services, in two dated versions.

The regulation's generic indicator is "PPD served to standard ÷ PPD in the area × 100"
over one year. Here the PPD are counted from the residents the posyandu knows — or, for
the services the regulation counts by estimate (hypertension, diabetes, severe mental
disorders, presumptive TB, people at risk of HIV), from the target (sasaran) the health
office supplies — and "served" from what kader and health workers recorded.

Every indicator comes as a version under Permenkes 4/2019 (until 31 December 2023) and
one under Permenkes 6/2024 (from 1 January 2024, start assumed). The 2024 lampiran was
not available, so each 2024 version carries :data:`~spm_kesehatan.services.PERMENKES_6_2024_CHANGES`
(unconfirmed): its numbers repeat the 2019 ones except where a 2024 change is reported
(antenatal care), and a region that has the text can correct them.
"""

from __future__ import annotations

import attrs

from spm_core.plugin_api import (
    AgeBetween,
    AgeUnit,
    BornIn,
    Compare,
    DaysAfter,
    DaysOfAge,
    ExternalTarget,
    HasRecord,
    Indicator,
    LegalBasis,
    Node,
    Op,
    PeriodKind,
    RecordCount,
    Sex,
    SexIs,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_kesehatan.records import (
    ATTENDANTS_TRAINED,
    HEALTH_FACILITIES,
    TRIMESTER_WEEKS,
    TRIMESTER_WEEKS_BASIS,
)
from spm_kesehatan.services import (
    PERMENKES_4_2019,
    PERMENKES_6_2024,
    PERMENKES_6_2024_CHANGES,
    PERMENKES_6_2024_START,
    STANDARD_2019,
    STANDARD_2024,
    pp_6,
)

__all__ = ["ANC_WINDOW_DAYS", "INDICATORS", "KN1_HOURS"]

_WEIGHED = "kesehatan.penimbangan"
_SCREENED = "kesehatan.skrining"
_ANC = "kesehatan.pemeriksaan-kehamilan"
_DELIVERY = "kesehatan.persalinan"
_NEONATAL = "kesehatan.kunjungan-neonatal"
_CARE = "kesehatan.pelayanan-penyakit"

ANC_WINDOW_DAYS = 300
"""Antenatal visits counted for a delivery: those of the 300 days up to it (a pregnancy
lasts at most about 43 weeks)."""

KN1_HOURS = (6, 48)
"""KN1 is the neonatal visit 6 to 48 hours after birth (inclusive)."""

_BALITA_STANDARD = LegalBasis(
    "Permenkes 4/2019",
    confirmed=False,
    note=(
        "Growth-monitoring part of the standard for children under five: weighed in at "
        "least 8 months of the year and length/height measured at least twice. Weighings "
        "are counted by calendar month (two in one month count once), because the "
        "standard is monthly weighing at the posyandu. The age is taken on the period's "
        "last day — the day the report's population is taken (alive and domiciled) — so a "
        "child is counted with one age: 0–59 completed months on 31 December. A child who "
        "turns 60 months during the year is no longer a balita in that year's report. The "
        "counts are as commonly quoted from the lampiran; not checked against a primary copy."
    ),
)

_ANC_2019 = LegalBasis(
    "Permenkes 4/2019",
    confirmed=False,
    note=(
        "ANC at least 4 times: once in the first trimester, once in the second, twice in "
        "the third (confirmed by a Puskesmas definition); trimester bounds are data "
        "(TRIMESTER_WEEKS). Reading: the recipients are the women who gave birth in the "
        "period, and the visits counted are those of the 300 days up to the delivery."
    ),
)

_ANC_2024 = LegalBasis(
    "Permenkes 6/2024",
    confirmed=False,
    note=(
        "Reportedly at least 6 ANC visits, at least 2 of them by a doctor, with an "
        "ultrasound; not checked against the lampiran."
    ),
)

_TARGET_NOTE = LegalBasis(
    "Permenkes 4/2019",
    note=(
        "The recipients are counted by estimate (the target the health office sets); the "
        "served are the residents recorded as cared for to standard in the period."
    ),
)


def _dated(indicator: Indicator, numerator_2024: Node | None = None) -> tuple[Indicator, ...]:
    """Return the Permenkes 4/2019 and the Permenkes 6/2024 version of ``indicator``.

    ``indicator`` is written with the article of PP 2/2018 and its own notes; the 2019
    version adds Permenkes 4/2019, the 2024 one Permenkes 6/2024 with its unconfirmed
    start and changes (and ``numerator_2024`` when the 2024 standard differs).
    """
    version_2019 = attrs.evolve(
        indicator,
        legal_basis=(*indicator.legal_basis, PERMENKES_4_2019),
        validity=STANDARD_2019,
    )
    version_2024 = attrs.evolve(
        indicator,
        numerator=indicator.numerator if numerator_2024 is None else numerator_2024,
        legal_basis=(
            *indicator.legal_basis,
            PERMENKES_6_2024,
            PERMENKES_6_2024_START,
            PERMENKES_6_2024_CHANGES,
        ),
        validity=STANDARD_2024,
    )
    return (version_2019, version_2024)


def _anc(at_least: int, *where: Compare) -> RecordCount:
    return RecordCount(
        _ANC, at_least=at_least, window=DaysAfter(_DELIVERY, -ANC_WINDOW_DAYS, 0), where=where
    )


def _trimester(number: int, at_least: int) -> RecordCount:
    low, high = TRIMESTER_WEEKS[number]
    return _anc(
        at_least,
        Compare("gestational_age_weeks", Op.GE, low),
        Compare("gestational_age_weeks", Op.LE, high),
    )


def _cared(condition: str) -> HasRecord:
    return HasRecord(
        _CARE,
        window=Window.PERIOD,
        where=(Compare("condition", Op.EQ, condition), Compare("to_standard", Op.EQ, True)),
    )


def _kn(visit: str) -> HasRecord:
    return HasRecord(_NEONATAL, where=(Compare("visit", Op.EQ, visit),), window=Window.PERIOD)


_ADULT = AgeBetween(15, None, AgeUnit.YEARS)

INDICATORS: tuple[Indicator, ...] = (
    *_dated(
        Indicator(
            code="kesehatan.ibu-hamil",
            title=Text(
                "Ibu hamil mendapat pelayanan antenatal sesuai standar",
                "Pregnant women with antenatal care to standard",
            ),
            description=Text(
                "Perempuan yang bersalin dalam periode dan selama kehamilannya (300 hari "
                "sebelum persalinan) diperiksa minimal 1 kali pada trimester pertama, 1 kali "
                "pada trimester kedua dan 2 kali pada trimester ketiga.",
                "Women who gave birth in the period and whose pregnancy (the 300 days before "
                "the delivery) had at least one antenatal visit in the first trimester, one "
                "in the second and two in the third.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.ibu-hamil",
            subject=Subject.RESIDENT,
            denominator=SexIs(Sex.FEMALE) & HasRecord(_DELIVERY, window=Window.PERIOD),
            numerator=_trimester(1, 1) & _trimester(2, 1) & _trimester(3, 2),
            legal_basis=(pp_6(3, "a"), _ANC_2019, TRIMESTER_WEEKS_BASIS),
        ),
        numerator_2024=(
            _anc(6)
            & _anc(2, Compare("examiner", Op.EQ, "dokter"))
            & _anc(1, Compare("ultrasound", Op.EQ, True))
        ),
    ),
    *_dated(
        Indicator(
            code="kesehatan.ibu-bersalin",
            title=Text(
                "Ibu bersalin mendapat pelayanan persalinan sesuai standar",
                "Women giving birth with delivery care to standard",
            ),
            description=Text(
                "Perempuan yang bersalin dalam periode, ditolong dokter atau bidan di "
                "fasilitas pelayanan kesehatan.",
                "Women who gave birth in the period, attended by a doctor or midwife in a "
                "health facility.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.ibu-bersalin",
            subject=Subject.RESIDENT,
            denominator=SexIs(Sex.FEMALE) & HasRecord(_DELIVERY, window=Window.PERIOD),
            numerator=HasRecord(
                _DELIVERY,
                window=Window.PERIOD,
                where=(
                    Compare("place", Op.IN, HEALTH_FACILITIES),
                    Compare("attendant", Op.IN, ATTENDANTS_TRAINED),
                ),
            ),
            legal_basis=(pp_6(3, "b"),),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.bayi-baru-lahir",
            title=Text(
                "Bayi baru lahir mendapat kunjungan neonatal sesuai standar",
                "Newborns with neonatal visits to standard",
            ),
            description=Text(
                "Bayi yang lahir dalam periode dan mendapat KN1 pada umur 6–48 jam, KN2 pada "
                "hari ke-3–7 dan KN3 pada hari ke-8–28. Bayi yang lahir menjelang akhir "
                "periode dan kunjungannya jatuh sesudahnya belum terhitung dilayani.",
                "Babies born in the period who had KN1 at 6–48 hours of age, KN2 on days "
                "3–7 and KN3 on days 8–28. A baby born so late in the period that a visit "
                "falls after it is not yet counted as served.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.bayi-baru-lahir",
            subject=Subject.RESIDENT,
            denominator=BornIn(Window.PERIOD),
            numerator=(
                HasRecord(
                    _NEONATAL,
                    window=Window.PERIOD,
                    where=(
                        Compare("visit", Op.EQ, "kn1"),
                        Compare("hours_after_birth", Op.GE, KN1_HOURS[0]),
                        Compare("hours_after_birth", Op.LE, KN1_HOURS[1]),
                    ),
                )
                & HasRecord(
                    _NEONATAL, window=DaysOfAge(3, 7), where=(Compare("visit", Op.EQ, "kn2"),)
                )
                & HasRecord(
                    _NEONATAL, window=DaysOfAge(8, 28), where=(Compare("visit", Op.EQ, "kn3"),)
                )
            ),
            legal_basis=(pp_6(3, "c"),),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.balita",
            title=Text(
                "Balita mendapat pemantauan pertumbuhan sesuai standar (bagian pemantauan "
                "pertumbuhan dari pelayanan balita)",
                "Children under five with growth monitoring to standard (the growth-"
                "monitoring part of the service)",
            ),
            description=Text(
                "Balita (0–59 bulan pada akhir periode) yang ditimbang dalam minimal 8 bulan "
                "berbeda dalam setahun dan diukur panjang/tinggi badannya minimal 2 kali. "
                "Standar pelayanan balita juga mencakup pemantauan perkembangan, vitamin A dan "
                "imunisasi dasar lengkap; indikator ini hanya menghitung bagian pemantauan "
                "pertumbuhan, sehingga capaian layanan balita tidak dapat dibaca darinya saja.",
                "Children aged 0–59 months at the end of the period weighed in at least 8 "
                "distinct months of the year and measured for length or height at least "
                "twice. The standard also covers development monitoring, vitamin A and "
                "complete basic immunisation; this indicator counts only the growth-"
                "monitoring part, so the service's achievement cannot be read from it alone.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.balita",
            subject=Subject.RESIDENT,
            denominator=AgeBetween(0, 59, AgeUnit.MONTHS),
            numerator=(
                RecordCount(_WEIGHED, at_least=8, distinct_months=True)
                & RecordCount(_WEIGHED, at_least=2, where=(Compare("height_cm", Op.GT, 0),))
            ),
            period_kind=PeriodKind.YEAR,
            legal_basis=(pp_6(3, "d"), _BALITA_STANDARD),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.usia-pendidikan-dasar",
            title=Text(
                "Anak usia pendidikan dasar mendapat skrining kesehatan sesuai standar",
                "Children of basic-education age screened to standard",
            ),
            description=Text(
                "Anak usia 7–15 tahun pada akhir periode yang mendapat penjaringan kesehatan "
                "dalam tahun berjalan. Usia dipakai sebagai pengganti kelas 1–9.",
                "Children aged 7–15 at the end of the period who had a health screening in "
                "the year. The age stands in for grades 1–9.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.usia-pendidikan-dasar",
            subject=Subject.RESIDENT,
            denominator=AgeBetween(7, 15, AgeUnit.YEARS),
            numerator=HasRecord(
                _SCREENED,
                window=Window.PERIOD,
                where=(Compare("package", Op.EQ, "usia-pendidikan-dasar"),),
            ),
            legal_basis=(pp_6(3, "e"),),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.usia-produktif",
            title=Text(
                "Warga usia produktif mendapat skrining kesehatan sesuai standar",
                "People of working age screened to standard",
            ),
            description=Text(
                "Warga usia 15–59 tahun yang mendapat skrining faktor risiko penyakit tidak "
                "menular dalam tahun berjalan.",
                "Residents aged 15–59 screened for non-communicable disease risk factors in "
                "the year.",
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
            legal_basis=(pp_6(3, "f"),),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.usia-lanjut",
            title=Text(
                "Warga usia lanjut mendapat skrining kesehatan sesuai standar",
                "Older people screened to standard",
            ),
            description=Text(
                "Warga usia 60 tahun ke atas yang mendapat skrining kesehatan lanjut usia "
                "dalam tahun berjalan.",
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
            legal_basis=(pp_6(3, "g"),),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.hipertensi",
            title=Text(
                "Penderita hipertensi mendapat pelayanan kesehatan sesuai standar",
                "People with hypertension cared for to standard",
            ),
            description=Text(
                "Warga usia 15 tahun ke atas yang mendapat pelayanan hipertensi sesuai "
                "standar dalam periode, dibagi perkiraan penderita hipertensi (sasaran).",
                "Residents aged 15 and over cared for hypertension to standard in the "
                "period, over the estimated number of hypertensives (the target).",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.hipertensi",
            subject=Subject.RESIDENT,
            denominator=ExternalTarget("kesehatan.penderita-hipertensi"),
            numerator=_ADULT & _cared("hipertensi"),
            legal_basis=(pp_6(3, "h"), _TARGET_NOTE),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.diabetes-melitus",
            title=Text(
                "Penderita diabetes melitus mendapat pelayanan kesehatan sesuai standar",
                "People with diabetes cared for to standard",
            ),
            description=Text(
                "Warga usia 15 tahun ke atas yang mendapat pelayanan diabetes melitus sesuai "
                "standar dalam periode, dibagi perkiraan penderita diabetes (sasaran).",
                "Residents aged 15 and over cared for diabetes to standard in the period, "
                "over the estimated number of diabetics (the target).",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.diabetes-melitus",
            subject=Subject.RESIDENT,
            denominator=ExternalTarget("kesehatan.penderita-diabetes"),
            numerator=_ADULT & _cared("diabetes-melitus"),
            legal_basis=(pp_6(3, "i"), _TARGET_NOTE),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.odgj-berat",
            title=Text(
                "ODGJ berat mendapat pelayanan kesehatan jiwa sesuai standar",
                "People with severe mental disorders cared for to standard",
            ),
            description=Text(
                "Warga dengan gangguan jiwa berat yang mendapat pelayanan kesehatan jiwa "
                "sesuai standar dalam periode, dibagi perkiraan ODGJ berat (sasaran).",
                "Residents with a severe mental disorder given mental health care to "
                "standard in the period, over the estimated number (the target).",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.odgj-berat",
            subject=Subject.RESIDENT,
            denominator=ExternalTarget("kesehatan.odgj-berat"),
            numerator=_cared("odgj-berat"),
            legal_basis=(pp_6(3, "j"), _TARGET_NOTE),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.terduga-tbc",
            title=Text(
                "Orang terduga TBC mendapat pemeriksaan sesuai standar",
                "People with presumptive TB examined to standard",
            ),
            description=Text(
                "Warga terduga tuberkulosis yang diperiksa sesuai standar dalam periode, "
                "dibagi sasaran orang terduga TBC.",
                "Residents with presumptive tuberculosis examined to standard in the period, "
                "over the target of presumptive cases.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.terduga-tbc",
            subject=Subject.RESIDENT,
            denominator=ExternalTarget("kesehatan.terduga-tbc"),
            numerator=HasRecord(
                "kesehatan.pemeriksaan-tbc",
                window=Window.PERIOD,
                where=(Compare("to_standard", Op.EQ, True),),
            ),
            legal_basis=(pp_6(3, "k"), _TARGET_NOTE),
        )
    ),
    *_dated(
        Indicator(
            code="kesehatan.risiko-hiv",
            title=Text(
                "Orang berisiko terinfeksi HIV mendapat tes HIV sesuai standar",
                "People at risk of HIV tested to standard",
            ),
            description=Text(
                "Warga berisiko terinfeksi HIV yang mendapat tes HIV dalam periode, dibagi "
                "sasaran orang berisiko.",
                "Residents at risk of HIV infection tested in the period, over the target of "
                "people at risk.",
            ),
            field=SpmField.KESEHATAN,
            service_type="kesehatan.risiko-hiv",
            subject=Subject.RESIDENT,
            denominator=ExternalTarget("kesehatan.berisiko-hiv"),
            numerator=HasRecord("kesehatan.tes-hiv", window=Window.PERIOD),
            legal_basis=(pp_6(3, "l"), _TARGET_NOTE),
        )
    ),
)
"""Every health indicator, each in its 2019 and its 2024 version: one per kab/kota service."""

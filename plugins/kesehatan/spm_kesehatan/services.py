"""The health field and its service types (Jenis Pelayanan Dasar), PP 2/2018 Ps. 6.

Kab/kota owe twelve basic services (Ps. 6 ayat (3)), provinces two (Ps. 6 ayat (2)).
The technical standard was Permenkes 4/2019; Permenkes 6/2024 replaced it and keeps the
twelve services, because PP 2/2018 fixes them. Each service type therefore comes in two
**dated versions**: one under Permenkes 4/2019 (:data:`STANDARD_2019`) and one under
Permenkes 6/2024 (:data:`STANDARD_2024`); a report uses the version in force on the last
day of its period. The recipients and standards written here follow Permenkes 4/2019.
The 2024 lampiran could not be checked, so every numeric change it may make is marked
unconfirmed, and so is the day the 2024 standard took over, which the reference does not
give (1 January 2024 is assumed; a region can correct it).
"""

from __future__ import annotations

from datetime import date

import attrs

from spm_core.plugin_api import (
    FieldDefinition,
    GovernmentLevel,
    LegalBasis,
    ServiceType,
    SpmField,
    Text,
    Validity,
)

__all__ = [
    "FIELD",
    "PERMENKES_4_2019",
    "PERMENKES_6_2024",
    "PERMENKES_6_2024_CHANGES",
    "PERMENKES_6_2024_START",
    "SERVICE_TYPES",
    "STANDARD_2019",
    "STANDARD_2024",
    "pp_6",
]

_PP = "PP 2/2018"
_PP_SOURCE = "pasal.id/peraturan/pp/pp-no-2-tahun-2018 (Ps. 6: koreksi/9021546)"

PERMENKES_4_2019 = LegalBasis(
    "Permenkes 4/2019",
    note=(
        "Technical standard of SPM health (standar teknis pemenuhan mutu pelayanan dasar); "
        "the recipients and standards of each service follow it. Replaced by Permenkes 6/2024."
    ),
)
"""The technical standard the texts of this package follow."""

PERMENKES_6_2024 = LegalBasis(
    "Permenkes 6/2024",
    note=(
        "Technical standard of SPM health in force; replaces Permenkes 4/2019 and keeps the "
        "twelve services of PP 2/2018 Ps. 6 ayat (3). Its lampiran was not available."
    ),
    source="slideshare.net/slideshow/update-revisi-permenkes-spm-kesehatan-no-4-tahun-2019/264654450",
)
"""The technical standard in force; the replacement is supported by secondary sources."""

PERMENKES_6_2024_CHANGES = LegalBasis(
    "Permenkes 6/2024",
    confirmed=False,
    note=(
        "Numeric changes of the 2024 standard (e.g. ANC at least 6 visits with 2 doctor "
        "visits incl. USG, nifas visits) are reported but could not be checked."
    ),
)
"""Marks a definition whose numbers may have changed in 2024 (UNCONFIRMED)."""

PERMENKES_6_2024_START = LegalBasis(
    "Permenkes 6/2024",
    confirmed=False,
    note=(
        "The day Permenkes 6/2024 took over from Permenkes 4/2019 is not in the reference "
        "used (only the year of the regulation and a Kemenkes revision deck of 5 December "
        "2023); 1 January 2024 is assumed. A region that knows the promulgation date can "
        "correct the validity."
    ),
)
"""Marks the assumed start of the 2024 standard (UNCONFIRMED)."""

STANDARD_2024 = Validity(start=date(2024, 1, 1))
"""Validity of the versions under Permenkes 6/2024 (start assumed, see above)."""

STANDARD_2019 = Validity(end=date(2023, 12, 31))
"""Validity of the versions under Permenkes 4/2019: until the 2024 standard took over.

Its start is left open: the catalog has no version older than Permenkes 4/2019."""


def pp_6(paragraph: int, letter: str | None = None) -> LegalBasis:
    """Return the citation of PP 2/2018 Ps. 6 ``ayat (paragraph)`` (``huruf letter``)."""
    article = f"Ps. 6 ayat ({paragraph})" + ("" if letter is None else f" huruf {letter}")
    return LegalBasis(_PP, article, source=_PP_SOURCE)


FIELD = FieldDefinition(
    code="kesehatan",
    field=SpmField.KESEHATAN,
    title=SpmField.KESEHATAN.label,
    legal_basis=(
        LegalBasis(_PP, "Ps. 6", source=_PP_SOURCE),
        LegalBasis("UU 23/2014", "Ps. 12 ayat (1)"),
    ),
    description=Text(
        "SPM bidang kesehatan: dua belas jenis pelayanan dasar kabupaten/kota dan dua "
        "jenis pelayanan dasar provinsi.",
        "SPM health field: twelve basic services owed by kab/kota and two owed by provinces.",
    ),
)


def _kabkota(
    code: str,
    letter: str,
    title: Text,
    recipients: Text,
    standard: Text,
    *,
    changed_2024: bool = False,
) -> tuple[ServiceType, ...]:
    return _versions(
        code,
        GovernmentLevel.KABUPATEN_KOTA,
        pp_6(3, letter),
        title,
        recipients,
        standard,
        changed_2024=changed_2024,
    )


def _provinsi(code: str, letter: str, title: Text, recipients: Text) -> tuple[ServiceType, ...]:
    return _versions(code, GovernmentLevel.PROVINSI, pp_6(2, letter), title, recipients, None)


def _flatten(*groups: tuple[ServiceType, ...]) -> tuple[ServiceType, ...]:
    return tuple(version for group in groups for version in group)


def _versions(
    code: str,
    level: GovernmentLevel,
    article: LegalBasis,
    title: Text,
    recipients: Text,
    standard: Text | None,
    *,
    changed_2024: bool = False,
) -> tuple[ServiceType, ...]:
    """Return the 2019 and the 2024 version of one service type."""
    changes = (PERMENKES_6_2024_CHANGES,) if changed_2024 else ()
    version_2019 = ServiceType(
        code=f"kesehatan.{code}",
        field=SpmField.KESEHATAN,
        level=level,
        title=title,
        recipients=recipients,
        description=standard,
        legal_basis=(article, PERMENKES_4_2019),
        validity=STANDARD_2019,
    )
    version_2024 = attrs.evolve(
        version_2019,
        legal_basis=(article, PERMENKES_6_2024, PERMENKES_6_2024_START, *changes),
        validity=STANDARD_2024,
    )
    return (version_2019, version_2024)


SERVICE_TYPES: tuple[ServiceType, ...] = _flatten(
    _kabkota(
        "ibu-hamil",
        "a",
        Text("Pelayanan kesehatan ibu hamil", "Health care for pregnant women"),
        Text("Setiap ibu hamil", "Every pregnant woman"),
        Text(
            "Pemeriksaan kehamilan (ANC) minimal 4 kali: 1 kali pada trimester pertama, "
            "1 kali pada trimester kedua dan 2 kali pada trimester ketiga, dengan standar 10T.",
            "Antenatal care (ANC) at least 4 times: once in the first trimester, once in the "
            "second and twice in the third, following the '10T' standard.",
        ),
        changed_2024=True,
    ),
    _kabkota(
        "ibu-bersalin",
        "b",
        Text("Pelayanan kesehatan ibu bersalin", "Health care for women giving birth"),
        Text("Setiap ibu bersalin", "Every woman giving birth"),
        Text(
            "Persalinan oleh tenaga kesehatan terlatih di fasilitas pelayanan kesehatan, "
            "sesuai standar.",
            "Delivery by trained health workers in a health facility, to standard.",
        ),
        changed_2024=True,
    ),
    _kabkota(
        "bayi-baru-lahir",
        "c",
        Text("Pelayanan kesehatan bayi baru lahir", "Health care for newborns"),
        Text("Setiap bayi baru lahir (0–28 hari)", "Every newborn (0–28 days)"),
        Text(
            "Kunjungan neonatal KN1 (6–48 jam), KN2 (3–7 hari) dan KN3 (8–28 hari).",
            "Neonatal visits KN1 (6–48 hours), KN2 (3–7 days) and KN3 (8–28 days).",
        ),
    ),
    _kabkota(
        "balita",
        "d",
        Text("Pelayanan kesehatan balita", "Health care for children under five"),
        Text("Setiap balita (0–59 bulan)", "Every child aged 0–59 months"),
        Text(
            "Pemantauan pertumbuhan dan perkembangan, pemberian vitamin A dan imunisasi "
            "dasar lengkap.",
            "Growth and development monitoring, vitamin A and complete basic immunisation.",
        ),
    ),
    _kabkota(
        "usia-pendidikan-dasar",
        "e",
        Text(
            "Pelayanan kesehatan pada usia pendidikan dasar",
            "Health care for children of basic-education age",
        ),
        Text(
            "Setiap anak usia pendidikan dasar (kelas 1–9, usia 7–15 tahun)",
            "Every child of basic-education age (grades 1–9, aged 7–15)",
        ),
        Text("Penjaringan kesehatan setiap tahun.", "A health screening every year."),
    ),
    _kabkota(
        "usia-produktif",
        "f",
        Text("Pelayanan kesehatan pada usia produktif", "Health care for people of working age"),
        Text("Setiap warga negara usia 15–59 tahun", "Every citizen aged 15–59"),
        Text(
            "Skrining faktor risiko penyakit tidak menular setiap tahun.",
            "A yearly screening for non-communicable disease risk factors.",
        ),
    ),
    _kabkota(
        "usia-lanjut",
        "g",
        Text("Pelayanan kesehatan pada usia lanjut", "Health care for older people"),
        Text("Setiap warga negara usia 60 tahun ke atas", "Every citizen aged 60 and over"),
        Text("Skrining kesehatan lanjut usia setiap tahun.", "A yearly geriatric screening."),
    ),
    _kabkota(
        "hipertensi",
        "h",
        Text("Pelayanan kesehatan penderita hipertensi", "Care for people with hypertension"),
        Text(
            "Setiap penderita hipertensi usia 15 tahun ke atas (sasaran berupa perkiraan)",
            "Every person with hypertension aged 15 and over (the target is an estimate)",
        ),
        Text("Pelayanan kesehatan sesuai standar.", "Care to standard."),
    ),
    _kabkota(
        "diabetes-melitus",
        "i",
        Text("Pelayanan kesehatan penderita diabetes melitus", "Care for people with diabetes"),
        Text(
            "Setiap penderita diabetes melitus usia 15 tahun ke atas (sasaran berupa perkiraan)",
            "Every person with diabetes aged 15 and over (the target is an estimate)",
        ),
        Text("Pelayanan kesehatan sesuai standar.", "Care to standard."),
    ),
    _kabkota(
        "odgj-berat",
        "j",
        Text(
            "Pelayanan kesehatan orang dengan gangguan jiwa berat",
            "Care for people with severe mental disorders",
        ),
        Text(
            "Setiap orang dengan gangguan jiwa berat (psikotik akut, skizofrenia; sasaran "
            "berupa perkiraan)",
            "Every person with a severe mental disorder (acute psychosis, schizophrenia; "
            "the target is an estimate)",
        ),
        Text("Pelayanan kesehatan jiwa sesuai standar.", "Mental health care to standard."),
    ),
    _kabkota(
        "terduga-tbc",
        "k",
        Text(
            "Pelayanan kesehatan orang terduga tuberkulosis",
            "Care for people with presumptive tuberculosis",
        ),
        Text("Setiap orang terduga tuberkulosis", "Every person with presumptive tuberculosis"),
        Text("Pemeriksaan sesuai standar.", "Examination to standard."),
    ),
    _kabkota(
        "risiko-hiv",
        "l",
        Text(
            "Pelayanan kesehatan orang dengan risiko terinfeksi HIV",
            "Care for people at risk of HIV infection",
        ),
        Text(
            "Setiap orang berisiko terinfeksi HIV (ibu hamil, pasien TBC, pasien IMS, "
            "populasi kunci, warga binaan pemasyarakatan)",
            "Every person at risk of HIV infection (pregnant women, TB patients, STI "
            "patients, key populations, prison inmates)",
        ),
        Text("Tes HIV sesuai standar.", "An HIV test to standard."),
    ),
    _provinsi(
        "krisis-kesehatan-bencana-provinsi",
        "a",
        Text(
            "Pelayanan kesehatan bagi penduduk terdampak krisis kesehatan akibat bencana "
            "dan/atau berpotensi bencana provinsi",
            "Health care for people hit by a health crisis from a (potential) provincial disaster",
        ),
        Text(
            "Penduduk terdampak krisis kesehatan akibat bencana provinsi",
            "People hit by a health crisis from a provincial disaster",
        ),
    ),
    _provinsi(
        "klb-provinsi",
        "b",
        Text(
            "Pelayanan kesehatan bagi penduduk pada kondisi kejadian luar biasa provinsi",
            "Health care for people during a provincial outbreak (KLB)",
        ),
        Text(
            "Penduduk pada kondisi kejadian luar biasa (KLB) provinsi",
            "People in a provincial outbreak (KLB)",
        ),
    ),
)
"""Every health service type, each in its 2019 and its 2024 version: twelve kab/kota
services, then the two provincial ones."""

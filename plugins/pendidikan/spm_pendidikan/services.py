"""The education field and its service types (Jenis Pelayanan Dasar), PP 2/2018 Ps. 5.

The technical standard is Permendikbudristek 32/2022 (BN 2022 No. 677, issued 8 July
2022, promulgated 20 July 2022), which replaced Permendikbud 32/2018; the index is
computed as Kepmendikbudristek 311/M/2022 prescribes. Each service type comes in two
**dated versions**: under Permendikbud 32/2018 until 19 July 2022 (:data:`STANDARD_2018`)
and under Permendikbudristek 32/2022 from 20 July 2022 (:data:`STANDARD_2022`). The
2018 text was not available: its version repeats the recipients of the 2022 one, and
says so (unconfirmed).
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
    "PERMENDIKBUDRISTEK_32_2022",
    "PERMENDIKBUD_32_2018",
    "PP_5",
    "SERVICE_TYPES",
    "STANDARD_2018",
    "STANDARD_2022",
]

PP_5 = LegalBasis("PP 2/2018", "Ps. 5", source="pasal.id/peraturan/pp/pp-no-2-tahun-2018")
"""The article of PP 2/2018 that lists the education services and their recipients."""

PERMENDIKBUDRISTEK_32_2022 = LegalBasis(
    "Permendikbudristek 32/2022",
    "Ps. 5–6",
    note=(
        "Technical standard of SPM education (BN 2022 No. 677), in force from its "
        "promulgation on 20 July 2022; it replaced Permendikbud 32/2018."
    ),
    source="pasal.id/peraturan/permen/permendikbudristek-no-32-tahun-2022",
)
"""The technical standard in force, which sets the recipients' ages."""

STANDARD_2022 = Validity(start=date(2022, 7, 20))
"""In force since Permendikbudristek 32/2022 was promulgated (it replaced 32/2018)."""

PERMENDIKBUD_32_2018 = LegalBasis(
    "Permendikbud 32/2018",
    confirmed=False,
    note=(
        "Technical standard of SPM education until Permendikbudristek 32/2022 replaced it "
        "on 20 July 2022. Its text was not available: the recipients written here repeat "
        "those of 2022, and the day it came into force is not in the reference (the "
        "version is open towards the past)."
    ),
)
"""The technical standard before 20 July 2022 (its content and start UNCONFIRMED)."""

STANDARD_2018 = Validity(end=date(2022, 7, 19))
"""Validity of the versions under Permendikbud 32/2018: until the 2022 standard."""

FIELD = FieldDefinition(
    code="pendidikan",
    field=SpmField.PENDIDIKAN,
    title=SpmField.PENDIDIKAN.label,
    legal_basis=(PP_5, LegalBasis("UU 23/2014", "Ps. 12 ayat (1)")),
    description=Text(
        "SPM bidang pendidikan: PAUD, pendidikan dasar dan pendidikan kesetaraan oleh "
        "kabupaten/kota; pendidikan menengah dan pendidikan khusus oleh provinsi.",
        "SPM education field: early childhood, basic and equivalency education owed by "
        "kab/kota; secondary and special education owed by provinces.",
    ),
)


def _service(
    code: str, level: GovernmentLevel, title: Text, recipients: Text, description: Text
) -> tuple[ServiceType, ServiceType]:
    """Return the 2018 and the 2022 version of one service type."""
    version_2022 = ServiceType(
        code=f"pendidikan.{code}",
        field=SpmField.PENDIDIKAN,
        level=level,
        title=title,
        recipients=recipients,
        description=description,
        legal_basis=(PP_5, PERMENDIKBUDRISTEK_32_2022),
        validity=STANDARD_2022,
    )
    version_2018 = attrs.evolve(
        version_2022, legal_basis=(PP_5, PERMENDIKBUD_32_2018), validity=STANDARD_2018
    )
    return (version_2018, version_2022)


def _flatten(*groups: tuple[ServiceType, ...]) -> tuple[ServiceType, ...]:
    return tuple(version for group in groups for version in group)


_KAB_KOTA, _PROVINSI = GovernmentLevel.KABUPATEN_KOTA, GovernmentLevel.PROVINSI

SERVICE_TYPES: tuple[ServiceType, ...] = _flatten(
    _service(
        "paud",
        _KAB_KOTA,
        Text("Pendidikan anak usia dini (PAUD)", "Early childhood education (PAUD)"),
        Text("Warga negara usia 5–6 tahun", "Citizens aged 5–6"),
        Text(
            "Layanan PAUD (TK, RA, KB, TPA, SPS) bagi anak usia 5–6 tahun.",
            "Early childhood education (kindergarten, playgroup, day care, similar units) for "
            "children aged 5–6.",
        ),
    ),
    _service(
        "dasar",
        _KAB_KOTA,
        Text("Pendidikan dasar", "Basic education"),
        Text("Warga negara usia 7–15 tahun", "Citizens aged 7–15"),
        Text(
            "Layanan SD/MI dan SMP/MTs bagi anak usia 7–15 tahun.",
            "Primary and lower-secondary schooling for children aged 7–15.",
        ),
    ),
    _service(
        "kesetaraan",
        _KAB_KOTA,
        Text("Pendidikan kesetaraan", "Equivalency education"),
        Text(
            "Warga negara usia 7–18 tahun yang belum menyelesaikan pendidikan dasar atau menengah",
            "Citizens aged 7–18 who have not completed basic or secondary education",
        ),
        Text(
            "Program Paket A, Paket B dan Paket C.",
            "Equivalency programmes Paket A, B and C.",
        ),
    ),
    _service(
        "menengah",
        _PROVINSI,
        Text("Pendidikan menengah", "Secondary education"),
        Text("Warga negara usia 16–18 tahun", "Citizens aged 16–18"),
        Text("Layanan SMA/MA dan SMK/MAK.", "General and vocational upper-secondary schooling."),
    ),
    _service(
        "khusus",
        _PROVINSI,
        Text("Pendidikan khusus", "Special education"),
        Text(
            "Warga negara penyandang disabilitas usia 4–18 tahun",
            "Citizens with disabilities aged 4–18",
        ),
        Text("Layanan pendidikan khusus (SLB).", "Special-needs schooling (SLB)."),
    ),
)
"""Every education service type, each in its 2018 and its 2022 version: three kab/kota
services, then two provincial ones."""

"""The public-works field and its service types (Jenis Pelayanan Dasar), PP 2/2018 Ps. 7.

The technical standard is Permen PUPR 29/PRT/M/2018, Lampiran I (drinking water and
domestic waste water).
"""

from __future__ import annotations

from spm_core.plugin_api import (
    FieldDefinition,
    GovernmentLevel,
    LegalBasis,
    ServiceType,
    SpmField,
    Text,
)

__all__ = ["FIELD", "LAMPIRAN_I", "PP_7", "SERVICE_TYPES"]

PP_7 = LegalBasis("PP 2/2018", "Ps. 7", source="pasal.id/peraturan/pp/pp-no-2-tahun-2018")
"""The article of PP 2/2018 that lists the public-works services."""

LAMPIRAN_I = LegalBasis(
    "Permen PUPR 29/PRT/M/2018",
    "Lampiran I",
    note=(
        "Technical standard of SPM public works: drinking water of at least 60 l per person "
        "per day, improved sources, SPALD-S/SPALD-T."
    ),
    source="123dok.com/document/q5m2705j-standar-pelayanan-minimal-pekerjaan-umum.html",
)
"""The technical standard: definitions, the 60 l rule and the 10 m rule."""

FIELD = FieldDefinition(
    code="pupr",
    field=SpmField.PUPR,
    title=SpmField.PUPR.label,
    legal_basis=(PP_7, LegalBasis("UU 23/2014", "Ps. 12 ayat (1)")),
    description=Text(
        "SPM bidang pekerjaan umum: air minum dan pengolahan air limbah domestik.",
        "SPM public-works field: drinking water and domestic waste-water treatment.",
    ),
)


def _service(
    code: str, level: GovernmentLevel, title: Text, recipients: Text, description: Text | None
) -> ServiceType:
    return ServiceType(
        code=f"pupr.{code}",
        field=SpmField.PUPR,
        level=level,
        title=title,
        recipients=recipients,
        description=description,
        legal_basis=(PP_7, LAMPIRAN_I),
    )


_EVERY_CITIZEN = Text("Setiap warga negara (rumah tangga)", "Every citizen (household)")
_CROSS_BORDER = Text(
    "Warga negara yang dilayani sistem lintas kabupaten/kota",
    "Citizens served by a system crossing kab/kota borders",
)

SERVICE_TYPES: tuple[ServiceType, ...] = (
    _service(
        "air-minum",
        GovernmentLevel.KABUPATEN_KOTA,
        Text(
            "Pemenuhan kebutuhan pokok air minum sehari-hari",
            "Meeting the basic daily need for drinking water",
        ),
        _EVERY_CITIZEN,
        Text(
            "Air dengan kualitas air minum minimal 60 liter/orang/hari untuk minum, masak, "
            "mandi, cuci, kakus dan ibadah, melalui SPAM jaringan perpipaan atau bukan "
            "jaringan perpipaan.",
            "At least 60 litres of drinking-quality water per person per day for drinking, "
            "cooking, bathing, washing, toilet and worship, piped or non-piped.",
        ),
    ),
    _service(
        "air-limbah",
        GovernmentLevel.KABUPATEN_KOTA,
        Text(
            "Penyediaan pelayanan pengolahan air limbah domestik",
            "Domestic waste-water treatment service",
        ),
        _EVERY_CITIZEN,
        Text(
            "SPALD setempat (kakus, tangki septik dan penyedotan berkala ke IPLT) atau SPALD "
            "terpusat (jaringan perpipaan ke IPALD).",
            "On-site treatment (toilet, septic tank and periodic desludging to a sludge "
            "plant) or a sewer network to a treatment plant.",
        ),
    ),
    _service(
        "air-minum-curah-provinsi",
        GovernmentLevel.PROVINSI,
        Text(
            "Pemenuhan kebutuhan air minum curah lintas kabupaten/kota",
            "Bulk drinking water across kab/kota",
        ),
        _CROSS_BORDER,
        None,
    ),
    _service(
        "air-limbah-regional-provinsi",
        GovernmentLevel.PROVINSI,
        Text(
            "Penyediaan pelayanan pengolahan air limbah domestik regional lintas kabupaten/kota",
            "Regional domestic waste-water treatment across kab/kota",
        ),
        _CROSS_BORDER,
        None,
    ),
)
"""Every public-works service type: two kab/kota services, then two provincial ones."""

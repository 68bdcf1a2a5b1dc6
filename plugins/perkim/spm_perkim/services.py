"""The housing field and its service types (Jenis Pelayanan Dasar), PP 2/2018 Ps. 8.

The technical standard is Permen PUPR 29/PRT/M/2018, Lampiran II. The SPM services are
livable housing for disaster victims and for households relocated by a Pemda programme;
general rehabilitation of houses unfit to live in (RTLH/Rutilahu) is not an SPM service
and runs as an ordinary housing programme (see :mod:`spm_perkim.needs`).
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

__all__ = ["FIELD", "LAMPIRAN_II", "PP_8", "SERVICE_TYPES"]

PP_8 = LegalBasis("PP 2/2018", "Ps. 8", source="pasal.id/peraturan/pp/pp-no-2-tahun-2018")
"""The article of PP 2/2018 that lists the housing services."""

LAMPIRAN_II = LegalBasis(
    "Permen PUPR 29/PRT/M/2018",
    "Lampiran II",
    note=(
        "Technical standard of SPM housing: new build on a safe site, rebuild in place, "
        "rehabilitation, or access to a rental unit."
    ),
    source="vdokumen.com/lampiran-ii-peraturan-menteri-pekerjaan-umum-dan-.html",
)
"""The technical standard of the housing services."""

FIELD = FieldDefinition(
    code="perkim",
    field=SpmField.PERKIM,
    title=SpmField.PERKIM.label,
    legal_basis=(PP_8, LegalBasis("UU 23/2014", "Ps. 12 ayat (1)")),
    description=Text(
        "SPM bidang perumahan rakyat: rumah layak huni bagi korban bencana dan bagi "
        "masyarakat yang terkena relokasi program pemerintah daerah.",
        "SPM housing field: livable housing for disaster victims and for people relocated "
        "by a regional government programme.",
    ),
)

_FORMS = Text(
    "Pembangunan baru (relokasi ke lokasi aman), pembangunan kembali (rusak berat), "
    "rehabilitasi (rusak ringan/sedang), atau akses rumah sewa (rusunawa) bagi penyewa.",
    "New build (relocation to a safe site), rebuild in place (severe damage), "
    "rehabilitation (light or medium damage), or access to a rental unit for renters.",
)
_RELOCATION = Text(
    "Fasilitasi penyediaan rumah layak huni atau rumah sewa.",
    "Facilitation of a livable house or a rental unit.",
)


def _service(
    code: str, level: GovernmentLevel, title: Text, recipients: Text, forms: Text
) -> ServiceType:
    return ServiceType(
        code=f"perkim.{code}",
        field=SpmField.PERKIM,
        level=level,
        title=title,
        recipients=recipients,
        description=forms,
        legal_basis=(PP_8, LAMPIRAN_II),
    )


_KAB_KOTA, _PROVINSI = GovernmentLevel.KABUPATEN_KOTA, GovernmentLevel.PROVINSI

SERVICE_TYPES: tuple[ServiceType, ...] = (
    _service(
        "rumah-korban-bencana",
        _KAB_KOTA,
        Text(
            "Penyediaan dan rehabilitasi rumah yang layak huni bagi korban bencana kabupaten/kota",
            "Provision and rehabilitation of livable housing for victims of a kab/kota disaster",
        ),
        Text(
            "Rumah tangga yang rumahnya rusak atau hilang akibat bencana, pada tahap pascabencana",
            "Households whose home was damaged or destroyed by a disaster, after the disaster",
        ),
        _FORMS,
    ),
    _service(
        "rumah-relokasi",
        _KAB_KOTA,
        Text(
            "Fasilitasi penyediaan rumah yang layak huni bagi masyarakat yang terkena "
            "relokasi program pemerintah kabupaten/kota",
            "Facilitating livable housing for people relocated by a kab/kota programme",
        ),
        Text(
            "Rumah tangga yang terkena relokasi program pemerintah daerah",
            "Households relocated by a regional government programme",
        ),
        _RELOCATION,
    ),
    _service(
        "rumah-korban-bencana-provinsi",
        _PROVINSI,
        Text(
            "Penyediaan dan rehabilitasi rumah yang layak huni bagi korban bencana provinsi",
            "Provision and rehabilitation of livable housing for victims of a provincial disaster",
        ),
        Text(
            "Rumah tangga korban bencana provinsi, pada tahap pascabencana",
            "Households hit by a provincial disaster, after the disaster",
        ),
        _FORMS,
    ),
    _service(
        "rumah-relokasi-provinsi",
        _PROVINSI,
        Text(
            "Fasilitasi penyediaan rumah yang layak huni bagi masyarakat yang terkena "
            "relokasi program pemerintah provinsi",
            "Facilitating livable housing for people relocated by a provincial programme",
        ),
        Text(
            "Rumah tangga yang terkena relokasi program pemerintah provinsi",
            "Households relocated by a provincial programme",
        ),
        _RELOCATION,
    ),
)
"""Every housing service type: two kab/kota services, then two provincial ones."""

"""The public-order and protection field and its service types, PP 2/2018 Ps. 9.

The technical standards were set by Permendagri 121/2018 (public order), 101/2018
(disasters) and 114/2018 (fire). Permendagri 59/2021 on applying SPM may have revoked
them and moved the standards into its own lampiran; that could not be confirmed, so
every citation of the three is marked unconfirmed.
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

__all__ = [
    "FIELD",
    "PERMENDAGRI_101_2018",
    "PERMENDAGRI_114_2018",
    "PERMENDAGRI_121_2018",
    "PP_9",
    "SERVICE_TYPES",
]

PP_9 = LegalBasis("PP 2/2018", "Ps. 9", source="pasal.id/peraturan/pp/pp-no-2-tahun-2018")
"""The article of PP 2/2018 that lists the public-order and protection services."""

_REVOKED_NOTE = (
    "Permendagri 59/2021 may have revoked it and absorbed the standard into its lampiran "
    "(unconfirmed)."
)

PERMENDAGRI_121_2018 = LegalBasis(
    "Permendagri 121/2018",
    confirmed=False,
    note=f"Technical standard of the public-order service. {_REVOKED_NOTE}",
)
"""Technical standard of the public-order service (UNCONFIRMED as still in force)."""

PERMENDAGRI_101_2018 = LegalBasis(
    "Permendagri 101/2018",
    confirmed=False,
    note=f"Technical standard of the disaster services. {_REVOKED_NOTE}",
)
"""Technical standard of the disaster services (UNCONFIRMED as still in force)."""

PERMENDAGRI_114_2018 = LegalBasis(
    "Permendagri 114/2018",
    confirmed=False,
    note=(
        "Technical standard of the fire service; replaced Permendagri 69/2012 from 2019 "
        f"and also covers non-fire rescue. {_REVOKED_NOTE}"
    ),
    source="insidennews.com/2020/10/05/",
)
"""Technical standard of the fire service (UNCONFIRMED as still in force)."""

FIELD = FieldDefinition(
    code="trantibum",
    field=SpmField.TRANTIBUM,
    title=SpmField.TRANTIBUM.label,
    legal_basis=(PP_9, LegalBasis("UU 23/2014", "Ps. 12 ayat (1)")),
    description=Text(
        "SPM bidang ketenteraman, ketertiban umum dan pelindungan masyarakat: ketertiban "
        "umum, bencana dan kebakaran.",
        "SPM public-order and protection field: public order, disasters and fire.",
    ),
)


def _service(
    code: str,
    level: GovernmentLevel,
    standard: LegalBasis,
    title: Text,
    recipients: Text,
) -> ServiceType:
    return ServiceType(
        code=f"trantibum.{code}",
        field=SpmField.TRANTIBUM,
        level=level,
        title=title,
        recipients=recipients,
        legal_basis=(PP_9, standard),
    )


_KAB_KOTA, _PROVINSI = GovernmentLevel.KABUPATEN_KOTA, GovernmentLevel.PROVINSI
_HAZARD_ZONE = Text(
    "Warga negara yang berada di kawasan rawan bencana atau berpotensi terpapar bencana",
    "Citizens living in a disaster-prone area or potentially exposed to a disaster",
)

SERVICE_TYPES: tuple[ServiceType, ...] = (
    _service(
        "ketertiban-umum",
        _KAB_KOTA,
        PERMENDAGRI_121_2018,
        Text(
            "Pelayanan ketenteraman dan ketertiban umum",
            "Public peace and order service",
        ),
        Text(
            "Warga negara yang terkena dampak gangguan ketenteraman dan ketertiban umum "
            "akibat penegakan Perda dan Perkada",
            "Citizens affected by public-order disturbances arising from the enforcement of "
            "regional regulations",
        ),
    ),
    _service(
        "informasi-rawan-bencana",
        _KAB_KOTA,
        PERMENDAGRI_101_2018,
        Text("Pelayanan informasi rawan bencana", "Disaster-hazard information service"),
        _HAZARD_ZONE,
    ),
    _service(
        "pencegahan-kesiapsiagaan-bencana",
        _KAB_KOTA,
        PERMENDAGRI_101_2018,
        Text(
            "Pelayanan pencegahan dan kesiapsiagaan terhadap bencana",
            "Disaster prevention and preparedness service",
        ),
        _HAZARD_ZONE,
    ),
    _service(
        "penyelamatan-evakuasi-bencana",
        _KAB_KOTA,
        PERMENDAGRI_101_2018,
        Text(
            "Pelayanan penyelamatan dan evakuasi korban bencana",
            "Rescue and evacuation of disaster victims",
        ),
        Text("Warga negara korban bencana", "Citizens who are disaster victims"),
    ),
    _service(
        "penyelamatan-evakuasi-kebakaran",
        _KAB_KOTA,
        PERMENDAGRI_114_2018,
        Text(
            "Pelayanan penyelamatan dan evakuasi korban kebakaran",
            "Rescue and evacuation of fire victims",
        ),
        Text(
            "Warga negara yang menjadi korban atau terdampak kebakaran",
            "Citizens who are victims of, or affected by, a fire",
        ),
    ),
    _service(
        "ketertiban-umum-provinsi",
        _PROVINSI,
        PERMENDAGRI_121_2018,
        Text(
            "Pelayanan ketenteraman dan ketertiban umum provinsi",
            "Provincial public peace and order service",
        ),
        Text(
            "Warga negara yang terkena dampak gangguan ketenteraman dan ketertiban umum "
            "akibat penegakan Perda dan Perkada provinsi",
            "Citizens affected by public-order disturbances arising from the enforcement of "
            "provincial regulations",
        ),
    ),
)
"""Every public-order and protection service type: five kab/kota services, one provincial."""

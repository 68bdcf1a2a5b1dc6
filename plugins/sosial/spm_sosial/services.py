"""The social-affairs field and its service types (Jenis Pelayanan Dasar), PP 2/2018 Ps. 10.

Kab/kota owe basic social rehabilitation *outside* institutions (di luar panti) and
protection of disaster victims; provinces owe the same rehabilitation *inside*
institutions (di dalam panti). The technical standard is Permensos 9/2018.
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

__all__ = ["FIELD", "PERMENSOS_9_2018", "PP_10", "SERVICE_TYPES"]

PP_10 = LegalBasis(
    "PP 2/2018",
    "Ps. 10",
    source="pasal.id/peraturan/pp/pp-no-2-tahun-2018/koreksi/9021550",
)
"""The article of PP 2/2018 that lists the social services."""

PERMENSOS_9_2018 = LegalBasis(
    "Permensos 9/2018",
    note="Technical standard of SPM social affairs.",
    source="id.scribd.com/presentation/470583086",
)
"""The technical standard of the social services."""

FIELD = FieldDefinition(
    code="sosial",
    field=SpmField.SOSIAL,
    title=SpmField.SOSIAL.label,
    legal_basis=(PP_10, LegalBasis("UU 23/2014", "Ps. 12 ayat (1)")),
    description=Text(
        "SPM bidang sosial: rehabilitasi sosial dasar bagi penyandang disabilitas, anak "
        "dan lanjut usia telantar serta gelandangan dan pengemis, dan perlindungan serta "
        "jaminan sosial bagi korban bencana.",
        "SPM social field: basic social rehabilitation of neglected persons with "
        "disabilities, children and older people, and of homeless people and beggars; "
        "social protection of disaster victims.",
    ),
)

_GROUPS: tuple[tuple[str, Text, Text], ...] = (
    (
        "disabilitas-telantar",
        Text("penyandang disabilitas telantar", "neglected persons with disabilities"),
        Text("Penyandang disabilitas telantar", "Neglected persons with disabilities"),
    ),
    (
        "anak-telantar",
        Text("anak telantar", "neglected children"),
        Text("Anak telantar", "Neglected children"),
    ),
    (
        "lansia-telantar",
        Text("lanjut usia telantar", "neglected older people"),
        Text("Lanjut usia telantar (60 tahun ke atas)", "Neglected older people (60 and over)"),
    ),
    (
        "gelandangan-pengemis",
        Text(
            "tuna sosial, khususnya gelandangan dan pengemis",
            "the socially marginalised, in particular homeless people and beggars",
        ),
        Text("Gelandangan dan pengemis", "Homeless people and beggars"),
    ),
)


def _rehabilitation(code: str, group: Text, recipients: Text, *, in_panti: bool) -> ServiceType:
    where = (
        Text("di dalam panti", "inside institutions")
        if in_panti
        else Text("di luar panti", "outside institutions")
    )
    return ServiceType(
        code=f"sosial.{code}" + ("-panti" if in_panti else ""),
        field=SpmField.SOSIAL,
        level=GovernmentLevel.PROVINSI if in_panti else GovernmentLevel.KABUPATEN_KOTA,
        title=Text(
            f"Rehabilitasi sosial dasar {group.id} {where.id}",
            f"Basic social rehabilitation of {group.en} {where.en}",
        ),
        recipients=recipients,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    )


def _disaster(code: str, level: GovernmentLevel, scope: Text) -> ServiceType:
    return ServiceType(
        code=f"sosial.{code}",
        field=SpmField.SOSIAL,
        level=level,
        title=Text(
            "Perlindungan dan jaminan sosial pada saat dan setelah tanggap darurat bencana "
            f"bagi korban bencana {scope.id}",
            "Social protection during and after the emergency response for victims of a "
            f"{scope.en} disaster",
        ),
        recipients=Text(f"Korban bencana {scope.id}", f"Victims of a {scope.en} disaster"),
        legal_basis=(PP_10, PERMENSOS_9_2018),
    )


SERVICE_TYPES: tuple[ServiceType, ...] = (
    *(_rehabilitation(code, group, ppd, in_panti=False) for code, group, ppd in _GROUPS),
    _disaster("korban-bencana", GovernmentLevel.KABUPATEN_KOTA, Text("kabupaten/kota", "kab/kota")),
    *(_rehabilitation(code, group, ppd, in_panti=True) for code, group, ppd in _GROUPS),
    _disaster("korban-bencana-provinsi", GovernmentLevel.PROVINSI, Text("provinsi", "provincial")),
)
"""Every social service type: five kab/kota services, then five provincial ones."""

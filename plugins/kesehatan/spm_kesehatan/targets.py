"""Targets (sasaran): recipients the regulation counts by estimate, supplied per area and year.

Reports on these services use an estimate for the denominator — the prevalence applied to
the population, or the number the health office sets — rather than the people the
posyandu has recorded. The values per desa/kelurahan, kecamatan or kab/kota and year are
entered in the store (``target`` table) under these codes by an operator or the Dinas
Kesehatan.
"""

from __future__ import annotations

from spm_core.plugin_api import SpmField, TargetDefinition, Text
from spm_kesehatan.services import PERMENKES_4_2019, PERMENKES_6_2024, pp_6

__all__ = ["TARGETS"]


def _target(code: str, letter: str, title: Text, description: Text) -> TargetDefinition:
    return TargetDefinition(
        code=f"kesehatan.{code}",
        field=SpmField.KESEHATAN,
        title=title,
        description=description,
        legal_basis=(pp_6(3, letter), PERMENKES_4_2019, PERMENKES_6_2024),
    )


TARGETS: tuple[TargetDefinition, ...] = (
    _target(
        "penderita-hipertensi",
        "h",
        Text("Perkiraan penderita hipertensi usia ≥ 15 tahun", "Estimated hypertensives aged 15+"),
        Text(
            "Prevalensi hipertensi dikali jumlah penduduk usia 15 tahun ke atas.",
            "Hypertension prevalence times the population aged 15 and over.",
        ),
    ),
    _target(
        "penderita-diabetes",
        "i",
        Text(
            "Perkiraan penderita diabetes melitus usia ≥ 15 tahun", "Estimated diabetics aged 15+"
        ),
        Text(
            "Prevalensi diabetes melitus dikali jumlah penduduk usia 15 tahun ke atas.",
            "Diabetes prevalence times the population aged 15 and over.",
        ),
    ),
    _target(
        "odgj-berat",
        "j",
        Text("Perkiraan ODGJ berat", "Estimated people with severe mental disorders"),
        Text(
            "Perkiraan orang dengan gangguan jiwa berat (psikotik akut, skizofrenia).",
            "Estimated people with a severe mental disorder (acute psychosis, schizophrenia).",
        ),
    ),
    _target(
        "terduga-tbc",
        "k",
        Text("Sasaran orang terduga TBC", "Target of presumptive TB cases"),
        Text(
            "Jumlah orang terduga tuberkulosis yang ditetapkan sebagai sasaran.",
            "The number of presumptive tuberculosis cases set as the target.",
        ),
    ),
    _target(
        "berisiko-hiv",
        "l",
        Text("Sasaran orang berisiko terinfeksi HIV", "Target of people at risk of HIV"),
        Text(
            "Ibu hamil, pasien TBC, pasien IMS, populasi kunci dan warga binaan "
            "pemasyarakatan yang ditetapkan sebagai sasaran.",
            "Pregnant women, TB patients, STI patients, key populations and prisoners set "
            "as the target.",
        ),
    ),
)
"""Every health target defined by estimate."""

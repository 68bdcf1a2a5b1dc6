"""Health needs a kader can raise, the agency roles that act on them, default routes.

The national default sends every health need to the Puskesmas serving the resident;
a region plugin maps the role to its own Puskesmas and may retarget a route. Family
planning goes to its own role (``dppkb``, the family-planning office), and the needs of
the posyandu itself (equipment, kader) to the posyandu steward (``pembina-posyandu``:
DP3A in Kota Bekasi, DPMD in Kabupaten Bekasi) — regions give these to different OPDs.

Where the records show a need, its ``trigger`` says so (a raised blood pressure at a
screening, TB symptoms); the other needs are raised by hand after a home visit.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgencyRole,
    AgeUnit,
    Compare,
    LastMonths,
    LatestValue,
    LegalBasis,
    NeedType,
    Op,
    RecordCount,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_kesehatan.services import PERMENKES_4_2019, pp_6

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-kesehatan",
        title=Text("Dinas Kesehatan", "Health office"),
        field=SpmField.KESEHATAN,
        description=Text(
            "Dinas kesehatan kabupaten/kota, pengampu SPM bidang kesehatan.",
            "The kab/kota health office, responsible for the SPM health field.",
        ),
    ),
    AgencyRole(
        code="puskesmas",
        title=Text("Puskesmas", "Community health centre (Puskesmas)"),
        field=SpmField.KESEHATAN,
        description=Text(
            "Pusat kesehatan masyarakat (UPTD dinas kesehatan) beserta pustu di wilayah "
            "kerjanya; pembina posyandu di bidang kesehatan.",
            "Community health centre (a unit of the health office) with its auxiliary posts; "
            "supports the posyandu in health matters.",
        ),
    ),
    AgencyRole(
        code="dppkb",
        title=Text(
            "Dinas Pengendalian Penduduk dan Keluarga Berencana",
            "Population control and family planning office",
        ),
        field=SpmField.KESEHATAN,
        description=Text(
            "Perangkat daerah urusan keluarga berencana (DPPKB atau nama lain); bukan "
            "pengampu SPM.",
            "The agency for family planning (DPPKB or another name); not an SPM holder.",
        ),
    ),
    AgencyRole(
        code="pembina-posyandu",
        title=Text("Pembina kelembagaan posyandu", "Posyandu steward"),
        field=SpmField.KESEHATAN,
        description=Text(
            "Perangkat daerah sekretariat Tim Pembina Posyandu: DP3A di kota tanpa desa "
            "(Kota Bekasi), DPMD di kabupaten (Kabupaten Bekasi).",
            "The agency hosting the Tim Pembina Posyandu: the women and children office in "
            "a city without desa (Kota Bekasi), the village empowerment office in a regency "
            "(Kabupaten Bekasi).",
        ),
    ),
)
"""Health agency roles, with family planning and the posyandu steward."""

_SCREENED = "kesehatan.skrining"

_HYPERTENSION_CUTOFF = LegalBasis(
    "Permenkes 4/2019",
    confirmed=False,
    note="Raised blood pressure at screening: systolic ≥ 140 or diastolic ≥ 90 mmHg.",
)

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="kesehatan.balita-tidak-ditimbang",
        title=Text("Balita tidak ditimbang", "Child under five not weighed"),
        description=Text(
            "Balita yang tidak datang ke posyandu untuk ditimbang dan perlu dikunjungi atau "
            "dilayani oleh tenaga kesehatan.",
            "A child under five who missed weighing at the posyandu and needs a home visit "
            "or care by a health worker.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.balita",
        legal_basis=(pp_6(3, "d"), PERMENKES_4_2019),
        trigger=AgeBetween(0, 59, AgeUnit.MONTHS)
        & ~RecordCount("kesehatan.penimbangan", at_least=1, window=LastMonths(2)),
    ),
    NeedType(
        code="kesehatan.gizi-buruk",
        title=Text("Balita diduga gizi buruk", "Child suspected of severe malnutrition"),
        description=Text(
            "Balita yang hasil penimbangan atau LiLA-nya menunjukkan dugaan gizi buruk atau "
            "gizi kurang dan perlu diperiksa tenaga kesehatan.",
            "A child whose weighing or arm circumference suggests severe or moderate "
            "malnutrition and who needs a health worker's examination.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.balita",
        legal_basis=(pp_6(3, "d"), PERMENKES_4_2019),
    ),
    NeedType(
        code="kesehatan.ibu-hamil-risiko",
        title=Text("Ibu hamil dengan tanda bahaya", "Pregnant woman with danger signs"),
        description=Text(
            "Ibu hamil dengan tanda bahaya kehamilan atau yang belum memeriksakan kehamilan "
            "sesuai jadwal.",
            "A pregnant woman with danger signs, or who has missed scheduled antenatal care.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.ibu-hamil",
        legal_basis=(pp_6(3, "a"), PERMENKES_4_2019),
        trigger=LatestValue(
            "kesehatan.pemeriksaan-kehamilan",
            Compare("danger_signs", Op.EQ, True),
            window=LastMonths(1),
        ),
    ),
    NeedType(
        code="kesehatan.hipertensi-tindak-lanjut",
        title=Text(
            "Tekanan darah tinggi perlu tindak lanjut", "Raised blood pressure to follow up"
        ),
        description=Text(
            "Warga usia 15 tahun ke atas yang tekanan darahnya tinggi pada skrining terakhir "
            "(sistolik ≥ 140 atau diastolik ≥ 90 mmHg) dan perlu pemeriksaan dan pelayanan "
            "hipertensi di puskesmas.",
            "A resident aged 15 or over whose latest screening shows raised blood pressure "
            "(systolic ≥ 140 or diastolic ≥ 90 mmHg) and who needs examination and "
            "hypertension care at the Puskesmas.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.hipertensi",
        legal_basis=(pp_6(3, "h"), PERMENKES_4_2019, _HYPERTENSION_CUTOFF),
        trigger=AgeBetween(15, None, AgeUnit.YEARS)
        & (
            LatestValue(_SCREENED, Compare("systolic_mmhg", Op.GE, 140), window=LastMonths(1))
            | LatestValue(_SCREENED, Compare("diastolic_mmhg", Op.GE, 90), window=LastMonths(1))
        ),
    ),
    NeedType(
        code="kesehatan.terduga-tbc",
        title=Text("Terduga TBC perlu diperiksa", "Presumptive TB to be examined"),
        description=Text(
            "Warga dengan gejala TBC (batuk 2 minggu atau lebih, dll.) pada skrining atau "
            "kunjungan rumah, yang perlu pemeriksaan TBC di puskesmas.",
            "A resident with TB symptoms (a cough of 2 weeks or more, etc.) at a screening or "
            "home visit, who needs a TB examination at the Puskesmas.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.terduga-tbc",
        legal_basis=(pp_6(3, "k"), PERMENKES_4_2019),
        trigger=LatestValue(_SCREENED, Compare("tb_symptoms", Op.EQ, True), window=LastMonths(1)),
    ),
    NeedType(
        code="kesehatan.odgj-tindak-lanjut",
        title=Text("ODGJ berat perlu tindak lanjut", "Severe mental disorder to follow up"),
        description=Text(
            "Warga yang diduga mengalami gangguan jiwa berat, putus obat, atau dipasung, "
            "dan perlu dikunjungi serta dilayani tenaga kesehatan jiwa.",
            "A resident suspected of a severe mental disorder, who stopped treatment or is "
            "restrained at home, and who needs a visit and care by a mental-health worker.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type="kesehatan.odgj-berat",
        legal_basis=(pp_6(3, "j"), PERMENKES_4_2019),
    ),
    NeedType(
        code="kesehatan.kb-belum-terlayani",
        title=Text(
            "Pasangan usia subur ingin ber-KB belum terlayani",
            "Couple wanting family planning, not yet served",
        ),
        description=Text(
            "Pasangan usia subur yang ingin menunda atau membatasi kehamilan tetapi belum "
            "mendapat pelayanan KB (unmet need). Bukan jenis pelayanan dasar SPM.",
            "A couple of reproductive age who want to delay or limit pregnancies but have "
            "no family-planning service (unmet need). Not an SPM service.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        service_type=None,
        legal_basis=(LegalBasis("UU 52/2009", note="Perkembangan kependudukan dan KB."),),
    ),
    NeedType(
        code="kesehatan.sarana-posyandu",
        title=Text("Posyandu kekurangan sarana atau kader", "Posyandu lacking equipment or kader"),
        description=Text(
            "Posyandu yang kekurangan alat (timbangan, alat ukur panjang/tinggi, APE) atau "
            "kader untuk menjalankan layanan enam bidang SPM.",
            "A posyandu lacking equipment (scales, length/height boards, play kits) or kader "
            "to run the services of the six SPM fields.",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.PLACE,
        service_type=None,
        legal_basis=(
            LegalBasis(
                "Permendagri 13/2024",
                note="Posyandu as a village/kelurahan institution (LKD/LKK); Tim Pembina.",
            ),
        ),
    ),
)
"""Health need types."""

_ROLE_OF_NEED = {
    "kesehatan.kb-belum-terlayani": ("dppkb", Text("DPPKB", "family planning office")),
    "kesehatan.sarana-posyandu": ("pembina-posyandu", Text("pembina posyandu", "posyandu steward")),
}


def _route(need: NeedType) -> RoutingRule:
    role, name = _ROLE_OF_NEED.get(need.code, ("puskesmas", Text("Puskesmas", "Puskesmas")))
    return RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → {name.id}", f"{need.title.en} → {name.en}"),
        need_type=need.code,
        roles=role,
    )


ROUTING_RULES: tuple[RoutingRule, ...] = tuple(_route(need) for need in NEED_TYPES)
"""National default routes: health needs to the Puskesmas (no area: everywhere), family
planning to the family-planning office, posyandu needs to the posyandu steward."""

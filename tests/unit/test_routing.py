"""Worked routing cases a domain expert can read, and the load-time routability check.

Each case names a place (a kelurahan of Kota Bekasi, a desa of Kabupaten Bogor), a need
a kader raised, what is known of the subject, and the agencies the need must reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
import pytest

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    Agency,
    Definition,
    HasRecord,
    PluginInfo,
    PluginLevel,
    RoutingRule,
)
from spm_core.domain import AgeUnit, KodeWilayah, Sex, Text
from spm_core.errors import InvalidDefinition, Unroutable
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.routing import RouteContext, route, villages_of

# The six field plugins only, whatever region plugin is installed beside them.
FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")

KOTA_BEKASI = KodeWilayah.parse("32.75")
BEKASIJAYA = KodeWilayah.parse("32.75.01.1001")  # kelurahan in kecamatan Bekasi Timur
MARGAHAYU = KodeWilayah.parse("32.75.01.1002")  # kelurahan in kecamatan Bekasi Timur
PEKAYON_JAYA = KodeWilayah.parse("32.75.02.1001")  # kelurahan in kecamatan Bekasi Selatan
BOGOR_DESA = KodeWilayah.parse("32.01.01.2001")  # a desa of Kabupaten Bogor (no plugin)
DAY = date(2025, 6, 30)

ROLES = {
    "dinas-kesehatan": "Dinas Kesehatan",
    "dinas-pendidikan": "Dinas Pendidikan",
    "dinas-pu": "Dinas Bina Marga dan Sumber Daya Air",
    "air-minum": "Perumda Tirta Patriot",
    "dinas-perkim": "Disperkimtan",
    "satpol-pp": "Satpol PP",
    "bpbd": "BPBD",
    "damkar": "Disdamkarmat",
    "dinas-sosial": "Dinas Sosial",
    "dinas-bina-marga": "Dinas Bina Marga dan Sumber Daya Air (jalan)",
    "dinas-sda": "Dinas Bina Marga dan Sumber Daya Air (drainase)",
    "dinas-tata-ruang": "Dinas Tata Ruang",
    "dinas-pendidikan-provinsi": "KCD Pendidikan Wilayah III Jawa Barat",
    "dppkb": "DPPKB",
    "pembina-posyandu": "DP3A (pembina posyandu)",
    "dp3a": "DP3A",
    "disdukcapil": "Disdukcapil",
}


def _agency(code: str, roles: Sequence[str], name: str, area: KodeWilayah) -> Agency:
    return Agency(code=f"kota-bekasi.{code}", title=Text(name, name), roles=roles, area=area)


def _city_agencies(*, city_puskesmas: bool = True) -> list[Agency]:
    agencies = [
        _agency(
            role,
            (role, "puskesmas") if role == "dinas-kesehatan" and city_puskesmas else (role,),
            name,
            KOTA_BEKASI,
        )
        for role, name in ROLES.items()
    ]
    agencies.append(
        _agency(
            "puskesmas-bekasi-jaya",
            ("puskesmas",),
            "Puskesmas Bekasi Jaya",
            KodeWilayah.parse("32.75.01"),
        )
    )
    return agencies


FLOOD_RULE = RoutingRule(
    code="kota-bekasi.rumah-rusak-bencana",
    title=Text("Rumah rusak bencana → Disperkimtan + BPBD", "Damaged home → housing + BPBD"),
    need_type="perkim.rumah-rusak-bencana",
    roles=("dinas-perkim", "bpbd"),
    area=KOTA_BEKASI,
)


@attrs.define
class KotaBekasi:
    definitions: list[Definition] = attrs.field(factory=lambda: [*_city_agencies(), FLOOD_RULE])

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(
            name="kota-bekasi",
            title=Text("Kota Bekasi", "Bekasi City"),
            level=PluginLevel.REGION,
            region=KOTA_BEKASI,
        )

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        return self.definitions


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS, extra=[KotaBekasi()]))


# ----------------------------------------------------------------- worked cases


def test_case_flood_damaged_house_goes_to_housing_and_disaster_agency(catalog: Catalog) -> None:
    """A household in Bekasijaya whose house a flood damaged.

    Kota Bekasi's rule (area 32.75) outranks the national default (everywhere) and names
    two roles, so the need goes to Disperkimtan *and* BPBD.
    """
    view = catalog.for_region(BEKASIJAYA, on=DAY)
    decision = route(view, "perkim.rumah-rusak-bencana", BEKASIJAYA, RouteContext(DAY))
    assert decision.rule.code == "kota-bekasi.rumah-rusak-bencana"
    assert decision.agency_codes == ("kota-bekasi.dinas-perkim", "kota-bekasi.bpbd")
    assert [a.title.en for a in decision.agencies] == ["Disperkimtan", "BPBD"]
    assert not decision.generic
    lost = {c.rule.code: c.outcome for c in decision.considered if c.outcome != "chosen"}
    # The national flood fan-out (perkim.rumah-rusak-bencana.banjir) is less specific too.
    assert lost["perkim.rumah-rusak-bencana.default"] == "outranked"
    assert set(lost) == {
        "perkim.rumah-rusak-bencana.default",
        "perkim.rumah-rusak-bencana.banjir",
    }
    text = decision.explain()
    assert "rule 'kota-bekasi.rumah-rusak-bencana' (plugin 'kota-bekasi'" in text.en
    assert "scope regency/city 32.75, area 32.75" in text.en
    assert "role 'bpbd' → BPBD" in text.en
    assert "rule 'perkim.rumah-rusak-bencana.default' (plugin 'perkim'" in text.en
    assert "lost: its area is less specific" in text.en
    assert "kalah: wilayahnya kurang spesifik" in text.id


def test_case_same_need_where_no_region_is_configured_goes_to_the_generic_agency(
    catalog: Catalog,
) -> None:
    """The same household in a desa of Kabupaten Bogor, which no plugin configures.

    The national rule decides; no agency of Kabupaten Bogor fills the housing role, so
    the decision names the generic housing office of 32.01, flagged generic.
    """
    view = catalog.for_region(BOGOR_DESA, on=DAY)
    decision = route(view, "perkim.rumah-rusak-bencana", BOGOR_DESA, RouteContext(DAY))
    assert decision.rule.code == "perkim.rumah-rusak-bencana.default"
    (target,) = decision.targets
    assert target.generic
    assert target.agency is None
    assert decision.generic
    assert decision.agencies == ()
    assert target.name.en == "Housing and settlements office (32.01, generic)"
    assert "(generic: no agency configured)" in decision.explain().en


def test_case_child_not_weighed_goes_to_the_puskesmas_of_its_kecamatan(catalog: Catalog) -> None:
    """A child not weighed: in kecamatan Bekasi Timur the local Puskesmas, elsewhere in
    the city the health office, which answers for the Puskesmas role city-wide."""
    view = catalog.for_region(KOTA_BEKASI, on=DAY)
    need = "kesehatan.balita-tidak-ditimbang"
    ctx = RouteContext(DAY, birth_date=date(2023, 3, 1), sex=Sex.FEMALE)
    for village in (BEKASIJAYA, MARGAHAYU):
        assert route(view, need, village, ctx).agency_codes == (
            "kota-bekasi.puskesmas-bekasi-jaya",
        )
    assert route(view, need, PEKAYON_JAYA, ctx).agency_codes == ("kota-bekasi.dinas-kesehatan",)


def test_case_poor_piped_water_goes_to_the_utility_other_water_to_public_works(
    catalog: Catalog,
) -> None:
    """Poor drinking water: a household whose latest water-source record says piped goes
    to the water utility (a conditional rule of higher priority); any other household
    to public works, and the explanation says the utility's condition was not met."""
    view = catalog.for_region(KOTA_BEKASI, on=DAY)
    need = "pupr.air-minum-tidak-layak"
    piped = RouteContext(DAY, latest={"pupr.sumber-air-minum": {"source": "perpipaan"}})
    well = RouteContext(DAY, latest={"pupr.sumber-air-minum": {"source": "sumur-gali"}})
    assert route(view, need, BEKASIJAYA, piped).agency_codes == ("kota-bekasi.air-minum",)
    decision = route(view, need, BEKASIJAYA, well)
    assert decision.agency_codes == ("kota-bekasi.dinas-pu",)
    skipped = decision.considered[0]
    assert (skipped.rule.code, skipped.outcome) == (
        "pupr.air-minum-tidak-layak.perpipaan",
        "condition-false",
    )
    assert "condition not met: latest record pupr.sumber-air-minum" in skipped.reason.en
    # Nothing known of the water source: the condition is false (missing is false).
    unknown = route(view, need, BEKASIJAYA, RouteContext(DAY))
    assert unknown.agency_codes == ("kota-bekasi.dinas-pu",)


def test_case_age_condition_is_evaluated_on_the_day_of_the_decision() -> None:
    """Kota Bekasi sends neglected children under five to the health office first.

    A child born on 1 July 2020 is 4 on 30 June 2025 and 5 the next day.
    """
    under_five = RoutingRule(
        code="kota-bekasi.anak-telantar-balita",
        title=Text("Anak telantar balita → Dinkes", "Neglected child under five → health"),
        need_type="sosial.anak-telantar",
        roles=("dinas-kesehatan", "dinas-sosial"),
        area=KOTA_BEKASI,
        when=AgeBetween(0, 4, AgeUnit.YEARS),
    )
    plugin = KotaBekasi([*_city_agencies(), FLOOD_RULE, under_five])
    view = Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS, extra=[plugin])).for_region(
        KOTA_BEKASI
    )
    born = date(2020, 7, 1)
    young = route(view, "sosial.anak-telantar", BEKASIJAYA, RouteContext(date(2025, 6, 30), born))
    older = route(view, "sosial.anak-telantar", BEKASIJAYA, RouteContext(date(2025, 7, 1), born))
    assert young.agency_codes == ("kota-bekasi.dinas-kesehatan", "kota-bekasi.dinas-sosial")
    assert older.agency_codes == ("kota-bekasi.dinas-sosial",)
    assert older.rule.code == "sosial.anak-telantar.default"


# ----------------------------------------------------------------- the load-time check


def test_one_puskesmas_in_one_kecamatan_does_not_serve_the_whole_city() -> None:
    """The single-Puskesmas case: only kecamatan 32.75.01 has a Puskesmas and the health
    office does not answer for the role, so a child in 32.75.02 would have nowhere to go.
    The old check accepted this (an agency *inside* the region passed for all of it)."""
    plugin = KotaBekasi([*_city_agencies(city_puskesmas=False), FLOOD_RULE])
    with pytest.raises(Unroutable) as caught:
        Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS, extra=[plugin]))
    err = caught.value
    assert err.value.startswith("kesehatan.")
    assert err.context["region"] == "32.75"
    for message in (err.message_en, err.message_id):
        assert "'puskesmas'" in message
        assert "32.75.01" in message
        assert "32.75.02" in message


def test_a_role_filled_for_part_of_a_region_fails_whatever_the_part() -> None:
    """Disperkimtan listed for kecamatan Bekasi Timur only: every need that reaches the
    housing role fails for a kelurahan outside it."""
    agencies = [
        attrs.evolve(a, area=KodeWilayah.parse("32.75.01")) if "dinas-perkim" in a.roles else a
        for a in _city_agencies()
    ]
    with pytest.raises(Unroutable) as caught:
        Catalog.build(
            make_plugin_manager(allow=FIELD_PLUGINS, extra=[KotaBekasi([*agencies, FLOOD_RULE])])
        )
    assert caught.value.value.startswith("perkim.")
    assert "'dinas-perkim'" in caught.value.message_en


def test_two_agencies_of_one_level_for_one_role_are_ambiguous() -> None:
    second = _agency("dinas-perkim-2", ("dinas-perkim",), "Disperkimtan kedua", KOTA_BEKASI)
    with pytest.raises(Unroutable) as caught:
        Catalog.build(
            make_plugin_manager(
                allow=FIELD_PLUGINS, extra=[KotaBekasi([*_city_agencies(), second])]
            )
        )
    assert "kota-bekasi.dinas-perkim, kota-bekasi.dinas-perkim-2" in caught.value.message_en


def test_a_condition_routing_cannot_evaluate_is_rejected_at_build() -> None:
    rule = attrs.evolve(FLOOD_RULE, when=HasRecord("perkim.kondisi-rumah"))
    with pytest.raises(InvalidDefinition) as caught:
        Catalog.build(
            make_plugin_manager(allow=FIELD_PLUGINS, extra=[KotaBekasi([*_city_agencies(), rule])])
        )
    assert caught.value.value == "kota-bekasi.rumah-rusak-bencana"
    assert "HasRecord" in caught.value.message_en


def test_the_check_walks_every_kelurahan_of_the_city() -> None:
    villages = villages_of(KOTA_BEKASI)
    assert len(villages) == 56
    assert all(KOTA_BEKASI.contains(v) for v in villages)
    assert BEKASIJAYA in villages
    assert PEKAYON_JAYA in villages


def test_every_need_reaches_a_concrete_agency_in_every_kelurahan(catalog: Catalog) -> None:
    view = catalog.for_region(KOTA_BEKASI, on=DAY)
    for village in villages_of(KOTA_BEKASI):
        for need in view.need_types:
            decision = route(view, need.code, village, RouteContext(DAY))
            assert not decision.generic, (need.code, village)
            assert all(KOTA_BEKASI.contains(a.area) for a in decision.agencies)

"""Routing at run time: worked cases with the six field plugins and Kota Bekasi.

Kota Bekasi (32.75) has a region plugin (``regions/kota-bekasi``) naming its agencies
and sending a disaster-damaged home to two of them; a test plugin of the city adds a
local deadline and the 2025 Idulfitri joint leave days. Kabupaten Bekasi's plugin is
left out here, so its needs go to the generic agency of each role, and the decision says
so.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from referral_helpers import officer
from store_helpers import World, build_world

from spm_core.catalog import Catalog
from spm_core.definitions import JointLeaveDay, LegalBasis
from spm_core.domain import KodeWilayah, Sex, Text
from spm_core.domain.referral import ReferralAction, ReferralStatus
from spm_core.errors import Unroutable
from spm_core.plugins import make_plugin_manager
from spm_core.referrals import lifecycle
from spm_core.referrals.router import NeedRouter, route_need, submit
from spm_core.store import Store
from spm_core.testing.kit import inline_plugin
from spm_core.testing.region import RegionUnderTest

REGIONS = Path(__file__).resolve().parents[2] / "regions"
BEKASIJAYA = KodeWilayah("32.75.01.1001")  # Kota Bekasi, Bekasi Timur
KAB_VILLAGE = KodeWilayah("32.16.01.2001")  # Kabupaten Bekasi
DAY = date(2025, 3, 3)
# The six field plugins only, whatever region plugin is installed beside them.
FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


KOTA_BEKASI = KodeWilayah("32.75")
SKB_2025 = LegalBasis(
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang Hari Libur "
    "Nasional dan Cuti Bersama Tahun 2025",
    confirmed=False,
)
# What the city's offices could add to its plugin: a deadline of 30 working days for
# hearing aids and the Idulfitri joint leave days (the reference gives neither).
LOCAL_CHOICES = inline_plugin(
    *(
        JointLeaveDay(
            code=f"uji.cuti-bersama-{day.isoformat()}",
            title=Text("Cuti bersama Idulfitri 1446 H", "Joint leave: Eid al-Fitr 1446 H"),
            day=day,
            area=KOTA_BEKASI,
            legal_basis=(SKB_2025,),
        )
        for day in (date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4), date(2025, 4, 7))
    ),
    name="kota-bekasi-uji",
    region=KOTA_BEKASI,
    adjust=lambda adjuster: adjuster.set_sla("sosial.alat-bantu-dengar", 30),
)


@pytest.fixture(scope="module")
def bekasi() -> Catalog:
    """The six field plugins, the Kota Bekasi region plugin and the city's test choices."""
    city = RegionUnderTest.from_project(REGIONS / "kota-bekasi").plugin
    extra = {"kota-bekasi": city, "kota-bekasi-uji": LOCAL_CHOICES}
    return Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS, extra=extra))


def test_kota_bekasi_s_route_wins_in_its_region_only(bekasi: Catalog) -> None:
    need = "perkim.rumah-rusak-bencana"
    inside = route_need(bekasi, need, BEKASIJAYA, on=DAY)
    assert inside.rule.roles == ("dinas-perkim", "bpbd")  # the city's overlay
    assert [t.code for t in inside.targets] == ["kota-bekasi.disperkimtan", "kota-bekasi.bpbd"]
    assert not inside.generic
    outside = route_need(bekasi, need, KAB_VILLAGE, on=DAY)
    assert outside.rule.code == "perkim.rumah-rusak-bencana.default"
    assert outside.rule.roles == ("dinas-perkim",)
    assert outside.generic
    assert [t.code for t in outside.targets] == [None]
    assert "generic" in outside.explain().en
    assert "generik" in outside.explain().id


def test_a_disaster_damaged_home_fans_out_to_two_agencies(bekasi: Catalog, store: Store) -> None:
    world = build_world(store, bekasi)
    household = world.household("mawar")
    made = submit(
        store,
        world.kader("mawar"),
        {
            "idempotency_key": "hp-3/0001",
            "need_type": "perkim.rumah-rusak-bencana",
            "household_id": household.id,
            "on": DAY,
        },
        bekasi,
    )
    assert sorted(r.agency_code or "" for r in made.referrals) == [
        "kota-bekasi.bpbd",
        "kota-bekasi.disperkimtan",
    ]
    assert {r.group_id for r in made.referrals} == {made.referral.id}
    routing = made.referral.routing
    assert routing is not None
    assert routing["rule"] == "perkim.rumah-rusak-bencana.default"  # adjusted by kota-bekasi


def test_submit_routes_with_the_region_s_deadline_in_working_days(
    bekasi: Catalog, store: Store
) -> None:
    world: World = build_world(store, bekasi)
    resident = world.resident("mawar")
    made = submit(
        store,
        world.kader("mawar"),
        {
            "idempotency_key": "hp-3/0002",
            "need_type": "sosial.alat-bantu-dengar",
            "resident_id": resident.id,
            "on": date(2025, 3, 28),
        },
        bekasi,
    )
    referral = made.referral
    assert (referral.status, referral.agency_code) == (ReferralStatus.ROUTED, "kota-bekasi.dinsos")
    # The city's 30 working days. From Friday 28 March 2025: weekends skipped, and
    # Idulfitri (31 March, 1 April), the city's four cuti bersama days (2, 3, 4, 7 April),
    # Good Friday (18 April), 1 May and Waisak (12 May).
    assert referral.due_on == date(2025, 5, 22)
    dinsos = officer("kota-bekasi.dinsos")
    accepted = lifecycle.accept(store, dinsos, referral.id, on=date(2025, 3, 31))
    assert accepted.status is ReferralStatus.ACCEPTED


def test_without_a_region_plugin_the_generic_agency_holds_the_referral(
    bekasi: Catalog, store: Store
) -> None:
    world = build_world(store, bekasi)
    decision = route_need(bekasi, "sosial.lansia-telantar", KAB_VILLAGE, on=DAY)
    (target,) = decision.targets
    assert target.generic
    assert target.name.en == "Social affairs office (32.16, generic)"
    router = NeedRouter(bekasi)
    assert world.posyandu  # Kota Bekasi world; the router alone decides for 32.16 here
    from spm_core.domain.enums import Subject
    from spm_core.store import ReferralContext

    (routed,) = router(
        ReferralContext(
            "sosial.lansia-telantar", KAB_VILLAGE, "p", Subject.RESIDENT, None, None, DAY
        )
    )
    assert routed.agency_code == "dinas-sosial@32.16"
    assert routed.routing["generic"] is True


def test_an_unroutable_need_names_the_need_the_place_and_what_is_missing() -> None:
    from store_helpers import StoreTestPlugin

    from spm_core.definitions import Definition, FieldDefinition, NeedType
    from spm_core.domain import SpmField, Subject, Text
    from spm_core.hookspecs import hookimpl

    class Orphan:
        @hookimpl
        def spm_definitions(self) -> list[Definition]:
            return [
                FieldDefinition(code="sosial", field=SpmField.SOSIAL, title=Text("S", "S")),
                NeedType(
                    code="uji.tanpa-rute",
                    title=Text("Tanpa rute", "No route"),
                    field=SpmField.SOSIAL,
                    subject=Subject.RESIDENT,
                ),
            ]

    catalog = Catalog.build(
        make_plugin_manager(entry_points=False, extra=[StoreTestPlugin(), Orphan()])
    )
    with pytest.raises(Unroutable) as raised:
        route_need(catalog, "uji.tanpa-rute", "32.16.01.2001", on=DAY)
    error = raised.value
    for text in (error.message_id, error.message_en):
        assert "uji.tanpa-rute" in text
        assert "32.16.01.2001" in text
    assert "no routing rule" in error.message_en


def test_conditions_on_the_subject_use_age_and_sex(bekasi: Catalog) -> None:
    decision = route_need(bekasi, "sosial.alat-bantu-dengar", BEKASIJAYA, on=DAY, sex=Sex.FEMALE)
    assert decision.rule.code == "sosial.alat-bantu-dengar.default"


def test_rerouting_after_a_rejection_skips_the_rejecting_agency_or_says_none_is_left(
    bekasi: Catalog, store: Store
) -> None:
    world = build_world(store, bekasi)
    resident = world.resident("mawar")
    referral = submit(
        store,
        world.kader("mawar"),
        {
            "idempotency_key": "hp-3/0003",
            "need_type": "sosial.alat-bantu-dengar",
            "resident_id": resident.id,
            "on": DAY,
        },
        bekasi,
    ).referral
    dinsos = officer("kota-bekasi.dinsos")
    lifecycle.reject(store, dinsos, referral.id, "bukan kewenangan", on=DAY)
    with pytest.raises(Unroutable) as raised:
        lifecycle.reroute(store, world.kader("mawar"), referral.id, NeedRouter(bekasi), on=DAY)
    assert "kota-bekasi.dinsos" in raised.value.message_en
    after = store.get_referral(world.kader("mawar"), referral.id)
    assert (after.status, after.version) == (ReferralStatus.REJECTED, 3)
    assert [e.action for e in store.referral_history(world.operator, referral.id)][-1] is (
        ReferralAction.REJECT
    )

"""Routing at run time: worked cases with the six field plugins and Kota Bekasi.

Kota Bekasi (32.75) has a region plugin (``regions/kota-bekasi``) naming its agencies
and sending a disaster-damaged home to two agencies; Kabupaten Bekasi (32.16) has none
here, so its needs go to the generic agency of each role, and the decision says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from referral_helpers import officer
from referral_helpers import submit as submit_fixed
from store_helpers import World, build_world

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.definitions import Definition, PluginInfo, PluginLevel, RoutingRule
from spm_core.domain import KodeWilayah, Sex, Text
from spm_core.domain.referral import ReferralAction, ReferralStatus
from spm_core.errors import Unroutable
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.referrals import lifecycle
from spm_core.referrals.router import NeedRouter, route_need, submit
from spm_core.store import Store
from spm_core.testing.kit import core_plugins
from spm_core.testing.region import RegionUnderTest

REGION = Path(__file__).resolve().parents[2] / "regions" / "kota-bekasi"
BEKASIJAYA = KodeWilayah("32.75.01.1001")  # Kota Bekasi, Bekasi Timur
KAB_VILLAGE = KodeWilayah("32.16.01.2001")  # Kabupaten Bekasi
DAY = date(2025, 3, 3)


def _kota_bekasi() -> object:
    return RegionUnderTest.from_project(REGION).plugin


@pytest.fixture(scope="module")
def bekasi() -> Catalog:
    """The six field plugins and the Kota Bekasi region plugin."""
    return Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[_kota_bekasi()]))


class KotaWithLocalRoute:
    """Kota Bekasi's agencies plus a local RTLH rule for the city (area 32.75)."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(
            name="kota-bekasi-uji",
            title=Text("Kota Bekasi (uji)", "Bekasi City (test)"),
            level=PluginLevel.REGION,
            region=KodeWilayah("32.75"),
        )

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        local = RoutingRule(
            code="kota-bekasi.rtlh",
            title=Text("RTLH → Disperkimtan", "Unfit housing → housing office"),
            need_type="perkim.rtlh",
            roles="dinas-perkim",
            area=KodeWilayah("32.75"),
        )
        return [*_kota_bekasi().AGENCIES, local]


def test_a_region_s_route_wins_in_its_region_only() -> None:
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[KotaWithLocalRoute()]))
    inside = route_need(catalog, "perkim.rtlh", BEKASIJAYA, on=DAY)
    assert inside.rule.code == "kota-bekasi.rtlh"
    assert [t.code for t in inside.targets] == ["kota-bekasi.disperkimtan"]
    assert not inside.generic
    assert "perkim.rtlh.default" in inside.explain().en
    outside = route_need(catalog, "perkim.rtlh", KAB_VILLAGE, on=DAY)
    assert outside.rule.code == "perkim.rtlh.default"
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


def test_submit_routes_with_a_deadline_in_working_days_from_the_catalog(
    rworld: World,
) -> None:
    """Routed on Friday 28 March 2025 with 5 working days: the weekend, Idulfitri (31
    March, 1 April) and the joint leave day the test plugin declares (2 April) do not
    count, so the deadline is Wednesday 9 April."""
    made = submit_fixed(
        rworld, "mawar", "hp-3/0002", router=NeedRouter(rworld.catalog), on=date(2025, 3, 28)
    )
    referral = made.referral
    assert (referral.status, referral.agency_code) == (ReferralStatus.ROUTED, "kota.dinsos")
    assert referral.due_on == date(2025, 4, 9)
    accepted = lifecycle.accept(rworld.store, officer(), referral.id, on=date(2025, 4, 3))
    assert accepted.status is ReferralStatus.ACCEPTED
    assert not accepted.overdue(date(2025, 4, 9))
    assert accepted.overdue(date(2025, 4, 10))


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

    from spm_core.definitions import FieldDefinition, NeedType
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
    assert [
        e.action
        for e in store.referral_history(world.operator, referral.id, purpose=Purpose.PELAYANAN)
    ][-1] is (ReferralAction.REJECT)

"""Monitoring: per agency, field and area — open, overdue, accepted, rejected, resolved,
median days to resolve and the share resolved on time, from counts only."""

from __future__ import annotations

from datetime import date

import pytest
from referral_helpers import FixedRouter, officer, submit
from store_helpers import World

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah, SpmField, WilayahLevel
from spm_core.errors import InvalidValue
from spm_core.referrals import lifecycle
from spm_core.referrals.monitoring import agency_performance

DAY = date(2025, 3, 3)  # routed on Monday; the fixed router gives 7 calendar days
PEMBINA = Actor("tp-kota", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75")))


def _resolve(world: World, referral_id: str, agency: str, on: date) -> None:
    who = officer(agency)
    lifecycle.accept(world.store, who, referral_id, on=DAY)
    lifecycle.start(world.store, who, referral_id, on=DAY)
    lifecycle.resolve(world.store, who, referral_id, "selesai", on=on)


@pytest.fixture
def seeded(rworld: World) -> World:
    """Eight referrals to two agencies in two kelurahan of Kota Bekasi."""
    perkim = FixedRouter(("kota.disperkimtan",))
    ids = [submit(rworld, "mawar", f"k-{i}").referral.id for i in range(5)]
    _resolve(rworld, ids[0], "kota.dinsos", date(2025, 3, 5))  # 2 days, on time
    _resolve(rworld, ids[1], "kota.dinsos", date(2025, 3, 9))  # 6 days, on time
    _resolve(rworld, ids[2], "kota.dinsos", date(2025, 3, 14))  # 11 days, late
    lifecycle.reject(rworld.store, officer(), ids[3], "bukan kewenangan", on=DAY)
    # ids[4] stays routed: overdue after 10 March
    other = submit(rworld, "anggrek", "k-5").referral.id
    lifecycle.accept(rworld.store, officer(), other, on=DAY)
    for i in (6, 7):
        submit(rworld, "anggrek", f"k-{i}", router=perkim)
    lifecycle.cancel(
        rworld.store,
        rworld.kader("anggrek"),
        rworld.store.list_referrals(rworld.kader("anggrek"), agency_code="kota.disperkimtan")[0].id,
        on=DAY,
    )
    return rworld


def test_the_tim_pembina_sees_each_agency_s_record(seeded: World) -> None:
    rows = agency_performance(seeded.store, PEMBINA, seeded.catalog, on=date(2025, 3, 20))
    assert [(r.agency_code, r.field, r.area.value) for r in rows] == [
        ("kota.dinsos", SpmField.SOSIAL, "32.75"),
        ("kota.disperkimtan", SpmField.SOSIAL, "32.75"),
    ]
    dinsos, perkim = rows
    assert dinsos.agency_name.en == "Kota Bekasi social office"
    assert (dinsos.total, dinsos.open, dinsos.overdue) == (6, 2, 2)
    assert (dinsos.accepted, dinsos.rejected, dinsos.resolved) == (4, 1, 3)
    assert dinsos.median_days_to_resolve == 6.0
    assert dinsos.resolved_on_time == pytest.approx(2 / 3, abs=1e-4)
    assert (perkim.total, perkim.open, perkim.cancelled, perkim.resolved) == (2, 1, 1, 0)
    assert perkim.median_days_to_resolve is None
    assert perkim.resolved_on_time is None


def test_nothing_is_overdue_before_the_deadline_and_areas_split_by_kelurahan(
    seeded: World,
) -> None:
    rows = agency_performance(
        seeded.store,
        PEMBINA,
        seeded.catalog,
        on=date(2025, 3, 10),
        agency_code="kota.dinsos",
        level=WilayahLevel.DESA_KELURAHAN,
    )
    assert [(r.area.value, r.total, r.overdue) for r in rows] == [
        ("32.75.01.1001", 5, 0),
        ("32.75.01.1002", 1, 0),
    ]


def test_a_period_keeps_the_referrals_routed_in_it(seeded: World) -> None:
    assert agency_performance(seeded.store, PEMBINA, seeded.catalog, period="2025-02") == []
    march = agency_performance(seeded.store, PEMBINA, seeded.catalog, period="2025-03")
    assert sum(r.total for r in march) == 8


def test_each_actor_counts_within_its_own_scope_only(seeded: World) -> None:
    store, catalog = seeded.store, seeded.catalog
    (own,) = agency_performance(store, officer("kota.disperkimtan"), catalog, on=DAY)
    assert (own.agency_code, own.total) == ("kota.disperkimtan", 2)
    kader_rows = agency_performance(store, seeded.kader("mawar"), catalog, on=DAY)
    assert sum(r.total for r in kader_rows) == 5
    elsewhere = Actor("tp-kab", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.16")))
    assert agency_performance(store, elsewhere, catalog, on=DAY) == []
    with pytest.raises(InvalidValue):
        agency_performance(store, "nobody", catalog)  # type: ignore[arg-type]


def test_the_figures_serialise_with_the_agency_name_in_one_language(seeded: World) -> None:
    rows = agency_performance(seeded.store, PEMBINA, seeded.catalog, on=date(2025, 3, 20))
    first = rows[0].to_dict("id")
    assert first["agency_name"] == "Dinas Sosial Kota Bekasi"
    assert (first["field"], first["area"], first["overdue"]) == ("sosial", "32.75", 2)
    assert rows[0].to_dict()["agency_name"] == {
        "id": "Dinas Sosial Kota Bekasi",
        "en": "Kota Bekasi social office",
    }

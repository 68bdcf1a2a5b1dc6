"""Action plans: stored, audited in the hash chain, versioned, and read by area only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from spm_core.access import Actor, AgencyScope, AreaScope, PosyanduScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import AccessDenied, ConcurrentUpdate, InputError, InvalidValue, NotFound
from spm_core.store import Store

KOTA = KodeWilayah("32.75")
KAB = KodeWilayah("32.16")
PEMBINA_KOTA = Actor("tp-kota", Role.TIM_PEMBINA, AreaScope(KOTA))
PEMBINA_KAB = Actor("tp-kab", Role.TIM_PEMBINA, AreaScope(KAB))
OPERATOR_JABAR = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))


def _plan(
    code: str = "tp-2026", region: str = "32.75", target: int = 95, **more: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "title": "Rencana aksi 2026",
        "wilayah_code": region,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "agreed_by": ["Disdik", "Dinsos"],
        "agreed_on": "2026-01-20",
        "commitments": [
            {
                "code": "aps",
                "kind": "indicator",
                "agency_code": "disdik",
                "indicator": "pendidikan.aps-7-15",
                "area": f"{region}.01",
                "target": target,
                "due_on": "2026-12-31",
            }
        ],
        **more,
    }


@pytest.fixture
def plans(store: Store) -> Store:
    store.save_action_plan(PEMBINA_KOTA, _plan(), Purpose.ADMINISTRASI)
    store.save_action_plan(PEMBINA_KAB, _plan("tp-kab-2026", "32.16"), Purpose.ADMINISTRASI)
    return store


def test_a_revision_keeps_every_earlier_version(plans: Store) -> None:
    revised = plans.save_action_plan(
        PEMBINA_KOTA,
        _plan(target=90, note="Target diturunkan setelah rapat evaluasi triwulan I"),
        Purpose.KOREKSI,
        expected_version=1,
    )
    assert revised.version == 2
    history = plans.action_plan_history(PEMBINA_KOTA, "tp-2026")
    assert [(p.version, p.commitments[0].target, p.note) for p in history] == [
        (1, 95.0, None),
        (2, 90.0, "Target diturunkan setelah rapat evaluasi triwulan I"),
    ]
    assert plans.get_action_plan(PEMBINA_KOTA, "tp-2026").version == 2
    assert plans.get_action_plan(PEMBINA_KOTA, "tp-2026", version=1).commitments[0].target == 95
    assert [p.version for p in plans.list_action_plans(PEMBINA_KOTA)] == [2]


def test_saving_the_same_plan_again_stores_nothing(plans: Store) -> None:
    again = plans.save_action_plan(PEMBINA_KOTA, _plan(), Purpose.ADMINISTRASI)
    assert again.version == 1
    assert len(plans.action_plan_history(PEMBINA_KOTA, "tp-2026")) == 1


def test_a_revision_from_a_stale_version_writes_nothing(plans: Store) -> None:
    plans.save_action_plan(PEMBINA_KOTA, _plan(target=90), Purpose.KOREKSI, expected_version=1)
    with pytest.raises(ConcurrentUpdate):
        plans.save_action_plan(PEMBINA_KOTA, _plan(target=85), Purpose.KOREKSI, expected_version=1)
    assert [p.version for p in plans.action_plan_history(PEMBINA_KOTA, "tp-2026")] == [1, 2]


def test_every_version_is_audited_in_the_chain(plans: Store) -> None:
    plans.save_action_plan(PEMBINA_KOTA, _plan(target=90), Purpose.KOREKSI)
    operator = Actor("op-kota", Role.OPERATOR, AreaScope(KOTA))
    entries = plans.list_audit(operator, entity="action_plan")
    assert [(e.action, e.actor_id, e.purpose) for e in entries] == [
        ("create", "tp-kota", "administrasi"),
        ("revise", "tp-kota", "koreksi"),
    ]
    assert entries[1].fields == ("commitments",)
    assert plans.verify_audit().broken_at is None


def test_a_stored_version_cannot_be_changed(plans: Store) -> None:
    with pytest.raises(Exception) as raised, plans._db.engine.begin() as connection:  # noqa: PT011
        connection.execute(text("UPDATE action_plan SET title = 'diubah'"))
    assert "append-only" in str(raised.value)
    assert plans.get_action_plan(PEMBINA_KOTA, "tp-2026").title == "Rencana aksi 2026"


def test_plans_are_read_by_area(plans: Store) -> None:
    kader = Actor("k-1", Role.KADER, PosyanduScope("p-0"))
    officer = Actor("opd", Role.AGENCY_OFFICER, AgencyScope("kota-bekasi.disdik", KOTA))
    desa = Actor("desa", Role.DESA_OFFICER, AreaScope(KodeWilayah("32.75.01.1001")))
    assert [p.code for p in plans.list_action_plans(PEMBINA_KOTA)] == ["tp-2026"]
    assert [p.code for p in plans.list_action_plans(PEMBINA_KAB)] == ["tp-kab-2026"]
    assert [p.code for p in plans.list_action_plans(officer)] == ["tp-2026"]
    assert [p.code for p in plans.list_action_plans(desa)] == ["tp-2026"]
    assert plans.list_action_plans(kader) == []  # a posyandu that does not exist
    assert {p.code for p in plans.list_action_plans(OPERATOR_JABAR)} == {"tp-2026", "tp-kab-2026"}
    for probe in (
        lambda: plans.get_action_plan(PEMBINA_KOTA, "tp-kab-2026"),
        lambda: plans.action_plan_history(PEMBINA_KOTA, "tp-kab-2026"),
        lambda: plans.get_action_plan(PEMBINA_KOTA, "tidak-ada"),
    ):
        with pytest.raises(NotFound):
            probe()


def test_only_the_tim_pembina_and_operators_write_plans_in_their_area(plans: Store) -> None:
    officer = Actor("opd", Role.AGENCY_OFFICER, AgencyScope("kota-bekasi.disdik", KOTA))
    with pytest.raises(AccessDenied):
        plans.save_action_plan(officer, _plan("lain"), Purpose.ADMINISTRASI)
    with pytest.raises(InputError) as outside:
        plans.save_action_plan(PEMBINA_KOTA, _plan("lain", "32.16"), Purpose.ADMINISTRASI)
    assert outside.value.issues[0].code == "out-of-scope"
    with pytest.raises(InputError) as taken:
        plans.save_action_plan(PEMBINA_KAB, _plan("tp-2026", "32.16"), Purpose.ADMINISTRASI)
    assert taken.value.issues[0].code == "code-in-use"
    with pytest.raises(InvalidValue):  # plans are not written to register residents
        plans.save_action_plan(PEMBINA_KOTA, _plan("lain"), Purpose.PENDATAAN)


def test_bad_plans_name_the_field(store: Store) -> None:
    bad = _plan()
    bad["commitments"] = [
        dict(bad["commitments"][0], due_on="2027-02-01"),
        {"code": "aps", "kind": "activity", "agency_code": "dinsos", "due_on": "2026-05-01"},
    ]
    with pytest.raises(InputError) as raised:
        store.save_action_plan(PEMBINA_KOTA, bad, Purpose.ADMINISTRASI)
    fields = {i.field for i in raised.value.issues}
    assert "commitments.1.title" in fields
    assert store.list_action_plans(PEMBINA_KOTA) == []


def test_a_plan_for_a_region_not_stored_yet_copies_the_region(store: Store) -> None:
    plan = store.save_action_plan(OPERATOR_JABAR, _plan("bogor", "32.01"), Purpose.ADMINISTRASI)
    assert plan.wilayah_code == KodeWilayah("32.01")
    assert store.get_wilayah(OPERATOR_JABAR, "32.01").code == KodeWilayah("32.01")

"""The audit log: one row per changed entity, field names only, append-only on both databases."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from store_helpers import KAB, World, make_nik, operator

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.audit import actor_activity, entity_history, processing_summary, subject_log
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import AccessDenied, InputError, NotFound
from spm_core.store import AuditEntry

PROVINCE = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))


class Log:
    """Reads the audit rows appended since the last look."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.seen = len(world.store.list_audit(PROVINCE))

    def new(self) -> list[AuditEntry]:
        entries = self.world.store.list_audit(PROVINCE)
        fresh, self.seen = entries[self.seen :], len(entries)
        return fresh


def _check(entry: AuditEntry, actor: Actor, purpose: Purpose, secrets: list[str]) -> None:
    assert entry.actor_id == actor.id
    assert entry.actor_role == actor.role.value
    assert entry.actor_scope == actor.scope.describe()
    assert entry.purpose == purpose.value
    assert entry.at.tzinfo is UTC
    assert abs(datetime.now(UTC) - entry.at) < timedelta(minutes=5)
    assert entry.fields
    dumped = json.dumps(entry.to_dict())
    for secret in secrets:
        assert secret not in dumped


def test_every_write_appends_one_row_per_changed_entity(world: World) -> None:
    store, catalog, op = world.store, world.catalog, world.operator
    kader = world.kader("mawar")
    log = Log(world)

    posyandu = store.add_posyandu(
        op, {"name": "Posyandu Baru", "wilayah_code": "32.75.01.1003"}, Purpose.ADMINISTRASI
    )
    fresh = log.new()
    assert Counter(e.entity for e in fresh) == {"wilayah": 1, "posyandu": 1}
    assert {e.entity_id for e in fresh} == {"32.75.01.1003", posyandu.id}
    for entry in fresh:
        _check(entry, op, Purpose.ADMINISTRASI, [])

    nik = make_nik(501, date(1999, 9, 9), Sex.FEMALE)
    resident, _ = store.add_resident(
        kader,
        {
            "nik": nik,
            "name": "Rahasia Sekali",
            "sex": "P",
            "birth_date": "1999-09-09",
            "posyandu_id": world.posyandu["mawar"].id,
            "address": "Jalan Rahasia 9",
        },
        Purpose.PENDATAAN,
    )
    secrets = [nik, "Rahasia", "1999-09-09", "Jalan Rahasia"]
    (entry,) = log.new()
    assert (entry.action, entry.entity, entry.entity_id) == ("create", "resident", resident.id)
    assert set(entry.fields) == {"nik", "name", "sex", "birth_date", "posyandu_id", "address"}
    assert entry.posyandu_id == world.posyandu["mawar"].id
    _check(entry, kader, Purpose.PENDATAAN, secrets)

    store.update_resident(kader, resident.id, {"name": "Rahasia Baru", "sex": "P"}, 1, "koreksi")
    (entry,) = log.new()
    assert (entry.action, entry.fields) == ("update", ("name",))
    _check(entry, kader, Purpose.KOREKSI, [*secrets, "Baru"])

    household = world.household("mawar", nomor_kk="3275011203180007")
    (entry,) = log.new()
    assert (entry.entity, entry.entity_id) == ("household", household.id)
    _check(entry, kader, Purpose.PENDATAAN, ["3275011203180007"])

    membership = store.add_membership(
        kader,
        {
            "household_id": household.id,
            "resident_id": resident.id,
            "relationship": 1,
            "start": "2020-01-01",
        },
        Purpose.PENDATAAN,
    )
    store.end_membership(kader, membership.id, date(2024, 1, 1), Purpose.PENDATAAN)
    created, ended = log.new()
    assert (created.entity, created.action, ended.action) == ("membership", "create", "update")
    assert ended.fields == ("end",)

    record, _ = store.add_record(
        kader,
        {
            "record_type": "uji.timbang",
            "resident_id": resident.id,
            "observed_on": "2025-01-02",
            "value": {"weight_kg": 51.5, "note": "catatan pribadi"},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    (entry,) = log.new()
    assert (entry.entity, entry.entity_id) == ("record", record.id)
    assert set(entry.fields) == {
        "record_type",
        "resident_id",
        "observed_on",
        "value.weight_kg",
        "value.note",
    }
    _check(entry, kader, Purpose.PELAYANAN, ["51.5", "catatan pribadi"])

    store.set_posyandu_field(
        op, posyandu.id, "sosial", date(2025, 1, 1), purpose=Purpose.ADMINISTRASI
    )
    (entry,) = log.new()
    assert (entry.entity, entry.fields) == ("posyandu", ("fields.sosial",))

    target = {
        "code": "uji.sasaran",
        "wilayah_code": "32.75",
        "year": 2025,
        "value": 5,
        "source": "uji",
    }
    store.set_target(op, target, Purpose.PELAPORAN)
    store.set_target(op, target, Purpose.PELAPORAN)
    store.set_target(op, {**target, "value": 6}, Purpose.PELAPORAN)
    first, changed = log.new()
    assert (first.action, changed.action, changed.fields) == ("create", "update", ("value",))

    store.set_quality_input(
        op,
        {
            "service_type": "uji.layanan",
            "wilayah_code": "32.75",
            "year": 2025,
            "item": "alat",
            "category": "sdm",
            "required": 2,
            "met": 1,
        },
        Purpose.PELAPORAN,
    )
    (entry,) = log.new()
    assert entry.entity == "quality_input"

    result = store.add_residents(
        kader,
        [
            {
                "name": f"Massal {i}",
                "sex": "L",
                "birth_date": "2010-01-01",
                "posyandu_id": world.posyandu["mawar"].id,
            }
            for i in range(3)
        ],
        Purpose.PENDATAAN,
    )
    fresh = log.new()
    assert [e.entity_id for e in fresh] == [r.id for r in result.residents]
    assert all(e.entity == "resident" and e.action == "create" for e in fresh)

    with pytest.raises(InputError):
        world.resident("mawar", nik=nik)
    assert log.new() == []


def test_audit_log_refuses_update_and_delete(world: World) -> None:
    store = world.store
    world.resident("mawar")
    statements = ["UPDATE audit_log SET purpose = 'penelitian'", "DELETE FROM audit_log"]
    if store.dialect == "postgresql":
        statements.append("TRUNCATE audit_log")
    before = store.list_audit(world.operator)
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), store._engine.begin() as connection:
            connection.execute(text(statement))
    assert store.list_audit(world.operator) == before


def test_only_operators_read_the_log_of_their_own_area(world: World) -> None:
    store = world.store
    resident = world.resident("mawar")
    desa = Actor("desa-1", Role.DESA_OFFICER, AreaScope(KodeWilayah("32.75.01.1001")))
    for actor in (world.kader("mawar"), desa):
        with pytest.raises(AccessDenied) as denied:
            store.list_audit(actor)
        assert denied.value.code == "access-denied"
        with pytest.raises(AccessDenied):
            entity_history(store, actor, "resident", resident.id)
    assert store.list_audit(operator(KAB, "op-kab")) == []
    assert [e.entity_id for e in store.list_audit(world.operator, entity="resident")] == [
        resident.id
    ]


def test_audit_queries(world: World) -> None:
    store, op = world.store, world.operator
    kader = world.kader("melati")
    resident = world.resident("melati")
    household = world.household("melati")
    membership = store.add_membership(
        kader,
        {
            "household_id": household.id,
            "resident_id": resident.id,
            "relationship": 1,
            "start": "2021-01-01",
        },
        Purpose.PENDATAAN,
    )
    record, _ = store.add_record(
        kader,
        {
            "record_type": "uji.timbang",
            "resident_id": resident.id,
            "observed_on": "2025-02-01",
            "value": {"weight_kg": 60},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    history = entity_history(store, op, "resident", resident.id)
    assert [(e.action, e.actor_id) for e in history] == [("create", kader.id)]
    log = subject_log(store, op, resident.id)
    assert [(e.entity, e.entity_id) for e in log] == [
        ("resident", resident.id),
        ("membership", membership.id),
        ("record", record.id),
    ]
    with pytest.raises(NotFound):
        subject_log(store, operator(KAB, "op-kab"), resident.id)
    activity = actor_activity(store, op, kader.id)
    assert Counter(e.entity for e in activity) == {
        "resident": 1,
        "household": 1,
        "membership": 1,
        "record": 1,
    }
    later = datetime.now(UTC) + timedelta(days=1)
    assert actor_activity(store, op, kader.id, since=later) == []
    summary = {(s.actor_id, s.entity, s.purpose): s for s in processing_summary(store, op)}
    weighing = summary[(kader.id, "record", "pelayanan")]
    assert weighing.count == 1
    assert "value.weight_kg" in weighing.fields
    assert summary[(op.id, "posyandu", "administrasi")].count == 3

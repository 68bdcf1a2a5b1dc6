"""The audit log: one row per changed entity, field names only, append-only on both databases."""

from __future__ import annotations

import itertools
import json
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from store_helpers import KAB, World, make_nik, operator

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.audit import actor_activity, entity_history, processing_summary, subject_log
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import AccessDenied, InputError, NotFound
from spm_core.store import AuditEntry, Store
from spm_core.store.chain import GENESIS, row_hash, verify_chain
from spm_core.store.tables import AuditRow

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


# --------------------------------------------------------------------------- hash chain


def _rows(world: World, count: int = 4) -> list[int]:
    """Write ``count`` residents and return the ids of all audit rows, oldest first."""
    for _ in range(count):
        world.resident("mawar")
    return [e.id for e in world.store.list_audit(PROVINCE)]


def _tamper(store: Store, *statements: str) -> None:
    """Run ``statements`` as the table owner would, in one transaction."""
    with store._engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _lift_triggers(store: Store) -> list[str]:
    """Return the statements an owner runs to get the append-only triggers out of the way."""
    if store.dialect == "postgresql":
        return ["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
    return [
        "DROP TRIGGER audit_log_no_update",
        "DROP TRIGGER audit_log_no_delete",
        "DROP TRIGGER audit_log_no_replace",
    ]


def _restore_triggers(store: Store) -> list[str]:
    if store.dialect == "postgresql":
        return ["ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change"]
    return []


def test_every_row_is_chained_to_the_one_before(world: World) -> None:
    ids = _rows(world)
    report = verify_chain(world.store._engine)
    assert report.ok
    assert report.checked == len(ids)
    assert report.error() is None
    with world.store._engine.connect() as connection:
        chain = connection.execute(
            text("SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id")
        ).all()
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.row_hash
    assert report.head == chain[-1].row_hash


def test_a_rewritten_row_is_named(world: World) -> None:
    store = world.store
    ids = _rows(world)
    victim = ids[3]
    _tamper(
        store,
        *_lift_triggers(store),
        f"UPDATE audit_log SET purpose = 'penelitian' WHERE id = {victim}",
        *_restore_triggers(store),
    )
    report = verify_chain(store._engine)
    assert not report.ok
    assert report.broken_at == victim
    assert "diubah" in report.reason_id
    assert "changed" in report.reason_en
    error = report.error()
    assert error is not None
    assert error.code == "audit-chain-broken"
    assert str(victim) in error.message_id
    assert str(victim) in error.message_en


def test_a_deleted_middle_row_is_named(world: World) -> None:
    store = world.store
    ids = _rows(world)
    _tamper(
        store,
        *_lift_triggers(store),
        f"DELETE FROM audit_log WHERE id = {ids[2]}",
        *_restore_triggers(store),
    )
    report = verify_chain(store._engine)
    assert report.broken_at == ids[3]
    assert f"row {ids[1]}" in report.reason_en
    assert "removed" in report.reason_en


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_insert_or_replace_is_refused_then_detected(world: World) -> None:
    store = world.store
    ids = _rows(world)
    replace = (
        "INSERT OR REPLACE INTO audit_log (id, at, actor_id, actor_role, actor_scope, action, "
        "entity, entity_id, purpose, fields, wilayah_code, posyandu_id, prev_hash, row_hash) "
        f"SELECT id, at, 'orang-lain', actor_role, actor_scope, action, entity, entity_id, "
        f"purpose, fields, wilayah_code, posyandu_id, prev_hash, row_hash FROM audit_log "
        f"WHERE id = {ids[2]}"
    )
    # The delete trigger does not fire for a replaced row; the replace trigger does.
    with pytest.raises(DBAPIError, match="append-only"):
        _tamper(store, replace)
    assert verify_chain(store._engine).ok
    # An owner who drops that trigger first still leaves evidence.
    _tamper(store, "DROP TRIGGER audit_log_no_replace", replace)
    report = verify_chain(store._engine)
    assert report.broken_at == ids[2]


def test_a_recomputed_chain_is_caught_by_an_anchor(world: World) -> None:
    """An owner who rewrites a row and recomputes every later hash fools the chain alone."""
    store = world.store
    ids = _rows(world)
    anchor = verify_chain(store._engine)
    rows = store.list_audit(PROVINCE)
    assert rows
    _tamper(
        store,
        *_lift_triggers(store),
        f"UPDATE audit_log SET actor_id = 'orang-lain' WHERE id = {ids[1]}",
    )
    with store._engine.begin() as connection:
        table = AuditRow.__table__
        found = [dict(r) for r in connection.execute(select(table).order_by(table.c.id)).mappings()]
        prev = GENESIS
        for row in found:
            digest = row_hash(row, prev)
            connection.execute(
                text("UPDATE audit_log SET prev_hash = :p, row_hash = :h WHERE id = :i"),
                {"p": prev, "h": digest, "i": row["id"]},
            )
            prev = digest
    _tamper(store, *_restore_triggers(store))
    assert verify_chain(store._engine).ok  # the chain alone cannot tell
    report = verify_chain(store._engine, anchors={ids[-1]: anchor.head})
    assert report.broken_at == ids[-1]
    assert "anchor" in report.reason_en


def test_rows_removed_from_the_end_are_caught_by_an_anchor(world: World) -> None:
    store = world.store
    ids = _rows(world)
    anchor = verify_chain(store._engine)
    _tamper(
        store,
        *_lift_triggers(store),
        f"DELETE FROM audit_log WHERE id = {ids[-1]}",
        *_restore_triggers(store),
    )
    assert verify_chain(store._engine).ok
    report = verify_chain(store._engine, anchors={ids[-1]: anchor.head})
    assert report.broken_at == ids[-1]
    assert "removed" in report.reason_en


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_postgresql_owner_can_disable_the_trigger_but_not_unseen(world: World) -> None:
    """The bypass the issue found: DISABLE TRIGGER, rewrite, ENABLE — now evident."""
    store = world.store
    if store.dialect != "postgresql":
        pytest.skip("ALTER TABLE ... DISABLE TRIGGER is PostgreSQL's")
    ids = _rows(world)
    _tamper(
        store,
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        f"UPDATE audit_log SET fields = '[\"nik\"]' WHERE id = {ids[4]}",
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change",
    )
    assert verify_chain(store._engine).broken_at == ids[4]


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_postgresql_application_role_cannot_touch_the_trigger(world: World) -> None:
    """The production split (docs/audit-log.md): the app role owns nothing, so it cannot
    disable, drop or bypass the triggers, nor rewrite the log."""
    store = world.store
    if store.dialect != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    world.resident("mawar")
    role = f"spm_app_test_{uuid.uuid4().hex[:8]}"
    with store._engine.begin() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
        for statement in app_role_grants(role, schema):
            connection.execute(text(statement))
    try:
        attempts = [
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
            "DROP TRIGGER audit_log_no_change ON audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "UPDATE audit_log SET purpose = 'penelitian'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ]
        for attempt in attempts:
            with store._engine.connect() as connection:
                connection.execute(text(f'SET ROLE "{role}"'))
                with pytest.raises(DBAPIError) as refused:
                    connection.execute(text(attempt))
                sqlstate = getattr(refused.value.orig, "sqlstate", None)
                assert sqlstate == "42501", (attempt, sqlstate)  # insufficient_privilege
                connection.rollback()
        # What the application does need still works under that role.
        with store._engine.connect() as connection:
            connection.execute(text(f'SET ROLE "{role}"'))
            assert connection.scalar(text("SELECT count(*) FROM audit_log")) >= 1
            connection.rollback()
    finally:
        with store._engine.begin() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))
    assert verify_chain(store._engine).ok


def app_role_grants(role: str, schema: str) -> list[str]:
    """Return the SQL of docs/audit-log.md that sets up an application role."""
    return [
        f'CREATE ROLE "{role}" NOLOGIN',
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}".audit_log FROM "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
    ]

"""Transactions: SQLite pragmas and BEGIN modes, conflicts retried, versions enforced."""

from __future__ import annotations

import threading
import traceback
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session
from store_helpers import World

from spm_core.access import Purpose
from spm_core.errors import ConcurrentUpdate, DatabaseError, InputError
from spm_core.store import open_store
from spm_core.store.transactions import Database


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with store._engine.connect() as connection:
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert connection.scalar(text("PRAGMA busy_timeout")) == 5000
    finally:
        store.close()


def test_write_and_read_transaction_modes(world: World) -> None:
    """SQLite: BEGIN IMMEDIATE for writes, deferred BEGIN for reads.

    PostgreSQL: SERIALIZABLE writes, REPEATABLE READ read-only reads.
    """
    store = world.store
    database = Database(store._engine)
    if store.dialect == "postgresql":

        def isolation(session: Session) -> Any:
            return session.scalar(text("SHOW transaction_isolation"))

        def lock_held(session: Session) -> Any:
            return session.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted"
                )
            )

        # Writes run one after another behind one advisory lock, in READ COMMITTED.
        assert database.write(isolation, entity="resident") == "read committed"
        assert database.write(lock_held, entity="resident") == 1
        with database.read() as session:
            assert isolation(session) == "repeatable read"
            assert session.scalar(text("SHOW transaction_read_only")) == "on"
        return
    seen: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(store._engine, "before_cursor_execute", remember)
    try:
        world.resident("mawar")
        # A kader's read of an adult's general data writes no read line: a read only.
        store.list_residents(world.kader("mawar"))
    finally:
        event.remove(store._engine, "before_cursor_execute", remember)
    assert seen == ["BEGIN IMMEDIATE", "BEGIN"]


def test_database_errors_are_coded_and_carry_no_driver_text(world: World) -> None:
    """A DBAPI error leaves as a coded error naming SQLSTATE/constraint, never row values."""
    store = world.store
    database = Database(store._engine)
    resident = world.resident("mawar")
    assert resident.nik is not None
    calls: list[int] = []

    def broken(session: Session) -> None:
        calls.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DatabaseError) as missing_table:
        database.write(broken, entity="resident")
    assert calls == [1]  # not retried
    assert "no_such_table" not in str(missing_table.value)

    def duplicate(session: Session) -> None:
        # The driver's text for this would carry the whole row: NIK, name, birth date.
        session.execute(
            text(
                "INSERT INTO resident (id, nik, name, sex, birth_date, posyandu_id, "
                "wilayah_code, restricted, version, created_at, updated_at) VALUES "
                "('x', :nik, 'Nama Rahasia', 'P', '1990-05-17', :p, '32.75.01.1001', "
                "false, 1, '2025-01-01', '2025-01-01')"
            ),
            {"nik": resident.nik, "p": world.posyandu["mawar"].id},
        )

    with pytest.raises(DatabaseError) as unique:
        database.write(duplicate, entity="resident")
    error = unique.value
    shown = " ".join([str(error), error.message_id, error.message_en, str(error.to_dict())])
    assert error.code == "database-error"
    assert "resident" in error.message_en
    # Not in a logged traceback either: the driver's exception is not chained.
    shown += "".join(traceback.format_exception(error))
    assert error.__cause__ is None
    assert resident.nik not in shown
    assert "Nama Rahasia" not in shown
    assert "1990" not in shown
    if store.dialect == "postgresql":
        assert "SQLSTATE 23505" in shown
        assert "uq_resident_nik" in shown
    else:
        assert "UNIQUE resident.nik" in shown


def test_two_updates_from_one_version_one_wins(world: World) -> None:
    store = world.store
    kader = world.kader("mawar")
    resident = world.resident("mawar")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def update(name: str) -> None:
        barrier.wait()
        try:
            store.update_resident(kader, resident.id, {"name": name}, 1, Purpose.KOREKSI)
            outcomes.append("won")
        except ConcurrentUpdate:
            outcomes.append("stale")

    threads = [threading.Thread(target=update, args=(n,)) for n in ("Kiri", "Kanan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stale", "won"]
    final = store.get_resident(kader, resident.id)
    assert final.version == 2
    assert final.name in {"Kiri", "Kanan"}
    audit = store.list_audit(world.operator, entity="resident", entity_id=resident.id)
    assert [e.action for e in audit] == ["create", "update"]


def test_concurrent_heads_of_household_only_one_is_stored(world: World) -> None:
    store = world.store
    kader = world.kader("melati")
    household = world.household("melati")
    residents = [world.resident("melati") for _ in range(4)]
    barrier = threading.Barrier(len(residents))
    outcomes: list[str] = []

    def add_head(resident_id: str) -> None:
        barrier.wait()
        try:
            store.add_membership(
                kader,
                {
                    "household_id": household.id,
                    "resident_id": resident_id,
                    "relationship": 1,
                    "start": date(2024, 1, 1),
                },
                Purpose.PENDATAAN,
            )
            outcomes.append("stored")
        except InputError as error:
            outcomes.append(error.issues[0].code)

    threads = [threading.Thread(target=add_head, args=(r.id,)) for r in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["second-kepala-keluarga"] * 3 + ["stored"]
    heads = store.household_members(kader, household.id, date(2024, 6, 1))
    assert len(heads) == 1

"""Transactions: SQLite pragmas and BEGIN modes, conflicts retried, versions enforced."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from store_helpers import World

from spm_core.access import Purpose
from spm_core.errors import ConcurrentUpdate, InputError
from spm_core.store import Store, open_store
from spm_core.store.transactions import MAX_ATTEMPTS, Database


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

        assert database.write(isolation, entity="resident", key="-") == "serializable"
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
        store.list_residents(world.operator)
    finally:
        event.remove(store._engine, "before_cursor_execute", remember)
    assert seen == ["BEGIN IMMEDIATE", "BEGIN"]


class _Conflict(Exception):
    sqlstate = "40001"


def _conflict() -> OperationalError:
    return OperationalError("UPDATE ...", {}, _Conflict("could not serialize access"))


def test_conflicts_are_retried_then_reported(store: Store) -> None:
    database = Database(store._engine)
    database.backoff = 0.0
    calls: list[int] = []

    def flaky(session: Session) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _conflict()
        return "done"

    assert database.write(flaky, entity="resident", key="r-1") == "done"
    assert len(calls) == 3

    def always(session: Session) -> str:
        calls.append(1)
        raise _conflict()

    calls.clear()
    with pytest.raises(ConcurrentUpdate) as raised:
        database.write(always, entity="resident", key="r-1")
    assert len(calls) == MAX_ATTEMPTS
    assert raised.value.code == "concurrent-update"
    assert "r-1" in raised.value.message_id


def test_other_database_errors_are_not_retried(store: Store) -> None:
    database = Database(store._engine)
    calls: list[int] = []

    def broken(session: Session) -> None:
        calls.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(Exception, match="no_such_table"):
        database.write(broken, entity="resident", key="r-1")
    assert calls == [1]


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


class _Busy(Exception):
    sqlite_errorcode = 5


def test_a_busy_sqlite_write_lock_is_retried_then_reported(store: Store) -> None:
    database = Database(store._engine)
    database.backoff = 0.0
    calls: list[int] = []

    def busy_twice(session: Session) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("BEGIN IMMEDIATE", {}, _Busy("database is locked"))
        return "done"

    assert database.write(busy_twice, entity="referral", key="r-1") == "done"
    assert len(calls) == 3

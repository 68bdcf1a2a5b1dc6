"""Work run in child processes by the contention tests (importable by ``multiprocessing``).

Each function opens its own store (nothing crosses a process boundary but text), waits
at a barrier so the processes really start together, does its writes and returns what
happened as plain data: the error codes seen, never exceptions.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import date
from typing import Any

from store_helpers import make_nik

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import SpmError
from spm_core.store import open_store
from spm_core.store.transactions import check_connection, make_engine

OPERATOR = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))


def add_residents(url: str, posyandu_id: str, worker: int, count: int, barrier: Any) -> list[str]:
    """Register ``count`` residents one call each; return ``"ok"`` or the error code per call."""
    store = open_store(url)
    kader = Actor(f"kader-{worker}", Role.KADER, PosyanduScope(posyandu_id))
    outcomes: list[str] = []
    try:
        barrier.wait(timeout=30)
        for i in range(count):
            serial = worker * 1000 + i + 1
            data = {
                "nik": make_nik(serial, date(1990, 1, 1), Sex.MALE),
                "name": f"Warga {serial}",
                "sex": "L",
                "birth_date": "1990-01-01",
                "posyandu_id": posyandu_id,
            }
            try:
                store.add_resident(kader, data, Purpose.PENDATAAN)
                outcomes.append("ok")
            except SpmError as error:
                outcomes.append(error.code)
    finally:
        store.close()
    return outcomes


def set_targets(url: str, worker: int, count: int, barrier: Any) -> list[str]:
    """Set the same target key ``count`` times; return ``"ok"`` or the error code per call."""
    store = open_store(url)
    outcomes: list[str] = []
    try:
        barrier.wait(timeout=30)
        for i in range(count):
            data = {
                "code": "uji.sasaran",
                "wilayah_code": "32.75",
                "year": 2025,
                "value": worker * 100 + i,
                "source": f"proses {worker}",
            }
            try:
                store.set_target(OPERATOR, data, Purpose.PELAPORAN)
                outcomes.append("ok")
            except SpmError as error:
                outcomes.append(error.code)
    finally:
        store.close()
    return outcomes


def open_empty(url: str, barrier: Any) -> str:
    """Open (and so migrate) a database at the same moment as other processes."""
    barrier.wait(timeout=30)
    try:
        store = open_store(url)
    except SpmError as error:
        return error.code
    except Exception as error:  # what the test exists to rule out: a raw error
        return f"raw {type(error).__name__}"
    try:
        return store.schema_revision() or "-"
    finally:
        store.close()


def hold_sqlite_write_lock(path: str, seconds: float, ready: Any) -> None:
    """Take SQLite's write lock with ``BEGIN IMMEDIATE`` and keep it for ``seconds``."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def update_name(url: str, posyandu_id: str, resident_id: str, name: str, barrier: Any) -> str:
    """Rename a resident from version 1; return ``"won"`` or the error code and message."""
    store = open_store(url)
    kader = Actor(f"kader-{name}", Role.KADER, PosyanduScope(posyandu_id))
    try:
        barrier.wait(timeout=30)
        store.update_resident(kader, resident_id, {"name": name}, 1, Purpose.KOREKSI)
        return "won"
    except SpmError as error:
        return f"{error.code}|{error.message_en}"
    finally:
        store.close()


def connect_new(path: str, barrier: Any) -> str:
    """Open a connection to a file other processes open at the same moment; its journal mode."""
    engine = make_engine(f"sqlite:///{path}")
    barrier.wait(timeout=30)
    try:
        check_connection(engine)
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar())
    except SpmError as error:
        return error.code
    finally:
        engine.dispose()

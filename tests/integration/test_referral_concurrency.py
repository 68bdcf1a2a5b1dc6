"""Real contention: several processes submit and step referrals in one database.

SQLite: 4 processes × 250 operations on one file. PostgreSQL: 8 sessions (processes) ×
250 operations. Every process replays the same shared submissions (idempotent), races
the others to accept each shared referral at one version (exactly one may win), and
walks its own referrals through lifecycle chains. Afterwards: no referral is lost or
duplicated, no caller saw "database is locked" or an unretried serialization failure,
and the final state equals a sequential replay of the same scripts.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from referral_helpers import contention_script, run_script
from store_helpers import World, build_world

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.store import open_store

SHARED = 25
PRIVATE = 60  # 25 + 25 + 60 submissions + 140 steps = 250 operations per process


def _seed(url: str, catalog: Catalog, processes: int) -> tuple[str, list[str]]:
    store = open_store(url)
    try:
        world: World = build_world(store, catalog)
        residents = [world.resident("mawar").id for _ in range(SHARED + processes * PRIVATE)]
        return world.posyandu["mawar"].id, residents
    finally:
        store.close()


def _final_state(url: str) -> dict[str, tuple[str, int, str | None, int]]:
    """Return key → (status, version, agency, history length) of every referral."""
    from referral_helpers import officer  # noqa: F401  (keeps helpers importable here)

    from spm_core.access import Actor, AreaScope, Role
    from spm_core.domain import KodeWilayah

    store = open_store(url, upgrade=False)
    operator = Actor("op-check", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    try:
        referrals = store.list_referrals(operator, purpose=Purpose.PELAYANAN)
        keys = Counter(r.idempotency_key for r in referrals)
        assert all(n == 1 for n in keys.values()), "a key made two referrals"
        return {
            str(r.idempotency_key): (
                r.status.value,
                r.version,
                r.agency_code,
                len(store.referral_history(operator, r.id, purpose=Purpose.PELAYANAN)),
            )
            for r in referrals
        }
    finally:
        store.close()


def _contend(
    kind: str,
    processes: int,
    tmp_path: Path,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
    catalog: Catalog,
) -> None:
    scripts = [contention_script(p, shared=SHARED, private=PRIVATE) for p in range(processes)]
    assert all(len(s) == 250 for s in scripts)
    with make_database(kind, tmp_path / "parallel") as url:
        posyandu, residents = _seed(url, catalog, processes)
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            results = pool.starmap(
                run_script, [(url, posyandu, residents, script) for script in scripts]
            )
        parallel = _final_state(url)
    errors = [r for out in results for r in out if r[2].startswith("error")]
    assert errors == []
    assert not any("locked" in r[2] for out in results for r in out)
    wins = Counter(r[0] for out in results for r in out if r[1] == "accept" and r[0][0] == "s")
    won = Counter(
        r[0] for out in results for r in out if r[0][0] == "s" and r[1] == "accept" and r[2] == "ok"
    )
    assert set(wins) == {f"s-{i}" for i in range(SHARED)}
    assert all(n == 1 for n in won.values())
    assert len(won) == SHARED
    created = Counter(r[0] for out in results for r in out if r[2] == "created")
    assert all(n == 1 for n in created.values())
    assert len(parallel) == SHARED + processes * PRIVATE

    (tmp_path / "sequential").mkdir()
    with make_database(kind, tmp_path / "sequential") as url:
        posyandu, residents = _seed(url, catalog, processes)
        for script in scripts:
            out = run_script(url, posyandu, residents, script)
            assert [r for r in out if r[2].startswith("error")] == []
        sequential = _final_state(url)
    assert parallel == sequential


def test_four_sqlite_processes_lose_and_duplicate_nothing(
    tmp_path: Path,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
    referral_catalog: Catalog,
) -> None:
    (tmp_path / "parallel").mkdir()
    _contend("sqlite", 4, tmp_path, make_database, referral_catalog)


@pytest.mark.postgres
def test_eight_postgresql_sessions_lose_and_duplicate_nothing(
    tmp_path: Path,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
    referral_catalog: Catalog,
) -> None:
    (tmp_path / "parallel").mkdir()
    _contend("postgres", 8, tmp_path, make_database, referral_catalog)


def test_control_a_deferred_begin_does_reach_database_is_locked(tmp_path: Path) -> None:
    """Guards the fix: with a deferred BEGIN a reader that then writes fails at once.

    The store begins every write with BEGIN IMMEDIATE, so the same interleaving waits
    for the lock instead (busy timeout) and succeeds.
    """
    import sqlite3

    path = tmp_path / "control.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE counter (n INTEGER)")
        setup.execute("INSERT INTO counter VALUES (0)")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=5, isolation_level=None)

    first, second = connect(), connect()
    try:
        for begin, fails in (("BEGIN", True), ("BEGIN IMMEDIATE", False)):
            first.execute(begin)
            first.execute("SELECT n FROM counter").fetchall()
            if begin == "BEGIN":
                second.execute(begin)
                second.execute("SELECT n FROM counter").fetchall()
            first.execute("UPDATE counter SET n = n + 1")
            first.execute("COMMIT")
            if fails:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    second.execute("UPDATE counter SET n = n + 1")
                second.execute("ROLLBACK")
            else:
                second.execute(begin)
                second.execute("SELECT n FROM counter").fetchall()
                second.execute("UPDATE counter SET n = n + 1")
                second.execute("COMMIT")
        assert first.execute("SELECT n FROM counter").fetchone() == (3,)
    finally:
        first.close()
        second.close()

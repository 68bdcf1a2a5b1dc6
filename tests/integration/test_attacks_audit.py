"""Someone with the database owner's hands tampers with the audit log; the chain tells.

Hypothesis draws the tampering: a changed value in any column of any row, a deleted row,
two rows swapped (the order of events rewritten), a row moved to a new id, a row
inserted with a copied hash. Each is done as the owner would (the append-only triggers
out of the way) inside a transaction that is rolled back afterwards, and
:func:`~spm_core.store.chain.verify_chain` — given the head recorded before, as
``spm audit verify --anchor`` is — must report a break at or before the tampered row,
on both databases.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select, text
from store_helpers import World

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah
from spm_core.store.chain import verify_chain
from spm_core.store.tables import AuditRow

PROVINCE = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))
CHANGES: dict[str, str] = {
    "actor_id": "'orang-lain'",
    "actor_role": "'kader'",
    "actor_scope": "'posyandu:lain'",
    "action": "'read'",
    "entity": "'household'",
    "entity_id": "'r-palsu'",
    "purpose": "'penelitian'",
    "fields": "'[\"nik\"]'",
    "wilayah_code": "'32.16'",
    "posyandu_id": "'p-lain'",
    "row_count": "9999",
}
COLUMNS = [c for c in AuditRow.__table__.columns.keys() if c != "id"]  # noqa: SIM118


def _lift(connection: Connection) -> None:
    """Do what an owner can: drop the unique index that refuses a fork, lift the triggers."""
    connection.execute(text("DROP INDEX ix_audit_log_prev_hash"))
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        return
    for name in ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_replace"):
        connection.execute(text(f"DROP TRIGGER {name}"))


def _row(connection: Connection, row_id: int) -> dict[str, Any]:
    table = AuditRow.__table__
    return dict(connection.execute(select(table).where(table.c.id == row_id)).mappings().one())


def _write(connection: Connection, row_id: int, values: dict[str, Any]) -> None:
    table = AuditRow.__table__
    connection.execute(table.update().where(table.c.id == row_id).values(**values))


def _tamper(connection: Connection, kind: str, ids: list[int], i: int, j: int) -> int:
    """Tamper with the log; return the id of the first row that no longer fits."""
    a, b = ids[i], ids[j]
    if kind == "change":
        column = sorted(CHANGES)[j % len(CHANGES)]
        connection.execute(
            text(f"UPDATE audit_log SET {column} = {CHANGES[column]} WHERE id = {a}")
        )
        return a
    if kind == "time":
        _write(connection, a, {"at": _row(connection, a)["at"] - timedelta(seconds=1)})
        return a
    if kind == "delete":
        connection.execute(text(f"DELETE FROM audit_log WHERE id = {a}"))
        return ids[i + 1] if i + 1 < len(ids) else a
    if kind == "swap":
        if a == b:
            b = ids[(i + 1) % len(ids)]
        first, second = _row(connection, a), _row(connection, b)
        _write(connection, a, {c: second[c] for c in COLUMNS})
        _write(connection, b, {c: first[c] for c in COLUMNS})
        return min(a, b)
    if kind == "move":
        connection.execute(text(f"UPDATE audit_log SET id = {ids[-1] + 100} WHERE id = {a}"))
        return ids[i + 1] if i + 1 < len(ids) else ids[-1] + 100  # the moved row itself
    # "insert": a copy of a row, hashes and all, under a new id at the end
    copied = _row(connection, a)
    copied["id"] = ids[-1] + 50
    connection.execute(AuditRow.__table__.insert().values(**copied))
    return ids[-1] + 50


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["change", "time", "delete", "swap", "move", "insert"]),
    i=st.integers(min_value=0, max_value=12),  # past the end: the last row
    j=st.integers(min_value=0, max_value=20),
)
@example(kind="move", i=99, j=0)  # the last row moved: caught at its new id
@example(kind="delete", i=99, j=0)  # the last row cut: only the anchor tells
@example(kind="swap", i=2, j=3)
def test_any_tampering_is_evident(world: World, kind: str, i: int, j: int) -> None:
    store = world.store
    if not store.list_audit(PROVINCE):
        for _ in range(4):
            world.resident("mawar")
    ids = [e.id for e in store.list_audit(PROVINCE)]
    assert len(ids) >= 8
    anchor = verify_chain(store._engine)
    assert anchor.ok
    with store._engine.connect() as connection:
        outer = connection.begin()
        try:
            _lift(connection)
            first_bad = _tamper(connection, kind, ids, min(i, len(ids) - 1), j % len(ids))
            report = verify_chain(connection, anchors={anchor.last_id or 0: anchor.head})
        finally:
            outer.rollback()
    assert not report.ok, (kind, i, j)
    assert report.broken_at is not None
    assert report.broken_at <= first_bad, (kind, report)
    assert verify_chain(store._engine).ok  # the rollback put everything back


def test_spm_audit_verify_names_two_swapped_rows(
    world: World, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from spm_core.cli import main

    for _ in range(3):
        world.resident("mawar")
    ids = [e.id for e in world.store.list_audit(PROVINCE)]
    earlier, later = ids[2], ids[3]
    with world.store._engine.begin() as connection:  # the order of two events rewritten
        _lift(connection)
        first, second = _row(connection, earlier), _row(connection, later)
        _write(connection, earlier, {c: second[c] for c in COLUMNS})
        _write(connection, later, {c: first[c] for c in COLUMNS})
    status = main(["--lang", "en", "--db", db_url, "audit", "verify"])
    out = capsys.readouterr().out
    assert status == 3
    assert f"BROKEN at row {earlier}" in out

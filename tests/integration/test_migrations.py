"""Migrations: one head, up and down and up again, and the ORM matches the migration."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import MigrationError, StoreError
from spm_core.store import open_store
from spm_core.store import tables as _tables  # noqa: F401  (every table on the metadata)
from spm_core.store.base import Base
from spm_core.store.migrations import (
    _config,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from spm_core.store.transactions import make_engine

TABLES = {
    "wilayah",
    "posyandu",
    "posyandu_field",
    "household",
    "resident",
    "membership",
    "record",
    "target",
    "quality_input",
    "audit_log",
    "action_plan",
}


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(_config()).get_heads()
    assert heads == [head_revision()]


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        downgrade(engine, "base", drop_everything=True)
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_orm_metadata_matches_the_migration(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_audit_triggers_go_away_on_downgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        downgrade(engine, "base", drop_everything=True)
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                count = connection.scalar(
                    text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                )
            else:
                count = connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
                        "ON n.oid = p.pronamespace WHERE p.proname = 'audit_log_append_only' "
                        "AND n.nspname = current_schema()"
                    )
                )
        assert count == 0
    finally:
        engine.dispose()


def test_open_store_without_upgrade_refuses_an_old_database(db_url: str) -> None:
    with pytest.raises(MigrationError) as raised:
        open_store(db_url, upgrade=False)
    assert raised.value.code == "migration-error"
    assert head_revision() in raised.value.message_id
    assert head_revision() in raised.value.message_en
    store = open_store(db_url)
    store.close()
    again = open_store(db_url, upgrade=False)
    assert again.schema_revision() == head_revision()
    again.close()


def test_unknown_revision_is_a_migration_error(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with pytest.raises(MigrationError):
            upgrade(engine, "no-such-revision")
    finally:
        engine.dispose()


def test_unsupported_database_is_a_store_error() -> None:
    with pytest.raises(StoreError) as raised:
        open_store("mysql://user@localhost/spm")
    assert "mysql" in raised.value.message_en
    assert "mysql" in raised.value.message_id


def test_revision_0003_chains_the_rows_already_there(db_url: str) -> None:
    """Audit rows written before the chain existed are chained, in id order, by 0003."""
    from spm_core.store.chain import GENESIS, verify_chain

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0002")
        with engine.begin() as connection:
            for i in range(1, 6):
                connection.execute(
                    text(
                        "INSERT INTO audit_log (at, actor_id, actor_role, actor_scope, action, "
                        "entity, entity_id, purpose, fields, wilayah_code, posyandu_id) VALUES "
                        "(:at, 'op-1', 'operator', 'wilayah 32.75', 'create', 'posyandu', "
                        ":entity_id, 'administrasi', :fields, '32.75.01.1001', NULL)"
                    ),
                    {
                        "at": f"2025-01-0{i} 08:00:00.123456",
                        "entity_id": f"p-{i}",
                        "fields": '["name", "wilayah_code"]',
                    },
                )
        upgrade(engine)
        report = verify_chain(engine)
        assert report.ok, report
        assert report.checked == 5
        with engine.connect() as connection:
            chain = connection.execute(
                text("SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id")
            ).all()
        assert chain[0].prev_hash == GENESIS
        assert [c.prev_hash for c in chain[1:]] == [c.row_hash for c in chain[:-1]]
        assert len({c.row_hash for c in chain}) == 5
        # The append-only triggers are back after the chaining.
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET purpose = 'penelitian'"))
        # And the store appends after the chained rows.
        store = open_store(db_url)
        try:
            store.add_posyandu(
                Actor("op-1", Role.OPERATOR, AreaScope(KodeWilayah("32.75"))),
                {"name": "Posyandu Baru", "wilayah_code": "32.75.01.1002"},
                Purpose.ADMINISTRASI,
            )
            assert store.verify_audit().checked > 5
            assert store.verify_audit().ok
        finally:
            store.close()
    finally:
        engine.dispose()


def test_revision_0005_adds_action_plans_and_keeps_what_was_there(db_url: str) -> None:
    """Up from 0004 the rows stay; down to 0004 the plans go and the rest stays."""
    operator = Actor("op-1", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        assert "action_plan" not in inspect(engine).get_table_names()
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO wilayah (code, name, level, kind, parent_code) VALUES "
                    "('32', 'Jawa Barat', 1, 'provinsi', NULL), "
                    "('32.75', 'Kota Bekasi', 2, 'kota', '32')"
                )
            )
        upgrade(engine)
        store = open_store(db_url)
        try:
            plan = store.save_action_plan(
                Actor("tp", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75"))),
                {
                    "code": "tp-2026",
                    "title": "Rencana aksi",
                    "wilayah_code": "32.75",
                    "start": "2026-01-01",
                    "end": "2026-12-31",
                    "agreed_by": ["Bappeda"],
                    "agreed_on": "2026-01-02",
                    "commitments": [
                        {
                            "code": "rapat",
                            "kind": "activity",
                            "agency_code": "bappeda",
                            "title": "Rapat",
                            "due_on": "2026-03-31",
                        }
                    ],
                },
                Purpose.ADMINISTRASI,
            )
            assert plan.version == 1
            assert store.get_wilayah(operator, "32.75").name == "Kota Bekasi"
        finally:
            store.close()
        downgrade(engine, "0004")
        assert current_revision(engine) == "0004"
        assert "action_plan" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            names = connection.execute(text("SELECT code FROM wilayah ORDER BY code")).scalars()
            assert list(names) == ["32", "32.75"]
        upgrade(engine)
        assert "action_plan" in inspect(engine).get_table_names()
    finally:
        engine.dispose()

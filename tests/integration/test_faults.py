"""Faults become coded, bilingual errors: never a raw driver error, never a password.

A lost connection, a full disk, a database error in the middle of a migration, a
database at a revision this library does not know, the store's tables without a
recorded revision, an empty URL, a password in ``?password=`` or with an unencoded
``@``, and a downgrade that would throw the audit log away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, make_url, text
from sqlalchemy.orm import Session
from store_helpers import World
from test_bad_input import _resident

from spm_core.access import Purpose
from spm_core.api import Registry
from spm_core.cli import main
from spm_core.errors import ConnectionLost, InputError, MigrationError, StorageFull, StoreError
from spm_core.store import open_store
from spm_core.store.migrations import downgrade, head_revision, upgrade
from spm_core.store.transactions import Database, make_engine, shown_url

SECRET = "rahasia-sekali"


def _bilingual(error: Exception, *needles: str) -> None:
    assert hasattr(error, "code")
    message_id = getattr(error, "message_id", "")
    message_en = getattr(error, "message_en", "")
    assert message_id
    assert message_en
    assert message_id != message_en
    for needle in needles:
        assert needle in message_id
        assert needle in message_en


# ------------------------------------------------------------------------------ passwords


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql+psycopg://spm@db.example/spm?password={SECRET}", "spm:***@db.example"),
        (f"postgresql+psycopg://spm:ra@{SECRET}@db.example/spm", "spm:***@db.example"),
        (f"postgresql+psycopg://spm:{SECRET}@db.example:port/spm?password=x", "spm:***@"),
    ],
)
def test_shown_url_hides_every_form_of_password(url: str, shown: str) -> None:
    text_shown = shown_url(url)
    assert SECRET not in text_shown
    assert shown in text_shown


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_passwords_stay_hidden_on_a_real_server(db_url: str) -> None:
    url = make_url(db_url)
    forms = [
        url.set(password=SECRET).render_as_string(hide_password=False),
        url.update_query_dict({"password": SECRET}).render_as_string(hide_password=False),
        url.render_as_string(hide_password=False).replace(
            "://postgres@", f"://postgres:ra@{SECRET}@"
        ),
    ]
    for given in forms:
        registry = Registry.open(given, allow=[])
        try:
            for shown in (registry.location, registry.store.url):
                assert SECRET not in shown
                assert "***" in shown
        finally:
            registry.close()


def test_an_unreachable_server_never_shows_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    for url in (
        f"postgresql+psycopg://nobody@127.0.0.1:1/x?password={SECRET}&connect_timeout=2",
        f"postgresql+psycopg://nobody:ra@{SECRET}@127.0.0.1:1/x?connect_timeout=2",
    ):
        with pytest.raises(StoreError) as raised:
            open_store(url)
        error = raised.value
        for shown in (str(error), error.message_id, error.message_en, str(error.to_dict())):
            assert SECRET not in shown
        assert (
            main(["--db", url, "init"]) == 5
        )  # an environment error: the database cannot be opened
        captured = capsys.readouterr()
        assert SECRET not in captured.err + captured.out
        assert "[store-error]" in captured.err


def test_an_empty_url_is_an_error_not_a_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as raised:
        open_store("")
    _bilingual(raised.value, "SPM_DATABASE_URL")
    assert main(["--db", "", "init"]) == 5  # an environment error: no database named
    assert "[store-error]" in capsys.readouterr().err
    monkeypatch.setenv("SPM_DATABASE_URL", "")
    assert main(["init"]) == 5
    assert "SPM_DATABASE_URL" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ faults


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_connection_lost_mid_write_is_coded(world: World) -> None:
    store = world.store
    database = Database(store._engine)

    def lose(session: Session) -> None:
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    with pytest.raises(ConnectionLost) as raised:
        database.write(lose, entity="resident")
    error = raised.value
    assert error.code == "connection-lost"
    assert error.retryable
    assert "terminating" not in str(error)
    _bilingual(error, "SQLSTATE")
    # The store recovers on the next call: the pool replaces the dead connection.
    assert store.list_residents(world.operator, purpose=Purpose.PELAYANAN) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_full_disk_is_coded_and_nothing_is_half_written(world: World) -> None:
    store = world.store

    def cap(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(store._engine, "connect", cap)
    store._engine.dispose()
    try:
        rows = [_resident(world, address=f"Jalan {i:04d}" + " x" * 200) for i in range(300)]
        with pytest.raises(StorageFull) as raised:
            store.add_residents(world.kader("mawar"), rows, Purpose.PENDATAAN)
        _bilingual(raised.value, "SQLITE_FULL")
        assert "disk is full" not in str(raised.value)
    finally:
        event.remove(store._engine, "connect", cap)
        store._engine.dispose()
    assert store.list_residents(world.operator, purpose=Purpose.PELAYANAN) == []


def test_a_database_error_during_migration_is_coded(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE umpan (x INTEGER)"))
            # An index of the same name as one the first revision creates.
            connection.execute(text("CREATE INDEX ix_posyandu_wilayah_code ON umpan (x)"))
        with pytest.raises(MigrationError) as raised:
            open_store(db_url)
        error = raised.value
        _bilingual(error, head_revision())
        assert error.code == "migration-error"
        assert "SQLSTATE 42P07" in str(error) or "SQLITE_ERROR" in str(error)
        assert "already exists" not in str(error)
        from spm_core.store.migrations import current_revision

        assert current_revision(engine) is None  # nothing of the failed step is kept
    finally:
        engine.dispose()


def test_an_unknown_revision_is_named_in_both_languages(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0099_masa_depan'"))
        for call in (lambda: open_store(db_url), lambda: open_store(db_url, upgrade=False)):
            with pytest.raises(MigrationError) as raised:
                call()
            error = raised.value
            _bilingual(error, "0099_masa_depan", head_revision())
            assert "head" not in error.message_en.split()
            assert "Can't locate" not in str(error)
            assert "tidak dikenal" in error.message_id
    finally:
        engine.dispose()


def test_tables_without_alembic_version_are_named(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
        with pytest.raises(MigrationError) as raised:
            open_store(db_url)
        _bilingual(raised.value, "alembic_version", "audit_log")
    finally:
        engine.dispose()


def test_downgrade_to_base_needs_a_flag_and_an_empty_audit_log(world: World) -> None:
    store = world.store
    engine = store._engine
    with pytest.raises(MigrationError) as no_flag:
        downgrade(engine, "base")
    _bilingual(no_flag.value, "drop_everything=True")
    with pytest.raises(MigrationError) as with_rows:
        downgrade(engine, "base", drop_everything=True)
    _bilingual(with_rows.value)
    assert "audit" in with_rows.value.message_en
    assert store.schema_revision() == head_revision()
    assert store.list_posyandu(world.operator)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": -1}, "limit"),
        ({"offset": -3}, "offset"),
        ({"limit": 1.5}, "limit"),
        ({"offset": "0"}, "offset"),
    ],
)
def test_limit_and_offset_are_checked(world: World, kwargs: dict[str, Any], field: str) -> None:
    store, op = world.store, world.operator
    for call in (store.list_residents, store.list_households, store.list_records):
        with pytest.raises(InputError) as raised:
            call(op, purpose=Purpose.PELAYANAN, **kwargs)
        (issue,) = raised.value.issues
        assert (issue.code, issue.field) == ("invalid-page", field)
        assert str(next(iter(kwargs.values()))) in issue.message_en
        assert "bilangan bulat" in issue.message_id
    if "limit" in kwargs:
        with pytest.raises(InputError):
            store.list_audit(op, limit=kwargs["limit"])

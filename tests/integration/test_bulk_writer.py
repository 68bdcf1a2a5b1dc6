"""The bulk writer: a load's own settings end with it; a missing parent is still refused.

A load's connection writes without SQLite's row-by-row foreign-key checks and checks
each parent a chunk names once instead, inside the chunk's transaction. These examples
show that a chunk naming a parent nobody stored is still refused whole, that a chunk
naming parents it writes itself goes in, and that the connection goes back to the
pool with the settings it had. On PostgreSQL a first load into empty tables drops their
foreign keys and ends by adding them back and checking every row once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, text
from store_helpers import operator
from test_load import MakeDb, open_with_posyandu, people_rows

from spm_core.access import Purpose
from spm_core.errors import DatabaseError
from spm_core.load import load
from spm_core.store import Store, open_store
from spm_core.store._loading import _UNIQUE, BulkWriter
from spm_core.store.base import Base
from spm_core.store.transactions import make_engine
from spm_core.synth import create_posyandu, plan_city

STAMP = "2026-01-01 00:00:00.000000"
MEMBER_KEY = "fk_membership_resident_id_resident"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(f"sqlite:///{tmp_path / 'spm.db'}")
    create_posyandu(opened, operator(), plan_city(40, "32.75.01", seed=3, year=2025))
    return opened


def _posyandu(store: Store) -> tuple[str, str]:
    with store._db.engine.connect() as connection:
        row = connection.execute(text("SELECT id, wilayah_code FROM posyandu LIMIT 1")).one()
    return str(row[0]), str(row[1])


def _resident(rid: str, posyandu: str, village: str) -> tuple[object, ...]:
    return (
        rid, None, "Siti Aminah", "P", "1990-05-01", posyandu, village, "001", "002", None,
        0, None, None, 1, STAMP, STAMP,
    )  # fmt: skip


def _count(store: Store, table: str) -> int:
    with store._db.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_chunk_naming_a_missing_resident_is_refused_whole(store: Store) -> None:
    posyandu, village = _posyandu(store)
    domicile = ("d-1", "r-nobody", posyandu, village, None, None, "2020-01-01", None)
    with (
        store.bulk_writer(operator(), Purpose.PENDATAAN, load_id="t") as writer,
        pytest.raises(DatabaseError),
    ):
        writer.write({"resident": [_resident("r-1", posyandu, village)], "domicile": [domicile]})
    # Neither the resident nor the domicile of the refused chunk was kept.
    assert _count(store, "resident") == 0
    assert _count(store, "domicile") == 0


def test_a_chunk_naming_parents_it_writes_itself_goes_in(store: Store) -> None:
    posyandu, village = _posyandu(store)
    domicile = ("d-1", "r-1", posyandu, village, "001", "002", "1990-05-01", None)
    with store.bulk_writer(operator(), Purpose.PENDATAAN, load_id="t") as writer:
        counts = writer.write(
            {"resident": [_resident("r-1", posyandu, village)], "domicile": [domicile]}
        )
    assert counts == {"resident": 1, "domicile": 1}
    assert _count(store, "domicile") == 1


def _names(store: Store) -> dict[str, str]:
    with store._db.engine.connect() as connection:
        return {
            str(i): str(n) for i, n in connection.execute(text("SELECT id, name FROM resident"))
        }


def test_a_chunk_with_keys_stored_or_repeated_writes_only_its_new_rows(db_url: str) -> None:
    # PostgreSQL copies a chunk whole and, when a key is taken, again without the
    # taken rows; SQLite skips them row by row. The outcome is the same on both.
    store = open_store(db_url)
    try:
        create_posyandu(store, operator(), plan_city(40, "32.75.01", seed=3, year=2025))
        posyandu, village = _posyandu(store)
        siti = _resident("r-1", posyandu, village)
        budi = ("r-2", None, "Budi Santoso", *_resident("r-2", posyandu, village)[3:])
        budi_again = ("r-2", None, "Budi S.", *budi[3:])
        with store.bulk_writer(operator(), Purpose.PENDATAAN, load_id="t") as writer:
            assert writer.write({"resident": [siti]}) == {"resident": 1}
            # r-1 is stored already and r-2 is given twice: only the first r-2 is new.
            assert writer.write({"resident": [siti, budi, budi_again]}) == {"resident": 1}
            assert writer.write({"resident": [siti, budi]}) == {"resident": 0}
        assert _names(store) == {"r-1": "Siti Aminah", "r-2": "Budi Santoso"}
    finally:
        store.close()


def test_no_table_has_more_than_two_unique_keys() -> None:
    # PostgreSQL's whole-chunk COPY keeps the rows the key-by-key look-ups would keep
    # only while no table has a third unique key (see _copied_whole). The fields of a
    # posyandu are written for new posyandu only, never by their keys.
    assert max(len(keys) for keys in _UNIQUE.values()) == 2
    for name, keys in _UNIQUE.items():
        if name == "posyandu_field":
            continue
        table = Base.metadata.tables[name]
        unique = {
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint)
        }
        unique |= {(c.name,) for c in table.columns if c.unique}
        unique |= {tuple(c.name for c in index.columns) for index in table.indexes if index.unique}
        assert unique == {(key,) for key in keys}, name


def test_the_connection_goes_back_with_its_own_settings(store: Store) -> None:
    names = ("foreign_keys", "synchronous", "cache_size", "wal_autocheckpoint")

    def settings(driver: object) -> dict[str, object]:
        cursor = driver.cursor()  # type: ignore[attr-defined]
        try:
            return {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
        finally:
            cursor.close()

    writer = store.bulk_writer(operator(), Purpose.PENDATAAN, load_id="t")
    assert isinstance(writer, BulkWriter)
    during = settings(writer._driver)
    writer.close()
    after = settings(writer._driver)
    with store._db.engine.connect() as connection:
        fresh = settings(connection.connection.driver_connection)
    assert during["foreign_keys"] == 0
    assert after == fresh
    assert after["foreign_keys"] == 1


def _foreign_keys(url: str) -> dict[str, bool]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' "
                    "AND conrelid IN (CAST('resident' AS regclass), CAST('household' AS regclass),"
                    " CAST('domicile' AS regclass), CAST('membership' AS regclass))"
                )
            )
            return {str(name): bool(valid) for name, valid in found}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_first_load_on_postgresql_ends_with_every_foreign_key_checked(
    tmp_path: Path, make_database: MakeDb
) -> None:
    with make_database("postgres", tmp_path) as url:
        store, city = open_with_posyandu(url)
        try:
            before = _foreign_keys(url)
            report = load(store, operator(), "residents", people_rows(city), load_id="warga-1")
            assert report.rejected == 0
            # The empty tables lost their foreign keys for the load; all are back, and
            # every stored row was checked against them.
            assert _foreign_keys(url) == before
            assert before
            assert all(before.values())

            # A load killed before its end leaves a key missing: the next one adds it back.
            engine = make_engine(url)
            with engine.begin() as connection:
                connection.execute(text("ALTER TABLE membership DROP CONSTRAINT " + MEMBER_KEY))
            engine.dispose()
            load(store, operator(), "residents", people_rows(city), load_id="warga-1")
            assert _foreign_keys(url) == before

            # Killed between adding a key back and checking the rows: the next load checks.
            engine = make_engine(url)
            with engine.begin() as connection:
                connection.execute(text("ALTER TABLE membership DROP CONSTRAINT " + MEMBER_KEY))
                connection.execute(
                    text(
                        "ALTER TABLE membership ADD CONSTRAINT " + MEMBER_KEY + " FOREIGN KEY "
                        "(resident_id) REFERENCES resident (id) NOT VALID"
                    )
                )
            engine.dispose()
            assert _foreign_keys(url)[MEMBER_KEY] is False
            load(store, operator(), "residents", people_rows(city), load_id="warga-1")
            assert _foreign_keys(url) == before
        finally:
            store.close()

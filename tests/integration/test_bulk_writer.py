"""The bulk writer on SQLite: a load's own settings end with it; a missing parent is refused.

A load's connection writes without SQLite's row-by-row foreign-key checks and checks
each parent a chunk names once instead, inside the chunk's transaction. These examples
show that a chunk naming a parent nobody stored is still refused whole, that a chunk
naming parents it writes itself goes in, and that the connection goes back to the
pool with the settings it had.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import operator

from spm_core.access import Purpose
from spm_core.errors import DatabaseError
from spm_core.store import Store, open_store
from spm_core.store._loading import BulkWriter
from spm_core.synth import create_posyandu, plan_city

STAMP = "2026-01-01 00:00:00.000000"


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
    with store.bulk_writer(operator(), Purpose.PENDATAAN, load_id="t") as writer:
        with pytest.raises(DatabaseError):
            writer.write(
                {"resident": [_resident("r-1", posyandu, village)], "domicile": [domicile]}
            )
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


def test_the_connection_goes_back_with_its_own_settings(store: Store) -> None:
    names = ("foreign_keys", "synchronous", "cache_size", "temp_store", "wal_autocheckpoint")

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

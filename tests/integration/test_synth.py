"""The synthetic city: the same seed gives byte-identical data; the city looks like one."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from store_helpers import operator

from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.errors import InputError, UnknownRegion
from spm_core.plugins import make_plugin_manager
from spm_core.store import open_store
from spm_core.synth import AGE_PYRAMID, plan_city, synthesize, value_for

TABLES = (
    "wilayah", "posyandu", "posyandu_field", "household", "resident", "domicile",
    "membership", "record",
)  # fmt: skip


@pytest.fixture(scope="module")
def full_catalog() -> Catalog:
    return Catalog.build(make_plugin_manager())


def build(path: Path, catalog: Catalog, seed: int, residents: int = 1500) -> Path:
    store = open_store(f"sqlite:///{path}")
    try:
        synthesize(
            store, operator(), catalog, residents=residents, wilayah="32.75.01", seed=seed,
            year=2025, chunk_rows=500,
        )  # fmt: skip
    finally:
        store.close()
    return path


def dump(path: Path) -> bytes:
    """Every row of every data table, in key order, as bytes (the audit's own clock aside)."""
    connection = sqlite3.connect(path)
    try:
        parts = []
        for table in TABLES:
            rows = connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            parts.append(f"{table}\n" + "\n".join(map(repr, rows)))
        audit = connection.execute(
            "SELECT actor_id, action, entity, entity_id, fields FROM audit_log ORDER BY id"
        ).fetchall()
        parts.append("audit\n" + "\n".join(map(repr, audit)))
        return "\n".join(parts).encode()
    finally:
        connection.close()


def test_same_seed_same_bytes(tmp_path: Path, full_catalog: Catalog) -> None:
    first = dump(build(tmp_path / "a.db", full_catalog, seed=7))
    again = dump(build(tmp_path / "b.db", full_catalog, seed=7))
    other = dump(build(tmp_path / "c.db", full_catalog, seed=8))
    assert first == again
    assert first != other


def test_the_city_looks_like_a_city(tmp_path: Path, full_catalog: Catalog) -> None:
    path = build(tmp_path / "city.db", full_catalog, seed=11, residents=4000)
    db = sqlite3.connect(path)
    try:
        villages = {v for (v,) in db.execute("SELECT DISTINCT wilayah_code FROM resident")}
        expected = {c for c in villages if KodeWilayah(c).parent == KodeWilayah("32.75.01")}
        assert villages == expected
        assert len(villages) >= 4
        (posyandu,) = db.execute("SELECT count(*) FROM posyandu").fetchone()
        assert posyandu >= len(villages)
        heads = Counter(
            h for (h,) in db.execute("SELECT household_id FROM membership WHERE relationship = 1")
        )
        (households,) = db.execute("SELECT count(*) FROM household").fetchone()
        assert len(heads) == households
        assert set(heads.values()) == {1}
        births = [date.fromisoformat(b) for (b,) in db.execute("SELECT birth_date FROM resident")]
        under5 = sum(1 for b in births if (date(2025, 12, 31) - b).days < 5 * 365) / len(births)
        assert abs(under5 - AGE_PYRAMID[0][2] / 100) < 0.03
        (dead,) = db.execute("SELECT count(*) FROM resident WHERE died_on IS NOT NULL").fetchone()
        (away,) = db.execute(
            "SELECT count(*) FROM resident WHERE moved_away_on IS NOT NULL"
        ).fetchone()
        (moved_in,) = db.execute(
            "SELECT count(*) FROM (SELECT resident_id FROM domicile GROUP BY resident_id "
            "HAVING count(*) > 1)"
        ).fetchone()
        assert dead > 0
        assert away > 0
        assert moved_in > 0
        counts = dict(db.execute("SELECT record_type, count(*) FROM record GROUP BY 1").fetchall())
        common = [rt.code for rt in full_catalog.record_types if rt.code in counts]
        assert len(common) >= len(full_catalog.record_types) - 3  # the rarest may be absent
        (voided,) = db.execute("SELECT count(*) FROM record WHERE voided_at IS NOT NULL").fetchone()
        assert voided > 0
        weighed = db.execute(
            "SELECT count(DISTINCT resident_id) FROM record "
            "WHERE record_type = 'kesehatan.penimbangan'"
        ).fetchone()[0]
        children = sum(1 for b in births if (date(2025, 12, 31) - b).days < 5 * 365)
        assert 0.5 * children < weighed < children  # coverage neither 0 % nor 100 %
    finally:
        db.close()


def test_values_come_from_every_schema(full_catalog: Catalog) -> None:
    import random

    rng = random.Random(3)
    for record_type in full_catalog.record_types:
        for _ in range(20):
            value = value_for(record_type, rng)
            record_type.value_schema.model_validate(value)


def test_plan_follows_the_bekasi_ratio() -> None:
    city = plan_city(2_572_209, "32.75", seed=1, year=2025)
    assert 1_500 < len(city.posyandu) < 1_750
    assert len({p.village for p in city.posyandu}) == 56


def test_a_region_not_on_the_list_is_unknown_not_empty() -> None:
    # `spm synth --wilayah 99.99` said "a region without desa/kelurahan"; the code is
    # simply not on the Kepmendagri list, as `spm report` and `spm route` say.
    with pytest.raises(UnknownRegion) as caught:
        plan_city(10, "99.99", seed=1, year=2025)
    assert caught.value.value == "99.99"
    with pytest.raises(InputError) as empty:
        plan_city(0, "32.75", seed=1, year=2025)
    assert "residents" in str(empty.value.to_dict())

"""Population over time: moves, deaths, moving away; a past answer never changes.

Also: idempotent and voidable records, the data carried over by migration ``0002``, and
query plans that use the indexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from store_helpers import World, make_nik

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import InputError
from spm_core.store import Store, SubjectRef, open_store
from spm_core.store._scoping import in_area
from spm_core.store.migrations import upgrade
from spm_core.store.population import households_on, residents_on
from spm_core.store.tables import ResidentRow
from spm_core.store.transactions import make_engine

START = date(2024, 1, 1)
PLACES = ("mawar", "melati", "anggrek")


@pytest.fixture
def engine(db_url: str, store: Store) -> Iterator[Engine]:
    """A plain engine on the test database (the store has already migrated it)."""
    made = make_engine(db_url)
    try:
        yield made
    finally:
        made.dispose()


def who(engine: Engine, day: date, ids: set[str]) -> set[tuple[str, str]]:
    """Return (resident, village) of ``ids`` counted on ``day``."""
    alive = residents_on(day).subquery()
    with engine.connect() as connection:
        rows = connection.execute(select(alive.c.resident_id, alive.c.wilayah_code)).all()
    return {(r, w) for r, w in rows if r in ids}


# ------------------------------------------------------------------ moves, deaths, leaving


def test_move_death_and_leaving_shape_who_counts(world: World, engine: Engine) -> None:
    store, op = world.store, world.operator
    a = world.resident("mawar", birth_date=date(1990, 1, 1))
    b = world.resident("mawar", birth_date=date(1991, 1, 1))
    c = world.resident("melati", birth_date=date(1992, 1, 1))
    ids = {a.id, b.id, c.id}
    before = who(engine, date(2025, 6, 30), ids)
    assert before == {(a.id, "32.75.01.1001"), (b.id, "32.75.01.1001"), (c.id, "32.75.01.1001")}

    moved = store.move_resident(
        op, a.id, world.posyandu["anggrek"].id, date(2025, 7, 1), Purpose.PENDATAAN, rt="3", rw="4"
    )
    assert moved.wilayah_code == KodeWilayah("32.75.01.1002")
    assert (moved.rt, moved.rw) == ("003", "004")
    died = store.record_death(op, b.id, date(2025, 8, 15), Purpose.PENDATAAN)
    assert died.died_on == date(2025, 8, 15)
    left = store.record_moved_away(op, c.id, date(2025, 9, 1), Purpose.PENDATAAN)
    assert left.moved_away_on == date(2025, 9, 1)

    assert who(engine, date(2025, 6, 30), ids) == before
    assert who(engine, date(2025, 7, 1), ids) == {
        (a.id, "32.75.01.1002"),
        (b.id, "32.75.01.1001"),
        (c.id, "32.75.01.1001"),
    }
    assert who(engine, date(2025, 8, 14), ids) >= {(b.id, "32.75.01.1001")}
    assert (b.id, "32.75.01.1001") not in who(engine, date(2025, 8, 15), ids)
    assert who(engine, date(2025, 8, 31), ids) == {(a.id, "32.75.01.1002"), (c.id, "32.75.01.1001")}
    assert who(engine, date(2025, 9, 1), ids) == {(a.id, "32.75.01.1002")}
    assert who(engine, date(1989, 12, 31), ids) == set()  # nobody before their birth

    domiciles = store.resident_domiciles(op, a.id, purpose=Purpose.PELAYANAN)
    assert [(d.since, d.until) for d in domiciles] == [
        (date(1990, 1, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), None),
    ]
    # A return after leaving opens a new domicile and clears moved_away_on.
    back = store.move_resident(
        op, c.id, world.posyandu["mawar"].id, date(2026, 2, 1), Purpose.PENDATAAN
    )
    assert back.moved_away_on is None
    assert who(engine, date(2025, 12, 31), {c.id}) == set()
    assert who(engine, date(2026, 2, 1), {c.id}) == {(c.id, "32.75.01.1001")}


def test_a_kader_list_follows_the_counting_rule(world: World) -> None:
    """Today's list of a posyandu leaves out the dead and those who moved; a past one keeps them."""
    store, op = world.store, world.operator
    stays = world.resident("mawar", name="Siti Tetap", birth_date=date(1990, 1, 1))
    dies = world.resident("mawar", name="Budi Wafat", birth_date=date(1950, 1, 1))
    leaves = world.resident("mawar", name="Dewi Pindah", birth_date=date(1992, 1, 1))
    moves = world.resident("mawar", name="Eko Geser", birth_date=date(1993, 1, 1))
    store.record_death(op, dies.id, date(2025, 3, 1), Purpose.PENDATAAN)
    store.record_moved_away(op, leaves.id, date(2025, 4, 1), Purpose.PENDATAAN)
    store.move_resident(op, moves.id, world.posyandu["melati"].id, date(2025, 5, 1),
                        Purpose.PENDATAAN)  # fmt: skip
    kader = world.kader("mawar")
    mawar = world.posyandu["mawar"].id

    def names(*, on: date | None = None, **where: Any) -> list[str]:
        return [r.name for r in store.list_residents(op, on=on, purpose=Purpose.PELAYANAN, **where)]

    assert [r.id for r in store.list_residents(kader)] == [stays.id]
    assert names(posyandu_id=mawar) == ["Siti Tetap"]
    # On 15 February 2025 all four lived at posyandu mawar.
    assert names(posyandu_id=mawar, on=date(2025, 2, 15)) == [
        "Budi Wafat", "Dewi Pindah", "Eko Geser", "Siti Tetap",
    ]  # fmt: skip
    # The day of death counts nowhere; the day of moving away is the first day elsewhere.
    assert names(posyandu_id=mawar, on=date(2025, 3, 1)) == [
        "Dewi Pindah", "Eko Geser", "Siti Tetap",
    ]  # fmt: skip
    assert names(posyandu_id=mawar, on=date(2025, 4, 1)) == ["Eko Geser", "Siti Tetap"]
    assert names(posyandu_id=world.posyandu["melati"].id) == ["Eko Geser"]
    assert names(posyandu_id=world.posyandu["melati"].id, on=date(2025, 4, 30)) == []
    # Before birth nobody counts.
    assert names(posyandu_id=mawar, on=date(1949, 12, 31)) == []


def test_impossible_life_events_are_refused(world: World) -> None:
    store, op = world.store, world.operator
    a = world.resident("mawar", birth_date=date(2000, 1, 1))
    with pytest.raises(InputError) as early:
        store.record_death(op, a.id, date(1999, 12, 31), Purpose.PENDATAAN)
    assert early.value.issues[0].code == "date-too-early"
    store.record_death(op, a.id, date(2025, 1, 1), Purpose.PENDATAAN)
    with pytest.raises(InputError) as dead:
        store.move_resident(
            op, a.id, world.posyandu["anggrek"].id, date(2025, 2, 1), Purpose.PENDATAAN
        )
    assert dead.value.issues[0].code == "resident-died"
    assert "meninggal" in dead.value.issues[0].message_id
    b = world.resident("mawar", birth_date=date(2000, 1, 1))
    store.move_resident(op, b.id, world.posyandu["anggrek"].id, date(2025, 2, 1), Purpose.PENDATAAN)
    with pytest.raises(InputError) as back_dated:
        store.move_resident(
            op, b.id, world.posyandu["melati"].id, date(2025, 1, 1), Purpose.PENDATAAN
        )
    assert back_dated.value.issues[0].field == "on"


def test_households_are_placed_where_their_head_lives(world: World, engine: Engine) -> None:
    store, op = world.store, world.operator
    head = world.resident("mawar", birth_date=date(1980, 1, 1))
    child = world.resident("mawar", birth_date=date(2010, 1, 1))
    household = world.household("mawar")
    for member, relationship in ((head, 1), (child, 4)):
        store.add_membership(
            world.kader("mawar"),
            {
                "household_id": household.id,
                "resident_id": member.id,
                "relationship": relationship,
                "start": "2020-01-01",
            },
            Purpose.PENDATAAN,
        )
    store.move_resident(
        op, head.id, world.posyandu["anggrek"].id, date(2025, 3, 1), Purpose.PENDATAAN
    )
    store.record_death(op, child.id, date(2025, 1, 1), Purpose.PENDATAAN)

    def place(day: date) -> set[tuple[str, str]]:
        sub = households_on(day).subquery()
        with engine.connect() as connection:
            rows = connection.execute(select(sub.c.household_id, sub.c.wilayah_code)).all()
        return {(h, w) for h, w in rows if h == household.id}

    assert place(date(2024, 12, 31)) == {(household.id, "32.75.01.1001")}
    assert place(date(2025, 3, 1)) == {(household.id, "32.75.01.1002")}
    store.record_death(op, head.id, date(2025, 6, 1), Purpose.PENDATAAN)
    assert place(date(2025, 6, 1)) == set()  # nobody left alive: the household counts nowhere
    assert place(date(2025, 5, 31)) == {(household.id, "32.75.01.1002")}


# ------------------------------------------------------------------ the property

EVENT = st.tuples(
    st.sampled_from(["move", "death", "away"]),
    st.integers(min_value=1, max_value=900),
    st.sampled_from(PLACES),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(
        st.tuples(st.sampled_from(PLACES), st.lists(EVENT, max_size=4)), min_size=1, max_size=4
    ),
    asked=st.integers(min_value=0, max_value=900),
)
def test_a_past_answer_never_changes_after_later_events(
    world: World, engine: Engine, histories: list[Any], asked: int
) -> None:
    """Who lived in which kelurahan, alive, on D is the same before and after later events."""
    store, op = world.store, world.operator
    day = START + timedelta(days=asked)
    people = []
    for home, events in histories:
        resident = world.resident(home, birth_date=date(2000, 1, 1))
        people.append((resident.id, sorted(events, key=lambda e: e[1])))
    ids = {p for p, _ in people}

    def apply(resident_id: str, kind: str, offset: int, where: str) -> None:
        on = START + timedelta(days=offset)
        try:
            if kind == "move":
                store.move_resident(
                    op, resident_id, world.posyandu[where].id, on, Purpose.PENDATAAN
                )
            elif kind == "death":
                store.record_death(op, resident_id, on, Purpose.PENDATAAN)
            else:
                store.record_moved_away(op, resident_id, on, Purpose.PENDATAAN)
        except InputError:
            pass  # an impossible event (after death, same day twice) changes nothing

    for resident_id, events in people:
        for kind, offset, where in events:
            if START + timedelta(days=offset) <= day:
                apply(resident_id, kind, offset, where)
    answer = who(engine, day, ids)
    for resident_id, events in people:
        for kind, offset, where in events:
            if START + timedelta(days=offset) > day:
                apply(resident_id, kind, offset, where)
    assert who(engine, day, ids) == answer


# ------------------------------------------------------------------ records


def _weighing(resident_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "record_type": "uji.timbang",
        "resident_id": resident_id,
        "observed_on": "2025-03-01",
        "value": {"weight_kg": 9.5},
        **extra,
    }


def test_resubmitting_a_record_creates_nothing(world: World, catalog: Catalog) -> None:
    store, kader = world.store, world.kader("mawar")
    child = world.resident("mawar", birth_date=date(2024, 1, 1))
    first, _ = store.add_record(kader, _weighing(child.id), Purpose.PELAYANAN, catalog)
    again, _ = store.add_record(kader, _weighing(child.id), Purpose.PELAYANAN, catalog)
    assert again.id == first.id
    assert len(first.idempotency_key) == 40
    keyed, _ = store.add_record(
        kader, _weighing(child.id, idempotency_key="hp-7:42"), Purpose.PELAYANAN, catalog
    )
    assert keyed.idempotency_key == "hp-7:42"
    assert keyed.id != first.id
    same, _ = store.add_record(
        kader, _weighing(child.id, idempotency_key="hp-7:42"), Purpose.PELAYANAN, catalog
    )
    assert same.id == keyed.id
    with pytest.raises(InputError) as conflict:
        store.add_record(
            kader,
            {**_weighing(child.id, idempotency_key="hp-7:42"), "value": {"weight_kg": 9.6}},
            Purpose.PELAYANAN,
            catalog,
        )
    issue = conflict.value.issues[0]
    assert (issue.code, issue.field, issue.value) == (
        "idempotency-conflict",
        "idempotency_key",
        "hp-7:42",
    )
    assert "hp-7:42" in issue.message_id
    assert "hp-7:42" in issue.message_en
    records = store.list_records(kader, subject=SubjectRef.resident(child.id))
    assert sorted(r.id for r in records) == sorted({first.id, keyed.id})


def test_void_and_supersede(world: World, catalog: Catalog) -> None:
    store, kader = world.store, world.kader("mawar")
    child = world.resident("mawar", birth_date=date(2024, 1, 1))
    wrong, _ = store.add_record(kader, _weighing(child.id), Purpose.PELAYANAN, catalog)
    right, _ = store.supersede_record(
        kader,
        wrong.id,
        {**_weighing(child.id), "value": {"weight_kg": 9.8}},
        "salah ketik / typo",
        catalog,
    )
    old = store.get_record(kader, wrong.id)
    assert old.superseded_by == right.id
    assert not old.counts
    assert old.void_reason == "salah ketik / typo"
    listed = store.list_records(kader, subject=SubjectRef.resident(child.id))
    assert [r.id for r in listed] == [right.id]
    voided = store.void_record(kader, right.id, "anak salah / wrong child")
    assert voided.voided_at is not None
    assert store.list_records(kader, subject=SubjectRef.resident(child.id)) == []
    everything = store.list_records(
        kader, subject=SubjectRef.resident(child.id), include_voided=True
    )
    assert {r.id for r in everything} == {wrong.id, right.id}
    with pytest.raises(InputError) as twice:
        store.void_record(kader, right.id, "lagi")
    assert twice.value.issues[0].code == "record-voided"
    with pytest.raises(InputError) as no_reason:
        store.void_record(kader, wrong.id, "  ")
    assert no_reason.value.issues[0].field == "reason"
    # A reason longer than its column is refused whole, not cut to fit: the record stays
    # as it was, and a reason of exactly 500 characters is kept whole.
    kept, _ = store.add_record(
        kader, _weighing(child.id, observed_on="2025-04-01"), Purpose.PELAYANAN, catalog
    )
    with pytest.raises(InputError) as too_long:
        store.void_record(kader, kept.id, "r" * 501)
    assert [(i.code, i.field) for i in too_long.value.issues] == [("too-long", "reason")]
    assert store.get_record(kader, kept.id).counts
    assert store.void_record(kader, kept.id, "r" * 500).void_reason == "r" * 500
    actions = [e.action for e in store.list_audit(world.operator, entity="record")]
    assert actions.count("supersede") == 1
    assert actions.count("void") == 2


# ------------------------------------------------------------------ migration 0002


def test_migration_0002_carries_residents_and_records_over(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001_initial")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO wilayah (code, name, level, kind, parent_code) VALUES "
                    "('32', 'Jawa Barat', 1, 'provinsi', NULL), "
                    "('32.75', 'Kota Bekasi', 2, 'kota', '32'), "
                    "('32.75.01', 'Bekasi Timur', 3, 'kecamatan', '32.75'), "
                    "('32.75.01.1001', 'Bekasijaya', 4, 'kelurahan', '32.75.01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO posyandu (id, name, wilayah_code, version, created_at, "
                    "updated_at) VALUES ('p1', 'Mawar', '32.75.01.1001', 1, :t, :t)"
                ),
                {"t": "2025-01-01 00:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO resident (id, nik, name, sex, birth_date, posyandu_id, "
                    "wilayah_code, rt, rw, restricted, version, created_at, updated_at) VALUES "
                    "('r1', :nik, 'Siti', 'P', :born, 'p1', '32.75.01.1001', '001', '002', "
                    ":f, 1, :t, :t)"
                ),
                {
                    "nik": make_nik(1, date(1990, 5, 17), Sex.FEMALE),
                    "born": date(1990, 5, 17),
                    "f": False,
                    "t": "2025-01-01 00:00:00",
                },
            )
            connection.execute(
                text(
                    "INSERT INTO record (id, record_type, resident_id, posyandu_id, "
                    "wilayah_code, observed_on, value, recorded_by, created_at) VALUES "
                    "('k1', 'uji.timbang', 'r1', 'p1', '32.75.01.1001', :day, :value, 'x', :t)"
                ),
                {"day": date(2025, 3, 1), "value": '{"weight_kg": 9.5}', "t": "2025-01-01"},
            )
        upgrade(engine)
        with engine.connect() as connection:
            domicile = connection.execute(
                text(
                    "SELECT resident_id, posyandu_id, wilayah_code, rt, rw, since, until "
                    "FROM domicile"
                )
            ).one()
            record = connection.execute(text("SELECT idempotency_key, voided_at FROM record")).one()
        assert tuple(domicile[:5]) == ("r1", "p1", "32.75.01.1001", "001", "002")
        assert str(domicile.since) == "1990-05-17"
        assert domicile.until is None
        from spm_core.store._keys import record_key

        assert record.idempotency_key == record_key(
            "resident", "r1", "uji.timbang", "2025-03-01", {"weight_kg": 9.5}
        )
        assert record.voided_at is None
        assert who(engine, date(2025, 12, 31), {"r1"}) == {("r1", "32.75.01.1001")}
    finally:
        engine.dispose()


# ------------------------------------------------------------------ query plans


def _plan(engine: Engine, query: Any) -> str:
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return "\n".join(str(row[-1]) for row in rows)


def _no_full_scan(plan: str) -> None:
    for line in plan.splitlines():
        for table in ("resident", "record", "domicile"):
            assert not line.strip().startswith(f"SCAN {table}"), plan


def test_kader_list_and_region_count_use_indexes(tmp_path: Any) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'plan.db'}")
    store.close()
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    try:
        from spm_core.access import Actor, PosyanduScope, Role
        from spm_core.store._scoping import personal_rows
        from spm_core.store.tables import RecordRow

        kader = Actor("k", Role.KADER, PosyanduScope("p-1"))
        listed = (
            select(ResidentRow.id)
            .where(
                personal_rows(
                    kader,
                    "resident",
                    ResidentRow.posyandu_id,
                    ResidentRow.wilayah_code,
                    resident=ResidentRow.id,
                )
            )
            .order_by(ResidentRow.name)
        )
        records = select(RecordRow.id).where(
            personal_rows(
                kader,
                "record",
                RecordRow.posyandu_id,
                RecordRow.wilayah_code,
                resident=RecordRow.resident_id,
            )
        )
        kota = KodeWilayah("32.75")
        counted = (
            select(func.count())
            .select_from(ResidentRow)
            .where(in_area(ResidentRow.wilayah_code, kota))
        )
        counted_records = (
            select(func.count())
            .select_from(RecordRow)
            .where(in_area(RecordRow.wilayah_code, kota), RecordRow.voided_at.is_(None))
        )
        alive = residents_on(date(2025, 12, 31)).subquery()
        population = (
            select(func.count()).select_from(alive).where(in_area(alive.c.wilayah_code, kota))
        )
        from spm_core.store._people import listed_residents

        kader_list = listed_residents(kader, posyandu_id="p-1", on=date(2025, 12, 31))
        for query in (listed, kader_list, records, counted, counted_records, population):
            plan = _plan(engine, query)
            assert "LIKE" not in str(query.compile(engine))
            _no_full_scan(plan)
        # The check bites: the old LIKE form walks the whole index.
        like = (
            select(func.count())
            .select_from(ResidentRow)
            .where(ResidentRow.wilayah_code.like("32.75.%"))
        )
        with pytest.raises(AssertionError):
            _no_full_scan(_plan(engine, like))
    finally:
        engine.dispose()


def test_typed_extraction_of_record_values(world: World, engine: Engine, catalog: Catalog) -> None:
    from spm_core.store.population import record_counts, record_value
    from spm_core.store.tables import RecordRow

    store, kader = world.store, world.kader("mawar")
    child = world.resident("mawar", birth_date=date(2024, 1, 1))
    for day, weight in (("2025-01-01", 8.5), ("2025-02-01", 9.0), ("2025-03-01", 9.75)):
        store.add_record(
            kader,
            {"record_type": "uji.timbang", "resident_id": child.id, "observed_on": day,
             "value": {"weight_kg": weight, "note": "ok"}},
            Purpose.PELAYANAN,
            catalog,
        )  # fmt: skip
    last = store.list_records(kader, subject=SubjectRef.resident(child.id))[-1]
    store.void_record(kader, last.id, "salah timbang")
    weight = record_value("weight_kg", float)
    query = select(func.sum(weight), func.max(record_value("note", str))).where(
        RecordRow.resident_id == child.id, record_counts(), weight > 8.6
    )
    with engine.connect() as connection:
        total, note = connection.execute(query).one()
    assert (float(total), note) == (9.0, "ok")

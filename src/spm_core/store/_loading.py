"""The database side of bulk loading: scoped look-ups and chunked, idempotent inserts.

:class:`BulkWriter` is what :mod:`spm_core.load` writes through. It bypasses the ORM:
rows arrive as tuples in table column order, already validated, and go in with the
DBAPI — ``executemany`` of ``INSERT … ON CONFLICT DO NOTHING`` on SQLite, ``COPY`` on
PostgreSQL (of the whole chunk; when a key is already stored, of the rows whose keys
are not, see :func:`_copied_whole`). Every chunk is one
transaction, so a long load never holds SQLite's write lock for more than one chunk,
and every row id is derived from the load, so running a load again inserts nothing new.
Foreign keys are checked once per parent a chunk names on SQLite (see
:data:`_LOAD_PRAGMAS`), and once per table at the end of a first load on PostgreSQL
(see :meth:`BulkWriter.prepare`).
The load ends with one audit row naming the counts, appended through the store's audit
helper.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    any_,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from spm_core.access import Actor, Purpose
from spm_core.store._core import StoreCore
from spm_core.store._scoping import personal_rows, posyandu_rows
from spm_core.store.base import Base
from spm_core.store.declare import writes
from spm_core.store.tables import (
    HouseholdRow,
    MembershipRow,
    PosyanduRow,
    RecordRow,
    ResidentRow,
    WilayahRow,
)
from spm_core.store.transactions import WRITE_LOCK, database_error

__all__ = ["COLUMNS", "BulkWriter", "LoadingMixin"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "posyandu": (
        "id", "registration_number", "name", "wilayah_code", "version", "created_at",
        "updated_at",
    ),
    "posyandu_field": ("posyandu_id", "field", "since", "until"),
    "resident": (
        "id", "nik", "name", "sex", "birth_date", "posyandu_id", "wilayah_code", "rt", "rw",
        "address", "restricted", "died_on", "moved_away_on", "version", "created_at",
        "updated_at",
    ),
    "domicile": ("id", "resident_id", "posyandu_id", "wilayah_code", "rt", "rw", "since", "until"),
    "household": (
        "id", "nomor_kk", "posyandu_id", "wilayah_code", "rt", "rw", "address", "version",
        "created_at", "updated_at",
    ),
    "membership": ("id", "household_id", "resident_id", "relationship", "start_date", "end_date"),
    "record": (
        "id", "record_type", "resident_id", "household_id", "place_code", "posyandu_id",
        "wilayah_code", "observed_on", "value", "recorded_by", "created_at", "idempotency_key",
        "voided_at", "void_reason", "superseded_by",
    ),
}  # fmt: skip
"""The columns of each table the loader writes, in the order its row tuples use."""

_UNIQUE: dict[str, tuple[str, ...]] = {
    "posyandu": ("id", "registration_number"),
    "posyandu_field": (),
    "resident": ("id", "nik"),
    "domicile": ("id",),
    "household": ("id", "nomor_kk"),
    "membership": ("id",),
    "record": ("id", "idempotency_key"),
}
_ORDER = (
    "posyandu", "posyandu_field", "household", "resident", "domicile", "membership", "record",
)  # fmt: skip
_LOOKUP_CHUNK = 20_000
_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE; psycopg is installed only for PostgreSQL

_LOAD_PRAGMAS: dict[str, str] = {
    "synchronous": "NORMAL",
    "cache_size": "-131072",
    "wal_autocheckpoint": "10000",
    "foreign_keys": "OFF",
}
"""SQLite settings of a load's own connection, each put back as it was when the load ends.

``synchronous=NORMAL``: a chunk's commit does not wait for the disk; the load's audit
row is committed by the store's usual connection (``FULL``), whose sync of the
write-ahead log makes every chunk before it durable too. ``foreign_keys=OFF``: the
parents a chunk names are checked once per distinct value, in the chunk's own
transaction (:func:`_parents_present`), instead of once per row; a chunk naming a
missing parent is written again with the row-by-row checks on, which refuse it as
before. ``wal_autocheckpoint``: fewer, larger checkpoints while the load writes.
"""


@functools.cache
def _foreign_keys(table: str) -> tuple[tuple[int, str, str], ...]:
    """Return (column position, parent table, parent column) of each foreign key of ``table``."""
    columns = COLUMNS[table]
    return tuple(
        sorted(
            (columns.index(key.parent.name), key.column.table.name, key.column.name)
            for key in Base.metadata.tables[table].foreign_keys
            if key.parent.name in columns
        )
    )


def _parents_present(cursor: Any, rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> bool:
    """Whether every parent row the chunk's foreign keys name is stored (SQLite).

    Runs inside the chunk's transaction, after its inserts: a parent written by the
    chunk itself counts, and the write lock keeps anyone from removing one before the
    commit.
    """
    for table, batch in rows.items():
        for position, parent, key in _foreign_keys(table) if batch else ():
            values = sorted({row[position] for row in batch if row[position] is not None})
            if not values:
                continue
            cursor.execute(
                f"SELECT count(*) FROM json_each(?) AS wanted WHERE NOT EXISTS "
                f"(SELECT 1 FROM {parent} WHERE {parent}.{key} = wanted.value)",
                (json.dumps(values),),
            )
            if cursor.fetchone()[0]:
                return False
    return True


def _keys_of(table: Table) -> list[ForeignKeyConstraint]:
    """Return the foreign keys of ``table`` in name order."""
    return sorted(table.foreign_key_constraints, key=lambda key: str(key.name))


def _from_driver(error: BaseException) -> bool:
    """True for an exception of the database driver (sqlite3, psycopg), not the library's."""
    return type(error).__module__.split(".")[0] in ("sqlite3", "psycopg")


def _in(column: Any, values: Sequence[Any], dialect: str) -> Any:
    """Return ``column IN values`` with the values in one parameter, not one per value.

    SQLite reads them from a JSON array (``json_each``), PostgreSQL from an array
    (``= ANY``): compiling thousands of parameters would cost more than the query.
    """
    if dialect == "postgresql":
        return column == any_(bindparam("values", list(values), type_=ARRAY(String())))
    listed = func.json_each(bindparam("values", json.dumps(list(values)))).table_valued("value")
    return column.in_(select(listed.c.value))


_first = operator.itemgetter(0)


def _chunks(values: Sequence[Any], size: int = _LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _copy(cursor: Any, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """``COPY`` ``rows`` into ``table`` (PostgreSQL)."""
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _first_by(
    rows: Iterable[tuple[Any, ...]], index: int, taken: Collection[Any] = ()
) -> list[tuple[Any, ...]]:
    """Return ``rows`` but those whose value at ``index`` is in ``taken`` or repeats one before."""
    seen: set[Any] = set()
    kept = []
    for row in rows:
        value = row[index]
        if value is not None and (value in taken or value in seen):
            continue
        if value is not None:
            seen.add(value)
        kept.append(row)
    return kept


def _once(table: str, batch: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Return ``batch`` keeping, for each unique key in turn, the first row with each value."""
    kept = list(batch)
    for key in _UNIQUE[table]:
        kept = _first_by(kept, COLUMNS[table].index(key))
    return kept


def _copied_whole(cursor: Any, table: str, batch: Sequence[tuple[Any, ...]]) -> bool:
    """``COPY`` all of ``batch``, betting that none of its keys is stored already.

    In a first load that is every chunk, and the look-ups of :meth:`BulkWriter._unseen`
    are saved. A key already stored fails the ``COPY`` (after the whole batch was sent);
    it is undone to its savepoint and False returned, so the caller copies only the
    unseen rows, as a re-run or an overlapping load needs, and looks keys up first for
    the rest of the load. Give it a batch without repeated keys (:func:`_once`):
    of rows with no key stored, :meth:`BulkWriter._unseen` keeps exactly those (every
    table has at most two unique keys, checked in the same order).
    """
    cursor.execute("SAVEPOINT spm_load_copy")
    try:
        _copy(cursor, table, batch)
    except Exception as error:
        if getattr(error, "sqlstate", None) != _UNIQUE_VIOLATION:
            raise
        cursor.execute("ROLLBACK TO SAVEPOINT spm_load_copy")
        return False
    cursor.execute("RELEASE SAVEPOINT spm_load_copy")
    return True


class BulkWriter:
    """Scoped look-ups and chunk writes of one load, on behalf of one actor.

    Get one from :meth:`LoadingMixin.bulk_writer`; call :meth:`close` when done (it is a
    context manager too).
    """

    def __init__(self, store: StoreCore, actor: Actor, purpose: Purpose, load_id: str) -> None:
        self._store = store
        self.actor = actor
        self.purpose = purpose
        self.load_id = load_id
        engine = store._db.engine
        self.dialect = engine.dialect.name
        self._connection = engine.raw_connection()
        self._driver: Any = self._connection.driver_connection
        assert self._driver is not None
        self._dropped: list[Index | ForeignKeyConstraint] = []
        self._look_up: set[str] = set()  # tables whose keys are looked up before a copy
        self._pragmas: dict[str, Any] = {}
        if self.dialect == "sqlite":
            cursor = self._driver.cursor()
            try:
                for name, value in _LOAD_PRAGMAS.items():
                    self._pragmas[name] = cursor.execute(f"PRAGMA {name}").fetchone()[0]
                    cursor.execute(f"PRAGMA {name}={value}")
            finally:
                cursor.close()

    # ------------------------------------------------------------------ indexes

    def prepare(self, tables: Iterable[str]) -> None:
        """Get ``tables`` ready for a load.

        A table that is empty loses its secondary indexes until :meth:`close` builds
        them again — one sort at the end is much cheaper than keeping them up to date
        row by row during a first load. On PostgreSQL it also loses its foreign keys
        until :meth:`close` adds them again and checks every row against them in one
        pass (``NOT VALID``, then ``VALIDATE CONSTRAINT``, which lets other writers
        go on). An index or a foreign key a killed load left missing is put back here
        first.
        """
        engine = self._store._db.engine
        for name in tables:
            table = Base.metadata.tables[name]
            with engine.begin() as connection:
                for index in sorted(table.indexes, key=lambda i: str(i.name)):
                    index.create(connection, checkfirst=True)
            if self.dialect == "postgresql":
                stored = self._stored_keys(name)
                for key in _keys_of(table):
                    if str(key.name) not in stored:
                        self._add_key(key)
                    elif not stored[str(key.name)]:  # added, never checked: check it now
                        self._validate_key(key)
            with engine.begin() as connection:
                empty = connection.execute(select(table.c.id).limit(1)).first() is None
            if not empty:
                continue
            with engine.begin() as connection:
                for index in sorted(table.indexes, key=lambda i: str(i.name)):
                    index.drop(connection, checkfirst=True)
                    self._dropped.append(index)
                if self.dialect == "postgresql":
                    for key in _keys_of(table):
                        connection.execute(DropConstraint(key))
                        self._dropped.append(key)

    def _stored_keys(self, table: str) -> dict[str, bool]:
        """Return name → checked of the foreign keys ``table`` has (PostgreSQL)."""
        query = text(
            "SELECT conname, convalidated FROM pg_constraint "
            "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
        )
        with self._store._db.engine.connect() as connection:
            return {
                str(found): bool(valid)
                for found, valid in connection.execute(query, {"table": table})
            }

    def _add_key(self, key: ForeignKeyConstraint) -> None:
        """Add foreign key ``key`` again, then check the stored rows against it (PostgreSQL)."""
        with self._store._db.engine.begin() as connection:
            ddl = str(AddConstraint(key).compile(dialect=connection.dialect))
            connection.exec_driver_sql(f"{ddl} NOT VALID")
        self._validate_key(key)

    def _validate_key(self, key: ForeignKeyConstraint) -> None:
        """Check every stored row against foreign key ``key`` (PostgreSQL).

        ``VALIDATE CONSTRAINT`` takes a lock that lets other writers go on.
        """
        with self._store._db.engine.begin() as connection:
            connection.exec_driver_sql(
                f"ALTER TABLE {key.table.name} VALIDATE CONSTRAINT {key.name}"
            )

    def _restore(self) -> None:
        engine = self._store._db.engine
        while self._dropped:
            dropped = self._dropped.pop()
            if isinstance(dropped, ForeignKeyConstraint):
                self._add_key(dropped)
                continue
            with engine.begin() as connection:
                dropped.create(connection, checkfirst=True)

    # ------------------------------------------------------------------ values

    def timestamp(self, moment: datetime) -> Any:
        """Return ``moment`` as the database stores it (SQLite: UTC text)."""
        utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        if self.dialect == "sqlite":
            return utc.strftime("%Y-%m-%d %H:%M:%S.%f")
        return utc

    def flag(self, value: bool) -> Any:
        """Return a boolean as the database stores it."""
        return int(value) if self.dialect == "sqlite" else value

    @staticmethod
    def day(value: date | None) -> str | None:
        """Return a date as ISO text (both databases read it)."""
        return None if value is None else value.isoformat()

    # ------------------------------------------------------------------ look-ups

    def _select(self, query: Any) -> list[Any]:
        with self._store._db.read() as session:
            return list(session.execute(query))

    def posyandu_villages(self, ids: Iterable[str]) -> dict[str, str]:
        """Return posyandu id → village code for the posyandu among ``ids`` in scope."""
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(ids))):
            query = select(PosyanduRow.id, PosyanduRow.wilayah_code).where(
                _in(PosyanduRow.id, chunk, self.dialect), posyandu_rows(self.actor)
            )
            found.update({pid: code for pid, code in self._select(query)})
        return found

    def residents(
        self, *, ids: Iterable[str] = (), niks: Iterable[str] = ()
    ) -> dict[str, tuple[str, str, str, str | None]]:
        """Return id and NIK → (id, posyandu, village, NIK) of residents the actor sees."""
        condition = personal_rows(
            self.actor,
            "resident",
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            resident=ResidentRow.id,
        )
        columns = (
            ResidentRow.id,
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            ResidentRow.nik,
        )
        found: dict[str, tuple[str, str, str, str | None]] = {}
        for column, values in ((ResidentRow.id, ids), (ResidentRow.nik, niks)):
            for chunk in _chunks(sorted(set(values))):
                for row in self._select(
                    select(*columns).where(_in(column, chunk, self.dialect), condition)
                ):
                    value = (row[0], row[1], row[2], row[3])
                    found[row[0]] = value
                    if row[3]:
                        found[row[3]] = value
        return found

    def _owners(self, key: Any, owner: Any, values: Iterable[str]) -> dict[str, str]:
        """Return value → owner id for the ``values`` of unique column ``key`` stored."""
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(values))):
            query = select(key, owner).where(_in(key, chunk, self.dialect))
            found.update({value: who for value, who in self._select(query)})
        return found

    def nik_owners(self, niks: Iterable[str]) -> dict[str, str]:
        """Return NIK → resident id for the NIKs already registered (to anyone)."""
        return self._owners(ResidentRow.nik, ResidentRow.id, niks)

    def households(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str | None]]:
        """Return id → (posyandu, village, KK) of households the actor sees."""
        condition = personal_rows(
            self.actor,
            "household",
            HouseholdRow.posyandu_id,
            HouseholdRow.wilayah_code,
            resident=None,
        )
        found: dict[str, tuple[str, str, str | None]] = {}
        for chunk in _chunks(sorted(set(ids))):
            query = select(
                HouseholdRow.id,
                HouseholdRow.posyandu_id,
                HouseholdRow.wilayah_code,
                HouseholdRow.nomor_kk,
            ).where(_in(HouseholdRow.id, chunk, self.dialect), condition)
            found.update({row[0]: (row[1], row[2], row[3]) for row in self._select(query)})
        return found

    def kk_owners(self, numbers: Iterable[str]) -> dict[str, str]:
        """Return KK number → household id for the numbers already registered."""
        return self._owners(HouseholdRow.nomor_kk, HouseholdRow.id, numbers)

    def memberships(
        self, *, residents: Iterable[str] = (), households: Iterable[str] = ()
    ) -> list[tuple[str, str, str, int, date, date | None]]:
        """Return (id, household, resident, SHDK, start, end) of the stored memberships."""
        found: dict[str, tuple[str, str, str, int, date, date | None]] = {}
        for column, values in (
            (MembershipRow.resident_id, residents),
            (MembershipRow.household_id, households),
        ):
            for chunk in _chunks(sorted(set(values))):
                query = select(
                    MembershipRow.id,
                    MembershipRow.household_id,
                    MembershipRow.resident_id,
                    MembershipRow.relationship,
                    MembershipRow.start_date,
                    MembershipRow.end_date,
                ).where(_in(column, chunk, self.dialect))
                for row in self._select(query):
                    found[row[0]] = (row[0], row[1], row[2], row[3], row[4], row[5])
        return list(found.values())

    def records_by_key(self, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """Return key → (type, resident, household, place, observed_on, value) of stored records."""
        found: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(sorted(set(keys))):
            query = select(
                RecordRow.idempotency_key,
                RecordRow.record_type,
                RecordRow.resident_id,
                RecordRow.household_id,
                RecordRow.place_code,
                RecordRow.observed_on,
                RecordRow.value,
            ).where(_in(RecordRow.idempotency_key, chunk, self.dialect))
            found.update({row[0]: tuple(row[1:]) for row in self._select(query)})
        return found

    def known_places(self, codes: Iterable[str]) -> set[str]:
        """Return the region codes among ``codes`` already stored."""
        found: set[str] = set()
        for chunk in _chunks(sorted(set(codes))):
            found.update(
                code
                for (code,) in self._select(
                    select(WilayahRow.code).where(_in(WilayahRow.code, chunk, self.dialect))
                )
            )
        return found

    # ------------------------------------------------------------------ writes

    def write(self, rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> dict[str, int]:
        """Insert the rows of each table in one transaction; return how many were new.

        Rows whose id (or other unique key) is already stored are skipped, so a chunk
        written twice inserts nothing the second time.
        """
        counts = {table: 0 for table in rows}
        # In key order: a B-tree takes sorted keys far faster than random ones. The sort
        # is stable, so of two rows with one id the first read is still the one kept.
        rows = {table: sorted(batch, key=_first) for table, batch in rows.items()}
        if self.dialect == "sqlite":
            cursor = self._driver.cursor()
            try:
                if not self._write_sqlite(cursor, rows, counts, checked=False):
                    # A parent is missing: write again with SQLite's own row-by-row
                    # checks, which name the constraint the chunk breaks.
                    cursor.execute("PRAGMA foreign_keys=ON")
                    try:
                        self._write_sqlite(cursor, rows, counts, checked=True)
                    finally:
                        cursor.execute(f"PRAGMA foreign_keys={_LOAD_PRAGMAS['foreign_keys']}")
            except BaseException as error:
                if _from_driver(error):
                    raise database_error(error, "load") from None
                raise
            finally:
                cursor.close()
            return counts
        stored_posyandu: set[str] = set()
        try:
            with self._driver.cursor() as cursor:
                # Queue behind the store's other writers, like every write transaction.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                # The commit does not wait for the disk: the load's audit row, committed
                # the usual way after the last chunk, makes every chunk durable with it.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                for table in _ORDER:
                    batch = rows.get(table)
                    if not batch:
                        continue
                    fresh: Sequence[tuple[Any, ...]]
                    if table == "posyandu_field":  # the fields of new posyandu only
                        new = {row[0] for row in rows.get("posyandu", ())} - stored_posyandu
                        fresh = [row for row in batch if row[0] in new]
                        _copy(cursor, table, fresh)
                    elif table not in self._look_up and _copied_whole(
                        cursor, table, once := _once(table, batch)
                    ):
                        fresh = once
                    else:
                        # Once a copy met a stored key, this load is a re-run or overlaps
                        # one: look the keys up for the rest of it.
                        self._look_up.add(table)
                        fresh = self._unseen(cursor, table, batch)
                        _copy(cursor, table, fresh)
                    if table == "posyandu":
                        stored_posyandu = {row[0] for row in batch} - {r[0] for r in fresh}
                    counts[table] = len(fresh)
            self._driver.commit()
        except BaseException as error:
            self._driver.rollback()
            if _from_driver(error):
                raise database_error(error, "load") from None
            raise
        return counts

    def _write_sqlite(
        self,
        cursor: Any,
        rows: Mapping[str, Sequence[tuple[Any, ...]]],
        counts: dict[str, int],
        *,
        checked: bool,
    ) -> bool:
        """Write one chunk in one transaction (SQLite); False when it was rolled back.

        Unless ``checked`` (SQLite checks every foreign key of every row), the parents
        the chunk names are checked once each, after the inserts and before the
        commit, in the same transaction: when one is missing, nothing is committed.
        """
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for table in _ORDER:
                batch = rows.get(table)
                if not batch:
                    continue
                columns = COLUMNS[table]
                marks = ", ".join("?" * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
                    "ON CONFLICT DO NOTHING",
                    batch,
                )
                counts[table] = cursor.rowcount
            if not checked and not _parents_present(cursor, rows):
                cursor.execute("ROLLBACK")
                return False
            cursor.execute("COMMIT")
        except BaseException:
            if self._driver.in_transaction:
                cursor.execute("ROLLBACK")
            raise
        return True

    @staticmethod
    def _unseen(cursor: Any, table: str, batch: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Return the rows of ``batch`` whose unique keys are stored nowhere (PostgreSQL)."""
        columns = COLUMNS[table]
        keep = list(batch)
        for key in _UNIQUE[table]:
            index = columns.index(key)
            values = [row[index] for row in keep if row[index] is not None]
            if not values:
                continue
            cursor.execute(f"SELECT {key} FROM {table} WHERE {key} = ANY(%s)", (values,))
            keep = _first_by(keep, index, {found for (found,) in cursor.fetchall()})
        return keep

    def audit(self, action: str, counts: Mapping[str, int], wilayah_code: str | None) -> None:
        """Append the one audit row of this load: its id and what it wrote, by table."""

        def work(session: Session) -> None:
            self._store._audit(
                session,
                self.actor,
                action=action,
                entity="load",
                entity_id=self.load_id,
                purpose=self.purpose,
                fields=[f"{table}:{count}" for table, count in sorted(counts.items())],
                wilayah_code=wilayah_code,
                posyandu_id=getattr(self.actor.scope, "posyandu_id", None),
            )

        self._store._db.write(work, entity="load", key=self.load_id)

    def close(self) -> None:
        """Build the indexes :meth:`prepare` dropped; give the connection back to the pool."""
        try:
            self._restore()
        finally:
            if self._pragmas:
                cursor = self._driver.cursor()
                try:
                    for name, value in self._pragmas.items():
                        cursor.execute(f"PRAGMA {name}={value}")
                finally:
                    cursor.close()
            self._connection.close()

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class LoadingMixin(StoreCore):
    """The entry point of bulk loads."""

    @writes("resident")
    def bulk_writer(self, actor: Actor, purpose: Purpose, *, load_id: str) -> BulkWriter:
        """Return a :class:`BulkWriter` for one load on behalf of ``actor``.

        Use :func:`spm_core.load.load` rather than this directly: it validates the rows
        the writer expects. Every look-up is limited to the actor's scope.
        """
        return BulkWriter(self, actor, purpose, load_id)

r"""Batch registration of residents: every bad row reported, written in bounded chunks.

Rows are validated one by one (each problem names its 1-based row, field and value),
then checked against the database in a few set-based queries (posyandu in scope, NIK
already registered). One bad row means nothing is written.

A clean batch is then written in chunks of ``chunk_size`` rows, each chunk one
transaction (Core ``INSERT``\ s plus the chunk's hash-chained audit rows), so the
database's write lock is released between chunks and a kader's single write waits
for one chunk at most, never for the whole batch. A row is one resident, so no chunk
ever splits a unit. A batch no larger than one chunk is all-or-nothing; a larger one
that a concurrent writer interrupts (a NIK registered meanwhile) stops with
:class:`~spm_core.errors.BatchInterrupted`, which says exactly which rows were stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.errors import BatchInterrupted, InputError, Issue, Notice, SpmError
from spm_core.schemas import ResidentIn, validate_rows
from spm_core.store._core import (
    BIRTH_DATE,
    StoreCore,
    audit_event,
    future_issue,
    missing,
    page,
    reject,
)
from spm_core.store._people import (
    Refused,
    conflict_event,
    duplicate_nik,
    nik_notices,
    unavailable,
)
from spm_core.store._scoping import personal_rows, posyandu_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.chain import append_audit
from spm_core.store.declare import writes
from spm_core.store.tables import DomicileRow, PosyanduRow, ResidentRow
from spm_core.store.values import Resident

__all__ = ["CHUNK_ROWS", "SQLITE_PAUSE", "BulkMixin", "BulkResult"]

T = TypeVar("T")

_CHUNK = 500

CHUNK_ROWS = 1000
"""Rows written per transaction by :meth:`BulkMixin.add_residents` unless told otherwise."""

SQLITE_PAUSE = 0.1
"""Seconds a batch waits between chunks on SQLite, so writers queued on the lock get in.

SQLite does not queue waiting writers: each polls (at most every 100 ms) and a batch
that takes the lock again at once could starve them past the busy timeout. PostgreSQL's
advisory lock grants waiters in order, so no pause is needed there.
"""


def _merge(parts: list[BulkResult]) -> BulkResult:
    return BulkResult(
        tuple(r for part in parts for r in part.residents),
        tuple(n for part in parts for n in part.notices),
    )


@attrs.frozen
class BulkResult:
    """What a batch wrote: the residents in row order and the notices with their rows."""

    residents: tuple[Resident, ...]
    notices: tuple[tuple[int, Notice], ...]


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _duplicates_in_file(valid: list[tuple[int, ResidentIn]]) -> list[Issue]:
    first: dict[str, int] = {}
    issues: list[Issue] = []
    for number, resident in valid:
        if resident.nik is None:
            continue
        if resident.nik in first:
            base = duplicate_nik(resident.nik, number).issues[0]
            issues.append(
                attrs.evolve(
                    base,
                    code="duplicate-nik-in-batch",
                    message_id=f"NIK {resident.nik} juga ada di baris {first[resident.nik]}.",
                    message_en=f"NIK {resident.nik} also appears in row {first[resident.nik]}.",
                )
            )
        else:
            first[resident.nik] = number
    return issues


class BulkMixin(StoreCore):
    """Batch writes with SQLAlchemy Core."""

    @writes("resident")
    def add_residents(
        self,
        actor: Actor,
        rows: Iterable[ResidentIn | Mapping[str, Any]],
        purpose: Purpose,
        *,
        chunk_size: int = CHUNK_ROWS,
    ) -> BulkResult:
        """Register many residents at once, committed in chunks of ``chunk_size`` rows.

        Every row is checked before anything is written: one bad row, and nothing is.
        A NIK held by a resident the actor may not see gets the same neutral issue as
        :meth:`add_resident` gives (``nik-unavailable``).

        Raises:
            InputError: one issue per problem in any row (1-based row numbers): invalid
                values, a posyandu absent or out of scope, a NIK already registered or
                repeated in the batch. Nothing is written.
            BatchInterrupted: a chunk after the first failed (a NIK registered by a
                concurrent writer meanwhile, the database busy …); the rows of the
                earlier chunks are stored (``error.stored``), the rest are not.
        """
        count, _ = page(chunk_size)
        if not count:
            raise reject(
                "invalid-page",
                "chunk_size",
                chunk_size,
                "chunk_size harus bilangan bulat 1 atau lebih.",
                "chunk_size must be a whole number of 1 or more.",
            )
        given = list(rows)
        valid, issues = validate_rows(
            ResidentIn, [r.model_dump() if isinstance(r, ResidentIn) else r for r in given]
        )
        issues.extend(_duplicates_in_file(valid))
        if not given:
            return BulkResult((), ())
        if len(valid) > count or issues:
            # Check every row before the first chunk is written.
            self._record_refusal(lambda: self._check_all(actor, purpose, valid, issues))
        stored: list[BulkResult] = []
        for start in range(0, len(valid), count):
            part = valid[start : start + count]

            def work(session: Session, part: list[tuple[int, ResidentIn]] = part) -> BulkResult:
                villages = self._check(session, actor, purpose, part, [])
                return self._insert(session, actor, purpose, part, villages)

            if stored and self._db.is_sqlite:
                # SQLite's busy handler polls: give a waiting writer its turn.
                time.sleep(SQLITE_PAUSE)
            try:
                stored.append(self._write_batch(work))
            except SpmError as error:
                if not stored:
                    raise
                done = _merge(stored)
                raise BatchInterrupted(
                    value=part[0][0],
                    stored_rows=len(done.residents),
                    reason_id=error.message_id,
                    reason_en=error.message_en,
                    stored=done,
                    cause=error,
                ) from error
        return _merge(stored)

    def _record_refusal(self, run: Callable[[], T]) -> T:
        """Return ``run()``; if refused over hidden NIK holders, record that, then raise."""
        try:
            return run()
        except Refused as refused:
            conflicts = refused.conflicts
            self._db.write(lambda session: append_audit(session, conflicts), entity="audit")
            raise refused.error from None

    def _write_batch(self, work: Callable[[Session], BulkResult]) -> BulkResult:
        return self._record_refusal(lambda: self._db.write(work, entity="resident"))

    def _check_all(
        self,
        actor: Actor,
        purpose: Purpose,
        valid: list[tuple[int, ResidentIn]],
        issues: list[Issue],
    ) -> None:
        with self._db.read("resident") as session:
            self._check(session, actor, purpose, valid, issues)

    def _check(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        valid: list[tuple[int, ResidentIn]],
        issues: list[Issue],
    ) -> dict[str, str]:
        """Check rows against the database; return their villages, or raise every issue."""
        found = list(issues)
        villages = self._villages(session, actor, {r.posyandu_id for _, r in valid})
        niks = [r.nik for _, r in valid if r.nik is not None]
        holders: dict[str, ResidentRow] = {}
        seen: set[str] = set()
        visible = personal_rows(
            actor,
            "resident",
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            resident=ResidentRow.id,
        )
        for chunk in _chunks(niks):
            for holder in session.scalars(select(ResidentRow).where(ResidentRow.nik.in_(chunk))):
                assert holder.nik is not None
                holders[holder.nik] = holder
            seen.update(
                n
                for n in session.scalars(
                    select(ResidentRow.nik).where(ResidentRow.nik.in_(chunk), visible)
                )
                if n
            )
        conflicts: list[dict[str, Any]] = []
        for number, resident in valid:
            if resident.posyandu_id not in villages:
                found.append(missing("posyandu", "posyandu_id", resident.posyandu_id, number))
            else:
                village = villages[resident.posyandu_id]
                late = future_issue(resident.birth_date, village, "birth_date", BIRTH_DATE, number)
                found.extend([] if late is None else [late])
            if resident.nik is None or resident.nik not in holders:
                continue
            if resident.nik in seen:
                found.extend(duplicate_nik(resident.nik, number).issues)
            else:
                found.extend(unavailable("nik", resident.nik, number).issues)
                conflicts.append(conflict_event(actor, purpose, "nik", holders[resident.nik]))
        if found:
            error = InputError(sorted(found, key=lambda i: (i.row or 0, i.field)))
            if conflicts:
                raise Refused(error, conflicts)
            raise error
        return villages

    @staticmethod
    def _villages(session: Session, actor: Actor, ids: set[str]) -> dict[str, str]:
        """Return posyandu id → village code for the posyandu in scope among ``ids``."""
        out: dict[str, str] = {}
        listed = sorted(ids)
        for chunk in _chunks(listed):
            query = select(PosyanduRow.id, PosyanduRow.wilayah_code).where(
                PosyanduRow.id.in_(chunk), posyandu_rows(actor)
            )
            out.update({pid: code for pid, code in session.execute(query)})
        return out

    @staticmethod
    def _insert(
        session: Session,
        actor: Actor,
        purpose: Purpose,
        valid: list[tuple[int, ResidentIn]],
        villages: dict[str, str],
    ) -> BulkResult:
        now = utc_now()
        records: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for _number, resident in valid:
            data = resident.model_dump()
            record = {
                **data,
                "id": new_id(),
                "sex": resident.sex.value,
                "wilayah_code": villages[resident.posyandu_id],
                "restricted": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            records.append(record)
            audits.append(
                audit_event(
                    actor,
                    "create",
                    "resident",
                    record["id"],
                    purpose,
                    (k for k, v in data.items() if v is not None),
                    record["wilayah_code"],
                    resident.posyandu_id,
                )
            )
        # Core executemany on the tables, not ORM bulk: no identity map, no RETURNING.
        connection = session.connection()
        resident_table = cast(Table, ResidentRow.__table__)
        domicile_table = cast(Table, DomicileRow.__table__)
        domiciles = [
            {
                "id": new_id(),
                "resident_id": record["id"],
                "posyandu_id": record["posyandu_id"],
                "wilayah_code": record["wilayah_code"],
                "rt": record["rt"],
                "rw": record["rw"],
                "since": record["birth_date"],
                "until": None,
            }
            for record in records
        ]
        for chunk_start in range(0, len(records), _CHUNK):
            end = chunk_start + _CHUNK
            connection.execute(insert(resident_table), records[chunk_start:end])
            connection.execute(insert(domicile_table), domiciles[chunk_start:end])
        append_audit(connection, audits)
        residents = tuple(Resident.from_row(ResidentRow(**record)) for record in records)
        notices = tuple(
            (number, notice)
            for (number, _), stored in zip(valid, residents, strict=True)
            for notice in nik_notices(stored.nik, stored)
        )
        return BulkResult(residents, notices)

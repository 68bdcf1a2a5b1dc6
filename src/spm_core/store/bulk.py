"""Batch registration of residents: all rows or none, every bad row reported.

Rows are validated one by one (each problem names its 1-based row, field and value),
then checked against the database in a few set-based queries (posyandu in scope, NIK
already registered), then written with one Core ``INSERT`` per table. One bad row means
nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.errors import InputError, Issue, Notice
from spm_core.schemas import ResidentIn, validate_rows
from spm_core.store._core import BIRTH_DATE, StoreCore, audit_event, future_issue, missing
from spm_core.store._people import duplicate_nik, nik_notices
from spm_core.store._scoping import posyandu_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.chain import append_audit
from spm_core.store.declare import writes
from spm_core.store.tables import PosyanduRow, ResidentRow
from spm_core.store.values import Resident

__all__ = ["BulkMixin", "BulkResult"]

_CHUNK = 500


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
    ) -> BulkResult:
        """Register many residents at once: every row or none.

        Raises:
            InputError: one issue per problem in any row (1-based row numbers): invalid
                values, a posyandu absent or out of scope, a NIK already registered or
                repeated in the batch. Nothing is written.
        """
        given = list(rows)
        valid, issues = validate_rows(
            ResidentIn, [r.model_dump() if isinstance(r, ResidentIn) else r for r in given]
        )
        issues.extend(_duplicates_in_file(valid))

        def work(session: Session) -> BulkResult:
            found = list(issues)
            villages = self._villages(session, actor, {r.posyandu_id for _, r in valid})
            niks = [r.nik for _, r in valid if r.nik is not None]
            taken: set[str] = set()
            for chunk in _chunks(niks):
                taken.update(
                    n
                    for n in session.scalars(
                        select(ResidentRow.nik).where(ResidentRow.nik.in_(chunk))
                    )
                    if n
                )
            for number, resident in valid:
                if resident.posyandu_id not in villages:
                    found.append(missing("posyandu", "posyandu_id", resident.posyandu_id, number))
                else:
                    village = villages[resident.posyandu_id]
                    late = future_issue(
                        resident.birth_date, village, "birth_date", BIRTH_DATE, number
                    )
                    found.extend([] if late is None else [late])
                if resident.nik is not None and resident.nik in taken:
                    found.extend(duplicate_nik(resident.nik, number).issues)
            if found:
                raise InputError(sorted(found, key=lambda i: (i.row or 0, i.field)))
            return self._insert(session, actor, purpose, valid, villages)

        if not given:
            return BulkResult((), ())
        return self._db.write(work, entity="resident", key=f"{len(given)} rows")

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
        for chunk_start in range(0, len(records), _CHUNK):
            connection.execute(insert(resident_table), records[chunk_start : chunk_start + _CHUNK])
        append_audit(connection, audits)
        residents = tuple(Resident.from_row(ResidentRow(**record)) for record in records)
        notices = tuple(
            (number, notice)
            for (number, _), stored in zip(valid, residents, strict=True)
            for notice in nik_notices(stored.nik, stored)
        )
        return BulkResult(residents, notices)

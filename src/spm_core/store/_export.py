"""Scoped exports: the rows of one kind an actor may read, in the columns a load reads.

Each export returns an :class:`ExportTable` whose columns are those
:func:`spm_core.load.load` reads for the same kind (plus ``id``), so a file written from
it can be loaded again — into the same database, where it creates nothing new, or into
another. Every export appends one audit row (action ``export``) naming the kind and the
number of rows handed out (``row_count``): who took which rows out of the system, and
why, is on the record. Anyone but a kader names the purpose of an export.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from spm_core.access import Actor, PosyanduScope, Purpose
from spm_core.store._core import StoreCore, audit_event
from spm_core.store._membership import visible_memberships
from spm_core.store._scoping import personal_rows
from spm_core.store.chain import append_audit
from spm_core.store.declare import reads
from spm_core.store.tables import (
    HouseholdRow,
    MembershipRow,
    PosyanduRow,
    RecordRow,
    ResidentRow,
)

__all__ = ["ExportMixin", "ExportTable"]


@attrs.frozen
class ExportTable:
    """Rows handed out by an export.

    Attributes:
        kind: ``residents``, ``households``, ``memberships`` or ``records``.
        columns: the column names, in row order.
        rows: one tuple per row; dates as ``YYYY-MM-DD`` text, identifiers as text,
            record values as JSON text.
        audit_id: the id of the export in the audit log (entity ``export``).
    """

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    audit_id: str

    def as_dicts(self) -> list[dict[str, Any]]:
        """Return the rows as mappings of column to value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class ExportMixin(StoreCore):
    """Exports of residents, households, memberships and records, audited."""

    def _log_export(
        self, actor: Actor, kind: str, count: int, purpose: Purpose | str | None
    ) -> str:
        """Append the one ``export`` audit row of ``count`` rows of ``kind``; return its id.

        Private: only the exports themselves (and the report export of
        :class:`~spm_core.api.Registry`) write these rows, after handing the rows out.
        """
        audit_id = f"{kind}-{uuid.uuid4().hex}"
        scope = actor.scope
        posyandu_id = scope.posyandu_id if isinstance(scope, PosyanduScope) else None

        def work(session: Session) -> None:
            area = actor.area
            village = None
            if posyandu_id is not None:
                village = session.scalar(
                    select(PosyanduRow.wilayah_code).where(PosyanduRow.id == posyandu_id)
                )
            event = audit_event(
                actor,
                "export",
                "export",
                audit_id,
                Purpose.PELAPORAN if purpose is None else Purpose.parse(purpose),
                [f"{kind}:{count}"],
                area.value if area is not None else village,
                posyandu_id,
            )
            event["row_count"] = count
            append_audit(session, [event])

        self._db.write(work, entity="export", key=audit_id)
        return audit_id

    def _export(
        self,
        actor: Actor,
        kind: str,
        columns: Sequence[str],
        query: Any,
        convert: Any,
        purpose: Purpose | str | None,
    ) -> ExportTable:
        with self._db.read(kind) as session:
            rows = tuple(convert(row) for row in session.execute(query))
        audit_id = self._log_export(actor, kind, len(rows), purpose)
        return ExportTable(kind, tuple(columns), rows, audit_id)

    @reads("resident", logs_itself=True)
    def export_residents(self, actor: Actor, purpose: Purpose | str | None = None) -> ExportTable:
        """Return the residents in the actor's scope, by id, in the columns of a load.

        Columns: ``id``, ``nik``, ``name``, ``sex``, ``birth_date``, ``posyandu_id``,
        ``rt``, ``rw``, ``address``, ``died_on``, ``moved_away_on``. Restricted
        residents are exported to operators only. One audit row records the count.
        """
        columns = (
            "id",
            "nik",
            "name",
            "sex",
            "birth_date",
            "posyandu_id",
            "rt",
            "rw",
            "address",
            "died_on",
            "moved_away_on",
        )
        query = (
            select(
                ResidentRow.id,
                ResidentRow.nik,
                ResidentRow.name,
                ResidentRow.sex,
                ResidentRow.birth_date,
                ResidentRow.posyandu_id,
                ResidentRow.rt,
                ResidentRow.rw,
                ResidentRow.address,
                ResidentRow.died_on,
                ResidentRow.moved_away_on,
            )
            .where(
                personal_rows(
                    actor,
                    "resident",
                    ResidentRow.posyandu_id,
                    ResidentRow.wilayah_code,
                    resident=ResidentRow.id,
                )
            )
            .order_by(ResidentRow.id)
        )

        def convert(row: Any) -> tuple[Any, ...]:
            return (*row[:4], _day(row[4]), *row[5:9], _day(row[9]), _day(row[10]))

        return self._export(actor, "residents", columns, query, convert, purpose)

    @reads("household", logs_itself=True)
    def export_households(self, actor: Actor, purpose: Purpose | str | None = None) -> ExportTable:
        """Return the households in the actor's scope, by id, in the columns of a load.

        Columns: ``id``, ``nomor_kk``, ``posyandu_id``, ``rt``, ``rw``, ``address``.
        """
        columns = ("id", "nomor_kk", "posyandu_id", "rt", "rw", "address")
        query = (
            select(
                HouseholdRow.id,
                HouseholdRow.nomor_kk,
                HouseholdRow.posyandu_id,
                HouseholdRow.rt,
                HouseholdRow.rw,
                HouseholdRow.address,
            )
            .where(
                personal_rows(
                    actor,
                    "household",
                    HouseholdRow.posyandu_id,
                    HouseholdRow.wilayah_code,
                    resident=None,
                )
            )
            .order_by(HouseholdRow.id)
        )
        return self._export(actor, "households", columns, query, tuple, purpose)

    @reads("membership", logs_itself=True)
    def export_memberships(self, actor: Actor, purpose: Purpose | str | None = None) -> ExportTable:
        """Return the memberships whose household and resident the actor may both see.

        Columns: ``id``, ``household_id``, ``resident_id``, ``relationship`` (SHDK
        1–11), ``start``, ``end``.
        """
        columns = ("id", "household_id", "resident_id", "relationship", "start", "end")
        query = visible_memberships(
            actor,
            MembershipRow.id,
            MembershipRow.household_id,
            MembershipRow.resident_id,
            MembershipRow.relationship,
            MembershipRow.start_date,
            MembershipRow.end_date,
        ).order_by(MembershipRow.id)

        def convert(row: Any) -> tuple[Any, ...]:
            return (*row[:4], _day(row[4]), _day(row[5]))

        return self._export(actor, "memberships", columns, query, convert, purpose)

    @reads("record", logs_itself=True)
    def export_records(self, actor: Actor, purpose: Purpose | str | None = None) -> ExportTable:
        """Return the records in the actor's scope that are not voided, by id.

        Columns: ``id``, ``record_type``, ``resident_id``, ``household_id``, ``place``,
        ``posyandu_id``, ``observed_on``, ``value`` (JSON text), ``idempotency_key``.
        Loading the file again finds every key stored and creates nothing new.
        """
        columns = (
            "id",
            "record_type",
            "resident_id",
            "household_id",
            "place",
            "posyandu_id",
            "observed_on",
            "value",
            "idempotency_key",
        )
        query = (
            select(
                RecordRow.id,
                RecordRow.record_type,
                RecordRow.resident_id,
                RecordRow.household_id,
                RecordRow.place_code,
                RecordRow.posyandu_id,
                RecordRow.observed_on,
                RecordRow.value,
                RecordRow.idempotency_key,
            )
            .where(
                RecordRow.voided_at.is_(None),
                personal_rows(
                    actor,
                    "record",
                    RecordRow.posyandu_id,
                    RecordRow.wilayah_code,
                    resident=RecordRow.resident_id,
                ),
            )
            .order_by(RecordRow.id)
        )

        def convert(row: Any) -> tuple[Any, ...]:
            value = row[7]
            text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
            return (*row[:6], _day(row[6]), text, row[8])

        return self._export(actor, "records", columns, query, convert, purpose)

"""Records: dated observations validated against the record type's value schema."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pydantic
from sqlalchemy import Select, exists, or_, select, update
from sqlalchemy.orm import Session

from spm_core.access import Actor, PosyanduScope, Purpose
from spm_core.catalog import Catalog
from spm_core.definitions import RecordType
from spm_core.domain.enums import Subject
from spm_core.domain.period import Period
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InputError, Issue, Notice, UnknownCode
from spm_core.schemas import RecordIn, issues_from, validate
from spm_core.store._core import (
    OBSERVED_ON,
    StoreCore,
    check_length,
    check_not_future,
    missing,
    not_found,
    page,
    reject,
)
from spm_core.store._keys import record_key
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area, personal_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import PosyanduFieldRow, PosyanduRow, RecordRow
from spm_core.store.values import Record, SubjectRef

__all__ = ["RecordsMixin", "idempotency_conflict"]


def idempotency_conflict(key: str, row: int | None = None) -> Issue:
    """Return the issue for a key already used by a record that says something else."""
    return Issue(
        "idempotency-conflict",
        "idempotency_key",
        key,
        f"Kunci {key} sudah dipakai untuk catatan dengan isi lain; kirim ulang dengan isi "
        "yang sama, atau pakai kunci baru untuk catatan baru (atau ganti catatan lama).",
        f"Key {key} is already used by a record that says something else; resend the same "
        "content, or use a new key for a new record (or supersede the old one).",
        row,
    )


def _same_body(
    row: RecordRow,
    record_type: str,
    columns: dict[str, Any],
    observed_on: date,
    value: dict[str, Any],
) -> bool:
    return (
        row.record_type == record_type
        and row.resident_id == columns.get("resident_id")
        and row.household_id == columns.get("household_id")
        and row.place_code == columns.get("place_code")
        and row.observed_on == observed_on
        and dict(row.value) == value
    )


def _subject_of(columns: Mapping[str, Any]) -> tuple[str, str]:
    """Return the subject kind and id a derived key is made of.

    A place is observed by a posyandu (or an area actor), so two posyandu reporting on
    one place make two records: the posyandu is part of a place's subject.
    """
    if columns.get("resident_id") is not None:
        return "resident", str(columns["resident_id"])
    if columns.get("household_id") is not None:
        return "household", str(columns["household_id"])
    return "place", f"{columns['place_code']}@{columns.get('posyandu_id') or ''}"


_SUBJECT_FIELD = {
    Subject.RESIDENT: "resident_id",
    Subject.HOUSEHOLD: "household_id",
    Subject.PLACE: "place",
}


def _given_subject(record: RecordIn) -> Subject:
    if record.resident_id:
        return Subject.RESIDENT
    return Subject.HOUSEHOLD if record.household_id else Subject.PLACE


def _check_definition(
    record: RecordIn, catalog: Catalog
) -> tuple[RecordType, dict[str, Any], tuple[Notice, ...]]:
    """Return the record type, the validated value (JSON-ready) and the plugin notices.

    Raises:
        InputError: unknown record type, wrong kind of subject, or a value its schema
            rejects (fields named ``value.<field>``).
    """
    try:
        record_type = catalog.record_type(record.record_type)
    except UnknownCode as error:
        raise InputError(
            [
                Issue(
                    error.code,
                    "record_type",
                    record.record_type,
                    error.message_id,
                    error.message_en,
                )
            ]
        ) from None
    issues: list[Issue] = []
    given = _given_subject(record)
    if given is not record_type.subject:
        wanted = record_type.subject
        issues.append(
            Issue(
                "wrong-subject",
                _SUBJECT_FIELD[given],
                str(getattr(record, _SUBJECT_FIELD[given])),
                f"Jenis catatan {record_type.code} tentang {wanted.label.id.lower()}; isi "
                f"{_SUBJECT_FIELD[wanted]}, bukan {_SUBJECT_FIELD[given]}.",
                f"Record type {record_type.code} is about a {wanted.label.en.lower()}; give "
                f"{_SUBJECT_FIELD[wanted]}, not {_SUBJECT_FIELD[given]}.",
            )
        )
    try:
        value = record_type.value_schema.model_validate(record.value)
    except pydantic.ValidationError as error:
        issues.extend(issues_from(error, prefix="value"))
        raise InputError(issues) from None
    if issues:
        raise InputError(issues)
    notices: list[Notice] = []
    for validator in catalog.validators_for(record_type.code):
        notices.extend(validator.check(value.model_dump()))
    if not record_type.validity.contains(record.observed_on):
        notices.append(
            Notice(
                code="record-type-not-in-force",
                message_id=f"Jenis catatan {record_type.code} tidak berlaku pada "
                f"{record.observed_on.isoformat()}.",
                message_en=f"Record type {record_type.code} is not in force on "
                f"{record.observed_on.isoformat()}.",
                field="observed_on",
                value=record.observed_on.isoformat(),
            )
        )
    return record_type, value.model_dump(mode="json"), tuple(notices)


def _field_served(
    session: Session, posyandu_id: str | None, record_type: RecordType, record: RecordIn
) -> tuple[Notice, ...]:
    """Return a notice when the record's posyandu does not serve its field on that day.

    Such a record is kept (a kader may note what they see beyond their posyandu's
    fields, and regions roll fields out in phases), but it is flagged.
    """
    if posyandu_id is None:
        return ()
    day = record.observed_on
    serving = session.scalar(
        select(
            exists().where(
                PosyanduFieldRow.posyandu_id == posyandu_id,
                PosyanduFieldRow.field == record_type.field.value,
                PosyanduFieldRow.since <= day,
                or_(PosyanduFieldRow.until.is_(None), PosyanduFieldRow.until >= day),
            )
        )
    )
    if serving:
        return ()
    name = session.scalar(select(PosyanduRow.name).where(PosyanduRow.id == posyandu_id))
    label = record_type.field.label
    return (
        Notice(
            code="field-not-served",
            message_id=f"Posyandu {name!r} tidak melayani bidang {label.id} pada "
            f"{day.isoformat()}; catatan {record_type.code} tetap disimpan.",
            message_en=f"Posyandu {name!r} does not serve the {label.en} field on "
            f"{day.isoformat()}; the {record_type.code} record is kept.",
            field="record_type",
            value=record_type.code,
        ),
    )


class RecordsMixin(StoreCore):
    """Records about residents, households and places."""

    def _record_subject(
        self, session: Session, actor: Actor, record: RecordIn, purpose: Purpose
    ) -> dict[str, Any]:
        """Return the subject, posyandu and village columns of a new record, or raise."""
        if record.resident_id is not None:
            resident = self._resident(session, actor, record.resident_id)
            if resident is None:
                raise InputError([missing("resident", "resident_id", record.resident_id)])
            return {
                "resident_id": resident.id,
                "posyandu_id": resident.posyandu_id,
                "wilayah_code": resident.wilayah_code,
            }
        if record.household_id is not None:
            household = self._household(session, actor, record.household_id)
            if household is None:
                raise InputError([missing("household", "household_id", record.household_id)])
            return {
                "household_id": household.id,
                "posyandu_id": household.posyandu_id,
                "wilayah_code": household.wilayah_code,
            }
        assert record.place is not None
        place = KodeWilayah(record.place)
        scope = actor.scope
        own = scope.posyandu_id if isinstance(scope, PosyanduScope) else None
        posyandu_id = record.posyandu_id or own
        posyandu: PosyanduRow | None = None
        if posyandu_id is not None:
            posyandu = self._writable_posyandu(session, actor, posyandu_id)
        covering = KodeWilayah(posyandu.wilayah_code) if posyandu else actor.area
        if covering is None or not covering.contains(place):
            raise InputError([missing("wilayah", "place", place.value)])
        self._ensure_wilayah(session, actor, place, purpose, "place")
        return {
            "place_code": place.value,
            "posyandu_id": None if posyandu is None else posyandu.id,
            "wilayah_code": place.value,
        }

    def _insert_record(
        self,
        session: Session,
        actor: Actor,
        record: RecordIn,
        record_type: RecordType,
        value: dict[str, Any],
        purpose: Purpose,
    ) -> Record:
        """Insert one checked record, or return the one already stored under its key."""
        columns = self._record_subject(session, actor, record, purpose)
        check_not_future(record.observed_on, columns["wilayah_code"], "observed_on", OBSERVED_ON)
        key = record.idempotency_key or record_key(
            *_subject_of(columns), record_type.code, record.observed_on, value
        )
        existing = session.scalars(
            select(RecordRow).where(RecordRow.idempotency_key == key)
        ).one_or_none()
        if existing is not None:
            if _same_body(existing, record_type.code, columns, record.observed_on, value):
                return Record.from_row(existing)
            raise InputError([idempotency_conflict(key)])
        row = RecordRow(
            id=new_id(),
            record_type=record_type.code,
            observed_on=record.observed_on,
            value=value,
            recorded_by=actor.id,
            created_at=utc_now(),
            idempotency_key=key,
            **columns,
        )
        session.add(row)
        subject_field = next(
            k for k in ("resident_id", "household_id", "place_code") if k in columns
        )
        self._audit(
            session,
            actor,
            action="create",
            entity="record",
            entity_id=row.id,
            purpose=purpose,
            fields=["record_type", subject_field, "observed_on"]
            + [f"value.{name}" for name in value],
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
        )
        session.flush()
        return Record.from_row(row)

    @writes("record")
    def add_record(
        self,
        actor: Actor,
        data: RecordIn | Mapping[str, Any],
        purpose: Purpose,
        catalog: Catalog,
    ) -> tuple[Record, tuple[Notice, ...]]:
        """Store one observation after checking it against ``catalog``.

        The value is validated by the record type's value schema; the subject must be
        the kind the record type is about and lie in the actor's scope; the plugins'
        validators add notices (they never reject).

        Submitting is idempotent: the record's key is ``idempotency_key`` when given,
        otherwise one derived from its subject, type, date and value. A record already
        stored under the key is returned and nothing is written; the same key with a
        different record is refused.

        Returns:
            The stored record and the notices about it.

        Raises:
            InputError: invalid input, unknown record type, wrong subject kind, a value
                the schema rejects (``value.<field>``), a subject absent or out of
                scope, or an ``idempotency_key`` already used for a different record
                (code ``idempotency-conflict``).
        """
        record = validate(RecordIn, data)
        if record.posyandu_id is not None and record.place is None:
            raise InputError(
                [
                    Issue(
                        "unknown-field",
                        "posyandu_id",
                        record.posyandu_id,
                        "posyandu_id hanya untuk catatan tentang tempat.",
                        "posyandu_id is only for records about a place.",
                    )
                ]
            )
        record_type, value, notices = _check_definition(record, catalog)
        found: list[Notice] = []

        def work(session: Session) -> Record:
            saved = self._insert_record(session, actor, record, record_type, value, purpose)
            found[:] = _field_served(session, saved.posyandu_id, record_type, record)
            return saved

        saved = self._db.write(work, entity="record", key=record_type.code)
        return saved, (*notices, *found)

    def _records_query(self, actor: Actor) -> Select[RecordRow]:
        return select(RecordRow).where(
            personal_rows(
                actor,
                "record",
                RecordRow.posyandu_id,
                RecordRow.wilayah_code,
                resident=RecordRow.resident_id,
            )
        )

    @reads("record")
    def get_record(
        self, actor: Actor, record_id: str, *, purpose: Purpose | str | None = None
    ) -> Record:
        """Return a record in the actor's scope.

        Raises:
            NotFound: no such record, or one outside the actor's scope.
        """
        with self._db.read() as session:
            row = session.scalars(
                self._records_query(actor).where(RecordRow.id == record_id)
            ).one_or_none()
            if row is None:
                raise not_found("record", record_id)
            return Record.from_row(row)

    @reads("record")
    def list_records(
        self,
        actor: Actor,
        *,
        purpose: Purpose | str | None = None,
        subject: SubjectRef | None = None,
        record_type: str | None = None,
        period: Period | None = None,
        posyandu_id: str | None = None,
        area: KodeWilayah | str | None = None,
        include_voided: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        """Return the records in the actor's scope, oldest observation first.

        ``subject`` narrows to one resident, household or place; ``period`` to
        observations made within it. Voided (and superseded) records are left out
        unless ``include_voided`` is set.
        """
        query = self._records_query(actor)
        if not include_voided:
            query = query.where(RecordRow.voided_at.is_(None))
        if subject is not None:
            ref = SubjectRef.of(subject)
            column = {
                Subject.RESIDENT: RecordRow.resident_id,
                Subject.HOUSEHOLD: RecordRow.household_id,
                Subject.PLACE: RecordRow.place_code,
            }[ref.kind]
            query = query.where(column == ref.id)
        if record_type is not None:
            query = query.where(RecordRow.record_type == record_type)
        if period is not None:
            query = query.where(RecordRow.observed_on.between(period.start, period.end))
        if posyandu_id is not None:
            query = query.where(RecordRow.posyandu_id == posyandu_id)
        if area is not None:
            query = query.where(in_area(RecordRow.wilayah_code, as_area(area)))
        count, start = page(limit, offset)
        query = query.order_by(RecordRow.observed_on, RecordRow.id).offset(start).limit(count)
        with self._db.read() as session:
            return [Record.from_row(row) for row in session.scalars(query)]

    def _void(
        self,
        session: Session,
        actor: Actor,
        record_id: str,
        reason: str,
        purpose: Purpose,
        superseded_by: str | None = None,
    ) -> RecordRow:
        row = session.scalars(
            self._records_query(actor).where(RecordRow.id == record_id)
        ).one_or_none()
        if row is None:
            raise not_found("record", record_id)
        if row.voided_at is not None:
            raise reject(
                "record-voided",
                "record_id",
                record_id,
                f"Catatan {record_id} sudah dibatalkan ({row.void_reason}).",
                f"Record {record_id} is already voided ({row.void_reason}).",
            )
        session.execute(
            update(RecordRow)
            .where(RecordRow.id == row.id)
            .values(voided_at=utc_now(), void_reason=reason, superseded_by=superseded_by)
            .execution_options(synchronize_session=False)
        )
        self._audit(
            session,
            actor,
            action="supersede" if superseded_by else "void",
            entity="record",
            entity_id=row.id,
            purpose=purpose,
            fields=["voided_at", "void_reason"] + (["superseded_by"] if superseded_by else []),
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
        )
        session.flush()
        session.refresh(row)
        return row

    @writes("record")
    def void_record(
        self, actor: Actor, record_id: str, reason: str, purpose: Purpose = Purpose.KOREKSI
    ) -> Record:
        """Void a record with a reason: it stays stored and audited but counts nowhere.

        Raises:
            NotFound: no such record in the actor's scope.
            InputError: an empty reason or one over 500 characters (``too-long``), or a
                record already voided.
        """
        why = _reason(reason)

        def work(session: Session) -> Record:
            return Record.from_row(self._void(session, actor, record_id, why, purpose))

        return self._db.write(work, entity="record", key=record_id)

    @writes("record")
    def supersede_record(
        self,
        actor: Actor,
        record_id: str,
        data: RecordIn | Mapping[str, Any],
        reason: str,
        catalog: Catalog,
        purpose: Purpose = Purpose.KOREKSI,
    ) -> tuple[Record, tuple[Notice, ...]]:
        """Replace a record with a corrected one, in one transaction.

        The new record is checked like :meth:`add_record`; the old one is voided with
        ``reason`` and points at the new one (``superseded_by``). Both steps are audited.

        Returns:
            The new record and the notices about it.

        Raises:
            NotFound: no such record in the actor's scope.
            InputError: an empty reason or one over 500 characters, an old record
                already voided, or a new record that :meth:`add_record` would refuse.
        """
        why = _reason(reason)
        record = validate(RecordIn, data)
        record_type, value, notices = _check_definition(record, catalog)

        def work(session: Session) -> Record:
            new = self._insert_record(session, actor, record, record_type, value, purpose)
            if new.id == record_id:
                raise reject(
                    "supersede-itself",
                    "record_id",
                    record_id,
                    "Catatan pengganti sama dengan catatan yang diganti.",
                    "The replacement is the very record it would replace.",
                )
            self._void(session, actor, record_id, why, purpose, superseded_by=new.id)
            return new

        return self._db.write(work, entity="record", key=record_id), notices


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise reject(
            "required",
            "reason",
            reason,
            "Alasan pembatalan wajib diisi.",
            "A reason for voiding is required.",
        )
    check_length("reason", text, 500)  # refused whole, never cut: the audit keeps all of it
    return text

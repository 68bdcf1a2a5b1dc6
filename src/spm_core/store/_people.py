"""Residents and households: registration, scoped reads, versioned updates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.enums import Sex
from spm_core.domain.nik import Nik
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import ConcurrentUpdate, InputError, Notice
from spm_core.schemas import HouseholdIn, ResidentIn, ResidentUpdate, validate
from spm_core.store._core import StoreCore, changed_fields, not_found, reject
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area, personal_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import DomicileRow, HouseholdRow, RecordRow, ResidentRow
from spm_core.store.values import Household, Resident

__all__ = ["PeopleMixin", "duplicate_kk", "duplicate_nik", "nik_notices", "parse_nik"]


def duplicate_nik(nik: str, row: int | None = None) -> InputError:
    """Return the error for a NIK that another resident already has."""
    error = reject(
        "duplicate-nik",
        "nik",
        nik,
        f"NIK {nik} sudah terdaftar untuk warga lain; tidak ada yang disimpan.",
        f"NIK {nik} is already registered to another resident; nothing was saved.",
    )
    if row is None:
        return error
    issue = error.issues[0]
    return InputError(
        [type(issue)(issue.code, issue.field, issue.value, issue.message_id, issue.message_en, row)]
    )


def duplicate_kk(kk: str) -> InputError:
    """Return the error for a KK number another household already has."""
    return reject(
        "duplicate-kk",
        "nomor_kk",
        kk,
        f"Nomor KK {kk} sudah terdaftar; tidak ada yang disimpan.",
        f"Family card number {kk} is already registered; nothing was saved.",
    )


def nik_notices(nik: str | None, resident: Any) -> tuple[Notice, ...]:
    """Return the warnings a NIK raises against the recorded birth date and sex."""
    if nik is None:
        return ()
    return Nik(nik).check(birth_date=resident.birth_date, sex=Sex(resident.sex))


def parse_nik(nik: str) -> str:
    """Return the 16 digits of ``nik`` or raise an input error naming field ``nik``."""
    found = validate(ResidentUpdate, {"nik": nik}).nik
    if found is None:
        raise reject("required", "nik", nik, "NIK wajib diisi.", "The NIK is required.")
    return found


def _nik_taken(session: Session, nik: str, except_id: str | None = None) -> bool:
    query = exists().where(ResidentRow.nik == nik)
    if except_id is not None:
        query = query.where(ResidentRow.id != except_id)
    return bool(session.scalar(select(query)))


def _is_unique_violation(error: IntegrityError, table: str, column: str) -> bool:
    text = str(error.orig)
    return f"uq_{table}_{column}" in text or f"{table}.{column}" in text


def _translate(error: IntegrityError, nik: str | None = None, kk: str | None = None) -> None:
    """Raise the input error for a unique NIK or KK lost to a concurrent writer."""
    if nik is not None and _is_unique_violation(error, "resident", "nik"):
        raise duplicate_nik(nik) from None
    if kk is not None and _is_unique_violation(error, "household", "nomor_kk"):
        raise duplicate_kk(kk) from None


def _correct_domicile(session: Session, resident_id: str, place: dict[str, Any]) -> None:
    """Rewrite the resident's latest domicile with ``place``; records follow the posyandu."""
    latest = session.scalars(
        select(DomicileRow)
        .where(DomicileRow.resident_id == resident_id)
        .order_by(DomicileRow.since.desc())
        .limit(1)
    ).one_or_none()
    if latest is not None:
        session.execute(
            update(DomicileRow)
            .where(DomicileRow.id == latest.id)
            .values(**place)
            .execution_options(synchronize_session=False)
        )
    follow = {k: place[k] for k in ("posyandu_id", "wilayah_code") if k in place}
    if follow:
        session.execute(
            update(RecordRow)
            .where(RecordRow.resident_id == resident_id)
            .values(**follow)
            .execution_options(synchronize_session=False)
        )


class PeopleMixin(StoreCore):
    """Residents and households."""

    def _create(
        self,
        session: Session,
        actor: Actor,
        row: ResidentRow | HouseholdRow,
        entity: str,
        purpose: Purpose,
        given: BaseModel,
        *,
        nik: str | None = None,
        kk: str | None = None,
    ) -> None:
        """Insert a new resident or household row with its audit row, in one flush.

        The audit names the fields that were given (never their values). A unique NIK or
        KK lost to a concurrent writer becomes the same input error as a pre-checked one.
        """
        session.add(row)
        self._audit(
            session,
            actor,
            action="create",
            entity=entity,
            entity_id=row.id,
            purpose=purpose,
            fields=[k for k, v in given.model_dump().items() if v is not None],
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
        )
        try:
            session.flush()
        except IntegrityError as error:
            _translate(error, nik=nik, kk=kk)
            raise

    # ------------------------------------------------------------------ households

    @writes("household")
    def add_household(
        self, actor: Actor, data: HouseholdIn | Mapping[str, Any], purpose: Purpose
    ) -> Household:
        """Register a household at a posyandu in the actor's scope.

        Raises:
            InputError: invalid input, a posyandu that is absent or out of scope, or a KK
                number already registered.
        """
        household = validate(HouseholdIn, data)

        def work(session: Session) -> Household:
            posyandu = self._writable_posyandu(session, actor, household.posyandu_id)
            kk = household.nomor_kk
            if kk is not None and session.scalar(
                select(exists().where(HouseholdRow.nomor_kk == kk))
            ):
                raise duplicate_kk(kk)
            now = utc_now()
            assert household.rt is not None
            assert household.rw is not None
            row = HouseholdRow(
                id=new_id(),
                nomor_kk=kk,
                posyandu_id=posyandu.id,
                wilayah_code=posyandu.wilayah_code,
                rt=household.rt,
                rw=household.rw,
                address=household.address,
                version=1,
                created_at=now,
                updated_at=now,
            )
            self._create(session, actor, row, "household", purpose, household, kk=kk)
            return Household.from_row(row)

        return self._db.write(work, entity="household", key=household.posyandu_id)

    @reads("household")
    def get_household(self, actor: Actor, household_id: str) -> Household:
        """Return a household in the actor's scope.

        Raises:
            NotFound: no such household, or one outside the actor's scope.
        """
        with self._db.read() as session:
            row = self._household(session, actor, household_id)
            if row is None:
                raise not_found("household", household_id)
            return Household.from_row(row)

    @reads("household")
    def list_households(
        self,
        actor: Actor,
        *,
        posyandu_id: str | None = None,
        area: KodeWilayah | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Household]:
        """Return the households in the actor's scope, by RT, RW and id."""
        query: Select[HouseholdRow] = select(HouseholdRow).where(
            personal_rows(
                actor,
                "household",
                HouseholdRow.posyandu_id,
                HouseholdRow.wilayah_code,
                resident=None,
            )
        )
        if posyandu_id is not None:
            query = query.where(HouseholdRow.posyandu_id == posyandu_id)
        if area is not None:
            query = query.where(in_area(HouseholdRow.wilayah_code, as_area(area)))
        query = query.order_by(HouseholdRow.rw, HouseholdRow.rt, HouseholdRow.id)
        query = query.offset(offset).limit(limit)
        with self._db.read() as session:
            return [Household.from_row(row) for row in session.scalars(query)]

    # ------------------------------------------------------------------ residents

    @writes("resident")
    def add_resident(
        self, actor: Actor, data: ResidentIn | Mapping[str, Any], purpose: Purpose
    ) -> tuple[Resident, tuple[Notice, ...]]:
        """Register a resident at a posyandu in the actor's scope.

        A NIK whose date or sex part disagrees with the recorded birth date or sex is
        stored with a :class:`Notice`, never rejected. The resident's domicile at the
        posyandu starts on their birth date (who moved in later is moved with
        :meth:`move_resident`).

        Returns:
            The stored resident and the notices about it.

        Raises:
            InputError: invalid input, a posyandu that is absent or out of scope, or a
                NIK another resident already has (nothing is written).
        """
        resident = validate(ResidentIn, data)

        def work(session: Session) -> Resident:
            posyandu = self._writable_posyandu(session, actor, resident.posyandu_id)
            if resident.nik is not None and _nik_taken(session, resident.nik):
                raise duplicate_nik(resident.nik)
            now = utc_now()
            row = ResidentRow(
                id=new_id(),
                nik=resident.nik,
                name=resident.name,
                sex=resident.sex.value,
                birth_date=resident.birth_date,
                posyandu_id=posyandu.id,
                wilayah_code=posyandu.wilayah_code,
                rt=resident.rt,
                rw=resident.rw,
                address=resident.address,
                restricted=False,
                version=1,
                created_at=now,
                updated_at=now,
            )
            self._create(session, actor, row, "resident", purpose, resident, nik=resident.nik)
            session.add(
                DomicileRow(
                    id=new_id(),
                    resident_id=row.id,
                    posyandu_id=row.posyandu_id,
                    wilayah_code=row.wilayah_code,
                    rt=row.rt,
                    rw=row.rw,
                    since=row.birth_date,
                    until=None,
                )
            )
            session.flush()
            return Resident.from_row(row)

        stored = self._db.write(work, entity="resident", key=resident.posyandu_id)
        return stored, nik_notices(stored.nik, stored)

    @reads("resident")
    def get_resident(self, actor: Actor, resident_id: str) -> Resident:
        """Return a resident in the actor's scope.

        A resident whose processing is restricted (UU PDP 27/2022 Ps. 11) is returned
        to an operator only; to anyone else it does not exist.

        Raises:
            NotFound: no such resident, one outside the actor's scope, or a restricted
                one and the actor is not an operator.
        """
        with self._db.read() as session:
            row = self._resident(session, actor, resident_id)
            if row is None:
                raise not_found("resident", resident_id)
            return Resident.from_row(row)

    @reads("resident")
    def find_resident_by_nik(self, actor: Actor, nik: str) -> Resident:
        """Return the resident with ``nik`` if the actor may see them.

        Raises:
            InputError: ``nik`` is not a NIK.
            NotFound: nobody in the actor's scope has that NIK.
        """
        digits = parse_nik(nik)
        condition = personal_rows(
            actor,
            "resident",
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            resident=ResidentRow.id,
        )
        with self._db.read() as session:
            row = session.scalars(
                select(ResidentRow).where(ResidentRow.nik == digits, condition)
            ).one_or_none()
            if row is None:
                raise not_found("resident", digits)
            return Resident.from_row(row)

    @reads("resident")
    def list_residents(
        self,
        actor: Actor,
        *,
        posyandu_id: str | None = None,
        area: KodeWilayah | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Resident]:
        """Return the residents in the actor's scope, by name and id.

        Restricted residents are listed for operators only.
        """
        query: Select[ResidentRow] = select(ResidentRow).where(
            personal_rows(
                actor,
                "resident",
                ResidentRow.posyandu_id,
                ResidentRow.wilayah_code,
                resident=ResidentRow.id,
            )
        )
        if posyandu_id is not None:
            query = query.where(ResidentRow.posyandu_id == posyandu_id)
        if area is not None:
            query = query.where(in_area(ResidentRow.wilayah_code, as_area(area)))
        query = query.order_by(ResidentRow.name, ResidentRow.id).offset(offset).limit(limit)
        with self._db.read() as session:
            return [Resident.from_row(row) for row in session.scalars(query)]

    @writes("resident")
    def update_resident(
        self,
        actor: Actor,
        resident_id: str,
        changes: ResidentUpdate | Mapping[str, Any],
        expected_version: int,
        purpose: Purpose,
    ) -> tuple[Resident, tuple[Notice, ...]]:
        """Change a resident if it is still at ``expected_version``; bump its version.

        Only fields whose value differs are written and named in the audit row; when
        nothing differs, nothing is written. A new ``posyandu_id``, ``rt`` or ``rw`` is a
        *correction* of where the resident lives now: it rewrites their current domicile
        (and the records about them follow). A move on a date is :meth:`move_resident`.
        Setting ``restricted`` suspends processing of the resident (UU PDP 27/2022
        Ps. 11): from then on only an operator sees or changes them, and only an operator
        can lift the restriction.

        Raises:
            NotFound: no such resident, one outside the actor's scope, or a restricted
                one and the actor is not an operator.
            ConcurrentUpdate: the resident changed since ``expected_version`` was read.
            InputError: invalid changes, a NIK another resident has, or a new posyandu
                that is absent or out of scope.
        """
        update_in = validate(ResidentUpdate, changes)

        def work(session: Session) -> Resident:
            row = self._resident(session, actor, resident_id)
            if row is None:
                raise not_found("resident", resident_id)
            if row.version != expected_version:
                raise ConcurrentUpdate(entity="resident", value=resident_id)
            wanted = update_in.changes()
            if "sex" in wanted:
                wanted["sex"] = wanted["sex"].value
            if "posyandu_id" in wanted:
                posyandu = self._writable_posyandu(session, actor, wanted["posyandu_id"])
                wanted["wilayah_code"] = posyandu.wilayah_code
            diff = changed_fields(row, wanted)
            if not diff:
                return Resident.from_row(row)
            if diff.get("nik") is not None and _nik_taken(session, diff["nik"], row.id):
                raise duplicate_nik(diff["nik"])
            try:
                result = session.execute(
                    update(ResidentRow)
                    .where(ResidentRow.id == row.id, ResidentRow.version == expected_version)
                    .values(**diff, version=expected_version + 1, updated_at=utc_now())
                    .execution_options(synchronize_session=False)
                )
            except IntegrityError as error:
                _translate(error, nik=diff.get("nik"))
                raise
            if getattr(result, "rowcount", 0) != 1:
                raise ConcurrentUpdate(entity="resident", value=resident_id)
            place: dict[str, Any] = {
                k: diff[k] for k in ("posyandu_id", "wilayah_code", "rt", "rw") if k in diff
            }
            if place:
                _correct_domicile(session, row.id, place)
            self._audit(
                session,
                actor,
                action="update",
                entity="resident",
                entity_id=row.id,
                purpose=purpose,
                fields=diff,
                wilayah_code=diff.get("wilayah_code", row.wilayah_code),
                posyandu_id=diff.get("posyandu_id", row.posyandu_id),
            )
            session.flush()
            session.refresh(row)
            return Resident.from_row(row)

        stored = self._db.write(work, entity="resident", key=resident_id)
        return stored, nik_notices(stored.nik, stored)

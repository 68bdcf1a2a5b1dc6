"""Residents and households: registration, scoped reads, versioned updates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.enums import Sex
from spm_core.domain.nik import Nik
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import ConcurrentUpdate, InputError, Issue, Notice
from spm_core.schemas import HouseholdIn, ResidentIn, ResidentUpdate, validate
from spm_core.store._core import (
    BIRTH_DATE,
    StoreCore,
    audit_event,
    changed_fields,
    check_not_future,
    not_found,
    page,
    reject,
)
from spm_core.store._places import as_area
from spm_core.store._privacy import PrivacyMixin
from spm_core.store._scoping import in_area, personal_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.chain import append_audit
from spm_core.store.declare import reads, writes
from spm_core.store.population import alive_on, domiciled_on
from spm_core.store.tables import DomicileRow, HouseholdRow, RecordRow, ResidentRow
from spm_core.store.values import Household, Resident

__all__ = [
    "PeopleMixin",
    "Refused",
    "conflict_event",
    "duplicate_kk",
    "duplicate_nik",
    "nik_notices",
    "parse_nik",
    "unavailable",
]

T = TypeVar("T")


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


def unavailable(kind: str, value: str, row: int | None = None) -> InputError:
    """Return the neutral error for a NIK or KK held by a row the actor may not see.

    It names neither the holder nor where they live, and reads the same whether the
    holder lives in another area or is restricted (UU PDP 27/2022 Ps. 11): the kader
    learns only that the number cannot be used now. The attempt is recorded for the
    operator of the holder's area (an audit row with action ``nik-conflict`` or
    ``kk-conflict``).
    """
    label = "NIK" if kind == "nik" else "Nomor KK"
    label_en = "NIK" if kind == "nik" else "family card number (KK)"
    field = "nik" if kind == "nik" else "nomor_kk"
    return InputError(
        [
            Issue(
                f"{kind}-unavailable",
                field,
                value,
                f"{label} ini tidak dapat didaftarkan sekarang; tidak ada yang disimpan. "
                "Hal ini sudah dicatat untuk diperiksa operator wilayah. Daftarkan tanpa "
                f"{label} bila perlu, lalu hubungi operator Anda.",
                f"This {label_en} cannot be registered now; nothing was saved. It has been "
                f"recorded for the area's operator to check. Register without the {label_en} "
                "if needed, then contact your operator.",
                row,
            )
        ]
    )


class Refused(Exception):
    """Raised inside a write to abort it; the caller records ``conflicts``, then raises.

    ``conflicts`` are audit events of attempts to use a NIK or KK held by a row the
    actor may not see; they are written in a transaction of their own, because the
    refused write is rolled back.
    """

    def __init__(self, error: InputError, conflicts: list[dict[str, Any]]) -> None:
        super().__init__(error.message_en)
        self.error = error
        self.conflicts = conflicts


def conflict_event(
    actor: Actor, purpose: Purpose, kind: str, holder: ResidentRow | HouseholdRow
) -> dict[str, Any]:
    """Return the audit event recording an attempt to reuse ``holder``'s NIK or KK."""
    return audit_event(
        actor,
        f"{kind}-conflict",
        "resident" if isinstance(holder, ResidentRow) else "household",
        holder.id,
        purpose,
        ["nik" if kind == "nik" else "nomor_kk"],
        holder.wilayah_code,
        holder.posyandu_id,
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


def _nik_holder(session: Session, nik: str, except_id: str | None = None) -> ResidentRow | None:
    query = select(ResidentRow).where(ResidentRow.nik == nik)
    if except_id is not None:
        query = query.where(ResidentRow.id != except_id)
    return session.scalars(query).one_or_none()


def _is_unique_violation(error: IntegrityError, table: str, column: str) -> bool:
    orig = error.orig
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    if constraint is not None:
        return bool(constraint == f"uq_{table}_{column}")
    return f"{table}.{column}" in str(orig)


def _translate(error: IntegrityError, nik: str | None = None, kk: str | None = None) -> None:
    """Raise the neutral input error for a unique NIK or KK lost to a concurrent writer.

    Writes are serialised (SQLite's write lock, PostgreSQL's advisory lock), so this is
    the last line of defence; it answers neutrally because it cannot tell whether the
    actor may see the holder.
    """
    if nik is not None and _is_unique_violation(error, "resident", "nik"):
        raise unavailable("nik", nik) from None
    if kk is not None and _is_unique_violation(error, "household", "nomor_kk"):
        raise unavailable("kk", kk) from None


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

    def _refuse_taken(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        kind: str,
        value: str,
        holder: ResidentRow | HouseholdRow,
    ) -> None:
        """Raise for a NIK or KK already held: plainly if the actor sees the holder."""
        if isinstance(holder, ResidentRow):
            visible = self._resident(session, actor, holder.id) is not None
        else:
            visible = self._household(session, actor, holder.id) is not None
        if visible:
            raise duplicate_nik(value) if kind == "nik" else duplicate_kk(value)
        raise Refused(unavailable(kind, value), [conflict_event(actor, purpose, kind, holder)])

    def _write_or_record(self, work: Callable[[Session], T], *, entity: str) -> T:
        """Run a write; if it was refused over a hidden holder, record that, then raise."""
        try:
            return self._db.write(work, entity=entity)
        except Refused as refused:
            conflicts = refused.conflicts
            self._db.write(lambda session: append_audit(session, conflicts), entity="audit")
            raise refused.error from None

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
            if kk is not None:
                holder = session.scalars(
                    select(HouseholdRow).where(HouseholdRow.nomor_kk == kk)
                ).one_or_none()
                if holder is not None:
                    self._refuse_taken(session, actor, purpose, "kk", kk, holder)
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

        return self._write_or_record(work, entity="household")

    @reads("household")
    def get_household(
        self, actor: Actor, household_id: str, *, purpose: Purpose | str | None = None
    ) -> Household:
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
        purpose: Purpose | str | None = None,
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
        count, start = page(limit, offset)
        query = query.offset(start).limit(count)
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
            check_not_future(resident.birth_date, posyandu.wilayah_code, "birth_date", BIRTH_DATE)
            if resident.nik is not None:
                holder = _nik_holder(session, resident.nik)
                if holder is not None:
                    self._refuse_taken(session, actor, purpose, "nik", resident.nik, holder)
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

        stored = self._write_or_record(work, entity="resident")
        return stored, nik_notices(stored.nik, stored)

    @reads("resident")
    def get_resident(
        self, actor: Actor, resident_id: str, *, purpose: Purpose | str | None = None
    ) -> Resident:
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
    def find_resident_by_nik(
        self, actor: Actor, nik: str, *, purpose: Purpose | str | None = None
    ) -> Resident:
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
        purpose: Purpose | str | None = None,
        posyandu_id: str | None = None,
        area: KodeWilayah | str | None = None,
        on: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Resident]:
        """Return the residents in the actor's scope who count on ``on``, by name and id.

        ``on`` (today by default) follows the counting rule of the concepts page: a
        resident is listed when born on or before it, not dead on or before it, and
        domiciled on it — at ``posyandu_id`` and in ``area`` when those are given. So a
        kader's list of today leaves out the dead and those who moved away. Restricted
        residents are listed for operators only.
        """
        query = listed_residents(actor, posyandu_id=posyandu_id, area=area, on=on)
        count, start = page(limit, offset)
        query = query.order_by(ResidentRow.name, ResidentRow.id).offset(start).limit(count)
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
            check_not_future(
                diff.get("birth_date"),
                diff.get("wilayah_code", row.wilayah_code),
                "birth_date",
                BIRTH_DATE,
            )
            if diff.get("nik") is not None:
                holder = _nik_holder(session, diff["nik"], row.id)
                if holder is not None:
                    self._refuse_taken(session, actor, purpose, "nik", diff["nik"], holder)
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
            if "restricted" in diff:
                # The same trace as restrict_subject leaves: a restriction is a data
                # subject's request under UU PDP Ps. 11, answered at once.
                kind = "restriction" if diff["restricted"] else "lift_restriction"
                PrivacyMixin._new_request(session, actor, row, kind, purpose, status="done")
            return Resident.from_row(row)

        stored = self._write_or_record(work, entity="resident")
        return stored, nik_notices(stored.nik, stored)


def listed_residents(
    actor: Actor,
    *,
    posyandu_id: str | None = None,
    area: KodeWilayah | str | None = None,
    on: date | None = None,
) -> Select[ResidentRow]:
    """Return the query of :meth:`PeopleMixin.list_residents` (unordered, unpaged)."""
    day = on or date.today()
    here = select(DomicileRow.id).where(
        DomicileRow.resident_id == ResidentRow.id, domiciled_on(day)
    )
    if posyandu_id is not None:
        here = here.where(DomicileRow.posyandu_id == posyandu_id)
    if area is not None:
        here = here.where(in_area(DomicileRow.wilayah_code, as_area(area)))
    return select(ResidentRow).where(
        personal_rows(
            actor,
            "resident",
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            resident=ResidentRow.id,
        ),
        alive_on(day),
        here.exists(),
    )

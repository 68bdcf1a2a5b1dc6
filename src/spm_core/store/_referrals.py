"""Referrals: idempotent submission, the lifecycle enforced in one transaction, history.

The transition table is :data:`spm_core.domain.referral.TRANSITIONS`; every change
checks it, the referral's version and the actor's side (the posyandu that raised the
need, or the agency holding it) inside the write transaction, then writes the row, one
lifecycle event and one audit row together. Routing is decided above the store: the
referral engine hands a ``route`` function that is called, inside the transaction, with
what the store knows of the need (:class:`~spm_core.store.values.ReferralContext`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import attrs
from sqlalchemy import ColumnElement, and_, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spm_core.access import Actor, AgencyScope, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.definitions import NeedType
from spm_core.domain.enums import Sex, SpmField, Subject
from spm_core.domain.referral import (
    AGENCY_ACTIONS,
    OPEN,
    ReferralAction,
    ReferralStatus,
    next_status,
)
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import (
    AccessDenied,
    ConcurrentUpdate,
    IdempotencyConflict,
    InputError,
    Issue,
    ReferralError,
    UnknownCode,
)
from spm_core.schemas import ReferralIn, validate
from spm_core.store._core import StoreCore, check_length, missing, not_found, page, reject
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area, referral_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import aggregates, reads, writes
from spm_core.store.tables import HouseholdRow, ReferralEventRow, ReferralRow, ResidentRow
from spm_core.store.values import (
    Referral,
    ReferralContext,
    ReferralCount,
    ReferralEvent,
    RouteTarget,
)

__all__ = ["ReferralsMixin", "Router", "Submission"]

Router = Callable[[ReferralContext], Sequence[RouteTarget]]
"""Picks the agencies of a need: one target, or several (fan-out); raises if none."""

_SUBJECT_FIELD = {Subject.RESIDENT: "resident_id", Subject.HOUSEHOLD: "household_id"}
_ORIGIN_ROLES = frozenset({Role.KADER, Role.DESA_OFFICER, Role.OPERATOR})


@attrs.frozen
class Submission:
    """What :meth:`ReferralsMixin.submit_referral` did.

    ``referrals`` is the group the submission created — one referral per agency the
    need was routed to, the submitted one first. ``replayed`` is true when the key had
    been seen with the same body: nothing new was written.
    """

    referrals: tuple[Referral, ...]
    replayed: bool

    @property
    def referral(self) -> Referral:
        """The referral the submission created (the first of its group)."""
        return self.referrals[0]


def _hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _need_type(catalog: Catalog, code: str) -> NeedType:
    try:
        return catalog.need_type(code)
    except UnknownCode as error:
        raise InputError(
            [Issue(error.code, "need_type", code, error.message_id, error.message_en)]
        ) from None


DETAIL_LENGTH = 1000
"""The longest reason or outcome a referral step keeps (the columns hold 1000 characters)."""


def _required(field: str, label_id: str, label_en: str, action: ReferralAction) -> InputError:
    return reject(
        "required",
        field,
        None,
        f"{label_id} wajib diisi untuk {action.label.id} rujukan.",
        f"{label_en} is required to {action.label.en} a referral.",
    )


def _person(row: ResidentRow | HouseholdRow | None, fields: Collection[str]) -> dict[str, Any]:
    if row is None:
        return {}
    out: dict[str, Any] = {}
    for name in sorted(fields):
        if hasattr(row, name):
            value = getattr(row, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
    return out


class ReferralsMixin(StoreCore):
    """Referrals of needs to agencies, their lifecycle and their history."""

    # ------------------------------------------------------------------ helpers

    def _one_writer(self, session: Session) -> None:
        """Let one referral write run at a time on PostgreSQL, as SQLite always does.

        ``LOCK TABLE`` is not a query, so taken first it waits *before* the transaction's
        snapshot exists: writers queue instead of overlapping, and serializable
        isolation finds nothing to abort among them (the small, hot referral indexes
        would otherwise make page-level conflicts exhaust every retry). Readers are not
        blocked. The retry loop still covers conflicts with other kinds of writes.
        """
        if not self._db.is_sqlite:
            session.execute(text("LOCK TABLE referral IN SHARE ROW EXCLUSIVE MODE"))

    @staticmethod
    def _referral(session: Session, actor: Actor, referral_id: str) -> ReferralRow | None:
        return session.scalars(
            select(ReferralRow).where(ReferralRow.id == referral_id, referral_rows(actor))
        ).one_or_none()

    @staticmethod
    def _people(session: Session, rows: Sequence[ReferralRow]) -> list[Referral]:
        """Return the values of ``rows`` with the shared fields of each subject."""
        residents = _by_id(session, ResidentRow, {r.resident_id for r in rows})
        households = _by_id(session, HouseholdRow, {r.household_id for r in rows})
        values = []
        for row in rows:
            subject: ResidentRow | HouseholdRow | None = None
            if row.resident_id is not None:
                subject = residents.get(row.resident_id)
            elif row.household_id is not None:
                subject = households.get(row.household_id)
            person = None if row.place_code is not None else _person(subject, row.shared_fields)
            values.append(Referral.from_row(row, person))
        return values

    def _event(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        row: ReferralRow,
        action: ReferralAction,
        from_status: str | None,
        on: date,
        fields: Collection[str],
        detail: str | None = None,
    ) -> None:
        """Append the lifecycle event and the audit row of one step (the row's version)."""
        session.add(
            ReferralEventRow(
                referral_id=row.id,
                sequence=row.version,
                action=action.value,
                from_status=from_status,
                to_status=row.status,
                agency_code=row.agency_code,
                detail=detail,
                on=on,
                at=utc_now(),
                actor_id=actor.id,
                actor_role=actor.role.value,
            )
        )
        self._audit(
            session,
            actor,
            action=action.value,
            entity="referral",
            entity_id=row.id,
            purpose=purpose,
            fields=fields,
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
        )

    def _subject(
        self, session: Session, actor: Actor, data: ReferralIn, need: NeedType, purpose: Purpose
    ) -> tuple[dict[str, Any], date | None, Sex | None]:
        """Return the subject, posyandu and village columns, the birth date and the sex."""
        given = (
            Subject.RESIDENT
            if data.resident_id
            else Subject.HOUSEHOLD
            if data.household_id
            else Subject.PLACE
        )
        if given is not need.subject:
            wanted = _SUBJECT_FIELD.get(need.subject, "place")
            got = _SUBJECT_FIELD.get(given, "place")
            raise reject(
                "wrong-subject",
                got,
                getattr(data, got),
                f"Kebutuhan {need.code} tentang {need.subject.label.id.lower()}; isi {wanted}, "
                f"bukan {got}.",
                f"Need type {need.code} is about a {need.subject.label.en.lower()}; give "
                f"{wanted}, not {got}.",
            )
        if data.resident_id is not None:
            resident = self._resident(session, actor, data.resident_id)
            if resident is None:
                raise InputError([missing("resident", "resident_id", data.resident_id)])
            columns = {
                "resident_id": resident.id,
                "posyandu_id": resident.posyandu_id,
                "wilayah_code": resident.wilayah_code,
            }
            birth, sex = resident.birth_date, Sex(resident.sex)
        elif data.household_id is not None:
            household = self._household(session, actor, data.household_id)
            if household is None:
                raise InputError([missing("household", "household_id", data.household_id)])
            columns = {
                "household_id": household.id,
                "posyandu_id": household.posyandu_id,
                "wilayah_code": household.wilayah_code,
            }
            birth, sex = None, None
        else:
            assert data.place is not None
            place = KodeWilayah(data.place)
            scope = actor.scope
            own = scope.posyandu_id if isinstance(scope, PosyanduScope) else None
            posyandu_id = data.posyandu_id or own
            if posyandu_id is None:
                raise reject(
                    "required",
                    "posyandu_id",
                    None,
                    "Kebutuhan tentang tempat memerlukan posyandu yang mengajukannya.",
                    "A need about a place needs the posyandu that raises it.",
                )
            posyandu = self._writable_posyandu(session, actor, posyandu_id)
            village = KodeWilayah(posyandu.wilayah_code)
            if not (village.contains(place) or place.contains(village)):
                raise InputError([missing("wilayah", "place", place.value)])
            self._ensure_wilayah(session, actor, place, purpose, "place")
            columns = {
                "place_code": place.value,
                "posyandu_id": posyandu.id,
                "wilayah_code": posyandu.wilayah_code,
            }
            birth, sex = None, None
        if data.posyandu_id is not None and data.posyandu_id != columns["posyandu_id"]:
            raise InputError([missing("posyandu", "posyandu_id", data.posyandu_id)])
        return columns, birth, sex

    @staticmethod
    def _route(row: ReferralRow, target: RouteTarget, on: date) -> None:
        row.agency_code = target.agency_code
        row.routed_on = on
        row.due_on = target.due_on
        row.routing = dict(target.routing)

    def _new(
        self, session: Session, actor: Actor, purpose: Purpose, on: date, **columns: Any
    ) -> ReferralRow:
        """Insert a submitted referral and its first event and audit row."""
        now = utc_now()
        row = ReferralRow(
            status=ReferralStatus.SUBMITTED.value,
            rejected_by=[],
            escalations=0,
            version=1,
            created_by=actor.id,
            created_at=now,
            updated_at=now,
            **columns,
        )
        session.add(row)
        session.flush()
        self._event(session, actor, purpose, row, ReferralAction.SUBMIT, None, on, _CREATED_FIELDS)
        return row

    def _first_route(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        row: ReferralRow,
        target: RouteTarget,
        on: date,
    ) -> None:
        """Route a just-submitted referral: its second step."""
        self._route(row, target, on)
        row.status = ReferralStatus.ROUTED.value
        row.version = 2
        session.flush()
        submitted = ReferralStatus.SUBMITTED.value
        self._event(
            session, actor, purpose, row, ReferralAction.ROUTE, submitted, on, _ROUTED_FIELDS
        )

    def _siblings(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        first: ReferralRow,
        targets: Sequence[RouteTarget],
        on: date,
    ) -> list[ReferralRow]:
        """Create one referral per further agency of a fan-out: submitted, then routed."""
        created = []
        for target in targets:
            copied = {name: getattr(first, name) for name in _GROUP_COLUMNS}
            copied["shared_fields"] = list(first.shared_fields)
            row = self._new(
                session, actor, purpose, on, id=new_id(), idempotency_key=None, **copied
            )
            self._first_route(session, actor, purpose, row, target, on)
            created.append(row)
        return created

    # ------------------------------------------------------------------ writes

    @writes("referral")
    def submit_referral(
        self,
        actor: Actor,
        data: ReferralIn | Mapping[str, Any],
        purpose: Purpose,
        catalog: Catalog,
        *,
        route: Router | None = None,
    ) -> Submission:
        """Raise a need for a resident, household or place; route it when ``route`` is given.

        The submission is idempotent on ``idempotency_key``: sending it again returns
        what the first created and writes nothing. With ``route``, the need is routed in
        the same transaction (``submitted`` then ``routed``, two events), one referral
        per agency ``route`` returns; if ``route`` raises, nothing is written.

        Raises:
            InputError: invalid input, unknown need type, a subject of the wrong kind, or
                a subject or posyandu absent or out of scope.
            IdempotencyConflict: the key was used before with a different body.
            AccessDenied: the actor is an agency officer (agencies do not raise needs).
            Unroutable: ``route`` found no agency (nothing is written).
        """
        if actor.role not in _ORIGIN_ROLES:
            raise AccessDenied(value="submit_referral", role=actor.role.value, action="submit")
        referral_in = validate(ReferralIn, data)
        need = _need_type(catalog, referral_in.need_type)
        body = referral_in.body()
        digest = _hash(body)
        on = referral_in.on or date.today()
        key = referral_in.idempotency_key

        def work(session: Session) -> Submission:
            self._one_writer(session)
            replay = self._replay(session, actor, key, digest, body)
            if replay is not None:
                return replay
            columns, birth, sex = self._subject(session, actor, referral_in, need, purpose)
            referral_id = new_id()
            row = self._new(
                session,
                actor,
                purpose,
                on,
                id=referral_id,
                group_id=referral_id,
                idempotency_key=key,
                request_hash=digest,
                need_type=need.code,
                field=need.field.value,
                shared_fields=list(need.shared_fields),
                note=referral_in.note,
                **columns,
            )
            rows = [row]
            if route is not None:
                context = ReferralContext(
                    need_type=need.code,
                    village=KodeWilayah(row.wilayah_code),
                    posyandu_id=row.posyandu_id,
                    subject=need.subject,
                    birth_date=birth,
                    sex=sex,
                    on=on,
                )
                targets = _targets(route, context)
                self._first_route(session, actor, purpose, row, targets[0], on)
                rows += self._siblings(session, actor, purpose, row, targets[1:], on)
            return Submission(tuple(self._people(session, rows)), replayed=False)

        for attempt in (1, 2):
            try:
                return self._db.write(work, entity="referral", key=key)
            except IntegrityError as error:
                # Two first submissions of one key raced; the loser replays the winner's.
                if attempt == 2 or "idempotency_key" not in str(error.orig):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _replay(
        self, session: Session, actor: Actor, key: str, digest: str, body: Mapping[str, Any]
    ) -> Submission | None:
        existing = session.scalars(
            select(ReferralRow).where(ReferralRow.idempotency_key == key)
        ).one_or_none()
        if existing is None:
            return None
        visible = self._referral(session, actor, existing.id) is not None
        if not visible or existing.request_hash != digest:
            raise IdempotencyConflict(
                value=key,
                referral=existing.id if visible else "-",
                fields=_differences(existing, body) if visible else "-",
            )
        group = session.scalars(
            select(ReferralRow)
            .where(ReferralRow.group_id == existing.group_id)
            .order_by(ReferralRow.idempotency_key.is_(None), ReferralRow.created_at, ReferralRow.id)
        ).all()
        return Submission(tuple(self._people(session, group)), replayed=True)

    @writes("referral")
    def transition_referral(
        self,
        actor: Actor,
        referral_id: str,
        action: ReferralAction | str,
        expected_version: int | None,
        purpose: Purpose,
        *,
        reason: str | None = None,
        outcome: str | None = None,
        on: date | None = None,
        route: Router | None = None,
    ) -> tuple[Referral, ...]:
        """Take one lifecycle step; return the referral (and any fan-out siblings).

        The step must be in the transition table from the referral's current state;
        ``accept``, ``reject``, ``start`` and ``resolve`` are taken by the officer of the
        agency holding the referral, the rest by the side that raised the need.
        ``reject`` needs a ``reason``, ``resolve`` an ``outcome``; ``reroute`` needs a
        ``route`` (agencies that rejected the referral are passed in ``exclude``);
        ``escalate`` only applies once the deadline has passed on ``on``. With
        ``expected_version`` (the version the caller read), a referral that changed
        since is refused; ``None`` takes the current version.

        Raises:
            NotFound: no such referral, or one the actor may not see.
            AccessDenied: the action belongs to the other side.
            IllegalTransition: the table has no such step from the current state
                (a closed referral has none).
            ConcurrentUpdate: the referral changed since ``expected_version``.
            InputError: a missing reason or outcome, a day before the last step.
            ReferralError: escalating a referral that is not overdue.
            Unroutable: ``route`` found no other agency (nothing is written).
        """
        step = ReferralAction(action)
        if step is ReferralAction.SUBMIT:
            raise ReferralError(
                value=referral_id,
                reason_id="pengajuan memakai submit_referral",
                reason_en="submitting goes through submit_referral",
            )
        day = on or date.today()
        reason = (reason or "").strip() or None
        outcome = (outcome or "").strip() or None
        check_length("reason", reason, DETAIL_LENGTH)
        check_length("outcome", outcome, DETAIL_LENGTH)
        if step is ReferralAction.REJECT and reason is None:
            raise _required("reason", "Alasan", "A reason", step)
        if step is ReferralAction.RESOLVE and outcome is None:
            raise _required("outcome", "Hasil", "An outcome", step)

        def work(session: Session) -> tuple[Referral, ...]:
            self._one_writer(session)
            row = self._referral(session, actor, referral_id)
            if row is None:
                raise not_found("referral", referral_id)
            agency_side = step in AGENCY_ACTIONS
            scope = actor.scope
            if agency_side != isinstance(scope, AgencyScope):
                raise AccessDenied(value=step.value, role=actor.role.value, action=step.value)
            version = row.version if expected_version is None else expected_version
            if row.version != version:
                raise ConcurrentUpdate(entity="referral", value=referral_id)
            before = ReferralStatus(row.status)
            after = next_status(before, step)
            last_on = session.scalar(
                select(func.max(ReferralEventRow.on)).where(ReferralEventRow.referral_id == row.id)
            )
            if last_on is not None and day < last_on:
                raise reject(
                    "before-last-step",
                    "on",
                    day.isoformat(),
                    f"Tanggal {day.isoformat()} sebelum langkah terakhir ({last_on.isoformat()}).",
                    f"The day {day.isoformat()} is before the last step ({last_on.isoformat()}).",
                )
            changes: dict[str, Any] = {"status": after.value}
            detail = reason or outcome
            siblings: list[RouteTarget] = []
            if step is ReferralAction.REJECT:
                changes["reason"] = reason
                changes["rejected_by"] = [*row.rejected_by, row.agency_code]
            elif step is ReferralAction.RESOLVE:
                changes.update(outcome=outcome, **_closing(row, day, met=True))
            elif step is ReferralAction.CANCEL:
                changes.update(reason=reason, **_closing(row, day, met=False))
            elif step is ReferralAction.ESCALATE:
                if row.due_on is None or day <= row.due_on:
                    due = "-" if row.due_on is None else row.due_on.isoformat()
                    raise ReferralError(
                        value=referral_id,
                        reason_id=f"batas waktu ({due}) belum lewat pada {day.isoformat()}",
                        reason_en=f"its deadline ({due}) has not passed on {day.isoformat()}",
                    )
                changes["escalations"] = row.escalations + 1
            elif step in (ReferralAction.ROUTE, ReferralAction.REROUTE):
                if route is None:
                    raise reject(
                        "required",
                        "route",
                        None,
                        "Meneruskan rujukan memerlukan fungsi perutean.",
                        "Routing a referral needs a routing function.",
                    )
                targets = _targets(route, self._context(session, row, day))
                first = targets[0]
                changes.update(
                    agency_code=first.agency_code,
                    routed_on=day,
                    due_on=first.due_on,
                    routing=dict(first.routing),
                    reason=None,
                )
                siblings = targets[1:]
                detail = first.agency_code
            changes["version"] = version + 1
            changes["updated_at"] = utc_now()
            result = session.execute(
                update(ReferralRow)
                .where(ReferralRow.id == row.id, ReferralRow.version == version)
                .values(**changes)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise ConcurrentUpdate(entity="referral", value=referral_id)
            session.refresh(row)
            fields = sorted(set(changes) - {"version", "updated_at"})
            self._event(session, actor, purpose, row, step, before.value, day, fields, detail)
            rows = [row, *self._siblings(session, actor, purpose, row, siblings, day)]
            return tuple(self._people(session, rows))

        return self._db.write(work, entity="referral", key=referral_id)

    def _context(self, session: Session, row: ReferralRow, on: date) -> ReferralContext:
        birth: date | None = None
        sex: Sex | None = None
        if row.resident_id is not None:
            resident = session.get(ResidentRow, row.resident_id)
            if resident is not None:
                birth, sex = resident.birth_date, Sex(resident.sex)
        subject = (
            Subject.RESIDENT
            if row.resident_id
            else Subject.HOUSEHOLD
            if row.household_id
            else Subject.PLACE
        )
        return ReferralContext(
            need_type=row.need_type,
            village=KodeWilayah(row.wilayah_code),
            posyandu_id=row.posyandu_id,
            subject=subject,
            birth_date=birth,
            sex=sex,
            on=on,
            exclude=tuple(row.rejected_by),
        )

    # ------------------------------------------------------------------ reads

    @reads("referral")
    def get_referral(
        self, actor: Actor, referral_id: str, *, purpose: Purpose | str | None = None
    ) -> Referral:
        """Return one referral the actor may see, with the shared fields of its subject.

        Raises:
            NotFound: no such referral, or one outside the actor's scope.
        """
        with self._db.read() as session:
            row = self._referral(session, actor, referral_id)
            if row is None:
                raise not_found("referral", referral_id)
            return self._people(session, [row])[0]

    @reads("referral")
    def list_referrals(
        self,
        actor: Actor,
        *,
        purpose: Purpose | str | None = None,
        status: ReferralStatus | str | Collection[ReferralStatus | str] | None = None,
        agency_code: str | None = None,
        need_type: str | None = None,
        posyandu_id: str | None = None,
        area: KodeWilayah | str | None = None,
        overdue_on: date | None = None,
        group_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Referral]:
        """Return the referrals the actor may see, oldest first.

        ``overdue_on`` keeps the open referrals whose deadline passed before that day.
        ``limit`` and ``offset`` page through them (all from ``offset`` when ``limit`` is
        ``None``): a city's referrals over years are too many for one answer.

        Raises:
            InputError: ``limit`` or ``offset`` not a whole number ≥ 0 (``invalid-page``).
        """
        count, start = page(limit, offset)
        conditions: list[ColumnElement[bool]] = [referral_rows(actor)]
        if status is not None:
            wanted = [status] if isinstance(status, str) else list(status)
            conditions.append(ReferralRow.status.in_([ReferralStatus(s).value for s in wanted]))
        if agency_code is not None:
            conditions.append(ReferralRow.agency_code == agency_code)
        if need_type is not None:
            conditions.append(ReferralRow.need_type == need_type)
        if posyandu_id is not None:
            conditions.append(ReferralRow.posyandu_id == posyandu_id)
        if area is not None:
            conditions.append(in_area(ReferralRow.wilayah_code, as_area(area)))
        if group_id is not None:
            conditions.append(ReferralRow.group_id == group_id)
        if overdue_on is not None:
            conditions.append(_overdue(overdue_on))
        query = select(ReferralRow).where(*conditions)
        query = query.order_by(ReferralRow.created_at, ReferralRow.id).offset(start).limit(count)
        with self._db.read() as session:
            return self._people(session, session.scalars(query).all())

    @reads("referral")
    def referral_history(
        self, actor: Actor, referral_id: str, *, purpose: Purpose | str | None = None
    ) -> list[ReferralEvent]:
        """Return every lifecycle step of a referral, first to last.

        Raises:
            NotFound: no such referral, or one outside the actor's scope.
        """
        with self._db.read() as session:
            if self._referral(session, actor, referral_id) is None:
                raise not_found("referral", referral_id)
            query = (
                select(ReferralEventRow)
                .where(ReferralEventRow.referral_id == referral_id)
                .order_by(ReferralEventRow.sequence)
            )
            return [ReferralEvent.from_row(row) for row in session.scalars(query)]

    @aggregates("referral")
    def count_referrals(
        self,
        actor: Actor,
        *,
        on: date,
        agency_code: str | None = None,
        area: KodeWilayah | str | None = None,
        routed_from: date | None = None,
        routed_until: date | None = None,
    ) -> list[ReferralCount]:
        """Count the referrals in the actor's scope by agency, field, need, village, state.

        ``overdue`` is judged on ``on``; ``routed_from``/``routed_until`` (inclusive)
        keep the referrals routed in a period. Counts only: no row leaves the store.
        """
        overdue = _overdue(on)
        escalated = ReferralRow.escalations > 0
        keys = (
            ReferralRow.agency_code,
            ReferralRow.field,
            ReferralRow.need_type,
            ReferralRow.wilayah_code,
            ReferralRow.status,
            overdue,
            escalated,
            ReferralRow.days_to_close,
            ReferralRow.met_deadline,
        )
        conditions: list[ColumnElement[bool]] = [referral_rows(actor, counting=True)]
        if agency_code is not None:
            conditions.append(ReferralRow.agency_code == agency_code)
        if area is not None:
            conditions.append(in_area(ReferralRow.wilayah_code, as_area(area)))
        if routed_from is not None:
            conditions.append(ReferralRow.routed_on >= routed_from)
        if routed_until is not None:
            conditions.append(ReferralRow.routed_on <= routed_until)
        query = select(*keys, func.count()).where(*conditions).group_by(*keys)
        with self._db.read() as session:
            return [
                ReferralCount(
                    agency_code=row[0],
                    field=SpmField(row[1]),
                    need_type=row[2],
                    wilayah_code=KodeWilayah(row[3]),
                    status=ReferralStatus(row[4]),
                    overdue=bool(row[5]),
                    escalated=bool(row[6]),
                    days_to_close=row[7],
                    met_deadline=row[8],
                    count=int(row[9]),
                )
                for row in session.execute(query)
            ]


_CREATED_FIELDS = (
    "need_type",
    "field",
    "subject",
    "posyandu_id",
    "wilayah_code",
    "shared_fields",
    "note",
    "status",
)
_ROUTED_FIELDS = ("status", "agency_code", "routed_on", "due_on", "routing")
_GROUP_COLUMNS = (
    "group_id",
    "request_hash",
    "need_type",
    "field",
    "resident_id",
    "household_id",
    "place_code",
    "posyandu_id",
    "wilayah_code",
    "note",
)
"""What the referrals of one fan-out group share."""


def _overdue(on: date) -> ColumnElement[bool]:
    return and_(
        ReferralRow.status.in_(sorted(s.value for s in OPEN)),
        ReferralRow.due_on.is_not(None),
        ReferralRow.due_on < on,
    )


S = TypeVar("S", ResidentRow, HouseholdRow)


def _by_id(session: Session, table: type[S], ids: set[str | None]) -> dict[str, S]:
    """Return the rows of ``table`` with the given ids (``None`` ignored), by id."""
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(table).where(table.id.in_(wanted)))}


def _targets(route: Router, context: ReferralContext) -> list[RouteTarget]:
    targets = list(route(context))
    if not targets:
        raise ReferralError(
            value=context.need_type,
            reason_id=f"perutean tidak memberi perangkat daerah di {context.village}",
            reason_en=f"routing gave no agency in {context.village}",
        )
    return targets


def _closing(row: ReferralRow, day: date, *, met: bool) -> dict[str, Any]:
    """Return the columns a closing step sets: the day, days taken, deadline met."""
    days = None if row.routed_on is None else (day - row.routed_on).days
    within = None
    if met and row.due_on is not None:
        within = day <= row.due_on
    return {"closed_on": day, "days_to_close": days, "met_deadline": within}


def _differences(existing: ReferralRow, body: Mapping[str, Any]) -> str:
    """Name the fields of ``body`` that differ from the stored submission."""
    stored = {
        "need_type": existing.need_type,
        "resident_id": existing.resident_id,
        "household_id": existing.household_id,
        "place": existing.place_code,
        "posyandu_id": body.get("posyandu_id") and existing.posyandu_id,
        "note": existing.note,
    }
    names = sorted(name for name in stored if stored[name] != body.get(name))
    return ", ".join(names) or "-"

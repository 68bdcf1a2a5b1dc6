"""Data-subject rights in the store: requests, export, erasure, retention, extracts.

UU PDP 27/2022 gives a resident the right to their data and its processing record
(Ps. 32–33), to correction (Ps. 6, 30), to restriction (Ps. 11) and to erasure (Ps. 8,
43–44), each answered within 3 × 24 hours. The store keeps the requests with their
deadlines, gathers everything about one resident for an export, and erases a resident
across every table that refers to them (:data:`ERASURE_PLAN` says how, table by table;
a test walks the table metadata so a table added later cannot escape). An erasure is
refused, and the refusal recorded with its legal basis, while a retention duty applies:
an open referral, or a record whose type a region keeps for a number of years
(:class:`~spm_core.store.values.RetentionRule`, data a region sets and corrects).

Only operators (the controller's staff, within their area) export, erase and set
retention rules. Research extracts come out pseudonymised from here, so no NIK ever
leaves the store on that path.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose, Role
from spm_core.domain.referral import CLOSED
from spm_core.domain.timezone import local_today
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import AccessDenied
from spm_core.store._core import StoreCore, audit_event, check_length, not_found, reject
from spm_core.store._erasure import (
    ERASED_NAME,
    ERASURE_PLAN,
    NOT_PERSONAL,
    erase_rows,
    subject_data,
)
from spm_core.store._scoping import in_area, personal_rows, within_or_above
from spm_core.store.base import new_id, utc_now
from spm_core.store.chain import append_audit
from spm_core.store.declare import reads, writes
from spm_core.store.tables import (
    RecordRow,
    ReferralRow,
    ResidentRow,
    RetentionRuleRow,
    SubjectRequestRow,
)
from spm_core.store.tables.privacy import REQUEST_KINDS
from spm_core.store.values import RetentionRule, SubjectRequest

__all__ = [
    "ANSWER_WITHIN",
    "ERASED_NAME",
    "ERASURE_PLAN",
    "NOT_PERSONAL",
    "OPEN_REFERRAL_BASIS",
    "Erasure",
    "PrivacyMixin",
]

LEGAL_BASIS_LENGTH = 500
"""The longest legal basis (of a retention rule or a refused request) a row holds."""

ANSWER_WITHIN = timedelta(hours=72)
"""UU PDP 27/2022 (Ps. 30–33, 11): a request is answered within 3 × 24 hours."""

OPEN_REFERRAL_BASIS = (
    "UU 27/2022 Ps. 15 ayat (1): kepentingan umum dalam rangka penyelenggaraan negara "
    "(rujukan layanan yang masih berjalan) / public interest in state administration "
    "(a service referral still open)"
)
"""The legal basis of refusing an erasure while a referral about the resident is open."""


def _operator(actor: Actor, action: str) -> None:
    if actor.role is not Role.OPERATOR:
        raise AccessDenied(value=action, role=actor.role.value, action=action)


@attrs.frozen
class Erasure:
    """What :meth:`PrivacyMixin.erase_subject` did.

    ``erased`` is false when a retention duty stopped it; ``legal_basis`` then says
    which, and nothing was changed but the recorded refusal. ``rows`` counts the rows
    changed or removed per table.
    """

    resident_id: str
    erased: bool
    request_id: str
    legal_basis: str | None = None
    rows: tuple[tuple[str, int], ...] = ()


class PrivacyMixin(StoreCore):
    """Subject requests, subject export and erasure, retention rules, research rows."""

    # ------------------------------------------------------------------ requests

    def _scoped_resident(self, session: Session, actor: Actor, resident_id: str) -> ResidentRow:
        row = self._resident(session, actor, resident_id)
        if row is None:
            raise not_found("resident", resident_id)
        return row

    @staticmethod
    def _new_request(
        session: Session,
        actor: Actor,
        resident: ResidentRow,
        kind: str,
        purpose: Purpose,
        *,
        fields: Iterable[str] = (),
        received_at: datetime | None = None,
        status: str = "open",
        legal_basis: str | None = None,
    ) -> SubjectRequestRow:
        if kind not in REQUEST_KINDS:
            raise reject(
                "invalid-value",
                "kind",
                kind,
                f"jenis permintaan harus salah satu dari {', '.join(REQUEST_KINDS)}.",
                f"the kind of request must be one of {', '.join(REQUEST_KINDS)}.",
            )
        received = received_at or utc_now()
        now = utc_now()
        row = SubjectRequestRow(
            id=new_id(),
            resident_id=resident.id,
            kind=kind,
            status=status,
            fields=sorted(set(fields)),
            received_at=received,
            due_at=received + ANSWER_WITHIN,
            closed_at=None if status == "open" else now,
            legal_basis=legal_basis,
            posyandu_id=resident.posyandu_id,
            wilayah_code=resident.wilayah_code,
            recorded_by=actor.id,
        )
        session.add(row)
        session.flush()
        StoreCore._audit(
            session,
            actor,
            action="create",
            entity="subject_request",
            entity_id=row.id,
            purpose=purpose,
            fields=("kind", "status", "fields", "received_at", "due_at", "legal_basis"),
            wilayah_code=resident.wilayah_code,
            posyandu_id=resident.posyandu_id,
        )
        return row

    @writes("subject_request")
    def record_subject_request(
        self,
        actor: Actor,
        resident_id: str,
        kind: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        fields: Collection[str] = (),
        received_at: datetime | None = None,
    ) -> SubjectRequest:
        """Record a data subject's request; it is due 3 × 24 hours after ``received_at``.

        ``kind`` is ``access``, ``correction`` (``fields`` names what is to be
        corrected, never the values), ``restriction``, ``lift_restriction`` or
        ``erasure``. ``received_at`` defaults to now (a request received on paper may be
        recorded later with the time it arrived).

        Raises:
            NotFound: no such resident in the actor's scope.
            InputError: an unknown kind.
        """

        def work(session: Session) -> SubjectRequest:
            resident = self._scoped_resident(session, actor, resident_id)
            row = self._new_request(
                session,
                actor,
                resident,
                kind,
                purpose,
                fields=fields,
                received_at=received_at,
            )
            return SubjectRequest.from_row(row)

        return self._db.write(work, entity="subject_request")

    @writes("subject_request")
    def close_subject_request(
        self,
        actor: Actor,
        request_id: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        refused_because: str | None = None,
    ) -> SubjectRequest:
        """Mark a request answered: done, or refused with ``refused_because`` (legal basis).

        Raises:
            NotFound: no such open request in the actor's scope.
        """
        check_length("refused_because", refused_because, LEGAL_BASIS_LENGTH)

        def work(session: Session) -> SubjectRequest:
            row = self._request(session, actor, request_id)
            if row is None or row.status != "open":
                raise not_found("subject_request", request_id)
            row.status = "done" if refused_because is None else "refused"
            row.legal_basis = refused_because
            row.closed_at = utc_now()
            session.flush()
            self._audit(
                session,
                actor,
                action="update",
                entity="subject_request",
                entity_id=row.id,
                purpose=purpose,
                fields=("status", "closed_at", "legal_basis"),
                wilayah_code=row.wilayah_code,
                posyandu_id=row.posyandu_id,
            )
            return SubjectRequest.from_row(row)

        return self._db.write(work, entity="subject_request")

    @staticmethod
    def _request(session: Session, actor: Actor, request_id: str) -> SubjectRequestRow | None:
        condition = personal_rows(
            actor,
            "subject_request",
            SubjectRequestRow.posyandu_id,
            SubjectRequestRow.wilayah_code,
            resident=SubjectRequestRow.resident_id,
        )
        query = select(SubjectRequestRow).where(SubjectRequestRow.id == request_id, condition)
        return session.scalars(query).one_or_none()

    @reads("subject_request")
    def list_subject_requests(
        self,
        actor: Actor,
        *,
        purpose: Purpose | str | None = None,
        resident_id: str | None = None,
        open_only: bool = False,
        overdue_at: datetime | None = None,
    ) -> list[SubjectRequest]:
        """Return the requests in the actor's scope, oldest first.

        ``open_only`` keeps those not yet answered; ``overdue_at`` keeps those still
        open after their deadline at that instant (the 3 × 24 hour duty missed).
        """
        condition = personal_rows(
            actor,
            "subject_request",
            SubjectRequestRow.posyandu_id,
            SubjectRequestRow.wilayah_code,
            resident=SubjectRequestRow.resident_id,
        )
        query = select(SubjectRequestRow).where(condition)
        if resident_id is not None:
            query = query.where(SubjectRequestRow.resident_id == resident_id)
        if open_only or overdue_at is not None:
            query = query.where(SubjectRequestRow.status == "open")
        if overdue_at is not None:
            query = query.where(SubjectRequestRow.due_at < overdue_at)
        query = query.order_by(SubjectRequestRow.received_at, SubjectRequestRow.id)
        with self._db.read("subject_request") as session:
            return [SubjectRequest.from_row(row) for row in session.scalars(query)]

    @writes("resident")
    def restrict_subject(
        self,
        actor: Actor,
        resident_id: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        lift: bool = False,
        received_at: datetime | None = None,
    ) -> SubjectRequest:
        """Restrict (or, with ``lift``, resume) processing of a resident at their request.

        Records the request and sets ``restricted`` in one transaction; the request is
        done at once. From then on the resident counts in no aggregate and is seen by
        operators only (:func:`~spm_core.store._scoping.not_restricted`). Lifting is for
        operators, the only role that still sees a restricted resident.

        Raises:
            NotFound: no such resident in the actor's scope.
        """

        def work(session: Session) -> SubjectRequest:
            resident = self._scoped_resident(session, actor, resident_id)
            kind = "lift_restriction" if lift else "restriction"
            request = self._new_request(
                session, actor, resident, kind, purpose, received_at=received_at, status="done"
            )
            if resident.restricted == (not lift):
                return SubjectRequest.from_row(request)
            resident.restricted = not lift
            resident.version += 1
            resident.updated_at = utc_now()
            session.flush()
            self._audit(
                session,
                actor,
                action="update",
                entity="resident",
                entity_id=resident.id,
                purpose=purpose,
                fields=("restricted",),
                wilayah_code=resident.wilayah_code,
                posyandu_id=resident.posyandu_id,
            )
            return SubjectRequest.from_row(request)

        return self._db.write(work, entity="resident")

    # ------------------------------------------------------------------ read log

    def _log_read(
        self,
        actor: Actor,
        entity: str,
        entity_id: str,
        purpose: Purpose,
        fields: Collection[str],
        row_count: int,
        *,
        wilayah_code: str | None,
        posyandu_id: str | None = None,
    ) -> int:
        """Append one ``read`` line to the processing log; return its id.

        Reads no data and changes none: the line says who read which entity (or, for a
        list, the scope read), for which purpose, which fields or data categories, and
        how many rows came back (UU PDP 27/2022 Ps. 31). Private: only the store's
        purpose-bound reads (:mod:`spm_core.store._readlog`) write these lines, so no
        caller can add a line for a read that did not happen.
        """
        event = audit_event(
            actor,
            "read",
            entity,
            entity_id[:160],
            Purpose.parse(purpose),
            fields,
            wilayah_code,
            posyandu_id,
        )
        event["row_count"] = row_count
        (line,) = self._db.write(lambda session: append_audit(session, [event]), entity="audit")
        return line

    # ------------------------------------------------------------------ retention

    @writes("retention_rule")
    def set_retention_rule(
        self,
        actor: Actor,
        wilayah_code: KodeWilayah | str,
        record_type: str,
        years: int,
        legal_basis: str,
        purpose: Purpose = Purpose.ADMINISTRASI,
    ) -> RetentionRule:
        """Keep records of ``record_type`` in ``wilayah_code`` for ``years`` years.

        Setting a rule again for the same region and record type corrects it; ``years``
        of 0 lifts the duty. An erasure is refused while a resident has a record of the
        type observed less than ``years`` years ago in the region.

        Raises:
            AccessDenied: the actor is not an operator.
            InputError: a region outside the operator's area, a negative number of
                years or an empty legal basis.
        """
        _operator(actor, "set_retention_rule")
        code = KodeWilayah(str(wilayah_code))
        area = actor.area
        assert area is not None
        if not area.contains(code):
            raise reject(
                "not-found",
                "wilayah_code",
                code.value,
                f"wilayah {code.value!r} tidak ditemukan.",
                f"region {code.value!r} was not found.",
            )
        if isinstance(years, bool) or not isinstance(years, int) or years < 0:
            raise reject(
                "invalid-value",
                "years",
                years,
                "lama penyimpanan harus bilangan bulat 0 atau lebih.",
                "the retention period must be a whole number of years, 0 or more.",
            )
        if not legal_basis.strip():
            raise reject(
                "invalid-value",
                "legal_basis",
                legal_basis,
                "dasar hukum masa simpan wajib diisi.",
                "the legal basis of the retention period is required.",
            )
        check_length("legal_basis", legal_basis.strip(), LEGAL_BASIS_LENGTH)

        def work(session: Session) -> RetentionRule:
            self._ensure_wilayah(session, actor, code, purpose, "wilayah_code")
            row = session.scalars(
                select(RetentionRuleRow).where(
                    RetentionRuleRow.wilayah_code == code.value,
                    RetentionRuleRow.record_type == record_type,
                )
            ).one_or_none()
            action = "update" if row is not None else "create"
            if row is None:
                row = RetentionRuleRow(
                    id=new_id(), wilayah_code=code.value, record_type=record_type
                )
                session.add(row)
            row.years = years
            row.legal_basis = legal_basis.strip()
            row.updated_by = actor.id
            row.updated_at = utc_now()
            session.flush()
            self._audit(
                session,
                actor,
                action=action,
                entity="retention_rule",
                entity_id=row.id,
                purpose=purpose,
                fields=("record_type", "years", "legal_basis"),
                wilayah_code=code.value,
            )
            return RetentionRule.from_row(row)

        return self._db.write(work, entity="retention_rule")

    @reads("retention_rule")
    def list_retention_rules(self, actor: Actor) -> list[RetentionRule]:
        """Return the retention rules of the actor's area and of the regions above it."""
        scope_area = actor.area
        query = select(RetentionRuleRow).order_by(
            RetentionRuleRow.wilayah_code, RetentionRuleRow.record_type
        )
        with self._db.read("retention_rule") as session:
            if scope_area is None:
                rows = list(session.scalars(query))
                mine = self._own_village(session, actor)
                return [
                    RetentionRule.from_row(r)
                    for r in rows
                    if mine is not None and KodeWilayah(r.wilayah_code).contains(mine)
                ]
            query = query.where(
                or_(
                    in_area(RetentionRuleRow.wilayah_code, scope_area),
                    within_or_above(RetentionRuleRow.wilayah_code, scope_area.value),
                )
            )
            return [RetentionRule.from_row(r) for r in session.scalars(query)]

    def _own_village(self, session: Session, actor: Actor) -> KodeWilayah | None:
        scope = actor.scope
        posyandu_id = getattr(scope, "posyandu_id", None)
        if posyandu_id is None:
            return None
        row = self._posyandu(session, actor, posyandu_id)
        return None if row is None else KodeWilayah(row.wilayah_code)

    @staticmethod
    def _retention_duty(session: Session, resident: ResidentRow, today: date) -> str | None:
        """Return the legal basis that forbids erasing ``resident`` today, if any."""
        open_referral = session.execute(
            select(ReferralRow.id)
            .where(
                ReferralRow.resident_id == resident.id,
                ReferralRow.status.not_in([s.value for s in CLOSED]),
            )
            .limit(1)
        ).first()
        if open_referral is not None:
            return f"{OPEN_REFERRAL_BASIS} [{open_referral.id}]"
        rules = list(session.scalars(select(RetentionRuleRow).where(RetentionRuleRow.years > 0)))
        if not rules:
            return None
        records = session.execute(
            select(RecordRow.record_type, RecordRow.wilayah_code, RecordRow.observed_on).where(
                RecordRow.resident_id == resident.id
            )
        ).all()
        for rule in sorted(rules, key=lambda r: (r.record_type, r.wilayah_code)):
            region = KodeWilayah(rule.wilayah_code)
            for record in records:
                if record.record_type != rule.record_type:
                    continue
                if not region.contains(KodeWilayah(record.wilayah_code)):
                    continue
                try:
                    ends = record.observed_on.replace(year=record.observed_on.year + rule.years)
                except ValueError:  # 29 February
                    ends = date(record.observed_on.year + rule.years, 3, 1)
                if today < ends:
                    return (
                        f"{rule.legal_basis} — {rule.record_type}, {rule.years} "
                        f"tahun/years, {rule.wilayah_code}"
                    )
        return None

    # ------------------------------------------------------------------ export

    @reads("resident", logs_itself=True)
    def export_subject(
        self, actor: Actor, resident_id: str, purpose: Purpose | str = Purpose.HAK_SUBJEK
    ) -> dict[str, Any]:
        """Return everything held about one resident and its processing log, as plain data.

        Keys: ``resident``, ``domiciles``, ``households`` (the resident's memberships
        with their household; other members appear only as a count), ``records`` (the
        resident's own and their households'), ``referrals`` (with ``events``),
        ``requests`` and ``processing_log`` (the audit rows about all of these). The
        export is itself logged, with its row count, in the same transaction.

        Raises:
            AccessDenied: the actor is not an operator.
            NotFound: no such resident in the operator's area.
        """
        _operator(actor, "export_subject")
        purpose = Purpose.parse(purpose)

        def work(session: Session) -> dict[str, Any]:
            resident = self._scoped_resident(session, actor, resident_id)
            data = subject_data(session, resident)
            count = sum(len(v) for v in data.values() if isinstance(v, list)) + 1
            event = audit_event(
                actor,
                "export",
                "resident",
                resident.id,
                purpose,
                sorted(k for k, v in data.items() if v),
                resident.wilayah_code,
                resident.posyandu_id,
            )
            event["row_count"] = count
            (line_id,) = append_audit(session, [event])
            data["processing_log"].append(
                {
                    "id": line_id,
                    **{k: event[k] for k in ("at", "actor_id", "actor_role", "action")},
                    **{k: event[k] for k in ("entity", "entity_id", "purpose", "fields")},
                    "row_count": count,
                }
            )
            return data

        return self._db.write(work, entity="resident")

    # ------------------------------------------------------------------ erasure

    @writes("resident")
    def erase_subject(
        self,
        actor: Actor,
        resident_id: str,
        reason: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        received_at: datetime | None = None,
    ) -> Erasure:
        """Erase a resident across every table (:data:`ERASURE_PLAN`), or record a refusal.

        ``reason`` says why (the subject's request, consent withdrawn, data no longer
        needed); it is checked to be given but never stored, since it may name the
        person. The erasure request is recorded either way. While a retention duty
        applies (an open referral about the resident, or a record whose type a region
        keeps for longer — :meth:`set_retention_rule`), nothing is erased; the request
        is recorded as refused with the legal basis, and :attr:`Erasure.erased` is false.
        Erasing an erased resident changes nothing more.

        Raises:
            AccessDenied: the actor is not an operator.
            NotFound: no such resident in the operator's area.
            InputError: an empty reason.
        """
        _operator(actor, "erase_subject")
        if not reason or not reason.strip():
            raise reject(
                "invalid-value",
                "reason",
                reason,
                "alasan penghapusan wajib diisi.",
                "the reason for the erasure is required.",
            )

        def work(session: Session) -> Erasure:
            resident = self._scoped_resident(session, actor, resident_id)
            if resident.erased_at is not None:
                request = self._new_request(
                    session,
                    actor,
                    resident,
                    "erasure",
                    purpose,
                    received_at=received_at,
                    status="done",
                )
                return Erasure(resident.id, True, request.id)
            basis = self._retention_duty(session, resident, local_today(resident.wilayah_code))
            if basis is not None:
                request = self._new_request(
                    session,
                    actor,
                    resident,
                    "erasure",
                    purpose,
                    received_at=received_at,
                    status="refused",
                    legal_basis=basis[:500],
                )
                self._audit(
                    session,
                    actor,
                    action="erase-refused",
                    entity="resident",
                    entity_id=resident.id,
                    purpose=purpose,
                    fields=(),
                    wilayah_code=resident.wilayah_code,
                    posyandu_id=resident.posyandu_id,
                )
                return Erasure(resident.id, False, request.id, basis[:500])
            rows = erase_rows(session, resident)
            request = self._new_request(
                session,
                actor,
                resident,
                "erasure",
                purpose,
                received_at=received_at,
                status="done",
            )
            event = audit_event(
                actor,
                "erase",
                "resident",
                resident.id,
                purpose,
                [table for table, count in rows if count],
                resident.wilayah_code,
                resident.posyandu_id,
            )
            event["row_count"] = sum(count for _, count in rows)
            append_audit(session, [event])
            return Erasure(resident.id, True, request.id, None, rows)

        return self._db.write(work, entity="resident")

"""What an export gathers and an erasure changes, table by table (UU PDP 27/2022).

:data:`ERASURE_PLAN` names every table that refers to a person and what erasure does to
it; :data:`NOT_PERSONAL` the tables that hold no personal data, with the reason. A test
walks the table metadata and fails on a table in neither, so a table added later cannot
escape. :func:`subject_data` and :func:`erase_rows` work inside the caller's
transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from spm_core.domain.referral import ReferralStatus
from spm_core.store._personal import NOT_PERSONAL
from spm_core.store.base import utc_now
from spm_core.store.tables import (
    AuditRow,
    DomicileRow,
    HouseholdRow,
    MembershipRow,
    RecordRow,
    ReferralEventRow,
    ReferralRow,
    ResidentRow,
    SubjectRequestRow,
)
from spm_core.store.values import SubjectRequest

__all__ = ["ERASED_NAME", "ERASURE_PLAN", "NOT_PERSONAL", "erase_rows", "subject_data"]

ERASED_NAME = "-"
"""The name an erased resident's row keeps (the column may not be empty)."""

ERASURE_PLAN: dict[str, str] = {
    "resident": "anonymise: nik, name, address, rt, rw cleared; birth date cut to 1 January "
    "of its year; restricted and erased_at set — the row stays so what refers to it holds",
    "domicile": "delete every domicile of the resident",
    "membership": "delete every household membership of the resident",
    "household": "anonymise a household left with no member: nomor_kk and address cleared",
    "record": "delete every record about the resident",
    "referral": "redact closed referrals (note, reason, outcome, routing cleared); refuse "
    "while one is open",
    "referral_event": "redact: the free-text detail of the referral's steps cleared",
    "subject_request": "keep: kinds, dates, field names and legal bases only — how the "
    "requests were answered (Ps. 31)",
    "audit_log": "keep: ids and field names only, never values — the processing record (Ps. 31)",
}
"""How :meth:`PrivacyMixin.erase_subject` treats each table that refers to a person."""


def subject_data(session: Session, resident: ResidentRow) -> dict[str, Any]:
    """Gather every row about ``resident`` (other household members as counts only)."""
    rid = resident.id
    person = {c.name: getattr(resident, c.key) for c in ResidentRow.__table__.columns}
    domiciles = [
        {
            "since": d.since,
            "until": d.until,
            "posyandu_id": d.posyandu_id,
            "wilayah_code": d.wilayah_code,
            "rt": d.rt,
            "rw": d.rw,
        }
        for d in session.scalars(
            select(DomicileRow).where(DomicileRow.resident_id == rid).order_by(DomicileRow.since)
        )
    ]
    memberships = list(
        session.scalars(
            select(MembershipRow)
            .where(MembershipRow.resident_id == rid)
            .order_by(MembershipRow.start_date)
        )
    )
    household_ids = sorted({m.household_id for m in memberships})
    households = {
        h.id: h
        for h in session.scalars(select(HouseholdRow).where(HouseholdRow.id.in_(household_ids)))
    }
    others = {
        str(household): int(count)
        for household, count in session.execute(
            select(MembershipRow.household_id, func.count(func.distinct(MembershipRow.resident_id)))
            .where(MembershipRow.household_id.in_(household_ids), MembershipRow.resident_id != rid)
            .group_by(MembershipRow.household_id)
        )
    }
    household_rows = []
    for m in memberships:
        h = households[m.household_id]
        household_rows.append(
            {
                "membership_id": m.id,
                "household_id": h.id,
                "nomor_kk": h.nomor_kk,
                "rt": h.rt,
                "rw": h.rw,
                "address": h.address,
                "relationship": m.relationship,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "other_members": int(others.get(h.id, 0)),
            }
        )
    record_filter = RecordRow.resident_id == rid
    if household_ids:
        record_filter = or_(record_filter, RecordRow.household_id.in_(household_ids))
    records = [
        {
            "id": r.id,
            "record_type": r.record_type,
            "subject": "resident" if r.resident_id is not None else "household",
            "household_id": r.household_id,
            "observed_on": r.observed_on,
            "value": r.value,
            "recorded_by": r.recorded_by,
            "created_at": r.created_at,
            "voided_at": r.voided_at,
        }
        for r in session.scalars(
            select(RecordRow).where(record_filter).order_by(RecordRow.observed_on, RecordRow.id)
        )
    ]
    referral_rows = list(
        session.scalars(
            select(ReferralRow)
            .where(ReferralRow.resident_id == rid)
            .order_by(ReferralRow.created_at)
        )
    )
    events: dict[str, list[dict[str, Any]]] = {}
    if referral_rows:
        for e in session.scalars(
            select(ReferralEventRow)
            .where(ReferralEventRow.referral_id.in_([r.id for r in referral_rows]))
            .order_by(ReferralEventRow.referral_id, ReferralEventRow.sequence)
        ):
            events.setdefault(e.referral_id, []).append(
                {
                    "sequence": e.sequence,
                    "action": e.action,
                    "to_status": e.to_status,
                    "agency_code": e.agency_code,
                    "on": e.on,
                    "detail": e.detail,
                }
            )
    referrals = [
        {
            "id": r.id,
            "need_type": r.need_type,
            "field": r.field,
            "status": ReferralStatus(r.status).value,
            "agency_code": r.agency_code,
            "note": r.note,
            "reason": r.reason,
            "outcome": r.outcome,
            "routed_on": r.routed_on,
            "due_on": r.due_on,
            "closed_on": r.closed_on,
            "created_at": r.created_at,
            "events": events.get(r.id, []),
        }
        for r in referral_rows
    ]
    requests = [
        SubjectRequest.from_row(row).to_dict()
        for row in session.scalars(
            select(SubjectRequestRow)
            .where(SubjectRequestRow.resident_id == rid)
            .order_by(SubjectRequestRow.received_at)
        )
    ]
    ids: dict[str, list[str]] = {
        "resident": [rid],
        "record": [str(r["id"]) for r in records if r["subject"] == "resident"],
        "membership": [m.id for m in memberships],
        "referral": [r.id for r in referral_rows],
        "subject_request": [str(r["id"]) for r in requests],
    }
    conditions: list[ColumnElement[bool]] = [
        (AuditRow.entity == entity) & AuditRow.entity_id.in_(values)
        for entity, values in ids.items()
        if values
    ]
    # A read of several rows about the resident (their records, memberships, domiciles)
    # is logged once, against the subject, not against each row.
    conditions.append(AuditRow.entity_id == f"resident:{rid}")
    log = [
        {
            "id": a.id,
            "at": a.at,
            "actor_id": a.actor_id,
            "actor_role": a.actor_role,
            "action": a.action,
            "entity": a.entity,
            "entity_id": a.entity_id,
            "purpose": a.purpose,
            "fields": list(a.fields),
            "row_count": a.row_count,
        }
        for a in session.scalars(select(AuditRow).where(or_(*conditions)).order_by(AuditRow.id))
    ]
    return {
        "resident": person,
        "domiciles": domiciles,
        "households": household_rows,
        "records": records,
        "referrals": referrals,
        "requests": requests,
        "processing_log": log,
    }


def erase_rows(session: Session, resident: ResidentRow) -> tuple[tuple[str, int], ...]:
    """Apply :data:`ERASURE_PLAN` to ``resident``; return the rows touched per table."""
    rid = resident.id
    counts: dict[str, int] = {}
    record_ids = list(session.scalars(select(RecordRow.id).where(RecordRow.resident_id == rid)))
    if record_ids:
        session.execute(
            update(RecordRow)
            .where(RecordRow.superseded_by.in_(record_ids))
            .values(superseded_by=None)
            .execution_options(synchronize_session=False)
        )
        counts["record"] = _rowcount(
            session.execute(
                delete(RecordRow)
                .where(RecordRow.id.in_(record_ids))
                .execution_options(synchronize_session=False)
            )
        )
    household_ids = sorted(
        set(
            session.scalars(
                select(MembershipRow.household_id).where(MembershipRow.resident_id == rid)
            )
        )
    )
    counts["membership"] = _rowcount(
        session.execute(
            delete(MembershipRow)
            .where(MembershipRow.resident_id == rid)
            .execution_options(synchronize_session=False)
        )
    )
    if household_ids:
        left = set(
            session.scalars(
                select(MembershipRow.household_id).where(
                    MembershipRow.household_id.in_(household_ids)
                )
            )
        )
        empty = [h for h in household_ids if h not in left]
        if empty:
            counts["household"] = _rowcount(
                session.execute(
                    update(HouseholdRow)
                    .where(HouseholdRow.id.in_(empty))
                    .values(nomor_kk=None, address=None, updated_at=utc_now())
                    .execution_options(synchronize_session=False)
                )
            )
    counts["domicile"] = _rowcount(
        session.execute(
            delete(DomicileRow)
            .where(DomicileRow.resident_id == rid)
            .execution_options(synchronize_session=False)
        )
    )
    referral_ids = list(
        session.scalars(select(ReferralRow.id).where(ReferralRow.resident_id == rid))
    )
    if referral_ids:
        counts["referral"] = _rowcount(
            session.execute(
                update(ReferralRow)
                .where(ReferralRow.id.in_(referral_ids))
                .values(note=None, reason=None, outcome=None, routing=None)
                .execution_options(synchronize_session=False)
            )
        )
        counts["referral_event"] = _rowcount(
            session.execute(
                update(ReferralEventRow)
                .where(
                    ReferralEventRow.referral_id.in_(referral_ids),
                    ReferralEventRow.detail.is_not(None),
                )
                .values(detail=None)
                .execution_options(synchronize_session=False)
            )
        )
    resident.nik = None
    resident.name = ERASED_NAME
    resident.address = None
    resident.rt = None
    resident.rw = None
    resident.birth_date = date(resident.birth_date.year, 1, 1)
    resident.restricted = True
    resident.erased_at = utc_now()
    resident.version += 1
    resident.updated_at = utc_now()
    session.flush()
    counts["resident"] = 1
    return tuple(sorted(counts.items()))


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)

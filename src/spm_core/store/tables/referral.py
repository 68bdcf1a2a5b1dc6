"""Referrals (one need at one agency) and their append-only lifecycle history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import CODE, ID, WILAYAH

__all__ = ["REFERRAL_STATUSES", "ReferralEventRow", "ReferralRow"]

REFERRAL_STATUSES = (
    "submitted",
    "routed",
    "accepted",
    "rejected",
    "in_progress",
    "resolved",
    "cancelled",
)
"""The stored states (:class:`~spm_core.domain.referral.ReferralStatus` values)."""

_STATUS_LIST = ", ".join(f"'{s}'" for s in REFERRAL_STATUSES)
_ONE_SUBJECT = " + ".join(
    f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"
    for column in ("resident_id", "household_id", "place_code")
)


class ReferralRow(Base):
    """A need raised at a posyandu and held by (at most) one agency at a time.

    A need routed to several agencies (fan-out) is one row per agency; the rows share
    ``group_id`` (the id of the first). ``idempotency_key`` is the client's key of the
    submission (unique; ``NULL`` on the fan-out siblings) and ``request_hash`` the
    digest of its body, so a replay is recognised and a different body under the same
    key refused. ``version`` grows by one with every change (optimistic concurrency).
    ``shared_fields`` is what the agency sees of the subject, fixed at submission.
    """

    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        CheckConstraint(f"status IN ({_STATUS_LIST})", name="status"),
        CheckConstraint(f"{_ONE_SUBJECT} = 1", name="one_subject"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("escalations >= 0", name="escalations"),
        Index(None, "agency_code", "status"),
        Index(None, "status", "due_on"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    group_id: Mapped[str] = mapped_column(ID, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(120))
    request_hash: Mapped[str] = mapped_column(String(64))
    need_type: Mapped[str] = mapped_column(CODE)
    field: Mapped[str] = mapped_column(String(20))
    resident_id: Mapped[str | None] = mapped_column(ID, ForeignKey("resident.id"), index=True)
    household_id: Mapped[str | None] = mapped_column(ID, ForeignKey("household.id"), index=True)
    place_code: Mapped[str | None] = mapped_column(WILAYAH, ForeignKey("wilayah.code"))
    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"), index=True)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    shared_fields: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    agency_code: Mapped[str | None] = mapped_column(CODE)
    routed_on: Mapped[date | None]
    due_on: Mapped[date | None]
    routing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rejected_by: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(1000))
    outcome: Mapped[str | None] = mapped_column(String(1000))
    escalations: Mapped[int]
    closed_on: Mapped[date | None]
    days_to_close: Mapped[int | None]
    met_deadline: Mapped[bool | None]
    version: Mapped[int]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReferralEventRow(Base):
    """One step of a referral's lifecycle; rows are only ever added (triggers refuse more).

    ``sequence`` numbers the steps of one referral from 1 and equals the referral's
    version after the step, so two writers can never both append step *n*.
    """

    __tablename__ = "referral_event"
    __table_args__ = (UniqueConstraint("referral_id", "sequence"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    referral_id: Mapped[str] = mapped_column(ID, ForeignKey("referral.id"))
    sequence: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    agency_code: Mapped[str | None] = mapped_column(CODE)
    detail: Mapped[str | None] = mapped_column(String(1000))
    on: Mapped[date]
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(20))

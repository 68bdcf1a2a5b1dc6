"""Data-subject requests and retention rules (UU PDP 27/2022)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import CODE, ID, WILAYAH

__all__ = ["REQUEST_KINDS", "REQUEST_STATUSES", "RetentionRuleRow", "SubjectRequestRow"]

REQUEST_KINDS = ("access", "correction", "restriction", "lift_restriction", "erasure")
"""What a data subject may ask for (Ps. 6, 7, 8, 11, 13 and 32 of UU PDP 27/2022)."""

REQUEST_STATUSES = ("open", "done", "refused")
"""Where a request stands; a refused request names its legal basis."""

_KIND_LIST = ", ".join(f"'{k}'" for k in REQUEST_KINDS)
_STATUS_LIST = ", ".join(f"'{s}'" for s in REQUEST_STATUSES)


class SubjectRequestRow(Base):
    """A request by a data subject, with the 3 × 24 hour deadline to answer it.

    ``fields`` names the fields a correction concerns (names, never values);
    ``legal_basis`` is the rule a refusal rests on. ``wilayah_code`` and ``posyandu_id``
    place the request for access, as the resident's were when it was received.
    """

    __tablename__ = "subject_request"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KIND_LIST})", name="kind"),
        CheckConstraint(f"status IN ({_STATUS_LIST})", name="status"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    resident_id: Mapped[str] = mapped_column(ID, ForeignKey("resident.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    fields: Mapped[list[str]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    legal_basis: Mapped[str | None] = mapped_column(String(500))
    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"))
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(64))


class RetentionRuleRow(Base):
    """How long a region must keep records of one type, and the rule that says so.

    A resident with a record of ``record_type`` observed less than ``years`` years ago
    in ``wilayah_code`` (a kab/kota or province, or a region inside it) cannot be
    erased; the refusal names ``legal_basis``. A region corrects a rule by setting it
    again.
    """

    __tablename__ = "retention_rule"
    __table_args__ = (
        UniqueConstraint("wilayah_code", "record_type"),
        CheckConstraint("years >= 0", name="years"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"))
    record_type: Mapped[str] = mapped_column(CODE)
    years: Mapped[int]
    legal_basis: Mapped[str] = mapped_column(String(500))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

"""Action plans of the Tim Pembina Posyandu: one row per revision, never updated."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import CODE, ID, WILAYAH

__all__ = ["ActionPlanRow"]


class ActionPlanRow(Base):
    """One version of an action plan; a revision adds a row with the next ``version``.

    ``commitments`` holds the plan's commitments as validated JSON (each one the
    :class:`~spm_core.schemas.CommitmentIn` it was given as), so a version is a whole
    document that later revisions leave as it was.
    """

    __tablename__ = "action_plan"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(CODE, index=True)
    version: Mapped[int]
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date]
    period_end: Mapped[date]
    agreed_by: Mapped[list[str]] = mapped_column(JSON())
    agreed_on: Mapped[date]
    margin: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    note: Mapped[str | None] = mapped_column(String(300))
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSON())
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

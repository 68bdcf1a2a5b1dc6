"""Records: dated observations about one resident, household or place."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import CODE, ID, WILAYAH

__all__ = ["RecordRow"]

_ONE_SUBJECT = " + ".join(
    f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"
    for column in ("resident_id", "household_id", "place_code")
)


class RecordRow(Base):
    """One observation; exactly one of ``resident_id``, ``household_id``, ``place_code``.

    ``posyandu_id`` and ``wilayah_code`` place the record for access: the current
    posyandu and village of the subject (or the place itself). When a resident moves,
    the records about them move along (they follow the resident); reports place a
    subject by its dated domicile instead (:mod:`spm_core.store.population`).

    ``idempotency_key`` makes a submission safe to repeat; a record counts only while
    ``voided_at`` is null. Superseding a record voids it and points ``superseded_by``
    at its replacement.
    """

    __tablename__ = "record"
    __table_args__ = (
        CheckConstraint(f"{_ONE_SUBJECT} = 1", name="one_subject"),
        Index(None, "record_type", "observed_on"),
        Index(None, "record_type", "resident_id", "observed_on"),
        Index(None, "record_type", "household_id", "observed_on"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    record_type: Mapped[str] = mapped_column(CODE)
    resident_id: Mapped[str | None] = mapped_column(ID, ForeignKey("resident.id"), index=True)
    household_id: Mapped[str | None] = mapped_column(ID, ForeignKey("household.id"), index=True)
    place_code: Mapped[str | None] = mapped_column(WILAYAH, ForeignKey("wilayah.code"))
    posyandu_id: Mapped[str | None] = mapped_column(ID, ForeignKey("posyandu.id"), index=True)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    observed_on: Mapped[date]
    value: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    void_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by: Mapped[str | None] = mapped_column(ID, ForeignKey("record.id"))

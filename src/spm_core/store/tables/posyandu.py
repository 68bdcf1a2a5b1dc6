"""Posyandu and the SPM fields each serves, with dates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.domain.enums import SpmField
from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import ID, WILAYAH

__all__ = ["PosyanduFieldRow", "PosyanduRow"]

_FIELDS = ", ".join(f"'{f.value}'" for f in SpmField)


class PosyanduRow(Base):
    """A posyandu in one desa/kelurahan."""

    __tablename__ = "posyandu"
    __table_args__ = (CheckConstraint("length(wilayah_code) = 13", name="village"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    registration_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PosyanduFieldRow(Base):
    """A period in which a posyandu serves an SPM field (``until`` inclusive, open if null)."""

    __tablename__ = "posyandu_field"
    __table_args__ = (
        CheckConstraint(f"field IN ({_FIELDS})", name="field"),
        CheckConstraint("until IS NULL OR until >= since", name="period"),
    )

    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    since: Mapped[date] = mapped_column(primary_key=True)
    until: Mapped[date | None]

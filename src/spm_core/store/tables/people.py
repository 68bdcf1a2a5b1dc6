"""Residents, households and dated memberships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import ID, NUMBER16, RT_RW, WILAYAH

__all__ = ["DomicileRow", "HouseholdRow", "MembershipRow", "ResidentRow"]


class HouseholdRow(Base):
    """A household served by a posyandu; its KK number when known."""

    __tablename__ = "household"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    nomor_kk: Mapped[str | None] = mapped_column(NUMBER16, unique=True)
    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"), index=True)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    rt: Mapped[str] = mapped_column(RT_RW)
    rw: Mapped[str] = mapped_column(RT_RW)
    address: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ResidentRow(Base):
    """A resident; NIK when known. ``restricted`` is the UU PDP restriction flag.

    ``posyandu_id``, ``wilayah_code``, ``rt`` and ``rw`` repeat the resident's latest
    domicile (:class:`DomicileRow`), which decides who serves and sees them today;
    the dated history lives in ``domicile``. ``died_on`` is the date of death;
    ``moved_away_on`` the first day the resident no longer lives in the region.
    ``erased_at`` is set when the resident's data was erased at their request (UU PDP
    27/2022 Ps. 8): the row stays, without personal values, so what refers to it holds.
    """

    __tablename__ = "resident"
    __table_args__ = (
        CheckConstraint("sex IN ('L', 'P')", name="sex"),
        Index(None, "birth_date"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    nik: Mapped[str | None] = mapped_column(NUMBER16, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date]
    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"), index=True)
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"), index=True)
    rt: Mapped[str | None] = mapped_column(RT_RW)
    rw: Mapped[str | None] = mapped_column(RT_RW)
    address: Mapped[str | None] = mapped_column(String(500))
    restricted: Mapped[bool]
    died_on: Mapped[date | None]
    moved_away_on: Mapped[date | None]
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DomicileRow(Base):
    """Where a resident lived from ``since`` to ``until`` (inclusive; open while null).

    A resident has at most one domicile on any day. A move closes the old domicile the
    day before the new one starts; moving out of the region closes the last one.
    """

    __tablename__ = "domicile"
    __table_args__ = (
        CheckConstraint("until IS NULL OR until >= since", name="period"),
        Index(None, "resident_id", "since"),
        Index(None, "wilayah_code", "since"),
        Index(None, "posyandu_id", "since"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    resident_id: Mapped[str] = mapped_column(ID, ForeignKey("resident.id"))
    posyandu_id: Mapped[str] = mapped_column(ID, ForeignKey("posyandu.id"))
    wilayah_code: Mapped[str] = mapped_column(WILAYAH, ForeignKey("wilayah.code"))
    rt: Mapped[str | None] = mapped_column(RT_RW)
    rw: Mapped[str | None] = mapped_column(RT_RW)
    since: Mapped[date]
    until: Mapped[date | None]


class MembershipRow(Base):
    """A resident in a household from ``start_date`` to ``end_date`` (inclusive; open if null)."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint("relationship BETWEEN 1 AND 11", name="relationship"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    household_id: Mapped[str] = mapped_column(ID, ForeignKey("household.id"), index=True)
    resident_id: Mapped[str] = mapped_column(ID, ForeignKey("resident.id"), index=True)
    relationship: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date | None]

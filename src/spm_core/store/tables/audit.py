"""The processing log (UU PDP 27/2022 Ps. 31): append-only, field names, never values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spm_core.store.base import Base, UtcDateTime
from spm_core.store.tables._columns import ID, WILAYAH

__all__ = ["AuditRow"]


class AuditRow(Base):
    """One write, read or export: who, what (action, entity, id, field names), when, why.

    ``row_count`` is how many rows a read or export returned (``NULL`` for a write).

    ``wilayah_code`` and ``posyandu_id`` place the entity, so operators can read the log
    of their own area. Triggers on both databases refuse UPDATE and DELETE. ``prev_hash``
    and ``row_hash`` chain every row to the one before it
    (:mod:`spm_core.store.chain`); rows enter only through
    :func:`~spm_core.store.chain.append_audit`.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "entity", "entity_id"),
        Index(None, "actor_id", "at"),
        Index(None, "prev_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(20))
    actor_scope: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(String(20))
    fields: Mapped[list[str]] = mapped_column(JSON)
    wilayah_code: Mapped[str | None] = mapped_column(WILAYAH, index=True)
    posyandu_id: Mapped[str | None] = mapped_column(ID)
    row_count: Mapped[int | None] = mapped_column(BigInteger())
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

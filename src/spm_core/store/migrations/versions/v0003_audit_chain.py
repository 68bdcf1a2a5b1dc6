"""Chain the audit log by hash: add prev_hash and row_hash, chain the existing rows.

Existing rows are chained in id order (the order they were appended). A unique index on
``prev_hash`` refuses a fork. On SQLite a trigger also refuses ``INSERT OR REPLACE`` of
an existing row (the delete trigger does not fire for the row it replaces).

Revision ID: 0003_audit_chain
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spm_core.store.chain import COLUMNS, GENESIS, row_hash

revision = "0003_audit_chain"
down_revision = "0002"
branch_labels = None
depends_on = None

_APPEND_ONLY_MESSAGE = "audit_log is append-only / audit_log hanya boleh ditambah"


def _audit_table() -> sa.Table:
    return sa.Table(
        "audit_log",
        sa.MetaData(),
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True)),
        *(sa.Column(name, sa.String()) for name in COLUMNS[2:9]),
        sa.Column("fields", sa.JSON()),
        sa.Column("wilayah_code", sa.String()),
        sa.Column("posyandu_id", sa.String()),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("row_hash", sa.String(64)),
    )


def _allow_updates(allow: bool) -> None:
    """Lift (or restore) the append-only triggers for the chaining of existing rows."""
    if op.get_bind().dialect.name == "postgresql":
        verb = "DISABLE" if allow else "ENABLE"
        op.execute(f"ALTER TABLE audit_log {verb} TRIGGER audit_log_no_change")
        return
    if allow:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    else:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
        )


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(64), nullable=True))
    bind = op.get_bind()
    table = _audit_table()
    rows = [dict(r) for r in bind.execute(sa.select(table).order_by(table.c.id)).mappings()]
    if rows:
        _allow_updates(True)
        prev = GENESIS
        for row in rows:
            digest = row_hash(row, prev)
            bind.execute(
                table.update()
                .where(table.c.id == row["id"])
                .values(prev_hash=prev, row_hash=digest)
            )
            prev = digest
        _allow_updates(False)
    op.create_index(op.f("ix_audit_log_prev_hash"), "audit_log", ["prev_hash"], unique=True)
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    op.drop_index(op.f("ix_audit_log_prev_hash"), table_name="audit_log")
    op.drop_column("audit_log", "row_hash")
    op.drop_column("audit_log", "prev_hash")

"""Action plans of the Tim Pembina Posyandu, one append-only row per revision.

Revision ID: 0005_pembina
Revises: 0004
Create Date: 2026-11-28

Adds one new table; no existing row changes, so nothing needs carrying over. A revised
plan is a new row with the next version: UPDATE and DELETE are refused, as on the audit
log, so an earlier version stays as it was agreed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pembina"
down_revision = "0004"
branch_labels = None
depends_on = None

_APPEND_ONLY_MESSAGE = "action_plan is append-only / action_plan hanya boleh ditambah"


def upgrade() -> None:
    op.create_table(
        "action_plan",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wilayah_code", sa.String(13), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("agreed_by", sa.JSON(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("margin", sa.Numeric(7, 3), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("commitments", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_action_plan_version")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_action_plan_period")),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_action_plan_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_action_plan_code_version")),
    )
    op.create_index(op.f("ix_action_plan_code"), "action_plan", ["code"])
    op.create_index(op.f("ix_action_plan_wilayah_code"), "action_plan", ["wilayah_code"])
    _append_only()


def _append_only() -> None:
    """Refuse UPDATE and DELETE of a plan version, as on the audit log."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER action_plan_no_{event.lower()} BEFORE {event} "
                f"ON action_plan BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION action_plan_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER action_plan_no_change BEFORE UPDATE OR DELETE ON action_plan "
        "FOR EACH ROW EXECUTE FUNCTION action_plan_append_only()"
    )
    op.execute(
        "CREATE TRIGGER action_plan_no_truncate BEFORE TRUNCATE ON action_plan "
        "FOR EACH STATEMENT EXECUTE FUNCTION action_plan_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS action_plan_no_update")
        op.execute("DROP TRIGGER IF EXISTS action_plan_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS action_plan_no_truncate ON action_plan")
        op.execute("DROP TRIGGER IF EXISTS action_plan_no_change ON action_plan")
        op.execute("DROP FUNCTION IF EXISTS action_plan_append_only()")
    op.drop_index(op.f("ix_action_plan_wilayah_code"), table_name="action_plan")
    op.drop_index(op.f("ix_action_plan_code"), table_name="action_plan")
    op.drop_table("action_plan")

"""Referrals and their append-only lifecycle history.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28

Adds two new tables; no existing row changes, so nothing needs carrying over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

_STATUSES = "'submitted', 'routed', 'accepted', 'rejected', 'in_progress', 'resolved', 'cancelled'"
_ONE_SUBJECT = (
    "(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN place_code IS NULL THEN 0 ELSE 1 END) = 1"
)
_APPEND_ONLY_MESSAGE = "referral_event is append-only / referral_event hanya boleh ditambah"


def _id() -> sa.String:
    return sa.String(36)


def _wilayah() -> sa.String:
    return sa.String(13)


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "referral",
        sa.Column("id", _id(), nullable=False),
        sa.Column("group_id", _id(), nullable=False),
        sa.Column("idempotency_key", sa.String(120), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("need_type", sa.String(80), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("resident_id", _id(), nullable=True),
        sa.Column("household_id", _id(), nullable=True),
        sa.Column("place_code", _wilayah(), nullable=True),
        sa.Column("posyandu_id", _id(), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("shared_fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("agency_code", sa.String(80), nullable=True),
        sa.Column("routed_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("routing", sa.JSON(), nullable=True),
        sa.Column("rejected_by", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=True),
        sa.Column("outcome", sa.String(1000), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("days_to_close", sa.Integer(), nullable=True),
        sa.Column("met_deadline", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name=op.f("ck_referral_status")),
        sa.CheckConstraint(_ONE_SUBJECT, name=op.f("ck_referral_one_subject")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_referral_version")),
        sa.CheckConstraint("escalations >= 0", name=op.f("ck_referral_escalations")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_referral_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_referral_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["place_code"], ["wilayah.code"], name=op.f("fk_referral_place_code_wilayah")
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_referral_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_referral_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_referral_idempotency_key")),
    )
    op.create_index(op.f("ix_referral_group_id"), "referral", ["group_id"])
    op.create_index(op.f("ix_referral_resident_id"), "referral", ["resident_id"])
    op.create_index(op.f("ix_referral_household_id"), "referral", ["household_id"])
    op.create_index(op.f("ix_referral_posyandu_id"), "referral", ["posyandu_id"])
    op.create_index(op.f("ix_referral_wilayah_code"), "referral", ["wilayah_code"])
    op.create_index(op.f("ix_referral_agency_code_status"), "referral", ["agency_code", "status"])
    op.create_index(op.f("ix_referral_status_due_on"), "referral", ["status", "due_on"])
    op.create_table(
        "referral_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("referral_id", _id(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("agency_code", sa.String(80), nullable=True),
        sa.Column("detail", sa.String(1000), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", _at(), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_event_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_event")),
        sa.UniqueConstraint(
            "referral_id", "sequence", name=op.f("uq_referral_event_referral_id_sequence")
        ),
    )
    _append_only()


def _append_only() -> None:
    """Refuse UPDATE and DELETE on the lifecycle history, as on the audit log."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER referral_event_no_{event.lower()} BEFORE {event} "
                f"ON referral_event BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION referral_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER referral_event_no_change BEFORE UPDATE OR DELETE ON referral_event "
        "FOR EACH ROW EXECUTE FUNCTION referral_event_append_only()"
    )
    op.execute(
        "CREATE TRIGGER referral_event_no_truncate BEFORE TRUNCATE ON referral_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION referral_event_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS referral_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS referral_event_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS referral_event_no_truncate ON referral_event")
        op.execute("DROP TRIGGER IF EXISTS referral_event_no_change ON referral_event")
        op.execute("DROP FUNCTION IF EXISTS referral_event_append_only()")
    op.drop_table("referral_event")
    op.drop_table("referral")

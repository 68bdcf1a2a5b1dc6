"""Data-subject rights: requests, retention rules, erasure, row counts in the audit log.

Adds ``subject_request`` and ``retention_rule``; ``resident.erased_at``;
``audit_log.row_count`` (how many rows a read or export returned — hashed into the
chain only when set, so existing rows keep their hashes). The lifecycle history of
referrals stays append-only, with one exception an erasure needs: its free-text
``detail`` may be cleared (set to NULL) when nothing else of the row changes.

Revision ID: 0005_privacy
Revises: 0005_pembina
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_privacy"
down_revision = "0005_pembina"
branch_labels = None
depends_on = None

_APPEND_ONLY_MESSAGE = "referral_event is append-only / referral_event hanya boleh ditambah"
_KINDS = "'access', 'correction', 'restriction', 'lift_restriction', 'erasure'"
_STATUSES = "'open', 'done', 'refused'"
_KEPT = (
    "id",
    "referral_id",
    "sequence",
    "action",
    "from_status",
    "to_status",
    "agency_code",
    '"on"',
    "at",
    "actor_id",
    "actor_role",
)


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _wilayah() -> sa.String:
    return sa.String(13)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("row_count", sa.BigInteger(), nullable=True))
    op.add_column("resident", sa.Column("erased_at", _at(), nullable=True))
    op.create_table(
        "subject_request",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("resident_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("received_at", _at(), nullable=False),
        sa.Column("due_at", _at(), nullable=False),
        sa.Column("closed_at", _at(), nullable=True),
        sa.Column("legal_basis", sa.String(500), nullable=True),
        sa.Column("posyandu_id", sa.String(36), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.CheckConstraint(f"kind IN ({_KINDS})", name=op.f("ck_subject_request_kind")),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name=op.f("ck_subject_request_status")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_subject_request_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_subject_request_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"],
            ["wilayah.code"],
            name=op.f("fk_subject_request_wilayah_code_wilayah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_request")),
    )
    op.create_index(op.f("ix_subject_request_resident_id"), "subject_request", ["resident_id"])
    op.create_index(op.f("ix_subject_request_wilayah_code"), "subject_request", ["wilayah_code"])
    op.create_index(
        op.f("ix_subject_request_status_due_at"), "subject_request", ["status", "due_at"]
    )
    op.create_table(
        "retention_rule",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("record_type", sa.String(80), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("legal_basis", sa.String(500), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint("years >= 0", name=op.f("ck_retention_rule_years")),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_retention_rule_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rule")),
        sa.UniqueConstraint(
            "wilayah_code", "record_type", name=op.f("uq_retention_rule_wilayah_code_record_type")
        ),
    )
    _referral_event_triggers(allow_redaction=True)


def _referral_event_triggers(*, allow_redaction: bool) -> None:
    """Recreate the append-only triggers of ``referral_event``, optionally with redaction."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS referral_event_no_update")
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
        when = f" WHEN NOT (NEW.detail IS NULL AND {unchanged})" if allow_redaction else ""
        op.execute(
            f"CREATE TRIGGER referral_event_no_update BEFORE UPDATE ON referral_event{when} "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
        )
        return
    new = ", ".join(f"NEW.{c}" for c in _KEPT)
    old = ", ".join(f"OLD.{c}" for c in _KEPT)
    redaction = (
        f"IF TG_OP = 'UPDATE' AND NEW.detail IS NULL AND ROW({new}) IS NOT DISTINCT FROM "
        f"ROW({old}) THEN RETURN NEW; END IF; "
        if allow_redaction
        else ""
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION referral_event_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {redaction}"
        f"RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )


def downgrade() -> None:
    _referral_event_triggers(allow_redaction=False)
    op.drop_table("retention_rule")
    op.drop_index(op.f("ix_subject_request_status_due_at"), table_name="subject_request")
    op.drop_index(op.f("ix_subject_request_wilayah_code"), table_name="subject_request")
    op.drop_index(op.f("ix_subject_request_resident_id"), table_name="subject_request")
    op.drop_table("subject_request")
    op.drop_column("resident", "erased_at")
    op.drop_column("audit_log", "row_count")

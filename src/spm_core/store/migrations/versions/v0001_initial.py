"""Create every table of the store and make the audit log append-only.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

_FIELDS = "'kesehatan', 'pendidikan', 'pupr', 'perkim', 'trantibum', 'sosial'"
_ONE_SUBJECT = (
    "(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN place_code IS NULL THEN 0 ELSE 1 END) = 1"
)
_APPEND_ONLY_MESSAGE = "audit_log is append-only / audit_log hanya boleh ditambah"


def _id() -> sa.String:
    return sa.String(36)


def _wilayah() -> sa.String:
    return sa.String(13)


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "wilayah",
        sa.Column("code", _wilayah(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_code", _wilayah(), nullable=True),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_wilayah_level")),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["wilayah.code"], name=op.f("fk_wilayah_parent_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_wilayah")),
    )
    op.create_table(
        "posyandu",
        sa.Column("id", _id(), nullable=False),
        sa.Column("registration_number", sa.String(40), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint("length(wilayah_code) = 13", name=op.f("ck_posyandu_village")),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_posyandu_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posyandu")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_posyandu_registration_number")),
    )
    op.create_index(op.f("ix_posyandu_wilayah_code"), "posyandu", ["wilayah_code"])
    op.create_table(
        "posyandu_field",
        sa.Column("posyandu_id", _id(), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.CheckConstraint(f"field IN ({_FIELDS})", name=op.f("ck_posyandu_field_field")),
        sa.CheckConstraint(
            "until IS NULL OR until >= since", name=op.f("ck_posyandu_field_period")
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_posyandu_field_posyandu_id_posyandu")
        ),
        sa.PrimaryKeyConstraint("posyandu_id", "field", "since", name=op.f("pk_posyandu_field")),
    )
    op.create_table(
        "household",
        sa.Column("id", _id(), nullable=False),
        sa.Column("nomor_kk", sa.String(16), nullable=True),
        sa.Column("posyandu_id", _id(), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("rt", sa.String(3), nullable=False),
        sa.Column("rw", sa.String(3), nullable=False),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_household_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_household_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("nomor_kk", name=op.f("uq_household_nomor_kk")),
    )
    op.create_index(op.f("ix_household_posyandu_id"), "household", ["posyandu_id"])
    op.create_index(op.f("ix_household_wilayah_code"), "household", ["wilayah_code"])
    op.create_table(
        "resident",
        sa.Column("id", _id(), nullable=False),
        sa.Column("nik", sa.String(16), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("posyandu_id", _id(), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("rt", sa.String(3), nullable=True),
        sa.Column("rw", sa.String(3), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint("sex IN ('L', 'P')", name=op.f("ck_resident_sex")),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_resident_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_resident_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident")),
        sa.UniqueConstraint("nik", name=op.f("uq_resident_nik")),
    )
    op.create_index(op.f("ix_resident_posyandu_id"), "resident", ["posyandu_id"])
    op.create_index(op.f("ix_resident_wilayah_code"), "resident", ["wilayah_code"])
    op.create_table(
        "membership",
        sa.Column("id", _id(), nullable=False),
        sa.Column("household_id", _id(), nullable=False),
        sa.Column("resident_id", _id(), nullable=False),
        sa.Column("relationship", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "relationship BETWEEN 1 AND 11", name=op.f("ck_membership_relationship")
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_membership_period")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_membership_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_membership_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    op.create_index(op.f("ix_membership_household_id"), "membership", ["household_id"])
    op.create_index(op.f("ix_membership_resident_id"), "membership", ["resident_id"])
    op.create_table(
        "record",
        sa.Column("id", _id(), nullable=False),
        sa.Column("record_type", sa.String(80), nullable=False),
        sa.Column("resident_id", _id(), nullable=True),
        sa.Column("household_id", _id(), nullable=True),
        sa.Column("place_code", _wilayah(), nullable=True),
        sa.Column("posyandu_id", _id(), nullable=True),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.CheckConstraint(_ONE_SUBJECT, name=op.f("ck_record_one_subject")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_record_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_record_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["place_code"], ["wilayah.code"], name=op.f("fk_record_place_code_wilayah")
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_record_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_record_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
    )
    op.create_index(op.f("ix_record_resident_id"), "record", ["resident_id"])
    op.create_index(op.f("ix_record_household_id"), "record", ["household_id"])
    op.create_index(op.f("ix_record_posyandu_id"), "record", ["posyandu_id"])
    op.create_index(op.f("ix_record_wilayah_code"), "record", ["wilayah_code"])
    op.create_index(
        op.f("ix_record_record_type_observed_on"), "record", ["record_type", "observed_on"]
    )
    op.create_table(
        "target",
        sa.Column("id", _id(), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(18, 4), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_target_value")),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_target_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint(
            "code", "wilayah_code", "year", name=op.f("uq_target_code_wilayah_code_year")
        ),
    )
    op.create_index(op.f("ix_target_wilayah_code"), "target", ["wilayah_code"])
    op.create_table(
        "quality_input",
        sa.Column("id", _id(), nullable=False),
        sa.Column("service_type", sa.String(80), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.CheckConstraint(
            "category IN ('barang_jasa', 'sdm')", name=op.f("ck_quality_input_category")
        ),
        sa.CheckConstraint(
            "required >= 0 AND met >= 0 AND met <= required",
            name=op.f("ck_quality_input_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_quality_input_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_input")),
        sa.UniqueConstraint(
            "service_type",
            "wilayah_code",
            "year",
            "item",
            name=op.f("uq_quality_input_service_type_wilayah_code_year_item"),
        ),
    )
    op.create_index(op.f("ix_quality_input_wilayah_code"), "quality_input", ["wilayah_code"])
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", _at(), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("actor_scope", sa.String(160), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(160), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("wilayah_code", _wilayah(), nullable=True),
        sa.Column("posyandu_id", _id(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_wilayah_code"), "audit_log", ["wilayah_code"])
    op.create_index(op.f("ix_audit_log_entity_entity_id"), "audit_log", ["entity", "entity_id"])
    op.create_index(op.f("ix_audit_log_actor_id_at"), "audit_log", ["actor_id", "at"])
    _protect_audit_log()


def _protect_audit_log() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}' "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "audit_log",
        "quality_input",
        "target",
        "record",
        "membership",
        "resident",
        "household",
        "posyandu_field",
        "posyandu",
        "wilayah",
    ):
        op.drop_table(table)

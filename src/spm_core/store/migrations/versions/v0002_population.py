"""Population over time: dated domicile, death and moving away; idempotent, voidable records.

* ``domicile``: every resident gets one open domicile at their current posyandu,
  village, RT and RW **since their birth date**. Before this revision a resident counted
  wherever they were registered on every date, so starting the domicile at birth keeps
  every past report exactly as it was; later moves close it.
* ``resident.died_on`` and ``resident.moved_away_on`` (null for everyone so far).
* ``record.idempotency_key`` (unique), derived for existing records from subject, type,
  date and value exactly as the store derives it; ``voided_at``, ``void_reason`` and
  ``superseded_by``. Every existing record stays counted.
* PostgreSQL: record values become ``JSONB``; region code columns collate ``"C"`` so
  the range that scopes a region is bytewise and indexable.
* Indexes for (record type, subject, observed date) and for birth date.

Revision ID: 0002
Revises: 0001_initial
Create Date: 2026-11-28
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_WILAYAH_COLUMNS = (
    ("wilayah", "code"),
    ("wilayah", "parent_code"),
    ("posyandu", "wilayah_code"),
    ("household", "wilayah_code"),
    ("resident", "wilayah_code"),
    ("record", "place_code"),
    ("record", "wilayah_code"),
    ("target", "wilayah_code"),
    ("quality_input", "wilayah_code"),
    ("audit_log", "wilayah_code"),
)
_DOMICILE_NAMESPACE = uuid.UUID("6b1f5d2e-3c55-4f0e-9a4b-7d1c0e2f9a10")


def _key(kind: str, subject: str, record_type: str, observed_on: Any, value: Any) -> str:
    """The derived idempotency key (kept here as written, so the revision never changes)."""
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(observed_on, date):
        observed_on = observed_on.isoformat()
    body = json.dumps(
        [kind, subject, record_type, str(observed_on), value],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()[:40]


def _collate(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    clause = f' COLLATE "{collation}"' if collation else ""
    for table, column in _WILAYAH_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(13){clause}")


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    _collate("C")
    wilayah = sa.String(13).with_variant(sa.String(13, collation="C"), "postgresql")

    op.create_table(
        "domicile",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("resident_id", sa.String(36), nullable=False),
        sa.Column("posyandu_id", sa.String(36), nullable=False),
        sa.Column("wilayah_code", wilayah, nullable=False),
        sa.Column("rt", sa.String(3), nullable=True),
        sa.Column("rw", sa.String(3), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.CheckConstraint("until IS NULL OR until >= since", name=op.f("ck_domicile_period")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_domicile_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_id"], ["posyandu.id"], name=op.f("fk_domicile_posyandu_id_posyandu")
        ),
        sa.ForeignKeyConstraint(
            ["wilayah_code"], ["wilayah.code"], name=op.f("fk_domicile_wilayah_code_wilayah")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domicile")),
    )
    op.create_index(op.f("ix_domicile_resident_id_since"), "domicile", ["resident_id", "since"])
    op.create_index(op.f("ix_domicile_wilayah_code_since"), "domicile", ["wilayah_code", "since"])
    op.create_index(op.f("ix_domicile_posyandu_id_since"), "domicile", ["posyandu_id", "since"])

    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("died_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("moved_away_on", sa.Date(), nullable=True))
    op.create_index(op.f("ix_resident_birth_date"), "resident", ["birth_date"])

    residents = bind.execute(
        sa.text("SELECT id, posyandu_id, wilayah_code, rt, rw, birth_date FROM resident")
    ).all()
    domicile = sa.table(
        "domicile",
        *(
            sa.column(name)
            for name in ("id", "resident_id", "posyandu_id", "wilayah_code", "rt", "rw")
        ),
        sa.column("since", sa.Date()),
    )
    if residents:
        op.bulk_insert(
            domicile,
            [
                {
                    "id": str(uuid.uuid5(_DOMICILE_NAMESPACE, row.id)),
                    "resident_id": row.id,
                    "posyandu_id": row.posyandu_id,
                    "wilayah_code": row.wilayah_code,
                    "rt": row.rt,
                    "rw": row.rw,
                    "since": row.birth_date
                    if isinstance(row.birth_date, date)
                    else date.fromisoformat(str(row.birth_date)),
                }
                for row in residents
            ],
        )

    with op.batch_alter_table("record") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(64), nullable=True))
        batch.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("void_reason", sa.String(500), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(36), nullable=True))
    records = bind.execute(
        sa.text(
            "SELECT id, record_type, resident_id, household_id, place_code, posyandu_id, "
            "observed_on, value FROM record"
        )
    ).all()
    for row in records:
        if row.resident_id is not None:
            kind, subject = "resident", row.resident_id
        elif row.household_id is not None:
            kind, subject = "household", row.household_id
        else:
            kind, subject = "place", f"{row.place_code}@{row.posyandu_id or ''}"
        bind.execute(
            sa.text("UPDATE record SET idempotency_key = :key WHERE id = :id"),
            {"key": _key(kind, subject, row.record_type, row.observed_on, row.value), "id": row.id},
        )
    with op.batch_alter_table("record") as batch:
        batch.alter_column("idempotency_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint(op.f("uq_record_idempotency_key"), ["idempotency_key"])
        batch.create_foreign_key(
            op.f("fk_record_superseded_by_record"), "record", ["superseded_by"], ["id"]
        )
    if postgres:
        op.execute("ALTER TABLE record ALTER COLUMN value TYPE JSONB USING value::jsonb")
    op.create_index(
        op.f("ix_record_record_type_resident_id_observed_on"),
        "record",
        ["record_type", "resident_id", "observed_on"],
    )
    op.create_index(
        op.f("ix_record_record_type_household_id_observed_on"),
        "record",
        ["record_type", "household_id", "observed_on"],
    )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index(op.f("ix_record_record_type_household_id_observed_on"), table_name="record")
    op.drop_index(op.f("ix_record_record_type_resident_id_observed_on"), table_name="record")
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE record ALTER COLUMN value TYPE JSON USING value::json")
    # A voided record leaves with the columns that say so: drop it rather than let it
    # count again under the old schema.
    bind.execute(sa.text("UPDATE record SET superseded_by = NULL"))
    bind.execute(sa.text("DELETE FROM record WHERE voided_at IS NOT NULL"))
    with op.batch_alter_table("record") as batch:
        batch.drop_constraint(op.f("fk_record_superseded_by_record"), type_="foreignkey")
        batch.drop_constraint(op.f("uq_record_idempotency_key"), type_="unique")
        batch.drop_column("superseded_by")
        batch.drop_column("void_reason")
        batch.drop_column("voided_at")
        batch.drop_column("idempotency_key")
    op.drop_index(op.f("ix_resident_birth_date"), table_name="resident")
    with op.batch_alter_table("resident") as batch:
        batch.drop_column("moved_away_on")
        batch.drop_column("died_on")
    op.drop_table("domicile")
    _collate(None)

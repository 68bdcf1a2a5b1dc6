"""Alembic environment: run the revisions on the connection the caller passes in.

Alembic executes this file during :func:`spm_core.store.migrations.upgrade` and
:func:`~spm_core.store.migrations.downgrade`; imported any other way it does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import spm_core.store.tables  # noqa: F401  (registers every table on the metadata)
from spm_core.errors import MigrationError
from spm_core.store.base import Base


def run() -> None:
    """Run the pending revisions on the connection in the Alembic config's attributes."""
    connection = context.config.attributes.get("connection")
    if context.is_offline_mode() or not isinstance(connection, Connection):
        raise MigrationError(
            value="offline",
            reason_id="migrasi dijalankan melalui spm_core.store.migrations dengan koneksi aktif",
            reason_en="migrations run through spm_core.store.migrations with a live connection",
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):
    run()

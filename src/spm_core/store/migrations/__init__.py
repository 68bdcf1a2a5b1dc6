"""Alembic migrations of the store, configured in code (no ``alembic.ini`` needed).

:func:`upgrade`, :func:`downgrade` and :func:`current_revision` take an engine; the
revisions live in ``versions/``. SQLite uses Alembic's batch mode, so a later revision
that alters a column works there too.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from spm_core.errors import MigrationError, SpmError
from spm_core.store.transactions import database_error, lock_writes

__all__ = [
    "LOCATION",
    "STORE_TABLES",
    "check_revision",
    "current_revision",
    "downgrade",
    "head_revision",
    "known_revisions",
    "upgrade",
]

LOCATION = Path(__file__).resolve().parent
"""The directory holding ``env.py`` and ``versions/``."""

STORE_TABLES = frozenset({"wilayah", "posyandu", "resident", "household", "audit_log"})
"""Tables whose presence marks a database as one of spm-core's."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest revision this version of the library knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> frozenset[str]:
    """Return every revision this version of the library knows."""
    return frozenset(s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions())


def _revision_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or ``None`` for an empty database.

    Raises:
        StoreError: the database cannot be read (a coded error, never the driver's).
    """
    try:
        with engine.connect() as connection:
            return _revision_of(connection)
    except DBAPIError as error:
        raise database_error(error, "alembic_version") from None


def _check_known(connection: Connection) -> None:
    """Refuse a database at a revision this library does not know, or one without a version."""
    found = _revision_of(connection)
    if found is None:
        strangers = STORE_TABLES & set(inspect(connection).get_table_names())
        if strangers:
            names = ", ".join(sorted(strangers))
            raise MigrationError(
                value="-",
                reason_id=f"basis data sudah berisi tabel ({names}) tetapi tanpa tabel "
                "alembic_version, jadi revisinya tidak diketahui; jangan membuka basis data "
                "ini dengan spm-core sebelum asal tabel-tabel itu diperiksa",
                reason_en=f"the database already holds tables ({names}) but no "
                "alembic_version table, so its revision is unknown; check where those "
                "tables came from before opening it with spm-core",
            )
        return
    if found not in known_revisions():
        raise MigrationError(
            value=found,
            reason_id=f"basis data berada pada revisi {found} yang tidak dikenal versi "
            f"spm-core ini (revisi terbarunya {head_revision()}); kemungkinan ditulis oleh "
            "versi yang lebih baru: perbarui spm-core",
            reason_en=f"the database is at revision {found}, which this version of "
            f"spm-core does not know (its newest is {head_revision()}); a newer version "
            "probably wrote it: upgrade spm-core",
        )


def check_revision(engine: Engine) -> None:
    """Raise unless the database is empty or at a revision this library knows.

    Raises:
        MigrationError: an unknown revision, or the store's tables without a revision.
    """
    try:
        with engine.connect() as connection:
            _check_known(connection)
    except DBAPIError as error:
        raise database_error(error, "alembic_version") from None


def _run(engine: Engine, action: str, revision: str) -> None:
    """Run one Alembic command in one transaction holding the store's write lock.

    SQLite starts it with ``BEGIN IMMEDIATE`` and PostgreSQL takes the advisory write
    lock first, so processes opening one empty database at once migrate it once, one
    after the other; the others then find it current.
    """
    locked = engine.execution_options(spm_sqlite_begin="IMMEDIATE")
    try:
        with locked.begin() as connection:
            lock_writes(connection)
            _check_known(connection)
            if action == "upgrade":
                command.upgrade(_config(connection), revision)
            else:
                command.downgrade(_config(connection), revision)
    except CommandError as error:
        raise MigrationError(
            value=revision,
            reason_id=f"{action} ke revisi {revision!r} gagal: revisi itu tidak dikenal "
            f"(revisi yang dikenal: {', '.join(sorted(known_revisions()))})",
            reason_en=f"{action} to revision {revision!r} failed: no such revision "
            f"(known revisions: {', '.join(sorted(known_revisions()))})",
        ) from error
    except DBAPIError as error:
        cause = database_error(error, "migration")
        detail = cause.context.get("detail") or cause.code
        target = head_revision() if revision == "head" else revision
        raise MigrationError(
            value=target,
            reason_id=f"{action} ke revisi {target} ditolak basis data ({detail}); tidak ada "
            "bagian migrasi yang disimpan — periksa objek basis data yang bernama sama",
            reason_en=f"the database refused the {action} to revision {target} ({detail}); "
            "nothing of the migration was kept — look for database objects of the same name",
        ) from None
    except SpmError:
        raise


def upgrade(engine: Engine, rev: str = "head") -> None:
    """Upgrade the database to revision ``rev`` (default: the newest), in one transaction.

    Raises:
        MigrationError: the revision is unknown; the database is at a revision this
            version of the library does not know (a newer library wrote it), or holds
            the store's tables without a recorded revision; or the database refused a
            step (coded, both languages; nothing of the step is kept).
    """
    _run(engine, "upgrade", rev)


def _audit_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        if "audit_log" not in inspect(connection).get_table_names():
            return 0
        return int(connection.scalar(text("SELECT count(*) FROM audit_log")) or 0)


def downgrade(engine: Engine, rev: str, *, drop_everything: bool = False) -> None:
    """Downgrade the database to revision ``rev``.

    ``"base"`` removes every table, the audit log included, so it needs
    ``drop_everything=True`` and is refused while the audit log holds any row: the
    processing log (UU PDP 27/2022 Ps. 31) is not thrown away by a schema command.

    Raises:
        MigrationError: the revision is unknown; ``"base"`` without
            ``drop_everything=True``; or audit rows exist.
    """
    if rev == "base":
        if not drop_everything:
            raise MigrationError(
                value=rev,
                reason_id="turun ke 'base' menghapus semua tabel dan log audit; berikan "
                "drop_everything=True bila memang itu maksudnya",
                reason_en="downgrading to 'base' drops every table and the audit log; pass "
                "drop_everything=True if that is really meant",
            )
        rows = _audit_rows(engine)
        if rows:
            raise MigrationError(
                value=rev,
                reason_id=f"log audit berisi {rows} baris; log pemrosesan tidak dihapus "
                "oleh perintah skema — arsipkan dan hapus basis data itu sendiri",
                reason_en=f"the audit log holds {rows} row(s); the processing log is not "
                "thrown away by a schema command — archive it and drop the database itself",
            )
    _run(engine, "downgrade", rev)

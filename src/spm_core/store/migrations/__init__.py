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
from sqlalchemy import Connection, Engine

from spm_core.errors import MigrationError

__all__ = ["LOCATION", "current_revision", "downgrade", "head_revision", "upgrade"]

LOCATION = Path(__file__).resolve().parent
"""The directory holding ``env.py`` and ``versions/``."""


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


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, action: str, revision: str) -> None:
    try:
        with engine.begin() as connection:
            if action == "upgrade":
                command.upgrade(_config(connection), revision)
            else:
                command.downgrade(_config(connection), revision)
    except CommandError as error:
        raise MigrationError(
            value=revision,
            reason_id=f"{action} gagal: {error}",
            reason_en=f"{action} failed: {error}",
        ) from error


def upgrade(engine: Engine, rev: str = "head") -> None:
    """Upgrade the database to revision ``rev`` (default: the newest), in one transaction.

    Raises:
        MigrationError: the revision is unknown, or the database is at a revision this
            version of the library does not know (a newer library wrote it).
    """
    _run(engine, "upgrade", rev)


def downgrade(engine: Engine, rev: str) -> None:
    """Downgrade the database to revision ``rev`` (``"base"`` removes every table).

    Raises:
        MigrationError: the revision is unknown.
    """
    _run(engine, "downgrade", rev)

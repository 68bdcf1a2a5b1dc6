"""Engines and transactions: SQLite pragmas and BEGIN modes, PostgreSQL retries.

SQLite: every connection gets WAL, ``foreign_keys=ON`` and a 5-second busy timeout;
pysqlite's own transaction handling is switched off and the store emits ``BEGIN``
itself — ``BEGIN IMMEDIATE`` for writes (the write lock is taken up front, so two
writers queue instead of failing halfway), a plain deferred ``BEGIN`` for reads. A write
that still finds the lock busy after the timeout (a queue of writers on a loaded
machine) is run again, like a PostgreSQL serialization failure: nothing of it was done.

PostgreSQL (psycopg 3): writes run SERIALIZABLE and are retried on serialization
failures and deadlocks (SQLSTATE 40001, 40P01) up to five attempts with jittered
backoff; reads run REPEATABLE READ, read-only, so one call sees one snapshot.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from spm_core.errors import ConcurrentUpdate, StoreError

__all__ = [
    "MAX_ATTEMPTS",
    "RETRY_SQLSTATES",
    "Database",
    "check_connection",
    "make_engine",
    "shown_url",
]

T = TypeVar("T")

MAX_ATTEMPTS = 5
"""How many times a PostgreSQL write is tried before the conflict is reported."""

RETRY_SQLSTATES = frozenset({"40001", "40P01"})
"""Serialization failure and deadlock: the transaction may simply be run again."""

_BEGIN_OPTION = "spm_sqlite_begin"
_BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


_PASSWORD = re.compile(r"^(?P<head>[^:/@]*://[^:/@]*:).*@")


def shown_url(url: str | URL) -> str:
    """Return ``url`` as text with any password replaced by ``***``.

    A URL that does not parse is masked by hand (whatever lies between ``user:`` and
    the last ``@``), so no error message ever shows a password.

    Example:
        >>> shown_url("postgresql+psycopg://spm:rahasia@db.example/spm")
        'postgresql+psycopg://spm:***@db.example/spm'
        >>> shown_url("postgresql://spm:rahasia@db.example:port/spm")
        'postgresql://spm:***@db.example:port/spm'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\g<head>***@", str(url))


def _first_line(error: BaseException, password: str | None) -> str:
    """Return the first line of the driver's message, without ``password``."""
    text = str(getattr(error, "orig", None) or error).strip()
    line = text.splitlines()[0].strip() if text else type(error).__name__
    return line.replace(password, "***") if password else line


def _unsupported(url: URL, error: BaseException | None = None) -> StoreError:
    """Return the error for a database or driver the store does not support."""
    shown = url.render_as_string(hide_password=True)
    detail = "" if error is None else f" ({_first_line(error, url.password)})"
    return StoreError(
        value=shown,
        reason_id=f"basis data {shown} memakai {url.drivername!r} yang tidak didukung"
        f"{detail}; gunakan sqlite atau postgresql+psycopg",
        reason_en=f"the database {shown} uses {url.drivername!r}, which is not supported"
        f"{detail}; use sqlite or postgresql+psycopg",
    )


def make_engine(url: str | URL) -> Engine:
    """Return an engine for ``url`` (SQLite or PostgreSQL) with the store's settings.

    No connection is made; :func:`check_connection` makes one.

    Raises:
        StoreError: the URL does not parse, or names a database or driver the store does
            not support (the password, if any, is masked in the message; the original
            exception, where there is one, is chained).
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as error:
        shown = shown_url(url)
        raise StoreError(
            value=shown,
            reason_id=f"URL basis data {shown!r} tidak dapat dibaca; contoh: "
            "sqlite:///spm.db atau postgresql+psycopg://pengguna@host:5432/db",
            reason_en=f"the database URL {shown!r} cannot be parsed; for example "
            "sqlite:///spm.db or postgresql+psycopg://user@host:5432/db",
        ) from error
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise _unsupported(parsed)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if backend == "sqlite":
        options = {}
        if _is_memory(parsed):
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, ImportError) as error:
        raise _unsupported(parsed, error) from error
    if backend == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _missing_directory(url: URL) -> str | None:
    """Return the directory a SQLite file database would be in, if it does not exist."""
    if url.get_backend_name() != "sqlite" or _is_memory(url) or "uri" in url.query:
        return None
    directory = os.path.dirname(os.path.abspath(str(url.database)))
    return None if os.path.isdir(directory) else directory


def check_connection(engine: Engine) -> None:
    """Open and close one connection, so an unusable database is reported up front.

    Raises:
        StoreError: the database cannot be opened — the directory of a SQLite file does
            not exist, the server does not answer, the login is refused … (the URL is
            named with its password masked; the driver's exception is chained).
    """
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        url = engine.url
        shown = url.render_as_string(hide_password=True)
        directory = _missing_directory(url)
        if directory is not None:
            why_id = f"direktori {directory} tidak ada"
            why_en = f"the directory {directory} does not exist"
        else:
            why_id = why_en = _first_line(error, url.password)
        raise StoreError(
            value=shown,
            reason_id=f"basis data {shown} tidak dapat dibuka ({why_id})",
            reason_en=f"the database {shown} cannot be opened ({why_en})",
        ) from error


SQLITE_BUSY_CODES = frozenset({5, 6})
"""SQLITE_BUSY and SQLITE_LOCKED: the write lock was not free within the busy timeout."""


def _retryable(error: DBAPIError) -> bool:
    if getattr(error.orig, "sqlite_errorcode", None) in SQLITE_BUSY_CODES:
        return True
    return getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES


class Database:
    """Runs units of work in read or write transactions on one engine.

    A write is a function of a :class:`~sqlalchemy.orm.Session`; it may be run more than
    once on PostgreSQL (after a serialization failure), so it must do all its work
    through the session it is given. Everything it does commits together or not at all.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        if self.is_sqlite:
            self._read_engine = engine
            self._write_engine = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        else:
            self._read_engine = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            self._write_engine = engine.execution_options(isolation_level="SERIALIZABLE")
        self.backoff = 0.02
        """Base of the jittered exponential backoff between write attempts, in seconds."""

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session in a read transaction (deferred BEGIN on SQLite)."""
        with Session(self._read_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def write(self, work: Callable[[Session], T], *, entity: str, key: str) -> T:
        """Run ``work`` in a write transaction and commit; retry conflicts on PostgreSQL.

        ``entity`` and ``key`` name what is written, for the error raised when every
        attempt conflicted.

        Raises:
            ConcurrentUpdate: all attempts failed with a serialization failure, a
                deadlock or (SQLite) a busy write lock; nothing was written.
        """
        attempt = 1
        while True:
            try:
                with (
                    Session(self._write_engine, expire_on_commit=False) as session,
                    session.begin(),
                ):
                    return work(session)
            except DBAPIError as error:
                if not _retryable(error):
                    raise
                if attempt >= MAX_ATTEMPTS:
                    raise ConcurrentUpdate(entity=entity, value=key) from error
                time.sleep(random.uniform(0, self.backoff * 2**attempt))
                attempt += 1

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

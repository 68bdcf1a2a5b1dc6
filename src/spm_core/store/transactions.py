"""Engines and transactions: SQLite pragmas and BEGIN modes, PostgreSQL retries.

SQLite: every connection gets WAL, ``foreign_keys=ON`` and a 5-second busy timeout;
pysqlite's own transaction handling is switched off and the store emits ``BEGIN``
itself — ``BEGIN IMMEDIATE`` for writes (the write lock is taken up front, so two
writers queue instead of failing halfway), a plain deferred ``BEGIN`` for reads.

PostgreSQL (psycopg 3): writes run SERIALIZABLE and are retried on serialization
failures and deadlocks (SQLSTATE 40001, 40P01) up to five attempts with jittered
backoff; reads run REPEATABLE READ, read-only, so one call sees one snapshot.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from spm_core.errors import ConcurrentUpdate, StoreError

__all__ = ["MAX_ATTEMPTS", "RETRY_SQLSTATES", "Database", "make_engine"]

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


def make_engine(url: str | URL) -> Engine:
    """Return an engine for ``url`` (SQLite or PostgreSQL) with the store's settings.

    Raises:
        StoreError: the URL names a database the store does not support.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        options: dict[str, Any] = {}
        if _is_memory(parsed):
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(
        value=parsed.render_as_string(hide_password=True),
        reason_id=f"basis data {backend!r} tidak didukung; gunakan sqlite atau postgresql",
        reason_en=f"database {backend!r} is not supported; use sqlite or postgresql",
    )


def _retryable(error: DBAPIError) -> bool:
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
            ConcurrentUpdate: all attempts failed with a serialization failure or a
                deadlock; nothing was written.
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

"""Engines and transactions: SQLite pragmas and BEGIN modes, PostgreSQL retries.

SQLite: every connection gets WAL, ``foreign_keys=ON`` and a 5-second busy timeout;
pysqlite's own transaction handling is switched off and the store emits ``BEGIN``
itself — ``BEGIN IMMEDIATE`` for writes (the write lock is taken up front, so two
writers queue instead of failing halfway), a plain deferred ``BEGIN`` for reads. A write
that still finds the lock busy after the timeout (a queue of writers on a loaded
machine) is run again, like a PostgreSQL serialization failure: nothing of it was done.

PostgreSQL (psycopg 3): every write transaction first takes one transaction-level
advisory lock (:data:`WRITE_LOCK`), so writes run one after another exactly as SQLite's
``BEGIN IMMEDIATE`` makes them — the audit log's hash chain needs a single order of
appends anyway, and a check-then-insert (a target, a NIK) cannot race. Writes run READ
COMMITTED so each statement sees everything committed before the lock was granted.
Serialization failures and deadlocks (SQLSTATE 40001, 40P01), which only work outside
the lock can cause, are retried up to five attempts with jittered backoff; reads run
REPEATABLE READ, read-only, so one call sees one snapshot.

No driver error reaches a caller: :func:`database_error` turns every DBAPI error into a
coded, bilingual :class:`~spm_core.errors.StoreError` that names the SQLSTATE (or the
SQLite result code) and the constraint, never the driver's text, which can carry the
values of the row.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from spm_core.errors import (
    ConnectionLost,
    DatabaseError,
    SpmError,
    StorageFull,
    StoreBusy,
    StoreError,
)

__all__ = [
    "MAX_ATTEMPTS",
    "RETRY_SQLSTATES",
    "SQLITE_BUSY_ATTEMPTS",
    "WRITE_LOCK",
    "Database",
    "check_connection",
    "database_error",
    "lock_writes",
    "make_engine",
    "parse_url",
    "shown_url",
]

T = TypeVar("T")

MAX_ATTEMPTS = 5
"""How many times a PostgreSQL write is tried before the conflict is reported."""

SQLITE_BUSY_ATTEMPTS = 2
"""How many times a SQLite write waits the busy timeout for the write lock (≈ 10 s in all).

A write that timed out did nothing (``BEGIN IMMEDIATE`` takes the lock before any
statement), so trying once more is safe; SQLite does not queue waiting writers, and a
writer can lose the lock several times in a row on a busy machine.
"""

RETRY_SQLSTATES = frozenset({"40001", "40P01"})
"""Serialization failure and deadlock: the transaction may simply be run again."""

WRITE_LOCK = 0x53504D5F5752
"""Key of the PostgreSQL advisory lock every write transaction holds until it ends."""

_BEGIN_OPTION = "spm_sqlite_begin"
_BUSY_TIMEOUT_MS = 5000


def _switch_to_wal(cursor: Any) -> None:
    """Put the database file in WAL mode, waiting out other processes doing the same.

    Processes opening one new file at the same moment each read its header and then
    ask to write it: SQLite answers all but one *at once* with "database is locked",
    without waiting the busy timeout (waiting could deadlock). The switch is tried again
    after a short random pause until the busy timeout has passed; by then the winner has
    made the file WAL and the switch is a no-op.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def lock_writes(connection: Connection | Session) -> None:
    """Take the store's write lock in the current transaction (PostgreSQL; SQLite no-op).

    On SQLite ``BEGIN IMMEDIATE`` has already taken the database's one write lock.
    Taking the lock again in the same transaction is harmless.
    """
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    if bind.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def _on_sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


_PASSWORD = re.compile(r"^(?P<head>[^:/@]*://[^:/@]*:).*@")
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)[^&]*", re.IGNORECASE)


def _encode_userinfo(url: str) -> str:
    """Percent-encode the user and password of ``url`` as text.

    A password with an unencoded ``@`` (``spm:p@ss@host``) would otherwise be cut at its
    first ``@`` and the rest taken for the host name — and shown.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    at = rest.rfind("@", 0, end)
    if at < 0:
        return url
    user, colon, password = rest[:at].partition(":")
    user = quote(unquote(user), safe="")
    if colon:
        user += ":" + quote(unquote(password), safe="")
    return f"{scheme}://{user}@{rest[at + 1 :]}"


def parse_url(url: str | URL) -> URL:
    """Return ``url`` parsed, with a password given as ``?password=`` moved into the URL.

    The password then lives in one place, where :meth:`URL.render_as_string` hides it.

    Raises:
        ArgumentError: the text is not a URL.
        ValueError: a part of it (the port) is malformed.

    Example:
        >>> parse_url("postgresql://spm@db/x?password=rahasia").render_as_string()
        'postgresql://spm:***@db/x'
        >>> parse_url("postgresql://spm:p@ss@db/x").password
        'p@ss'
    """
    parsed = url if isinstance(url, URL) else make_url(_encode_userinfo(str(url)))
    given = parsed.query.get("password")
    if given is None:
        return parsed
    query = {key: value for key, value in parsed.query.items() if key != "password"}
    password = given if isinstance(given, str) else given[-1]
    return parsed.set(password=password, query=query)


def shown_url(url: str | URL) -> str:
    """Return ``url`` as text with any password replaced by ``***``.

    A URL that does not parse is masked by hand (whatever lies between ``user:`` and
    the last ``@``, and any ``password=`` parameter), so no error message ever shows a
    password.

    Example:
        >>> shown_url("postgresql+psycopg://spm:rahasia@db.example/spm")
        'postgresql+psycopg://spm:***@db.example/spm'
        >>> shown_url("postgresql://spm:rahasia@db.example:port/spm")
        'postgresql://spm:***@db.example:port/spm'
        >>> shown_url("postgresql://spm:ra@hasia@db.example/spm?password=lain")
        'postgresql://spm:***@db.example/spm'
    """
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        masked = _PASSWORD.sub(r"\g<head>***@", str(url))
        return _QUERY_PASSWORD.sub(r"\g<head>***", masked)


def _first_line(error: BaseException, password: str | None) -> str:
    """Return the first line of the driver's message, without ``password``.

    Used only for errors of connecting (no row values exist yet), to say why a server
    refused: a wrong password, an unknown host.
    """
    text = str(getattr(error, "orig", None) or error).strip()
    line = text.splitlines()[0].strip() if text else type(error).__name__
    return line.replace(password, "***") if password else line


_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_FULL = 13
_CONSTRAINT = re.compile(r"^(UNIQUE|CHECK|NOT NULL|FOREIGN KEY) constraint failed: ([\w., ]+)$")


def _sqlite_detail(orig: Any) -> tuple[int | None, str]:
    code = getattr(orig, "sqlite_errorcode", None)
    name = getattr(orig, "sqlite_errorname", None) or type(orig).__name__
    message = str(orig).strip()
    match = _CONSTRAINT.match(message)
    if match:  # the table and column names, never the values
        return code, f"{name}: {match.group(1)} {match.group(2)}"
    if message in ("database is locked", "database table is locked"):
        return 5, name
    if message == "database or disk is full":
        return _SQLITE_FULL, name
    return code, name


def database_error(error: BaseException, entity: str = "-") -> SpmError:
    """Return the coded error for a database error: never the driver's text.

    * lock held too long (SQLite busy timeout) or conflicts past the retries →
      :class:`~spm_core.errors.StoreBusy` (retryable);
    * connection broken → :class:`~spm_core.errors.ConnectionLost` (retryable);
    * disk or size limit full → :class:`~spm_core.errors.StorageFull`;
    * anything else → :class:`~spm_core.errors.DatabaseError` naming the SQLSTATE (or
      SQLite result code) and the constraint or table, nothing of the row.

    ``entity`` names what was being written or read. Raise the result ``from None``:
    a chained driver exception would print its text — the row's values — in any
    traceback a caller logs. The original stays on the error as ``driver_error`` for a
    debugger; it is in no message, no ``repr`` and no traceback.
    """
    if isinstance(error, SpmError):
        return error
    mapped = _map(error, entity)
    mapped.driver_error = error  # type: ignore[attr-defined]
    return mapped


def _map(error: BaseException, entity: str) -> SpmError:
    orig = getattr(error, "orig", None) or error
    sqlstate = getattr(orig, "sqlstate", None)
    invalidated = bool(getattr(error, "connection_invalidated", False))
    if hasattr(orig, "sqlite_errorcode") or type(orig).__module__.startswith("sqlite3"):
        code, detail = _sqlite_detail(orig)
        if code is not None and code & 0xFF in _SQLITE_BUSY:
            return StoreBusy(entity=entity)
        if code is not None and code & 0xFF == _SQLITE_FULL:
            return StorageFull(detail=detail)
        return DatabaseError(entity=entity, detail=detail)
    diag = getattr(orig, "diag", None)
    parts = [f"SQLSTATE {sqlstate}" if sqlstate else type(orig).__name__]
    for label in ("constraint_name", "table_name", "column_name"):
        found = getattr(diag, label, None)
        if found:
            parts.append(f"{label.split('_')[0]} {found}")
    detail = ", ".join(parts)
    if sqlstate in RETRY_SQLSTATES or sqlstate == "55P03":
        return StoreBusy(entity=entity)
    if invalidated or (sqlstate or "").startswith("08") or sqlstate in _GONE:
        return ConnectionLost(detail=detail)
    if sqlstate is None and type(orig).__name__ in ("OperationalError", "InterfaceError"):
        return ConnectionLost(detail=detail)
    if sqlstate in ("53100", "53200"):
        return StorageFull(detail=detail)
    return DatabaseError(entity=entity, detail=detail)


_GONE = frozenset({"57P01", "57P02", "57P03"})  # admin shutdown, crash, cannot connect now


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


def _driver_missing(url: URL) -> StoreError:
    """Return the error for a PostgreSQL URL when psycopg, its driver, is not installed."""
    shown = url.render_as_string(hide_password=True)
    return StoreError(
        value=shown,
        reason_id=f"basis data {shown} membutuhkan driver PostgreSQL psycopg yang belum "
        "terpasang; pasang dengan: pip install 'spm-core[postgres]'",
        reason_en=f"the database {shown} needs psycopg, the PostgreSQL driver, which is not "
        "installed; install it with: pip install 'spm-core[postgres]'",
    )


def make_engine(url: str | URL) -> Engine:
    """Return an engine for ``url`` (SQLite or PostgreSQL) with the store's settings.

    No connection is made; :func:`check_connection` makes one.

    Raises:
        StoreError: the URL does not parse, or names a database or driver the store does
            not support (the password, if any, is masked in the message; the original
            exception, where there is one, is chained).
    """
    if not str(url).strip():
        raise StoreError(
            value=str(url),
            reason_id="URL basis data kosong; berikan --db atau SPM_DATABASE_URL, misalnya "
            "sqlite:///spm.db",
            reason_en="the database URL is empty; give --db or SPM_DATABASE_URL, for "
            "example sqlite:///spm.db",
        )
    try:
        parsed = parse_url(url)
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
    except ImportError as error:
        if backend == "postgresql" and getattr(error, "name", None) in ("psycopg", None):
            raise _driver_missing(parsed) from error
        raise _unsupported(parsed, error) from error
    except ArgumentError as error:
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
    Database errors leave as coded errors (:func:`database_error`), never as driver
    exceptions.
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
            self._write_engine = engine.execution_options(isolation_level="READ COMMITTED")
        self.backoff = 0.02
        """Base of the jittered exponential backoff between write attempts, in seconds."""
        self.concurrent_reads = not isinstance(engine.pool, (StaticPool, SingletonThreadPool))
        """Whether read transactions may run at once in several threads: each takes a
        connection of its own from the pool. Not for an in-memory SQLite database, whose
        one connection every thread shares."""

    @contextmanager
    def read(self, entity: str = "-") -> Iterator[Session]:
        """Yield a session in a read transaction (deferred BEGIN on SQLite)."""
        try:
            with Session(self._read_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as error:
            raise database_error(error, entity) from None

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """Yield a session in one write transaction holding the write lock; commit at the end.

        No retries: for work that must not run twice. Prefer :meth:`write`.
        """
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            lock_writes(session)
            yield session

    def write(self, work: Callable[[Session], T], *, entity: str, key: str | None = None) -> T:
        """Run ``work`` in a write transaction and commit; retry conflicts on PostgreSQL.

        ``entity`` names what is written, for the error raised when the database stayed
        busy; ``key`` is kept for callers that name the row (not shown: a created row
        has no id before it is written).

        Raises:
            StoreBusy: SQLite's write lock stayed taken past the busy timeout twice
                (:data:`SQLITE_BUSY_ATTEMPTS`), or every attempt on PostgreSQL conflicted;
                nothing was written (retryable).
            ConnectionLost: the connection broke (retryable).
            StorageFull: the disk or the database's size limit is full.
            DatabaseError: the database refused the write (SQLSTATE and constraint only).
        """
        del key
        attempt = 1
        while True:
            try:
                with self.write_session() as session:
                    return work(session)
            except DBAPIError as error:
                limit = SQLITE_BUSY_ATTEMPTS if self.is_sqlite else MAX_ATTEMPTS
                if not self._retryable(error) or attempt >= limit:
                    raise database_error(error, entity) from None
                time.sleep(random.uniform(0, self.backoff * 2**attempt))
                attempt += 1

    def _retryable(self, error: DBAPIError) -> bool:
        """True for a conflict (PostgreSQL) or a lock timeout (SQLite): nothing was done."""
        if self.is_sqlite:
            return isinstance(database_error(error), StoreBusy)
        return _retryable(error)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

"""The audit log's hash chain: the one way rows enter ``audit_log``, and its verification.

Every audit row carries ``prev_hash`` (the ``row_hash`` of the row before it, or
:data:`GENESIS` for the first) and ``row_hash`` = SHA-256 of a canonical serialisation
of the row's columns together with ``prev_hash``. Rows are chained per database, in
insertion (id) order. :func:`append_audit` is the only writer: it takes the store's
write lock (SQLite's ``BEGIN IMMEDIATE`` already holds it; PostgreSQL takes an advisory
lock), reads the last hash and appends, so two writers can never fork the chain — and a
unique index on ``prev_hash`` refuses a fork should any code bypass the lock.

Triggers refuse UPDATE and DELETE, but a table owner can drop or disable a trigger.
The chain makes what an owner does *evident*: :func:`verify_chain` recomputes every hash
and names the first row that no longer fits. A rewrite of every row after a change is
caught by an *anchor*: the head hash (``spm audit verify`` prints it) recorded outside
the database, checked later with ``anchors``.

Example:
    >>> from spm_core.store import open_store
    >>> store = open_store("sqlite://")
    >>> report = verify_chain(store._engine)
    >>> report.ok, report.checked
    (True, 0)
    >>> store.close()
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

import attrs
from sqlalchemy import Connection, Engine, Table, insert, select, text
from sqlalchemy.orm import Session

from spm_core.errors import AuditChainBroken
from spm_core.store.base import utc_now
from spm_core.store.tables import AuditRow
from spm_core.store.transactions import lock_writes

__all__ = [
    "COLUMNS",
    "GENESIS",
    "OPTIONAL_COLUMNS",
    "ChainReport",
    "append_audit",
    "canonical",
    "row_hash",
    "verify_chain",
]

GENESIS = "0" * 64
"""The ``prev_hash`` of the first audit row of a database."""

COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_role",
    "actor_scope",
    "action",
    "entity",
    "entity_id",
    "purpose",
    "fields",
    "wilayah_code",
    "posyandu_id",
)
"""The columns a row's hash covers (with ``prev_hash``), in this order."""

OPTIONAL_COLUMNS = ("row_count",)
"""Columns a row's hash covers only when they hold a value (added after rows existed,
so the hashes of earlier rows stay what they were)."""

_TABLE = cast(Table, AuditRow.__table__)


def _instant(value: datetime) -> str:
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any], prev_hash: str) -> bytes:
    """Return the bytes a row's hash is computed over: sorted-key compact JSON, UTF-8.

    ``at`` is written as UTC with microseconds; ``fields`` as a sorted list; the
    :data:`OPTIONAL_COLUMNS` only when not null.
    """
    data: dict[str, Any] = {name: row.get(name) for name in COLUMNS}
    data["at"] = _instant(row["at"])
    data["fields"] = sorted(row.get("fields") or ())
    data["id"] = int(row["id"])
    data["prev_hash"] = prev_hash
    for name in OPTIONAL_COLUMNS:
        if row.get(name) is not None:
            data[name] = row[name]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(row: Mapping[str, Any], prev_hash: str) -> str:
    """Return the SHA-256 (hex) that chains ``row`` to the row whose hash is ``prev_hash``."""
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()


def _connection(target: Session | Connection) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def _next_ids(connection: Connection, last_id: int | None, count: int) -> list[int]:
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) "
            "FROM generate_series(1, :count)"
        )
        return sorted(int(i) for i in connection.scalars(query, {"count": count}))
    start = (last_id or 0) + 1
    return list(range(start, start + count))


def append_audit(target: Session | Connection, events: Iterable[Mapping[str, Any]]) -> list[int]:
    """Append audit rows, hash-chained, in the caller's transaction; return their ids.

    Each event maps the audit columns (``actor_id``, ``actor_role``, ``actor_scope``,
    ``action``, ``entity``, ``entity_id``, ``purpose``, ``fields``, ``wilayah_code``,
    ``posyandu_id``; ``at`` defaults to now). This is the only way rows should enter
    the audit log: bulk paths pass all their events in one call.
    """
    rows = [dict(event) for event in events]
    if not rows:
        return []
    connection = _connection(target)
    lock_writes(connection)
    last = connection.execute(
        select(_TABLE.c.id, _TABLE.c.row_hash).order_by(_TABLE.c.id.desc()).limit(1)
    ).first()
    prev = GENESIS if last is None else (last.row_hash or GENESIS)
    ids = _next_ids(connection, None if last is None else int(last.id), len(rows))
    now = utc_now()
    for row, new_id in zip(rows, ids, strict=True):
        row.setdefault("at", now)
        row["at"] = row["at"].astimezone(UTC) if row["at"].tzinfo else row["at"]
        row["fields"] = sorted(set(row.get("fields") or ()))
        row.setdefault("wilayah_code", None)
        row.setdefault("posyandu_id", None)
        row["id"] = new_id
        row["prev_hash"] = prev
        row["row_hash"] = prev = row_hash(row, prev)
    connection.execute(insert(_TABLE), rows)
    return ids


@attrs.frozen
class ChainReport:
    """The outcome of :func:`verify_chain`.

    ``broken_at`` is the id of the first row that does not fit (``None`` when the chain
    verifies); ``reason_id``/``reason_en`` say why; ``head`` is the hash of the last row
    that verified and ``last_id`` its id: record the pair outside the database as an
    anchor.
    """

    checked: int
    head: str
    last_id: int | None = None
    broken_at: int | None = None
    reason_id: str = ""
    reason_en: str = ""

    @property
    def ok(self) -> bool:
        """True when every row fits the chain (and every anchor matched)."""
        return self.broken_at is None

    def error(self) -> AuditChainBroken | None:
        """Return the error describing the break, or ``None`` when the chain verifies."""
        if self.broken_at is None:
            return None
        return AuditChainBroken(
            value=self.broken_at, reason_id=self.reason_id, reason_en=self.reason_en
        )


def verify_chain(
    source: Engine | Connection, *, anchors: Mapping[int, str] | None = None
) -> ChainReport:
    """Recompute the audit chain in id order; report the first row that does not fit.

    Detects a changed row (its hash no longer matches its columns), a removed or
    inserted row (the next row's ``prev_hash`` no longer matches), and — given
    ``anchors``, ``{row id: row hash}`` recorded earlier — a chain recomputed from a
    changed row onwards, or rows removed from its end.
    """
    if isinstance(source, Engine):
        with source.connect() as connection:
            return verify_chain(connection, anchors=anchors)
    wanted = dict(anchors or {})
    names = (*COLUMNS, *OPTIONAL_COLUMNS, "prev_hash", "row_hash")
    columns = [_TABLE.c[name] for name in names]
    query = select(*columns).order_by(_TABLE.c.id).execution_options(yield_per=2000)
    expected, checked, previous_id = GENESIS, 0, None
    for found in source.execute(query).mappings():
        row = dict(found)
        checked += 1
        row_id = int(row["id"])
        if row["row_hash"] is None or row["prev_hash"] is None:
            return _broken(checked, expected, row_id, "baris tanpa hash", "a row without a hash")
        if row["prev_hash"] != expected:
            after = "awal log" if previous_id is None else f"baris {previous_id}"
            after_en = "the start of the log" if previous_id is None else f"row {previous_id}"
            return _broken(
                checked,
                expected,
                row_id,
                f"hash sebelumnya tidak cocok dengan {after}: ada baris yang dihapus, "
                "disisipkan atau diubah sebelum baris ini",
                f"its previous hash does not match {after_en}: a row before it was "
                "removed, inserted or changed",
            )
        if row_hash(row, row["prev_hash"]) != row["row_hash"]:
            return _broken(
                checked,
                expected,
                row_id,
                "isi baris tidak cocok dengan hash-nya: baris ini diubah",
                "its content does not match its hash: the row was changed",
            )
        if row_id in wanted and wanted.pop(row_id) != row["row_hash"]:
            return _broken(
                checked,
                expected,
                row_id,
                "hash tidak cocok dengan jangkar yang dicatat: log ditulis ulang",
                "its hash does not match the recorded anchor: the log was rewritten",
            )
        expected, previous_id = row["row_hash"], row_id
    if wanted:
        missing = min(wanted)
        return _broken(
            checked,
            expected,
            missing,
            "baris jangkar tidak ada lagi: baris di akhir log dihapus",
            "the anchored row no longer exists: rows at the end of the log were removed",
        )
    return ChainReport(checked=checked, head=expected, last_id=previous_id)


def _broken(checked: int, head: str, row_id: int, why_id: str, why_en: str) -> ChainReport:
    return ChainReport(
        checked=checked, head=head, broken_at=row_id, reason_id=why_id, reason_en=why_en
    )

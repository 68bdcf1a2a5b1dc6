"""What every part of the store shares: transactions, the audit trail, scoped lookups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.domain.timezone import local_today, zone_of
from spm_core.domain.wilayah import KodeWilayah, lookup
from spm_core.errors import InputError, Issue, NotFound, UnknownRegion, shorten
from spm_core.store import migrations
from spm_core.store._scoping import personal_rows, posyandu_rows
from spm_core.store.base import utc_now
from spm_core.store.chain import ChainReport, append_audit, verify_chain
from spm_core.store.declare import no_rows
from spm_core.store.tables import HouseholdRow, PosyanduRow, ResidentRow, WilayahRow
from spm_core.store.transactions import Database, database_error

__all__ = [
    "BIRTH_DATE",
    "OBSERVED_ON",
    "StoreCore",
    "audit_event",
    "check_not_future",
    "future_issue",
    "missing",
    "not_found",
    "page",
    "reject",
]

_SOURCE = "Kepmendagri 300.2.2-2138/2025"


def not_found(entity: str, value: object) -> NotFound:
    """Return the one error for a row that does not exist or that the actor may not see."""
    return NotFound(entity=entity, value=value)


def missing(entity: str, field: str, value: object, row: int | None = None) -> Issue:
    """Return an input issue for a reference to a row that is absent or out of scope.

    The wording is that of :class:`NotFound`, so the two cases read the same.
    """
    error = not_found(entity, value)
    return Issue(error.code, field, str(value), error.message_id, error.message_en, row)


def reject(code: str, field: str, value: object, message_id: str, message_en: str) -> InputError:
    """Return an :class:`InputError` with one issue."""
    shown = None if value is None else str(value)
    return InputError([Issue(code, field, shown, message_id, message_en)])


def check_length(field: str, text: str | None, limit: int) -> None:
    """Raise a ``too-long`` input error if ``text`` is longer than its column holds.

    PostgreSQL refuses such text (SQLSTATE 22001, a database error) where SQLite keeps it
    whole; both now get the same input error before anything is written.
    """
    if text is not None and len(text) > limit:
        raise reject(
            "too-long",
            field,
            shorten(text),
            f"Terlalu panjang: paling banyak {limit} karakter.",
            f"Too long: at most {limit} character(s).",
        )


class StoreCore:
    """The engine, the transaction runner and the helpers the store's parts share."""

    def __init__(self, engine: Engine, catalog: Catalog | None = None) -> None:
        self._db = Database(engine)
        self._catalog = catalog

    def _classify_with(self, catalog: Catalog) -> None:
        """Name the category of each record type read by this store from ``catalog``.

        Without a catalog every record type read counts as specific data (the stricter
        duty): every read of records is logged.
        """
        self._catalog = catalog

    # ------------------------------------------------------------------ lifecycle

    @property
    def _engine(self) -> Engine:
        """The SQLAlchemy engine: unscoped access to every table, so never public.

        Analytic reads get a declared aggregate path of their own; tests reach the
        engine here to provoke what only the database can (triggers, contention).
        """
        return self._db.engine

    @property
    @no_rows
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self._db.engine.url.render_as_string(hide_password=True)

    @property
    @no_rows
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.engine.dialect.name

    @property
    @no_rows
    def reads_concurrently(self) -> bool:
        """Whether independent reads may run at once in threads, each on its own connection.

        True on PostgreSQL and on a SQLite file (in WAL mode its readers do not block
        one another); false for an in-memory SQLite database, which has one connection.
        """
        return self._db.concurrent_reads

    @no_rows
    def schema_revision(self) -> str | None:
        """Return the migration revision the database is at."""
        return migrations.current_revision(self._db.engine)

    @no_rows
    def verify_audit(self, anchors: Mapping[int, str] | None = None) -> ChainReport:
        """Recompute the audit log's hash chain; report the first row that does not fit.

        The report holds row ids and hashes only, never the content of a row.
        ``anchors`` are ``{row id: row hash}`` pairs recorded earlier (the ``head`` of
        an earlier report and the id of the last row then), to catch a log rewritten
        from some row on, or cut short.
        """
        try:
            return verify_chain(self._db.engine, anchors=anchors)
        except DBAPIError as error:
            raise database_error(error, "audit_log") from None

    @no_rows
    def close(self) -> None:
        """Close every pooled connection; the store is unusable afterwards."""
        self._db.dispose()

    def __enter__(self) -> StoreCore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ audit

    @staticmethod
    def _audit(
        session: Session,
        actor: Actor,
        *,
        action: str,
        entity: str,
        entity_id: str,
        purpose: Purpose,
        fields: Iterable[str],
        wilayah_code: str | None,
        posyandu_id: str | None = None,
    ) -> None:
        """Append one hash-chained audit row in the caller's transaction.

        Field names, never values; through :func:`~spm_core.store.chain.append_audit`.
        """
        append_audit(
            session,
            [
                audit_event(
                    actor, action, entity, entity_id, purpose, fields, wilayah_code, posyandu_id
                )
            ],
        )

    # ------------------------------------------------------------------ wilayah

    def _ensure_wilayah(
        self, session: Session, actor: Actor, code: KodeWilayah, purpose: Purpose, field: str
    ) -> WilayahRow:
        """Return the row of ``code``, first copying it and its ancestors from the list.

        Raises:
            InputError: the code is not in the Kemendagri list (issue on ``field``).
        """
        chain = [*reversed(code.ancestors()), code]
        existing = {
            row.code: row
            for row in session.scalars(
                select(WilayahRow).where(WilayahRow.code.in_([c.value for c in chain]))
            )
        }
        if code.value in existing:
            return existing[code.value]
        for link in chain:
            if link.value in existing:
                continue
            info = lookup(link)
            if info is None:
                error = UnknownRegion(value=link.value, source=_SOURCE)
                raise InputError(
                    [Issue(error.code, field, link.value, error.message_id, error.message_en)]
                )
            row = WilayahRow(
                code=link.value,
                name=info.name,
                level=int(info.level),
                kind=info.kind,
                parent_code=None if link.parent is None else link.parent.value,
            )
            session.add(row)
            session.flush()
            existing[link.value] = row
            self._audit(
                session,
                actor,
                action="create",
                entity="wilayah",
                entity_id=link.value,
                purpose=purpose,
                fields=("code", "name", "level", "kind", "parent_code"),
                wilayah_code=link.value,
            )
        return existing[code.value]

    # ------------------------------------------------------------------ scoped lookups

    @staticmethod
    def _posyandu(session: Session, actor: Actor, posyandu_id: str) -> PosyanduRow | None:
        """Return the posyandu if it exists and the actor's scope covers it."""
        return session.scalars(
            select(PosyanduRow).where(PosyanduRow.id == posyandu_id, posyandu_rows(actor))
        ).one_or_none()

    @staticmethod
    def _resident(session: Session, actor: Actor, resident_id: str) -> ResidentRow | None:
        """Return the resident if it exists and the actor may see it.

        A resident whose processing is restricted is absent here for every role but the
        operator (:func:`~spm_core.store._scoping.not_restricted`), so every write that
        names a resident treats a restricted one exactly like an unknown id.
        """
        condition = personal_rows(
            actor,
            "resident",
            ResidentRow.posyandu_id,
            ResidentRow.wilayah_code,
            resident=ResidentRow.id,
        )
        query = select(ResidentRow).where(ResidentRow.id == resident_id, condition)
        return session.scalars(query).one_or_none()

    @staticmethod
    def _household(session: Session, actor: Actor, household_id: str) -> HouseholdRow | None:
        """Return the household if it exists and the actor may see it."""
        condition = personal_rows(
            actor, "household", HouseholdRow.posyandu_id, HouseholdRow.wilayah_code, resident=None
        )
        return session.scalars(
            select(HouseholdRow).where(HouseholdRow.id == household_id, condition)
        ).one_or_none()

    @staticmethod
    def _writable_posyandu(
        session: Session, actor: Actor, posyandu_id: str, field: str = "posyandu_id"
    ) -> PosyanduRow:
        """Return the posyandu an actor writes rows for, or raise an input error naming it."""
        row = StoreCore._posyandu(session, actor, posyandu_id)
        if row is None:
            raise InputError([missing("posyandu", field, posyandu_id)])
        return row


def future_issue(
    value: date | None,
    wilayah_code: str,
    field: str,
    labels: tuple[str, str],
    row: int | None = None,
) -> Issue | None:
    """Return an issue if ``value`` is after today on the clock of ``wilayah_code``.

    The boundary refuses only dates in the future everywhere in Indonesia; here the
    posyandu's own zone (WIB, WITA or WIT, from its province) decides.
    """
    if value is None:
        return None
    today = local_today(wilayah_code)
    if value <= today:
        return None
    zone = zone_of(wilayah_code).name
    return Issue(
        "date-in-future",
        field,
        value.isoformat(),
        f"{labels[0]} {value.isoformat()} ada di masa depan: hari ini {today.isoformat()} "
        f"({zone}) di wilayah {wilayah_code}.",
        f"{labels[1]} {value.isoformat()} is in the future: today is {today.isoformat()} "
        f"({zone}) in region {wilayah_code}.",
        row,
    )


def check_not_future(
    value: date | None, wilayah_code: str, field: str, labels: tuple[str, str]
) -> None:
    """Raise an :class:`InputError` if ``value`` is in the future in ``wilayah_code``."""
    issue = future_issue(value, wilayah_code, field, labels)
    if issue is not None:
        raise InputError([issue])


MAX_PAGE = 2**63 - 1
"""The largest ``limit`` or ``offset`` a list takes: a 64-bit integer, as both databases hold."""


def page(limit: object, offset: object = 0) -> tuple[int | None, int]:
    """Return ``(limit, offset)`` checked: whole numbers, ``limit`` ≥ 0 or ``None``, ``offset`` ≥ 0.

    Both are at most :data:`MAX_PAGE` (the largest 64-bit integer): a larger one was a
    database overflow error on either database.

    Raises:
        InputError: an issue on ``limit`` or ``offset`` (code ``invalid-page``), in both
            languages, naming the value; text such as ``"abc"`` and negatives included.
    """
    issues: list[Issue] = []
    checked: dict[str, int | None] = {}
    for name, value, optional in (("limit", limit, True), ("offset", offset, False)):
        if value is None and optional:
            checked[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAGE:
            issues.append(
                Issue(
                    "invalid-page",
                    name,
                    str(shorten(str(value))),
                    f"{name} harus bilangan bulat 0 sampai {MAX_PAGE}"
                    + (" (atau kosong untuk tanpa batas)" if optional else "")
                    + f", bukan {shorten(repr(value))}.",
                    f"{name} must be a whole number from 0 to {MAX_PAGE}"
                    + (" (or None for no limit)" if optional else "")
                    + f", not {shorten(repr(value))}.",
                )
            )
        else:
            checked[name] = value
    if issues:
        raise InputError(issues)
    return checked["limit"], int(checked["offset"] or 0)


BIRTH_DATE = ("Tanggal lahir", "Birth date")
OBSERVED_ON = ("Tanggal pengamatan", "Observation date")


def audit_event(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    purpose: Purpose,
    fields: Iterable[str],
    wilayah_code: str | None,
    posyandu_id: str | None = None,
) -> dict[str, Any]:
    """Return the columns of one audit row (for :func:`~spm_core.store.chain.append_audit`)."""
    return {
        "at": utc_now(),
        "actor_id": actor.id,
        "actor_role": actor.role.value,
        "actor_scope": actor.scope.describe(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "purpose": purpose.value,
        "fields": sorted(set(fields)),
        "wilayah_code": wilayah_code,
        "posyandu_id": posyandu_id,
    }


def changed_fields(row: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Return the entries of ``changes`` that differ from ``row``'s attributes."""
    return {name: value for name, value in changes.items() if getattr(row, name) != value}

"""What every part of the store shares: transactions, the audit trail, scoped lookups."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.wilayah import KodeWilayah, lookup
from spm_core.errors import InputError, Issue, NotFound, UnknownRegion
from spm_core.store import migrations
from spm_core.store._scoping import personal_rows, posyandu_rows
from spm_core.store.base import utc_now
from spm_core.store.declare import no_rows
from spm_core.store.tables import AuditRow, HouseholdRow, PosyanduRow, ResidentRow, WilayahRow
from spm_core.store.transactions import Database

__all__ = ["StoreCore", "missing", "not_found", "reject"]

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


class StoreCore:
    """The engine, the transaction runner and the helpers the store's parts share."""

    def __init__(self, engine: Engine) -> None:
        self._db = Database(engine)

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

    @no_rows
    def schema_revision(self) -> str | None:
        """Return the migration revision the database is at."""
        return migrations.current_revision(self._db.engine)

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
        """Append one audit row in the caller's transaction: field names, never values."""
        session.add(
            AuditRow(
                at=utc_now(),
                actor_id=actor.id,
                actor_role=actor.role.value,
                actor_scope=actor.scope.describe(),
                action=action,
                entity=entity,
                entity_id=entity_id,
                purpose=purpose.value,
                fields=sorted(set(fields)),
                wilayah_code=wilayah_code,
                posyandu_id=posyandu_id,
            )
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


def changed_fields(row: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Return the entries of ``changes`` that differ from ``row``'s attributes."""
    return {name: value for name, value in changes.items() if getattr(row, name) != value}

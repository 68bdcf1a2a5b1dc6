"""Moves, deaths and moving away: the dated life of a resident in the region.

A move on day D closes the current domicile on D − 1 and opens a new one on D; moving
out of the region on D closes it on D − 1 and sets ``moved_away_on``; a death on D sets
``died_on`` and ends the domicile on D (the resident no longer counts from D on). A
return after moving away opens a new domicile and clears ``moved_away_on``.

Records follow the resident: after a move the kader of the new posyandu sees every
record about the resident, the earlier ones included, and the old posyandu no longer
sees the resident or their records (reports of past periods still count them where
they lived, through the dated domicile). A move therefore needs an actor who sees the
resident and may write at the new posyandu — an officer or operator whose area covers
both, never one kader alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic_core import PydanticCustomError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.errors import ConcurrentUpdate
from spm_core.schemas._normalise import normalise_rt_rw
from spm_core.store._core import StoreCore, not_found, reject
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import DomicileRow, RecordRow, ResidentRow
from spm_core.store.values import Domicile, Resident

__all__ = ["DomicileMixin"]

_DAY = timedelta(days=1)


def _latest(session: Session, resident_id: str) -> DomicileRow | None:
    return session.scalars(
        select(DomicileRow)
        .where(DomicileRow.resident_id == resident_id)
        .order_by(DomicileRow.since.desc())
        .limit(1)
    ).one_or_none()


def _not_after(field: str, day: date, limit: date, what_id: str, what_en: str) -> None:
    if day <= limit:
        raise reject(
            "date-too-early",
            field,
            day.isoformat(),
            f"Tanggal {day.isoformat()} harus sesudah {what_id} ({limit.isoformat()}).",
            f"The date {day.isoformat()} must be after {what_en} ({limit.isoformat()}).",
        )


def _alive(row: ResidentRow, field: str, day: date) -> None:
    if row.died_on is not None and row.died_on <= day:
        raise reject(
            "resident-died",
            field,
            day.isoformat(),
            f"Warga {row.id} meninggal pada {row.died_on.isoformat()}.",
            f"Resident {row.id} died on {row.died_on.isoformat()}.",
        )


def _rt_rw(value: str | None, label: str) -> str | None:
    """Return the RT or RW number normalised, or raise an input error naming ``rt``/``rw``."""
    try:
        return normalise_rt_rw(value, label)
    except PydanticCustomError as error:
        context = error.context or {}
        raise reject(
            str(context.get("code", "invalid-rt-rw")),
            label.lower(),
            value,
            str(context.get("message_id", error.message())),
            str(context.get("message_en", error.message())),
        ) from None


class DomicileMixin(StoreCore):
    """Dated domicile of residents: moves, deaths, moving away."""

    def _bump(self, session: Session, row: ResidentRow, **values: object) -> None:
        result = session.execute(
            update(ResidentRow)
            .where(ResidentRow.id == row.id, ResidentRow.version == row.version)
            .values(**values, version=row.version + 1, updated_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise ConcurrentUpdate(entity="resident", value=row.id)

    def _life_event(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        row: ResidentRow,
        action: str,
        **dates: date,
    ) -> Resident:
        """Set a death or moving-away date (the domicile is already closed), audited."""
        self._bump(session, row, **dates)
        self._audit(
            session,
            actor,
            action=action,
            entity="resident",
            entity_id=row.id,
            purpose=purpose,
            fields=[*dates, "domicile"],
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
        )
        session.flush()
        session.refresh(row)
        return Resident.from_row(row)

    def _visible(self, session: Session, actor: Actor, resident_id: str) -> ResidentRow:
        row = self._resident(session, actor, resident_id)
        if row is None:
            raise not_found("resident", resident_id)
        return row

    @writes("resident")
    def move_resident(
        self,
        actor: Actor,
        resident_id: str,
        posyandu_id: str,
        on: date,
        purpose: Purpose,
        *,
        rt: str | None = None,
        rw: str | None = None,
    ) -> Resident:
        """Move a resident to ``posyandu_id`` from ``on`` (the first day at the new place).

        The current domicile ends the day before; the records about the resident move
        to the new posyandu with them. A resident who had moved away returns.

        Raises:
            NotFound: the resident is absent or out of the actor's scope.
            InputError: the new posyandu is absent or out of scope; ``on`` is not after
                the start of the current domicile; the resident died on or before ``on``.
        """
        new_rt, new_rw = _rt_rw(rt, "RT"), _rt_rw(rw, "RW")

        def work(session: Session) -> Resident:
            row = self._visible(session, actor, resident_id)
            _alive(row, "on", on)
            posyandu = self._writable_posyandu(session, actor, posyandu_id)
            latest = _latest(session, row.id)
            if latest is not None:
                _not_after(
                    "on", on, latest.since, "awal domisili sekarang", "the current domicile's start"
                )
                if latest.until is None or latest.until >= on:
                    latest.until = on - _DAY
            session.add(
                DomicileRow(
                    id=new_id(),
                    resident_id=row.id,
                    posyandu_id=posyandu.id,
                    wilayah_code=posyandu.wilayah_code,
                    rt=new_rt,
                    rw=new_rw,
                    since=on,
                    until=None,
                )
            )
            self._bump(
                session,
                row,
                posyandu_id=posyandu.id,
                wilayah_code=posyandu.wilayah_code,
                rt=new_rt,
                rw=new_rw,
                moved_away_on=None,
            )
            session.execute(
                update(RecordRow)
                .where(RecordRow.resident_id == row.id)
                .values(posyandu_id=posyandu.id, wilayah_code=posyandu.wilayah_code)
                .execution_options(synchronize_session=False)
            )
            self._audit(
                session,
                actor,
                action="move",
                entity="resident",
                entity_id=row.id,
                purpose=purpose,
                fields=["domicile", "posyandu_id", "wilayah_code", "rt", "rw"],
                wilayah_code=posyandu.wilayah_code,
                posyandu_id=posyandu.id,
            )
            session.flush()
            session.refresh(row)
            return Resident.from_row(row)

        return self._db.write(work, entity="resident", key=resident_id)

    @writes("resident")
    def record_death(self, actor: Actor, resident_id: str, on: date, purpose: Purpose) -> Resident:
        """Record that a resident died on ``on``; from that day on they count nowhere.

        Raises:
            NotFound: the resident is absent or out of the actor's scope.
            InputError: ``on`` is before the birth date or the current domicile's start,
                or a death is already recorded.
        """

        def work(session: Session) -> Resident:
            row = self._visible(session, actor, resident_id)
            if row.died_on is not None:
                raise reject(
                    "resident-died",
                    "on",
                    on.isoformat(),
                    f"Kematian warga {row.id} sudah dicatat ({row.died_on.isoformat()}).",
                    f"The death of resident {row.id} is already recorded "
                    f"({row.died_on.isoformat()}).",
                )
            _not_after("on", on, row.birth_date - _DAY, "tanggal lahir", "the birth date")
            latest = _latest(session, row.id)
            if latest is not None:
                _not_after("on", on, latest.since - _DAY, "awal domisili", "the domicile's start")
                if latest.until is None or latest.until > on:
                    latest.until = on
            return self._life_event(session, actor, purpose, row, "death", died_on=on)

        return self._db.write(work, entity="resident", key=resident_id)

    @writes("resident")
    def record_moved_away(
        self, actor: Actor, resident_id: str, on: date, purpose: Purpose
    ) -> Resident:
        """Record that a resident left the region on ``on`` (their first day elsewhere).

        Raises:
            NotFound: the resident is absent or out of the actor's scope.
            InputError: ``on`` is not after the current domicile's start, or the
                resident died on or before ``on``.
        """

        def work(session: Session) -> Resident:
            row = self._visible(session, actor, resident_id)
            _alive(row, "on", on)
            latest = _latest(session, row.id)
            if latest is not None:
                _not_after(
                    "on", on, latest.since, "awal domisili sekarang", "the current domicile's start"
                )
                if latest.until is None or latest.until >= on:
                    latest.until = on - _DAY
            return self._life_event(session, actor, purpose, row, "move-away", moved_away_on=on)

        return self._db.write(work, entity="resident", key=resident_id)

    @reads("resident")
    def resident_domiciles(
        self, actor: Actor, resident_id: str, *, purpose: Purpose | str | None = None
    ) -> list[Domicile]:
        """Return every domicile of a resident, oldest first.

        Raises:
            NotFound: the resident is absent or out of the actor's scope.
        """
        with self._db.read() as session:
            row = self._visible(session, actor, resident_id)
            query = (
                select(DomicileRow)
                .where(DomicileRow.resident_id == row.id)
                .order_by(DomicileRow.since, DomicileRow.id)
            )
            return [Domicile.from_row(found) for found in session.scalars(query)]

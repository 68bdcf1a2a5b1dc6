"""Regions and posyandu: the register every other row hangs from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.enums import SpmField
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InputError, InvalidValue, Issue, SpmError
from spm_core.schemas import PosyanduIn, validate
from spm_core.store._core import StoreCore, not_found, reject
from spm_core.store._scoping import in_area, posyandu_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import PosyanduFieldRow, PosyanduRow, WilayahRow
from spm_core.store.values import Posyandu, Wilayah

__all__ = ["PlacesMixin", "as_area"]


def as_area(value: KodeWilayah | str, field: str = "area") -> KodeWilayah:
    """Return ``value`` as a region code, or raise an input error naming ``field``."""
    if isinstance(value, KodeWilayah):
        return value
    try:
        return KodeWilayah.parse(value)
    except SpmError as error:
        raise InputError(
            [Issue(error.code, field, str(value), error.message_id, error.message_en)]
        ) from None


def _out_of_area(actor: Actor, field: str, code: KodeWilayah) -> InputError:
    return reject(
        "out-of-scope",
        field,
        code.value,
        f"Wilayah {code} di luar lingkup Anda ({actor.scope.describe()}).",
        f"Region {code} lies outside your scope ({actor.scope.describe()}).",
    )


def _load(session: Session, rows: list[PosyanduRow]) -> list[Posyandu]:
    if not rows:
        return []
    periods: dict[str, list[PosyanduFieldRow]] = {row.id: [] for row in rows}
    for period in session.scalars(
        select(PosyanduFieldRow).where(PosyanduFieldRow.posyandu_id.in_(list(periods)))
    ):
        periods[period.posyandu_id].append(period)
    return [Posyandu.from_row(row, periods[row.id]) for row in rows]


class PlacesMixin(StoreCore):
    """Regions (wilayah) and posyandu with the SPM fields they serve."""

    # ------------------------------------------------------------------ wilayah

    @writes("wilayah")
    def ensure_wilayah(
        self, actor: Actor, code: KodeWilayah | str, *, purpose: Purpose = Purpose.ADMINISTRASI
    ) -> Wilayah:
        """Copy a region and the regions above it from the Kemendagri list, if missing.

        Operators only, for regions in or above their area. Each region copied is one
        audit row.

        Raises:
            InputError: the code is malformed, unknown, or outside the operator's area.
        """
        parsed = as_area(code, "code")
        area = actor.area
        if area is None or not (area.contains(parsed) or parsed.contains(area)):
            raise _out_of_area(actor, "code", parsed)

        def work(session: Session) -> Wilayah:
            return Wilayah.from_row(self._ensure_wilayah(session, actor, parsed, purpose, "code"))

        return self._db.write(work, entity="wilayah", key=parsed.value)

    @reads("wilayah")
    def get_wilayah(self, actor: Actor, code: KodeWilayah | str) -> Wilayah:
        """Return a stored region (public data: every actor may read it).

        Raises:
            NotFound: the region has not been stored.
        """
        parsed = as_area(code, "code")
        with self._db.read() as session:
            row = session.get(WilayahRow, parsed.value)
            if row is None:
                raise not_found("wilayah", parsed.value)
            return Wilayah.from_row(row)

    # ------------------------------------------------------------------ posyandu

    @writes("posyandu")
    def add_posyandu(
        self, actor: Actor, data: PosyanduIn | Mapping[str, Any], purpose: Purpose
    ) -> Posyandu:
        """Register a posyandu in a desa/kelurahan of the operator's area.

        A registration number that does not start with the village code is kept: the
        returned posyandu's ``notices`` flag it (the format is unconfirmed).

        Raises:
            InputError: invalid input, a village outside the area or not in the
                Kemendagri list, or a registration number already in use.
        """
        posyandu = validate(PosyanduIn, data)
        village = KodeWilayah(posyandu.wilayah_code)
        area = actor.area
        if area is None or not area.contains(village):
            raise _out_of_area(actor, "wilayah_code", village)

        def work(session: Session) -> Posyandu:
            self._ensure_wilayah(session, actor, village, purpose, "wilayah_code")
            number = posyandu.registration_number or None
            if number is not None and session.scalar(
                select(exists().where(PosyanduRow.registration_number == number))
            ):
                raise reject(
                    "duplicate-registration-number",
                    "registration_number",
                    number,
                    f"Nomor registrasi posyandu {number} sudah dipakai.",
                    f"Posyandu registration number {number} is already in use.",
                )
            now = utc_now()
            row = PosyanduRow(
                id=new_id(),
                registration_number=number,
                name=posyandu.name,
                wilayah_code=village.value,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            for served in posyandu.fields:
                session.add(
                    PosyanduFieldRow(
                        posyandu_id=row.id, field=served.field.value, since=served.since
                    )
                )
            self._audit(
                session,
                actor,
                action="create",
                entity="posyandu",
                entity_id=row.id,
                purpose=purpose,
                fields=["name", "wilayah_code", "registration_number"]
                + [f"fields.{s.field.value}" for s in posyandu.fields],
                wilayah_code=village.value,
                posyandu_id=row.id,
            )
            session.flush()
            return _load(session, [row])[0]

        return self._db.write(work, entity="posyandu", key=posyandu.name)

    @writes("posyandu")
    def set_posyandu_field(
        self,
        actor: Actor,
        posyandu_id: str,
        field: SpmField | str,
        since: date,
        until: date | None = None,
        *,
        purpose: Purpose,
    ) -> Posyandu:
        """Record that a posyandu serves ``field`` from ``since`` to ``until`` (inclusive).

        A period with the same start is replaced (set ``until`` to close it); periods of
        one field may not overlap.

        Raises:
            NotFound: no such posyandu in the operator's area.
            InputError: an unknown field, ``until`` before ``since``, or an overlap.
        """
        try:
            spm_field = SpmField.parse(str(field))
        except InvalidValue as error:
            raise reject(
                "not-allowed", "field", field, error.message_id, error.message_en
            ) from None
        if until is not None and until < since:
            raise reject(
                "end-before-start",
                "until",
                until.isoformat(),
                f"Tanggal akhir {until} sebelum tanggal mulai {since}.",
                f"The end date {until} is before the start date {since}.",
            )

        def work(session: Session) -> Posyandu:
            row = self._posyandu(session, actor, posyandu_id)
            if row is None:
                raise not_found("posyandu", posyandu_id)
            periods = PosyanduFieldRow
            overlap = session.scalar(
                select(
                    exists().where(
                        periods.posyandu_id == row.id,
                        periods.field == spm_field.value,
                        periods.since != since,
                        or_(periods.until.is_(None), periods.until >= since),
                        *([] if until is None else [periods.since <= until]),
                    )
                )
            )
            if overlap:
                raise reject(
                    "overlapping-period",
                    "since",
                    since.isoformat(),
                    f"Periode bidang {spm_field.value} bertumpang tindih dengan periode lain.",
                    f"The period of field {spm_field.value} overlaps another period.",
                )
            current = session.get(periods, (row.id, spm_field.value, since))
            if current is None:
                session.add(
                    periods(posyandu_id=row.id, field=spm_field.value, since=since, until=until)
                )
            else:
                current.until = until
            session.execute(
                update(PosyanduRow)
                .where(PosyanduRow.id == row.id)
                .values(version=PosyanduRow.version + 1, updated_at=utc_now())
                .execution_options(synchronize_session=False)
            )
            self._audit(
                session,
                actor,
                action="update",
                entity="posyandu",
                entity_id=row.id,
                purpose=purpose,
                fields=[f"fields.{spm_field.value}"],
                wilayah_code=row.wilayah_code,
                posyandu_id=row.id,
            )
            session.flush()
            session.refresh(row)
            return _load(session, [row])[0]

        return self._db.write(work, entity="posyandu", key=posyandu_id)

    @reads("posyandu")
    def get_posyandu(self, actor: Actor, posyandu_id: str) -> Posyandu:
        """Return a posyandu in the actor's scope.

        Raises:
            NotFound: no such posyandu, or one outside the actor's scope.
        """
        with self._db.read() as session:
            row = self._posyandu(session, actor, posyandu_id)
            if row is None:
                raise not_found("posyandu", posyandu_id)
            return _load(session, [row])[0]

    @reads("posyandu")
    def list_posyandu(
        self,
        actor: Actor,
        *,
        area: KodeWilayah | str | None = None,
        field: SpmField | None = None,
        on: date | None = None,
    ) -> list[Posyandu]:
        """Return the posyandu in the actor's scope, optionally in ``area``.

        With ``field``, only those serving that field on ``on`` (default today); with only
        ``on``, those serving any field on that day.
        """
        query = select(PosyanduRow).where(posyandu_rows(actor))
        if area is not None:
            query = query.where(in_area(PosyanduRow.wilayah_code, as_area(area)))
        if field is not None or on is not None:
            day = on or date.today()
            periods = PosyanduFieldRow
            serving = exists().where(
                periods.posyandu_id == PosyanduRow.id,
                periods.since <= day,
                or_(periods.until.is_(None), periods.until >= day),
                *([] if field is None else [periods.field == SpmField.parse(str(field)).value]),
            )
            query = query.where(serving)
        query = query.order_by(PosyanduRow.wilayah_code, PosyanduRow.name, PosyanduRow.id)
        with self._db.read() as session:
            return _load(session, list(session.scalars(query)))

"""Whole tables as columns: the declared aggregate path of the columnar indicator engine.

:meth:`ColumnsMixin.aggregate_columns` reads the people, stays, memberships and the
records of the record types asked for into polars DataFrames (:class:`Frames`), hands
them to a ``compute`` function and returns only what that function counted, checked,
rolled up and suppressed exactly as :meth:`~spm_core.store.aggregate.AggregateMixin.aggregate`
does (one roll-up function for both paths). The frames never leave the call.

The same rules hold as on the SQL path: a resident who restricted processing is not
read (not a person, not a member, no records); voided records are not read; counts
are only for subjects in the actor's scope (:meth:`Frames.in_scope`); researchers get
small cells suppressed.

Record values are read **typed**, by the JSON type of each value in the database: a
``number`` field is a float only where the stored value is a JSON number, a
``boolean`` field only where it is ``true``/``false``, a ``text`` field only where it
is a string; anything else (missing, null, another type) is null, and a comparison
with null is false — the two-valued rule of the reference evaluator.

Needs polars (``pip install spm-core[polars]``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs
from sqlalchemy import ColumnElement, Float, String, case, cast, func, literal, select

from spm_core.access import Actor, PosyanduScope
from spm_core.errors import InvalidValue
from spm_core.store._core import StoreCore
from spm_core.store._scoping import posyandu_rows
from spm_core.store.aggregate import (
    AREA_COLUMNS,
    Counts,
    ReportLevel,
    _check_shape,
    _refuse,
    _roll_up,
)
from spm_core.store.declare import aggregates
from spm_core.store.tables import (
    DomicileRow,
    MembershipRow,
    PosyanduRow,
    RecordRow,
    ResidentRow,
)

__all__ = ["ColumnsMixin", "FieldKindName", "Frames", "polars"]

FieldKindName = Literal["number", "boolean", "text"]
"""How a record value field is read: a float, a boolean or a string column."""

_BATCH = 200_000


def polars() -> Any:
    """Return the polars module, or raise :class:`InvalidValue` naming the extra to install."""
    try:
        return importlib.import_module("polars")
    except ImportError as error:
        raise InvalidValue(
            value="polars",
            reason_id="paket polars belum terpasang; pasang spm-core[polars]",
            reason_en="the polars package is not installed; install spm-core[polars]",
        ) from error


@attrs.frozen(eq=False)
class Frames:
    """The population and the counting records as polars DataFrames.

    Dates are ``pl.Date``. Value fields are the columns ``v:<field>`` of each record
    type's frame.
    """

    residents: Any
    """``resident_id``, ``birth_date``, ``sex``, ``died_on`` (restricted residents left out)."""
    stays: Any
    """``resident_id``, ``posyandu_id``, ``wilayah_code``, ``since``, ``until`` (domiciles)."""
    memberships: Any
    """``household_id``, ``resident_id``, ``relationship``, ``start_date``, ``end_date``."""
    records: Mapping[str, Any]
    """Per record type: ``id``, ``resident_id``, ``household_id``, ``observed_on``,
    ``created`` (a number ordering creation times) and the ``v:<field>`` columns."""
    scope_area: str | None
    """The actor's area code (``None``: the whole country)."""
    scope_posyandu: str | None
    """The actor's posyandu (a kader), else ``None``."""

    def in_scope(self, frame: Any) -> Any:
        """Return the rows of ``frame`` (with ``posyandu_id``, ``wilayah_code``) in scope."""
        pl = polars()
        if self.scope_posyandu is not None:
            return frame.filter(pl.col("posyandu_id") == self.scope_posyandu)
        if self.scope_area is None:
            return frame
        code = pl.col("wilayah_code")
        return frame.filter((code == self.scope_area) | code.str.starts_with(self.scope_area + "."))


def _day(column: Any) -> ColumnElement[str]:
    return cast(column, String)


def _field(value: Any, name: str, kind: FieldKindName, sqlite: bool) -> ColumnElement[Any]:
    """The typed value of one JSON field: null unless the stored JSON type is right."""
    if sqlite:
        path = literal(f"$.{name}")
        kind_of = func.json_type(value, path)
        raw = func.json_extract(value, path)
        if kind == "number":
            return case((kind_of.in_(("integer", "real")), cast(raw, Float)))
        if kind == "boolean":
            return case((kind_of == "true", 1), (kind_of == "false", 0))
        return case((kind_of == "text", cast(raw, String)))
    kind_of = func.jsonb_typeof(value.op("->")(literal(name)))
    text = value.op("->>")(literal(name))
    if kind == "number":
        return case((kind_of == "number", cast(text, Float)))
    if kind == "boolean":
        return case((kind_of == "boolean", case((text == "true", 1), else_=0)))
    return case((kind_of == "string", cast(text, String)))


class ColumnsMixin(StoreCore):
    """Whole tables as columns, for counts computed outside the database."""

    def _frame(self, session: Any, statement: Any, schema: Mapping[str, Any]) -> Any:
        pl = polars()
        # Streamed: on PostgreSQL a plain cursor holds the whole result in the client
        # before the first row is handed over (over 18 GB for a city of 2.6 M), a
        # server-side cursor only one batch at a time.
        result = session.execute(
            statement, execution_options={"stream_results": True, "yield_per": _BATCH}
        )
        parts = [
            pl.DataFrame(rows, schema=dict(schema), orient="row")
            for rows in result.partitions()  # batches of yield_per rows
        ]
        return pl.concat(parts) if parts else pl.DataFrame(schema=dict(schema))

    def _frames(
        self, session: Any, fields: Mapping[str, Mapping[str, FieldKindName]], actor: Actor
    ) -> Frames:
        pl = polars()
        sqlite = self._db.is_sqlite
        r, d, m, rec = ResidentRow, DomicileRow, MembershipRow, RecordRow
        text_ = pl.Utf8
        residents = self._frame(
            session,
            select(r.id, _day(r.birth_date), r.sex, _day(r.died_on)).where(r.restricted.is_(False)),
            {"resident_id": text_, "birth_date": text_, "sex": text_, "died_on": text_},
        )
        stays = self._frame(
            session,
            select(d.resident_id, d.posyandu_id, d.wilayah_code, _day(d.since), _day(d.until)),
            {
                "resident_id": text_,
                "posyandu_id": text_,
                "wilayah_code": text_,
                "since": text_,
                "until": text_,
            },
        )
        members = self._frame(
            session,
            select(
                m.household_id, m.resident_id, m.relationship, _day(m.start_date), _day(m.end_date)
            ),
            {
                "household_id": text_,
                "resident_id": text_,
                "relationship": pl.Int64,
                "start_date": text_,
                "end_date": text_,
            },
        )
        restricted = select(r.id).where(r.restricted.is_(True))
        created = (
            func.julianday(rec.created_at)
            if sqlite
            else cast(func.extract("epoch", rec.created_at), Float)
        )
        records: dict[str, Any] = {}
        dtype = {"number": pl.Float64, "boolean": pl.Int8, "text": pl.Utf8}
        for code, wanted in sorted(fields.items()):
            names = sorted(wanted)
            schema: dict[str, Any] = {
                "id": text_,
                "resident_id": text_,
                "household_id": text_,
                "observed_on": text_,
                "created": pl.Float64,
            }
            schema.update({f"v:{n}": dtype[wanted[n]] for n in names})
            statement = select(
                rec.id,
                rec.resident_id,
                rec.household_id,
                _day(rec.observed_on),
                created,
                *(_field(rec.value, n, wanted[n], sqlite) for n in names),
            ).where(
                rec.record_type == code,
                rec.voided_at.is_(None),
                (rec.resident_id.is_(None)) | rec.resident_id.not_in(restricted),
            )
            frame = self._frame(session, statement, schema)
            casts = [pl.col("observed_on").str.to_date()]
            casts += [pl.col(f"v:{n}").cast(pl.Boolean) for n in names if wanted[n] == "boolean"]
            records[code] = frame.with_columns(casts)
        scope = actor.scope
        return Frames(
            residents=residents.with_columns(
                pl.col("birth_date").str.to_date(), pl.col("died_on").str.to_date()
            ),
            stays=stays.with_columns(pl.col("since").str.to_date(), pl.col("until").str.to_date()),
            memberships=members.with_columns(
                pl.col("start_date").str.to_date(), pl.col("end_date").str.to_date()
            ),
            records=records,
            scope_area=None if actor.area is None else actor.area.value,
            scope_posyandu=scope.posyandu_id if isinstance(scope, PosyanduScope) else None,
        )

    @aggregates("record")
    def aggregate_columns(
        self,
        actor: Actor,
        fields: Mapping[str, Mapping[str, FieldKindName]],
        compute: Callable[[Frames], Sequence[Any]],
        *,
        level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
        keys: Sequence[str] = (),
        suppress_below: int | None = None,
        shown_keys: Sequence[str] | None = None,
        within: Sequence[Mapping[str, str]] | None = None,
    ) -> list[Counts]:
        """Load the tables as columns, run ``compute`` on them and roll its counts up.

        Args:
            actor: who asks; ``compute`` must count only subjects in
                :meth:`Frames.in_scope` (a row outside the scope is refused).
            fields: the record types to read and, for each, the value fields and how to
                read them (``number``, ``boolean``, ``text``).
            compute: given the :class:`Frames`, return polars DataFrames whose columns
                are ``posyandu_id``, ``wilayah_code``, then ``keys``, then integers; each
                is checked and rolled up into one :class:`Counts` of the result.
            level: the area level of the result.
            keys: disaggregation columns (from :data:`~spm_core.store.aggregate.GROUP_KEYS`).
            suppress_below: as for :meth:`~spm_core.store.aggregate.AggregateMixin.aggregate`.
            shown_keys: as for :meth:`~spm_core.store.aggregate.AggregateMixin.aggregate`.
            within: one ``within`` of that method per DataFrame ``compute`` returns.

        Raises:
            InvalidValue: polars is not installed, or ``compute`` returned something other
                than areas, allowed keys and integers.
        """
        report_level = ReportLevel.parse(level)
        _check_shape(keys, shown_keys)
        with self._db.read() as session:
            frames = self._frames(session, fields, actor)
            visible = set(session.scalars(select(PosyanduRow.id).where(posyandu_rows(actor))))
        integer = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"}
        out = []
        for i, counted in enumerate(compute(frames)):
            names = tuple(counted.columns)
            lead = len(AREA_COLUMNS) + len(keys)
            if names[:lead] != (*AREA_COLUMNS, *keys):
                raise _refuse(", ".join(names[:lead]))
            if any(str(counted.schema[n]) not in integer for n in names[lead:]):
                raise _refuse(", ".join(names[lead:]))
            out.append(
                _roll_up(
                    actor,
                    visible,
                    counted.iter_rows(),
                    report_level,
                    tuple(keys),
                    names[lead:],
                    suppress_below,
                    shown_keys=shown_keys,
                    within=None if within is None else within[i],
                )
            )
        return out

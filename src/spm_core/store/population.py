"""Who lived where, alive, on a day: the population selectables reports are built on.

The rule (see the concepts page, *Who counts where*): a resident **counts on day D in
the area of their domicile on D** when they were born on or before D, had not died on
or before D (``died_on`` is null or after D), and a domicile of theirs covers D
(``since <= D`` and ``until`` null or ``>= D``). A report for a period asks on the
period's last day. Because domiciles are dated and never rewritten by a move, the
answer for a past day does not change when someone moves, dies or leaves later.

A household counts on D when at least one member (a membership covering D) counts on
D; it is placed where its head lives on D — more exactly, at the domicile of the
member with the lowest SHDK code (1 = kepala keluarga), ties broken by resident id.

Both functions return SQLAlchemy Core selects; use them as subqueries::

    alive = residents_on(date(2025, 12, 31)).subquery()
    select(alive.c.wilayah_code, func.count()).group_by(alive.c.wilayah_code)

They read no rows by themselves and take no actor: callers that run them are the
declared aggregate paths of the layers above.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select

from spm_core.store.tables import DomicileRow, MembershipRow, RecordRow, ResidentRow

__all__ = [
    "alive_on",
    "domiciled_on",
    "households_on",
    "record_counts",
    "record_value",
    "residents_on",
]


def _day(day: date | ColumnElement[Any]) -> ColumnElement[Any]:
    return literal(day) if isinstance(day, date) else day


def alive_on(day: date | ColumnElement[Any]) -> ColumnElement[bool]:
    """Return the condition: the ``resident`` row was born and not yet dead on ``day``."""
    d = _day(day)
    return and_(
        ResidentRow.birth_date <= d,
        or_(ResidentRow.died_on.is_(None), ResidentRow.died_on > d),
    )


def domiciled_on(day: date | ColumnElement[Any]) -> ColumnElement[bool]:
    """Return the condition: the ``domicile`` row covers ``day``."""
    d = _day(day)
    return and_(
        DomicileRow.since <= d,
        or_(DomicileRow.until.is_(None), DomicileRow.until >= d),
    )


def residents_on(day: date | ColumnElement[Any]) -> Select[str, str, str]:
    """Return ``(resident_id, posyandu_id, wilayah_code)``: who is alive and domiciled on ``day``.

    Example:
        >>> from datetime import date
        >>> sorted(residents_on(date(2025, 12, 31)).selected_columns.keys())
        ['posyandu_id', 'resident_id', 'wilayah_code']
    """
    return (
        select(
            DomicileRow.resident_id.label("resident_id"),
            DomicileRow.posyandu_id.label("posyandu_id"),
            DomicileRow.wilayah_code.label("wilayah_code"),
        )
        .join(ResidentRow, ResidentRow.id == DomicileRow.resident_id)
        .where(domiciled_on(day), alive_on(day))
    )


def households_on(day: date | ColumnElement[Any]) -> Select[str, str, str]:
    """Return ``(household_id, posyandu_id, wilayah_code)``: households counted on ``day``.

    Example:
        >>> from datetime import date
        >>> sorted(households_on(date(2025, 12, 31)).selected_columns.keys())
        ['household_id', 'posyandu_id', 'wilayah_code']
    """
    d = _day(day)
    alive = residents_on(day).subquery("alive")
    ranked = (
        select(
            MembershipRow.household_id.label("household_id"),
            alive.c.posyandu_id,
            alive.c.wilayah_code,
            func.row_number()
            .over(
                partition_by=MembershipRow.household_id,
                order_by=(MembershipRow.relationship, MembershipRow.resident_id),
            )
            .label("rank"),
        )
        .join(alive, alive.c.resident_id == MembershipRow.resident_id)
        .where(
            MembershipRow.start_date <= d,
            or_(MembershipRow.end_date.is_(None), MembershipRow.end_date >= d),
        )
        .subquery("ranked")
    )
    return select(ranked.c.household_id, ranked.c.posyandu_id, ranked.c.wilayah_code).where(
        ranked.c.rank == 1
    )


def record_counts() -> ColumnElement[bool]:
    """Return the condition every count of records must carry: the record is not voided."""
    return RecordRow.voided_at.is_(None)


_EXTRACT = {
    bool: "as_boolean",
    int: "as_integer",
    float: "as_float",
    str: "as_string",
}


def record_value(field: str, kind: type[bool | int | float | str]) -> ColumnElement[Any]:
    """Return field ``field`` of a record's value as SQL of type ``kind``.

    The same expression reads JSON on SQLite and JSONB on PostgreSQL (``->>`` with a
    cast there, ``json_extract`` here); a missing field is ``NULL``.

    Example:
        >>> from sqlalchemy.dialects import postgresql, sqlite
        >>> print(record_value("weight_kg", float).compile(dialect=sqlite.dialect()))
        CAST(JSON_EXTRACT(record.value, ?) AS FLOAT)
        >>> print(record_value("weight_kg", float).compile(dialect=postgresql.dialect()))
        CAST(record.value ->> %(value_1)s::TEXT AS FLOAT)
    """
    element = RecordRow.value[field]
    extracted: ColumnElement[Any] = getattr(element, _EXTRACT[kind])()
    return extracted

"""SQL conditions that narrow every query to the rows an actor may see.

The policy (who may touch which kind of data) is :mod:`spm_core.access`; this module
turns an actor's scope into ``WHERE`` conditions:

* a kader sees the rows of its posyandu (``posyandu_id = :id``);
* an area-scoped actor sees rows whose village lies in its area — region codes are
  dotted, so ``code = :a OR code LIKE :a || '.%'``;
* a role that may not read a kind of data gets a condition no row meets, so lists come
  back empty and lookups raise ``NotFound`` exactly as for an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from spm_core.access import Actor, PosyanduScope, may_read
from spm_core.domain.wilayah import KodeWilayah
from spm_core.store.tables import PosyanduRow

__all__ = [
    "in_area",
    "personal_rows",
    "planning_rows",
    "posyandu_rows",
    "within_or_above",
]

Column = InstrumentedAttribute[Any]


def in_area(column: Column, area: KodeWilayah) -> ColumnElement[bool]:
    """Return ``column`` is ``area`` or a region inside it."""
    return or_(column == area.value, column.like(area.value + ".%"))


def within_or_above(column: Column, place: ColumnElement[Any] | str) -> ColumnElement[bool]:
    """Return ``column`` is ``place`` or a region that contains it (an ancestor)."""
    point = literal(place) if isinstance(place, str) else place
    return or_(column == point, point.like(column.concat(".%")))


def personal_rows(
    actor: Actor, entity: str, posyandu_column: Column, wilayah_column: Column
) -> ColumnElement[bool]:
    """Return the condition for rows about people (residents, households, records)."""
    if not may_read(actor, entity):
        return false()
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        return posyandu_column == scope.posyandu_id
    return in_area(wilayah_column, scope.area)


def posyandu_rows(actor: Actor) -> ColumnElement[bool]:
    """Return the condition for posyandu rows: the kader's own, or those in the area."""
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        return PosyanduRow.id == scope.posyandu_id
    return in_area(PosyanduRow.wilayah_code, scope.area)


def planning_rows(actor: Actor, wilayah_column: Column) -> ColumnElement[bool]:
    """Return the condition for targets and quality inputs an actor may read.

    Planning numbers concern an area: an actor sees those for its area, for regions in
    it and for regions that contain it (a kab/kota target matters to a village officer).
    A kader sees those for the village of its posyandu and the regions above it.
    """
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        village = (
            select(PosyanduRow.wilayah_code)
            .where(PosyanduRow.id == scope.posyandu_id)
            .scalar_subquery()
        )
        return within_or_above(wilayah_column, village)
    area = scope.area
    return or_(in_area(wilayah_column, area), within_or_above(wilayah_column, area.value))

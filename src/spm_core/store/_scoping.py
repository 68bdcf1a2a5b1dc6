"""SQL conditions that narrow every query to the rows an actor may see.

The policy (who may touch which kind of data) is :mod:`spm_core.access`; this module
turns an actor's scope into ``WHERE`` conditions:

* a kader sees the rows of its posyandu (``posyandu_id = :id``);
* an area-scoped actor sees rows whose village lies in its area — region codes are
  dotted, so ``code = :a OR (code >= :a || '.' AND code < :a || '/')``, a range both
  databases answer from the index on the code (``/`` follows ``.`` in ASCII; the
  PostgreSQL code columns collate ``"C"`` so the comparison is bytewise);
* a role that may not read a kind of data gets a condition no row meets, so lists come
  back empty and lookups raise ``NotFound`` exactly as for an id that does not exist;
* a resident whose processing is restricted at their request (``resident.restricted``,
  UU PDP 27/2022 Ps. 11) — and every row about them — is hidden the same way from every
  role but the operator, who must still see them to lift the restriction. The rule lives
  in :func:`not_restricted` alone; :func:`personal_rows` applies it to every row about
  a resident, so reads and the lookups writes rely on honour it alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, literal, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, aliased

from spm_core.access import Actor, AgencyScope, PosyanduScope, Role, may_aggregate, may_read
from spm_core.domain.wilayah import KodeWilayah
from spm_core.store.tables import PosyanduRow, ReferralRow, ResidentRow

__all__ = [
    "in_area",
    "not_restricted",
    "personal_rows",
    "planning_rows",
    "posyandu_rows",
    "referral_rows",
    "sees_restricted",
    "within_or_above",
]

Column = InstrumentedAttribute[Any]


def in_area(column: Column | ColumnElement[Any], area: KodeWilayah) -> ColumnElement[bool]:
    """Return ``column`` is ``area`` or a region inside it, as an indexable range.

    Example:
        >>> from sqlalchemy import column
        >>> print(in_area(column("code"), KodeWilayah("32.75")))
        code = :code_1 OR code >= :code_2 AND code < :code_3
    """
    inside = and_(column >= area.value + ".", column < area.value + "/")
    return or_(column == area.value, inside)


def within_or_above(column: Column, place: ColumnElement[Any] | str) -> ColumnElement[bool]:
    """Return ``column`` is ``place`` or a region that contains it (an ancestor)."""
    point = literal(place) if isinstance(place, str) else place
    return or_(column == point, point.like(column.concat(".%")))


_SEE_RESTRICTED = frozenset({Role.OPERATOR})
"""Roles that still see a restricted resident: the operator, who lifts the restriction."""


def sees_restricted(actor: Actor) -> bool:
    """Return whether ``actor`` sees residents whose processing is restricted."""
    return actor.role in _SEE_RESTRICTED


def not_restricted(actor: Actor, resident_column: Column) -> ColumnElement[bool]:
    """Return: the resident whose id is in ``resident_column`` may be processed by ``actor``.

    Processing of a resident with ``restricted`` set is suspended (UU PDP 27/2022 Ps. 11)
    for everyone but an operator. A ``NULL`` in ``resident_column`` (a record about a
    household or a place) is about no resident and always passes.
    """
    if sees_restricted(actor):
        return true()
    suspended = aliased(ResidentRow, name="restricted_resident")
    return ~exists().where(suspended.id == resident_column, suspended.restricted.is_(True))


def personal_rows(
    actor: Actor,
    entity: str,
    posyandu_column: Column,
    wilayah_column: Column,
    *,
    resident: Column | None,
) -> ColumnElement[bool]:
    """Return the condition for rows about people (residents, households, records).

    Args:
        actor: who reads or writes.
        entity: the kind of row (``"resident"``, ``"record"``, …), for the role check.
        posyandu_column: the row's posyandu, for a kader's scope.
        wilayah_column: the row's village, for an area scope.
        resident: the column holding the id of the resident the row is about
            (``ResidentRow.id``, ``RecordRow.resident_id``, …), or ``None`` for rows
            about no one resident (households). Rows about a restricted resident are
            then hidden as :func:`not_restricted` says.
    """
    if not may_read(actor, entity):
        return false()
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        condition = posyandu_column == scope.posyandu_id
    else:
        condition = in_area(wilayah_column, scope.area)
    if resident is None:
        return condition
    return and_(condition, not_restricted(actor, resident))


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


def referral_rows(actor: Actor, *, counting: bool = False) -> ColumnElement[bool]:
    """Return the condition for referrals an actor may see (or, with ``counting``, count).

    The posyandu that raised a need always sees it (its kader, its village officer and
    the operator of its area), wherever the resident lives by now; an agency officer
    sees only referrals currently routed to its agency; with ``counting``, Tim Pembina
    and researchers count the referrals of their area. Referrals about a resident whose
    processing is restricted are hidden as :func:`not_restricted` says.
    """
    allowed = may_aggregate(actor, "referral") if counting else may_read(actor, "referral")
    if not allowed:
        return false()
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        condition = ReferralRow.posyandu_id == scope.posyandu_id
    elif isinstance(scope, AgencyScope):
        condition = and_(
            ReferralRow.agency_code == scope.agency_code,
            in_area(ReferralRow.wilayah_code, scope.area),
        )
    else:
        condition = in_area(ReferralRow.wilayah_code, scope.area)
    return and_(condition, not_restricted(actor, ReferralRow.resident_id))

"""Dated household membership: who was in which household on which day.

Two rules hold on every day: a resident is in at most one household, and a household
has at most one kepala keluarga (SHDK 1). Both are checked inside the write
transaction (``BEGIN IMMEDIATE`` on SQLite, SERIALIZABLE on PostgreSQL), so two writers
cannot both pass the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.enums import Relationship
from spm_core.errors import InputError
from spm_core.schemas import MembershipIn, validate
from spm_core.store._core import StoreCore, missing, not_found, reject
from spm_core.store._scoping import personal_rows
from spm_core.store.base import new_id
from spm_core.store.declare import reads, writes
from spm_core.store.tables import HouseholdRow, MembershipRow, ResidentRow
from spm_core.store.values import Membership

__all__ = ["MembershipMixin"]


def _overlapping(start: date, end: date | None) -> ColumnElement[bool]:
    """Return: the membership row shares at least one day with ``start..end``."""
    conditions = [or_(MembershipRow.end_date.is_(None), MembershipRow.end_date >= start)]
    if end is not None:
        conditions.append(MembershipRow.start_date <= end)
    return and_(*conditions)


def _check_rules(
    session: Session,
    household_id: str,
    resident_id: str,
    relationship: Relationship,
    start: date,
    end: date | None,
    *,
    ignore: str | None = None,
) -> None:
    """Raise an input error if the period breaks one of the two membership rules."""
    others = [] if ignore is None else [MembershipRow.id != ignore]
    period = f"{start.isoformat()}..{'' if end is None else end.isoformat()}"
    if session.scalar(
        select(
            exists().where(
                MembershipRow.resident_id == resident_id, _overlapping(start, end), *others
            )
        )
    ):
        raise reject(
            "overlapping-membership",
            "start",
            period,
            f"Warga {resident_id} sudah menjadi anggota rumah tangga lain pada periode "
            f"{period}; seorang warga hanya boleh di satu rumah tangga pada satu hari.",
            f"Resident {resident_id} already belongs to a household during {period}; a "
            "resident belongs to at most one household on any day.",
        )
    if relationship is Relationship.KEPALA_KELUARGA and session.scalar(
        select(
            exists().where(
                MembershipRow.household_id == household_id,
                MembershipRow.relationship == int(Relationship.KEPALA_KELUARGA),
                _overlapping(start, end),
                *others,
            )
        )
    ):
        raise reject(
            "second-kepala-keluarga",
            "relationship",
            str(int(relationship)),
            f"Rumah tangga {household_id} sudah memiliki kepala keluarga pada periode {period}.",
            f"Household {household_id} already has a head of household during {period}.",
        )


def visible_memberships(actor: Actor, *columns: Any) -> Any:
    """Select ``columns`` (default: the whole row) of memberships visible to ``actor``.

    Visible means the actor may see both the household and the resident.
    """
    return (
        select(*(columns or (MembershipRow,)))
        .join(HouseholdRow, HouseholdRow.id == MembershipRow.household_id)
        .join(ResidentRow, ResidentRow.id == MembershipRow.resident_id)
        .where(
            personal_rows(
                actor,
                "membership",
                HouseholdRow.posyandu_id,
                HouseholdRow.wilayah_code,
                resident=None,
            ),
            personal_rows(
                actor,
                "membership",
                ResidentRow.posyandu_id,
                ResidentRow.wilayah_code,
                resident=MembershipRow.resident_id,
            ),
        )
    )


class MembershipMixin(StoreCore):
    """Memberships of residents in households, with dates."""

    def _membership_query(self, actor: Actor) -> Any:
        """Select memberships whose household and resident the actor may both see."""
        return visible_memberships(actor)

    @writes("membership")
    def add_membership(
        self, actor: Actor, data: MembershipIn | Mapping[str, Any], purpose: Purpose
    ) -> Membership:
        """Add a resident to a household from ``start`` to ``end`` (inclusive).

        Raises:
            InputError: invalid input; a household or resident that is absent or out of
                scope; the resident already in a household on one of those days; or a
                second kepala keluarga on one of those days.
        """
        membership = validate(MembershipIn, data)

        def work(session: Session) -> Membership:
            household = self._household(session, actor, membership.household_id)
            resident = self._resident(session, actor, membership.resident_id)
            issues = []
            if household is None:
                issues.append(missing("household", "household_id", membership.household_id))
            if resident is None:
                issues.append(missing("resident", "resident_id", membership.resident_id))
            if household is None or resident is None:
                raise InputError(issues)
            _check_rules(
                session,
                household.id,
                resident.id,
                membership.relationship,
                membership.start,
                membership.end,
            )
            row = MembershipRow(
                id=new_id(),
                household_id=household.id,
                resident_id=resident.id,
                relationship=int(membership.relationship),
                start_date=membership.start,
                end_date=membership.end,
            )
            session.add(row)
            self._audit(
                session,
                actor,
                action="create",
                entity="membership",
                entity_id=row.id,
                purpose=purpose,
                fields=["household_id", "resident_id", "relationship", "start"]
                + ([] if membership.end is None else ["end"]),
                wilayah_code=household.wilayah_code,
                posyandu_id=household.posyandu_id,
            )
            session.flush()
            return Membership.from_row(row)

        return self._db.write(work, entity="membership", key=membership.household_id)

    @writes("membership")
    def end_membership(
        self, actor: Actor, membership_id: str, end: date | None, purpose: Purpose
    ) -> Membership:
        """Set the last day of a membership (``None`` reopens it).

        Raises:
            NotFound: no such membership in the actor's scope.
            InputError: ``end`` before the start, or a reopened period that breaks a rule.
        """

        def work(session: Session) -> Membership:
            row = session.scalars(
                self._membership_query(actor).where(MembershipRow.id == membership_id)
            ).one_or_none()
            if row is None:
                raise not_found("membership", membership_id)
            if end is not None and end < row.start_date:
                raise reject(
                    "end-before-start",
                    "end",
                    end.isoformat(),
                    f"Tanggal akhir {end} sebelum tanggal mulai {row.start_date}.",
                    f"The end date {end} is before the start date {row.start_date}.",
                )
            if row.end_date == end:
                return Membership.from_row(row)
            _check_rules(
                session,
                row.household_id,
                row.resident_id,
                Relationship(row.relationship),
                row.start_date,
                end,
                ignore=row.id,
            )
            household = session.get(HouseholdRow, row.household_id)
            assert household is not None
            row.end_date = end
            self._audit(
                session,
                actor,
                action="update",
                entity="membership",
                entity_id=row.id,
                purpose=purpose,
                fields=["end"],
                wilayah_code=household.wilayah_code,
                posyandu_id=household.posyandu_id,
            )
            session.flush()
            return Membership.from_row(row)

        return self._db.write(work, entity="membership", key=membership_id)

    @reads("membership")
    def get_membership(
        self, actor: Actor, membership_id: str, *, purpose: Purpose | str | None = None
    ) -> Membership:
        """Return a membership whose household and resident the actor may see.

        Raises:
            NotFound: no such membership, or one outside the actor's scope.
        """
        with self._db.read() as session:
            row = session.scalars(
                self._membership_query(actor).where(MembershipRow.id == membership_id)
            ).one_or_none()
            if row is None:
                raise not_found("membership", membership_id)
            return Membership.from_row(row)

    @reads("membership")
    def household_members(
        self, actor: Actor, household_id: str, on: date, *, purpose: Purpose | str | None = None
    ) -> list[Membership]:
        """Return who was in the household on ``on``, kepala keluarga first.

        Raises:
            NotFound: no such household, or one outside the actor's scope.
        """
        with self._db.read() as session:
            if self._household(session, actor, household_id) is None:
                raise not_found("household", household_id)
            query = (
                self._membership_query(actor)
                .where(MembershipRow.household_id == household_id, _overlapping(on, on))
                .order_by(MembershipRow.relationship, MembershipRow.start_date, MembershipRow.id)
            )
            return [Membership.from_row(row) for row in session.scalars(query)]

    @reads("membership")
    def resident_memberships(
        self, actor: Actor, resident_id: str, *, purpose: Purpose | str | None = None
    ) -> list[Membership]:
        """Return every household membership of a resident, oldest first.

        Raises:
            NotFound: no such resident, or one outside the actor's scope.
        """
        with self._db.read() as session:
            if self._resident(session, actor, resident_id) is None:
                raise not_found("resident", resident_id)
            query = (
                self._membership_query(actor)
                .where(MembershipRow.resident_id == resident_id)
                .order_by(MembershipRow.start_date, MembershipRow.id)
            )
            return [Membership.from_row(row) for row in session.scalars(query)]

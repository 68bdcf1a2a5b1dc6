"""Action plans of the Tim Pembina Posyandu: stored, audited and versioned.

A plan is known by its code. Saving a plan whose code is new stores version 1; saving it
again stores the next version and leaves every earlier one as it was (the table refuses
UPDATE and DELETE). Each save is one audit row in the hash chain, naming the fields that
changed. Plans hold no row about any resident: every role reads the plans that concern
its area (the plan's region lies in it or contains it); the Tim Pembina and the operator
of the region write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.enums import SpmField
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import ConcurrentUpdate
from spm_core.schemas import ActionPlanIn, CommitmentIn, validate
from spm_core.store._core import StoreCore, not_found, reject
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area, planning_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import ActionPlanRow

__all__ = ["ActionPlan", "Commitment", "PlansMixin"]


def _optional_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


@attrs.frozen
class Commitment:
    """One commitment of an agency (OPD) in a plan, as agreed.

    ``kind`` is ``indicator`` (``indicator`` in ``area`` to ``target`` percent),
    ``referral`` (``target`` percent of the agency's referrals — of ``need_type`` and in
    ``area`` when given — resolved within their deadline) or ``activity`` (``title``
    done by ``due_on``; ``done_on`` when it was).
    """

    code: str
    kind: str
    agency_code: str
    title: str | None
    field: SpmField | None
    indicator: str | None
    area: KodeWilayah | None
    need_type: str | None
    target: float | None
    direction: str
    measure_period: str
    due_on: date
    done_on: date | None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Commitment:
        """Build a commitment from its stored JSON (a validated :class:`CommitmentIn`)."""
        area, field, target = data.get("area"), data.get("field"), data.get("target")
        return cls(
            code=data["code"],
            kind=data["kind"],
            agency_code=data["agency_code"],
            title=data.get("title"),
            field=None if field is None else SpmField(field),
            indicator=data.get("indicator"),
            area=None if area is None else KodeWilayah(area),
            need_type=data.get("need_type"),
            target=None if target is None else float(Decimal(str(target))),
            direction=data.get("direction", "increase"),
            measure_period=data.get("measure_period", "month"),
            due_on=date.fromisoformat(str(data["due_on"])),
            done_on=_optional_date(data.get("done_on")),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the commitment as JSON-ready data."""
        out = attrs.asdict(self)
        out["field"] = None if self.field is None else self.field.value
        out["area"] = None if self.area is None else self.area.value
        out["due_on"] = self.due_on.isoformat()
        out["done_on"] = None if self.done_on is None else self.done_on.isoformat()
        return out


@attrs.frozen
class ActionPlan:
    """One version of a joint action plan for a region and a period."""

    id: str
    code: str
    version: int
    wilayah_code: KodeWilayah
    title: str
    start: date
    end: date
    agreed_by: tuple[str, ...]
    agreed_on: date
    margin: float
    note: str | None
    commitments: tuple[Commitment, ...]
    recorded_by: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: ActionPlanRow) -> ActionPlan:
        """Build the value from its row."""
        return cls(
            id=row.id,
            code=row.code,
            version=row.version,
            wilayah_code=KodeWilayah(row.wilayah_code),
            title=row.title,
            start=row.period_start,
            end=row.period_end,
            agreed_by=tuple(row.agreed_by),
            agreed_on=row.agreed_on,
            margin=float(row.margin),
            note=row.note,
            commitments=tuple(Commitment.from_data(c) for c in row.commitments),
            recorded_by=row.recorded_by,
            created_at=row.created_at,
        )

    def commitment(self, code: str) -> Commitment:
        """Return the commitment with ``code``.

        Raises:
            NotFound: the plan has no such commitment.
        """
        for commitment in self.commitments:
            if commitment.code == code:
                return commitment
        raise not_found("commitment", code)

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as JSON-ready data."""
        return {
            "id": self.id,
            "code": self.code,
            "version": self.version,
            "wilayah_code": self.wilayah_code.value,
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "agreed_by": list(self.agreed_by),
            "agreed_on": self.agreed_on.isoformat(),
            "margin": self.margin,
            "note": self.note,
            "commitments": [c.to_dict() for c in self.commitments],
            "recorded_by": self.recorded_by,
            "created_at": self.created_at.isoformat(),
        }


def _document(plan: ActionPlanIn) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    return {
        "title": data["title"],
        "wilayah_code": data["wilayah_code"],
        "period_start": plan.start,
        "period_end": plan.end,
        "agreed_by": data["agreed_by"],
        "agreed_on": plan.agreed_on,
        "margin": plan.margin,
        "note": data["note"],
        "commitments": [
            CommitmentIn.model_validate(c).model_dump(mode="json") for c in data["commitments"]
        ],
    }


def _changed(previous: ActionPlanRow, document: Mapping[str, Any]) -> list[str]:
    out = []
    for name, value in document.items():
        old = getattr(previous, name)
        same = Decimal(str(old)) == Decimal(str(value)) if name == "margin" else old == value
        if not same:
            out.append(name)
    return out


class PlansMixin(StoreCore):
    """Action plans with their commitments and every earlier version."""

    @staticmethod
    def _plan_rows(actor: Actor) -> ColumnElement[bool]:
        return planning_rows(actor, ActionPlanRow.wilayah_code)

    @writes("action_plan")
    def save_action_plan(
        self,
        actor: Actor,
        data: ActionPlanIn | Mapping[str, Any],
        purpose: Purpose,
        *,
        expected_version: int | None = None,
    ) -> ActionPlan:
        """Store a new plan, or a revision of the plan with the same code.

        A revision is stored as the next version; earlier versions stay as they were.
        Saving the very same content again stores nothing and returns the latest version.

        Args:
            actor: a Tim Pembina or operator whose area holds the plan's region.
            data: the plan (validated as :class:`~spm_core.schemas.ActionPlanIn`).
            purpose: why (administration, reporting or a correction).
            expected_version: the version the revision was made from; when another
                revision was stored since, nothing is written.

        Raises:
            InputError: invalid input, a region outside the actor's area, or a code
                already used by a plan of another region.
            ConcurrentUpdate: ``expected_version`` is no longer the latest version.
        """
        plan = validate(ActionPlanIn, data)
        region = KodeWilayah(plan.wilayah_code)
        area = actor.area
        if area is None or not area.contains(region):
            raise reject(
                "out-of-scope",
                "wilayah_code",
                region.value,
                f"Wilayah {region} di luar lingkup Anda ({actor.scope.describe()}).",
                f"Region {region} lies outside your scope ({actor.scope.describe()}).",
            )
        document = _document(plan)

        def work(session: Session) -> ActionPlan:
            self._ensure_wilayah(session, actor, region, purpose, "wilayah_code")
            latest = session.scalars(
                select(ActionPlanRow)
                .where(ActionPlanRow.code == plan.code)
                .order_by(ActionPlanRow.version.desc())
                .limit(1)
            ).one_or_none()
            current = 0 if latest is None else latest.version
            if expected_version is not None and expected_version != current:
                raise ConcurrentUpdate(entity="action_plan", value=plan.code)
            if latest is not None and latest.wilayah_code != region.value:
                raise reject(
                    "code-in-use",
                    "code",
                    plan.code,
                    f"Kode rencana {plan.code} sudah dipakai rencana wilayah lain.",
                    f"The plan code {plan.code} is already used by another region's plan.",
                )
            if latest is not None:
                fields = _changed(latest, document)
                if not fields:
                    return ActionPlan.from_row(latest)
                action = "revise"
            else:
                fields, action = list(document), "create"
            row = ActionPlanRow(
                id=new_id(),
                code=plan.code,
                version=current + 1,
                recorded_by=actor.id,
                created_at=utc_now(),
                **document,
            )
            session.add(row)
            session.flush()
            self._audit(
                session,
                actor,
                action=action,
                entity="action_plan",
                entity_id=row.id,
                purpose=purpose,
                fields=fields,
                wilayah_code=region.value,
            )
            return ActionPlan.from_row(row)

        return self._db.write(work, entity="action_plan", key=plan.code)

    @reads("action_plan")
    def get_action_plan(self, actor: Actor, code: str, *, version: int | None = None) -> ActionPlan:
        """Return the latest version of plan ``code`` (or version ``version``).

        Raises:
            NotFound: no such plan (or version) concerning the actor's area.
        """
        query = select(ActionPlanRow).where(ActionPlanRow.code == code, self._plan_rows(actor))
        if version is not None:
            query = query.where(ActionPlanRow.version == version)
        query = query.order_by(ActionPlanRow.version.desc()).limit(1)
        with self._db.read() as session:
            row = session.scalars(query).one_or_none()
            if row is None:
                raise not_found("action_plan", code)
            return ActionPlan.from_row(row)

    @reads("action_plan")
    def list_action_plans(
        self, actor: Actor, *, area: KodeWilayah | str | None = None, on: date | None = None
    ) -> list[ActionPlan]:
        """Return the latest version of each plan concerning the actor's area.

        ``area`` keeps the plans of that region and the regions in it; ``on`` keeps the
        plans whose period includes that day.
        """
        latest = (
            select(ActionPlanRow.code, func.max(ActionPlanRow.version).label("version"))
            .group_by(ActionPlanRow.code)
            .subquery()
        )
        query = (
            select(ActionPlanRow)
            .join(
                latest,
                (latest.c.code == ActionPlanRow.code) & (latest.c.version == ActionPlanRow.version),
            )
            .where(self._plan_rows(actor))
        )
        if area is not None:
            query = query.where(in_area(ActionPlanRow.wilayah_code, as_area(area)))
        if on is not None:
            query = query.where(ActionPlanRow.period_start <= on, ActionPlanRow.period_end >= on)
        query = query.order_by(ActionPlanRow.wilayah_code, ActionPlanRow.code)
        with self._db.read() as session:
            return [ActionPlan.from_row(row) for row in session.scalars(query)]

    @reads("action_plan")
    def action_plan_history(self, actor: Actor, code: str) -> list[ActionPlan]:
        """Return every version of plan ``code``, oldest first.

        Raises:
            NotFound: no such plan concerning the actor's area.
        """
        query = (
            select(ActionPlanRow)
            .where(ActionPlanRow.code == code, self._plan_rows(actor))
            .order_by(ActionPlanRow.version)
        )
        with self._db.read() as session:
            rows = list(session.scalars(query))
        if not rows:
            raise not_found("action_plan", code)
        return [ActionPlan.from_row(row) for row in rows]

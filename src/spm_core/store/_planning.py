"""Targets (sasaran), quality inputs (mutu) and the audit log as the store reads it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from spm_core.access import Actor, Purpose
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InputError
from spm_core.schemas import QualityInputIn, TargetIn, validate
from spm_core.store._core import StoreCore, changed_fields, page, reject
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area, planning_rows
from spm_core.store.base import new_id, utc_now
from spm_core.store.declare import reads, writes
from spm_core.store.tables import AuditRow, QualityInputRow, TargetRow
from spm_core.store.values import AuditEntry, QualityInput, Target

__all__ = ["PlanningMixin"]


def _in_scope(actor: Actor, code: KodeWilayah) -> None:
    area = actor.area
    if area is None or not area.contains(code):
        raise reject(
            "out-of-scope",
            "wilayah_code",
            code.value,
            f"Wilayah {code} di luar lingkup Anda ({actor.scope.describe()}).",
            f"Region {code} lies outside your scope ({actor.scope.describe()}).",
        )


class PlanningMixin(StoreCore):
    """Numbers agencies supply per area and year, and the audit log."""

    def _upsert(
        self,
        session: Session,
        actor: Actor,
        purpose: Purpose,
        entity: str,
        row: TargetRow | QualityInputRow | None,
        new: TargetRow | QualityInputRow,
        values: dict[str, Any],
    ) -> TargetRow | QualityInputRow:
        if row is None:
            session.add(new)
            fields = list(values)
            action, stored = "create", new
        else:
            diff = changed_fields(row, values)
            if not diff:
                return row
            for name, value in diff.items():
                setattr(row, name, value)
            row.recorded_by = actor.id
            row.updated_at = utc_now()
            fields, action, stored = list(diff), "update", row
        session.flush()
        self._audit(
            session,
            actor,
            action=action,
            entity=entity,
            entity_id=stored.id,
            purpose=purpose,
            fields=fields,
            wilayah_code=stored.wilayah_code,
        )
        return stored

    @writes("target")
    def set_target(
        self, actor: Actor, data: TargetIn | Mapping[str, Any], purpose: Purpose
    ) -> Target:
        """Set the target of a code for an area and year (replacing an earlier value).

        Raises:
            InputError: invalid input, or an area outside the actor's scope.
        """
        target = validate(TargetIn, data)
        code = KodeWilayah(target.wilayah_code)
        _in_scope(actor, code)

        def work(session: Session) -> Target:
            self._ensure_wilayah(session, actor, code, purpose, "wilayah_code")
            row = session.scalars(
                select(TargetRow).where(
                    TargetRow.code == target.code,
                    TargetRow.wilayah_code == code.value,
                    TargetRow.year == target.year,
                )
            ).one_or_none()
            values = {"value": target.value, "source": target.source}
            new = TargetRow(
                id=new_id(),
                code=target.code,
                wilayah_code=code.value,
                year=target.year,
                recorded_by=actor.id,
                updated_at=utc_now(),
                **values,
            )
            stored = self._upsert(session, actor, purpose, "target", row, new, values)
            assert isinstance(stored, TargetRow)
            session.refresh(stored)
            return Target.from_row(stored)

        return self._db.write(work, entity="target", key=target.code)

    @reads("target")
    def list_targets(
        self,
        actor: Actor,
        *,
        code: str | None = None,
        year: int | None = None,
        area: KodeWilayah | str | None = None,
    ) -> list[Target]:
        """Return the targets that concern the actor's area (in it, or above it)."""
        query = select(TargetRow).where(planning_rows(actor, TargetRow.wilayah_code))
        if code is not None:
            query = query.where(TargetRow.code == code)
        if year is not None:
            query = query.where(TargetRow.year == year)
        if area is not None:
            query = query.where(in_area(TargetRow.wilayah_code, as_area(area)))
        query = query.order_by(TargetRow.code, TargetRow.wilayah_code, TargetRow.year)
        with self._db.read() as session:
            return [Target.from_row(row) for row in session.scalars(query)]

    def _put_quality_input(
        self, session: Session, actor: Actor, item: QualityInputIn, purpose: Purpose
    ) -> QualityInput:
        code = KodeWilayah(item.wilayah_code)
        self._ensure_wilayah(session, actor, code, purpose, "wilayah_code")
        row = session.scalars(
            select(QualityInputRow).where(
                QualityInputRow.service_type == item.service_type,
                QualityInputRow.wilayah_code == code.value,
                QualityInputRow.year == item.year,
                QualityInputRow.item == item.item,
            )
        ).one_or_none()
        values = {"category": item.category, "required": item.required, "met": item.met}
        new = QualityInputRow(
            id=new_id(),
            service_type=item.service_type,
            wilayah_code=code.value,
            year=item.year,
            item=item.item,
            recorded_by=actor.id,
            updated_at=utc_now(),
            **values,
        )
        stored = self._upsert(session, actor, purpose, "quality_input", row, new, values)
        assert isinstance(stored, QualityInputRow)
        return QualityInput.from_row(stored)

    @writes("quality_input")
    def set_quality_input(
        self, actor: Actor, data: QualityInputIn | Mapping[str, Any], purpose: Purpose
    ) -> QualityInput:
        """Set one quality item (required and met) of a service type for an area and year.

        Raises:
            InputError: invalid input, or an area outside the actor's scope.
        """
        item = validate(QualityInputIn, data)
        _in_scope(actor, KodeWilayah(item.wilayah_code))
        return self._db.write(
            lambda session: self._put_quality_input(session, actor, item, purpose),
            entity="quality_input",
            key=item.item,
        )

    @writes("quality_input")
    def set_quality_inputs(
        self,
        actor: Actor,
        items: Iterable[QualityInputIn | Mapping[str, Any]],
        purpose: Purpose,
    ) -> list[QualityInput]:
        """Set many quality items in one transaction (each audited as by one call).

        All or nothing: every item is checked before anything is written, and a bad
        one is reported with its position in ``items`` (from 1).

        Raises:
            InputError: an invalid item, or an area outside the actor's scope.
        """
        checked = []
        for number, data in enumerate(items, start=1):
            try:
                item = validate(QualityInputIn, data)
                _in_scope(actor, KodeWilayah(item.wilayah_code))
            except InputError as error:
                raise InputError([attrs.evolve(i, row=number) for i in error.issues]) from None
            checked.append(item)

        def work(session: Session) -> list[QualityInput]:
            return [self._put_quality_input(session, actor, i, purpose) for i in checked]

        return self._db.write(work, entity="quality_input", key="batch")

    @reads("quality_input")
    def list_quality_inputs(
        self,
        actor: Actor,
        *,
        service_type: str | None = None,
        year: int | None = None,
        area: KodeWilayah | str | None = None,
    ) -> list[QualityInput]:
        """Return the quality inputs that concern the actor's area (in it, or above it)."""
        rows = QualityInputRow
        query = select(rows).where(planning_rows(actor, rows.wilayah_code))
        if service_type is not None:
            query = query.where(rows.service_type == service_type)
        if year is not None:
            query = query.where(rows.year == year)
        if area is not None:
            query = query.where(in_area(rows.wilayah_code, as_area(area)))
        query = query.order_by(rows.service_type, rows.wilayah_code, rows.year, rows.item)
        with self._db.read() as session:
            return [QualityInput.from_row(row) for row in session.scalars(query)]

    @reads("audit")
    def list_audit(
        self,
        actor: Actor,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        entity_ids: Collection[str] | None = None,
        actor_id: str | None = None,
        action: str | None = None,
        purpose: Purpose | str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Return audit rows about entities in the operator's area, oldest first.

        ``entity_ids`` narrows to several ids at once; ``action`` to one action
        (``"create"``, ``"update"``, ``"nik-conflict"`` — an attempt to register a NIK
        held by a resident of this area from outside it, to be resolved here); ``since``
        is inclusive and ``until`` exclusive.

        Raises:
            AccessDenied: the actor is not an operator.
        """
        area = actor.area
        assert area is not None  # only operators get here, and they have an area
        conditions: list[ColumnElement[bool]] = [in_area(AuditRow.wilayah_code, area)]
        if entity is not None:
            conditions.append(AuditRow.entity == entity)
        if entity_id is not None:
            conditions.append(AuditRow.entity_id == entity_id)
        if entity_ids is not None:
            conditions.append(AuditRow.entity_id.in_(sorted(entity_ids)))
        if actor_id is not None:
            conditions.append(AuditRow.actor_id == actor_id)
        if action is not None:
            conditions.append(AuditRow.action == action)
        if purpose is not None:
            conditions.append(AuditRow.purpose == Purpose.parse(purpose).value)
        if since is not None:
            conditions.append(AuditRow.at >= since)
        if until is not None:
            conditions.append(AuditRow.at < until)
        count, _ = page(limit)
        query = select(AuditRow).where(*conditions).order_by(AuditRow.id).limit(count)
        with self._db.read() as session:
            return [AuditEntry.from_row(row) for row in session.scalars(query)]

"""The incident query: which subjects and data an actor, a key or an export touched.

UU PDP 27/2022 Ps. 46 asks a controller to notify the data subjects and the authority
within 3 × 24 hours of a breach, saying which data was exposed. The processing log
holds the raw material; :meth:`IncidentMixin.incident_rows` answers, in a few queries
over the indexed log, for one actor id, one research key (its fingerprint) or one
export (an audit row id) in a time window: the residents touched (through the
resident, their records, memberships, referrals and requests) and the data touched
(entity, field names, record types, rows read).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import String, cast, func, literal, select, union
from sqlalchemy.sql.elements import ColumnElement

from spm_core.access import Actor
from spm_core.errors import InvalidValue
from spm_core.store._core import StoreCore
from spm_core.store._scoping import in_area
from spm_core.store.declare import reads
from spm_core.store.tables import (
    AuditRow,
    MembershipRow,
    RecordRow,
    ReferralRow,
    ResidentRow,
    SubjectRequestRow,
)

__all__ = ["IncidentMixin", "IncidentRows"]


@attrs.frozen
class IncidentRows:
    """What the log says one actor, key or export touched in a window.

    ``touches`` holds ``(entity, action, field names, lines, rows read)`` per kind of
    processing; ``record_types`` the types of the records touched; ``residents`` the
    ids of every resident touched; ``extracts`` the research extracts
    ``(line id, project#fingerprint, area, rows)`` — their subjects are the residents
    of the area that day, not listed one by one.
    """

    touches: tuple[tuple[str, str, tuple[str, ...], int, int], ...]
    record_types: tuple[str, ...]
    residents: tuple[str, ...]
    extracts: tuple[tuple[int, str, str | None, int], ...]
    lines: int


class IncidentMixin(StoreCore):
    """The incident (breach-support) query over the processing log."""

    @reads("audit")
    def incident_rows(
        self,
        actor: Actor,
        *,
        who: str | None = None,
        key_fingerprint: str | None = None,
        export_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> IncidentRows:
        """Return what ``who`` (an actor id), a key or an export touched in the window.

        Exactly one of ``who``, ``key_fingerprint`` (as printed by ``spm extract``) and
        ``export_id`` (the audit line of an export or extract) is given; ``since`` is
        inclusive and ``until`` exclusive. Only lines in the operator's area count.

        Raises:
            AccessDenied: the actor is not an operator.
            InvalidValue: not exactly one of ``who``, ``key_fingerprint``, ``export_id``.
        """
        given = [v for v in (who, key_fingerprint, export_id) if v is not None]
        if len(given) != 1:
            raise InvalidValue(
                value=len(given),
                reason_id="sebutkan tepat satu: pelaku, sidik kunci, atau nomor ekspor",
                reason_en="name exactly one of: an actor, a key fingerprint, an export id",
            )
        area = actor.area
        assert area is not None  # only operators read the log
        conditions: list[ColumnElement[bool]] = [in_area(AuditRow.wilayah_code, area)]
        if who is not None:
            conditions.append(AuditRow.actor_id == who)
        if key_fingerprint is not None:
            conditions += [
                AuditRow.action == "extract",
                # As text: a "%" or "_" in what was given must not match every extract.
                AuditRow.entity_id.endswith(f"#{key_fingerprint}", autoescape=True),
            ]
        if export_id is not None:
            conditions.append(AuditRow.id == export_id)
        if since is not None:
            conditions.append(AuditRow.at >= since)
        if until is not None:
            conditions.append(AuditRow.at < until)
        fields_text = cast(AuditRow.fields, String)
        grouped = (
            select(
                AuditRow.entity,
                AuditRow.action,
                fields_text.label("fields"),
                func.count().label("lines"),
                func.coalesce(func.sum(AuditRow.row_count), 0).label("rows"),
            )
            .where(*conditions)
            .group_by(AuditRow.entity, AuditRow.action, fields_text)
        )
        touched = (
            select(AuditRow.entity, AuditRow.entity_id)
            .where(*conditions, AuditRow.action != "extract")
            .subquery()
        )
        residents = union(
            select(touched.c.entity_id.label("resident_id")).where(touched.c.entity == "resident"),
            select(RecordRow.resident_id)
            .join(touched, (touched.c.entity == "record") & (touched.c.entity_id == RecordRow.id))
            .where(RecordRow.resident_id.is_not(None)),
            select(MembershipRow.resident_id).join(
                touched,
                (touched.c.entity == "membership") & (touched.c.entity_id == MembershipRow.id),
            ),
            select(ReferralRow.resident_id)
            .join(
                touched, (touched.c.entity == "referral") & (touched.c.entity_id == ReferralRow.id)
            )
            .where(ReferralRow.resident_id.is_not(None)),
            select(ResidentRow.id).join(
                touched,
                touched.c.entity_id == literal("resident:").concat(ResidentRow.id),
            ),
            select(SubjectRequestRow.resident_id).join(
                touched,
                (touched.c.entity == "subject_request")
                & (touched.c.entity_id == SubjectRequestRow.id),
            ),
        )
        record_types = (
            select(RecordRow.record_type)
            .join(touched, (touched.c.entity == "record") & (touched.c.entity_id == RecordRow.id))
            .distinct()
        )
        extracts = (
            select(AuditRow.id, AuditRow.entity_id, AuditRow.wilayah_code, AuditRow.row_count)
            .where(*conditions, AuditRow.action == "extract")
            .order_by(AuditRow.id)
        )
        with self._db.read("audit_log") as session:
            groups = session.execute(grouped).all()
            people = sorted({str(r[0]) for r in session.execute(residents) if r[0] is not None})
            types = sorted(str(t) for t in session.scalars(record_types))
            found = session.execute(extracts).all()
        touches = sorted(
            (
                str(g.entity),
                str(g.action),
                tuple(sorted(_fields(g.fields))),
                int(g.lines),
                int(g.rows or 0),
            )
            for g in groups
        )
        return IncidentRows(
            touches=tuple(touches),
            record_types=tuple(types),
            residents=tuple(people),
            extracts=tuple(
                (int(e.id), str(e.entity_id), e.wilayah_code, int(e.row_count or 0)) for e in found
            ),
            lines=sum(t[3] for t in touches),
        )


def _fields(text: Any) -> list[str]:
    if text is None:
        return []
    value = json.loads(text) if isinstance(text, str) else text
    return [str(v) for v in value] if isinstance(value, list) else []

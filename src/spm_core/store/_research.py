"""Research rows: the residents of an area, pseudonymised inside the store.

The NIK never leaves the store on this path: it is replaced by HMAC-SHA-256 under the
research project's key (:mod:`spm_core.domain.pseudonym`) in the same call that reads
it; dates are cut to the month or the year and places to the level asked. Record
values leave it only field by field as the caller's plan allows (numbers, yes/no,
codes; dates cut like the others) — a free-text field is never read out. Each extract
is logged with its row count, the project and the key's fingerprint.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any, Literal

import attrs
from sqlalchemy import func, or_, select

from spm_core.access import Actor, Purpose, Role
from spm_core.domain.pseudonym import (
    DatePrecision,
    ResearchKey,
    coarsen,
    key_fingerprint,
    pseudonym,
)
from spm_core.domain.timezone import local_today
from spm_core.errors import InvalidValue
from spm_core.store._core import StoreCore, audit_event
from spm_core.store._scoping import in_area
from spm_core.store.aggregate import ReportLevel
from spm_core.store.chain import append_audit
from spm_core.store.declare import reads
from spm_core.store.tables import DomicileRow, RecordRow, ResidentRow

__all__ = ["FieldPlan", "ResearchMixin", "ResearchRecord", "ResearchRow"]

FieldPlan = Literal["value", "date", "codes"]
"""How a record value field goes into an extract: as it is (a number, yes/no or a code),
for a date cut to the extract's precision, or for a list of codes as one text with the
codes sorted and joined by ``;``. Fields without a plan stay out."""


@attrs.frozen
class ResearchRow:
    """One resident in a research extract: a pseudonym, never a name or a NIK.

    ``birth`` and ``died`` are cut to the month or the year; ``area`` is the region
    of the resident's domicile at the level asked (never an RT or an address);
    ``records`` counts the resident's records per record type asked for.
    """

    pseudonym: str
    sex: str
    birth: str
    died: str | None
    area: str
    records: tuple[tuple[str, int], ...] = ()


@attrs.frozen
class ResearchRecord:
    """One record of a resident in a research extract, linked by the resident's pseudonym.

    ``observed`` is cut like the birth date; ``age`` is the resident's age on the day
    observed, in whole months (month precision) or years (year precision), so it says
    no more about the birth date than ``birth`` does. ``values`` holds only the fields
    the plan let through. No record id, no place, no free text.
    """

    pseudonym: str
    record_type: str
    observed: str
    age: int
    values: tuple[tuple[str, Any], ...] = ()


def _age(birth: date, day: date, precision: DatePrecision) -> int:
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    return months if precision == "month" else months // 12


def _planned(
    value: Mapping[str, Any], plan: Mapping[str, FieldPlan], precision: DatePrecision
) -> tuple[tuple[str, Any], ...]:
    out: list[tuple[str, Any]] = []
    for name, how in sorted(plan.items()):
        found = value.get(name)
        if found is not None and how == "date":
            try:
                day = (
                    found.date()
                    if isinstance(found, datetime)
                    else found
                    if isinstance(found, date)
                    else date.fromisoformat(str(found)[:10])
                )
            except ValueError:
                found = None
            else:
                found = coarsen(day, precision)
        elif how == "codes" and isinstance(found, list):
            found = ";".join(sorted(str(code) for code in found))
        elif isinstance(found, (dict, list)):
            found = None
        out.append((name, found))
    return tuple(out)


class ResearchMixin(StoreCore):
    """Pseudonymised rows for research extracts."""

    @reads("resident", logs_itself=True)
    def research_rows(
        self,
        actor: Actor,
        key: ResearchKey,
        *,
        level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
        date_precision: DatePrecision = "month",
        on: date | None = None,
        record_types: Collection[str] = (),
        project: str = "-",
        purpose: Purpose | str = Purpose.PENELITIAN,
    ) -> list[ResearchRow]:
        """Return the residents of the actor's area on ``on``, pseudonymised.

        :meth:`research_extract_rows` without record values.
        """
        rows, _ = self.research_extract_rows(
            actor,
            key,
            level=level,
            date_precision=date_precision,
            on=on,
            record_types=record_types,
            project=project,
            purpose=purpose,
        )
        return rows

    @reads("resident", logs_itself=True)
    def research_extract_rows(
        self,
        actor: Actor,
        key: ResearchKey,
        *,
        level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
        date_precision: DatePrecision = "month",
        on: date | None = None,
        record_types: Collection[str] = (),
        values: Mapping[str, Mapping[str, FieldPlan]] | None = None,
        project: str = "-",
        purpose: Purpose | str = Purpose.PENELITIAN,
    ) -> tuple[list[ResearchRow], list[ResearchRecord]]:
        """Return the residents of the actor's area on ``on`` and their records, pseudonymised.

        For researchers and operators only (other roles get an empty list): the NIK
        (or, without one, the library's id) becomes HMAC-SHA-256 under ``key``; birth
        and death dates are cut to ``date_precision``; the place is the region of the
        resident's domicile at ``level`` (province to village, never finer); no name,
        address or RT/RW. Restricted and erased residents are left out. With
        ``values`` (record type → field → :data:`FieldPlan`), each record of those types
        about a resident of the extract, observed by ``on`` and not voided, comes as a
        :class:`ResearchRecord` carrying the planned fields only. The extract is logged
        once, with its row count under ``project``, a fingerprint of the key (never the
        key) and every field it carries.

        Raises:
            InvalidValue: a level finer than a village, or an unknown precision.
        """
        wanted = ReportLevel.parse(level)
        if wanted is ReportLevel.POSYANDU:
            raise InvalidValue(
                value=str(level),
                reason_id="tingkat wilayah ekstrak penelitian paling rinci kelurahan/desa",
                reason_en="a research extract goes no finer than a village (kelurahan/desa)",
            )
        coarsen(None, date_precision)
        if actor.role not in (Role.RESEARCHER, Role.OPERATOR):
            return [], []
        plans = {t: dict(p) for t, p in sorted((values or {}).items())}
        area = actor.area
        assert area is not None
        day = on or local_today(area.value)
        with self._db.read("resident") as session:
            query = (
                select(
                    ResidentRow.id,
                    ResidentRow.nik,
                    ResidentRow.sex,
                    ResidentRow.birth_date,
                    ResidentRow.died_on,
                    DomicileRow.wilayah_code,
                )
                .join(DomicileRow, DomicileRow.resident_id == ResidentRow.id)
                .where(
                    DomicileRow.since <= day,
                    or_(DomicileRow.until.is_(None), DomicileRow.until >= day),
                    in_area(DomicileRow.wilayah_code, area),
                    ResidentRow.restricted.is_(False),
                    ResidentRow.erased_at.is_(None),
                    ResidentRow.birth_date <= day,
                )
                .order_by(ResidentRow.id)
            )
            people = session.execute(query).all()
            counts: dict[str, dict[str, int]] = {}
            if record_types:
                found = session.execute(
                    select(RecordRow.resident_id, RecordRow.record_type, func.count())
                    .where(
                        RecordRow.record_type.in_(sorted(record_types)),
                        RecordRow.voided_at.is_(None),
                        RecordRow.resident_id.is_not(None),
                        RecordRow.observed_on <= day,
                        in_area(RecordRow.wilayah_code, area),
                    )
                    .group_by(RecordRow.resident_id, RecordRow.record_type)
                )
                for resident_id, record_type, count in found:
                    counts.setdefault(str(resident_id), {})[record_type] = int(count)
            observed: list[Any] = []
            if plans:
                observed = list(
                    session.execute(
                        select(
                            RecordRow.resident_id,
                            RecordRow.record_type,
                            RecordRow.observed_on,
                            RecordRow.value,
                        )
                        .where(
                            RecordRow.record_type.in_(list(plans)),
                            RecordRow.voided_at.is_(None),
                            RecordRow.resident_id.is_not(None),
                            RecordRow.observed_on <= day,
                            in_area(RecordRow.wilayah_code, area),
                        )
                        .order_by(RecordRow.resident_id, RecordRow.observed_on, RecordRow.id)
                    )
                )
        rows = [
            ResearchRow(
                pseudonym=pseudonym(key, person.nik or f"id:{person.id}"),
                sex=person.sex,
                birth=coarsen(person.birth_date, date_precision) or "",
                died=coarsen(person.died_on, date_precision)
                if person.died_on is not None and person.died_on <= day
                else None,
                area=wanted.area_of("-", person.wilayah_code),
                records=tuple(
                    (t, counts.get(person.id, {}).get(t, 0)) for t in sorted(record_types)
                ),
            )
            for person in people
        ]
        known = {p.id: (r.pseudonym, p.birth_date) for p, r in zip(people, rows, strict=True)}
        records = [
            ResearchRecord(
                pseudonym=known[item.resident_id][0],
                record_type=item.record_type,
                observed=coarsen(item.observed_on, date_precision) or "",
                age=_age(known[item.resident_id][1], item.observed_on, date_precision),
                values=_planned(item.value or {}, plans[item.record_type], date_precision),
            )
            for item in observed
            if item.resident_id in known
        ]
        fields = ["pseudonym", "sex", "birth", "died", f"area:{wanted.value}"]
        fields += [f"record:{t}" for t in sorted(record_types)]
        fields += [f"value:{t}.{f}" for t, plan in plans.items() for f in sorted(plan)]
        event = audit_event(
            actor,
            "extract",
            "resident",
            f"{project[:80]}#{key_fingerprint(key)}",
            Purpose.parse(purpose),
            fields,
            area.value,
        )
        event["row_count"] = len(rows)
        self._db.write(lambda session: append_audit(session, [event]), entity="audit")
        return rows, records

"""Research rows: the residents of an area, pseudonymised inside the store.

The NIK never leaves the store on this path: it is replaced by HMAC-SHA-256 under the
research project's key (:mod:`spm_core.domain.pseudonym`) in the same call that reads
it; dates are cut to the month or the year and places to the level asked. Each extract
is logged with its row count, the project and the key's fingerprint.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

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

__all__ = ["ResearchMixin", "ResearchRow"]


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

        For researchers and operators only (other roles get an empty list): the NIK
        (or, without one, the library's id) becomes HMAC-SHA-256 under ``key``; birth
        and death dates are cut to ``date_precision``; the place is the region of the
        resident's domicile at ``level`` (province to village, never finer); no name,
        address or RT/RW. Restricted and erased residents are left out. The extract is
        logged with its row count under ``project`` and a fingerprint of the key (never
        the key).

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
            return []
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
        fields = ["pseudonym", "sex", "birth", "died", f"area:{wanted.value}"]
        fields += [f"record:{t}" for t in sorted(record_types)]
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
        return rows

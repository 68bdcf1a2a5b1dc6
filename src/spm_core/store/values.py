"""Frozen values the store returns; ORM rows never leave the store.

Each value is built from its row with a named constructor (``from_row``) and turns into
plain JSON-ready data with ``to_dict``. Identifiers (NIK, KK, region codes) stay text.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from spm_core.domain.enums import Relationship, Sex, SpmField, Subject
from spm_core.domain.referral import CLOSED, OPEN, ReferralAction, ReferralStatus
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import InvalidValue, Notice
from spm_core.schemas.models import registration_number_notices
from spm_core.store.tables import (
    AuditRow,
    DomicileRow,
    HouseholdRow,
    MembershipRow,
    PosyanduFieldRow,
    PosyanduRow,
    QualityInputRow,
    RecordRow,
    ReferralEventRow,
    ReferralRow,
    ResidentRow,
    RetentionRuleRow,
    SubjectRequestRow,
    TargetRow,
    WilayahRow,
)

__all__ = [
    "AuditEntry",
    "Domicile",
    "FieldPeriod",
    "Household",
    "Membership",
    "Posyandu",
    "QualityInput",
    "Record",
    "Referral",
    "ReferralContext",
    "ReferralCount",
    "ReferralEvent",
    "Resident",
    "RetentionRule",
    "RouteTarget",
    "SubjectRef",
    "SubjectRequest",
    "Target",
    "Wilayah",
]


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, KodeWilayah):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Relationship):
        return int(value)
    if isinstance(value, Sex | SpmField | Subject | ReferralStatus | ReferralAction):
        return value.value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


class _ToDict:
    """Mixin giving attrs values a JSON-ready ``to_dict``."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the value as JSON-ready data (dates ISO, codes as text)."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data


@attrs.frozen
class Wilayah(_ToDict):
    """A region as stored: code, name, level, kind and parent."""

    code: KodeWilayah
    name: str
    level: WilayahLevel
    kind: str
    parent_code: KodeWilayah | None

    @classmethod
    def from_row(cls, row: WilayahRow) -> Wilayah:
        """Build the value from its row."""
        return cls(
            code=KodeWilayah(row.code),
            name=row.name,
            level=WilayahLevel(row.level),
            kind=row.kind,
            parent_code=None if row.parent_code is None else KodeWilayah(row.parent_code),
        )


@attrs.frozen
class FieldPeriod(_ToDict):
    """A period (``until`` inclusive, open when ``None``) in which a posyandu serves a field."""

    field: SpmField
    since: date
    until: date | None = None

    def covers(self, day: date) -> bool:
        """Return whether the field is served on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)

    @classmethod
    def from_row(cls, row: PosyanduFieldRow) -> FieldPeriod:
        """Build the value from its row."""
        return cls(field=SpmField(row.field), since=row.since, until=row.until)


@attrs.frozen
class Posyandu(_ToDict):
    """A posyandu and the periods in which it serves each SPM field."""

    id: str
    name: str
    wilayah_code: KodeWilayah
    registration_number: str | None
    fields: tuple[FieldPeriod, ...]
    version: int
    created_at: datetime
    updated_at: datetime

    def serves(self, field: SpmField, on: date) -> bool:
        """Return whether the posyandu serves ``field`` on ``on``."""
        return any(p.field is field and p.covers(on) for p in self.fields)

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Warnings about the stored data that never stopped a write.

        A registration number that does not start with the village code is kept and
        flagged here (its reported format is unconfirmed).
        """
        return registration_number_notices(self.registration_number, self.wilayah_code)

    @classmethod
    def from_row(cls, row: PosyanduRow, fields: list[PosyanduFieldRow]) -> Posyandu:
        """Build the value from its row and its field rows."""
        return cls(
            id=row.id,
            name=row.name,
            wilayah_code=KodeWilayah(row.wilayah_code),
            registration_number=row.registration_number,
            fields=tuple(
                FieldPeriod.from_row(f) for f in sorted(fields, key=lambda f: (f.field, f.since))
            ),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@attrs.frozen
class Household(_ToDict):
    """A household: KK number when known, posyandu, village, RT/RW and address."""

    id: str
    nomor_kk: str | None
    posyandu_id: str
    wilayah_code: KodeWilayah
    rt: str
    rw: str
    address: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: HouseholdRow) -> Household:
        """Build the value from its row."""
        return cls(
            id=row.id,
            nomor_kk=row.nomor_kk,
            posyandu_id=row.posyandu_id,
            wilayah_code=KodeWilayah(row.wilayah_code),
            rt=row.rt,
            rw=row.rw,
            address=row.address,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@attrs.frozen
class Resident(_ToDict):
    """A resident: NIK when known, name, sex, birth date and domicile.

    ``restricted`` is set when the resident asked to restrict processing (UU PDP 27/2022
    Ps. 11); such a resident, and every row about them, is then seen only by operators.
    """

    id: str
    nik: str | None
    name: str
    sex: Sex
    birth_date: date
    posyandu_id: str
    wilayah_code: KodeWilayah
    rt: str | None
    rw: str | None
    address: str | None
    restricted: bool
    version: int
    created_at: datetime
    updated_at: datetime
    died_on: date | None = None
    moved_away_on: date | None = None

    @classmethod
    def from_row(cls, row: ResidentRow) -> Resident:
        """Build the value from its row."""
        return cls(
            id=row.id,
            nik=row.nik,
            name=row.name,
            sex=Sex(row.sex),
            birth_date=row.birth_date,
            posyandu_id=row.posyandu_id,
            wilayah_code=KodeWilayah(row.wilayah_code),
            rt=row.rt,
            rw=row.rw,
            address=row.address,
            restricted=row.restricted,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            died_on=row.died_on,
            moved_away_on=row.moved_away_on,
        )


@attrs.frozen
class Domicile(_ToDict):
    """Where a resident lived from ``since`` to ``until`` (inclusive; open when ``None``)."""

    id: str
    resident_id: str
    posyandu_id: str
    wilayah_code: KodeWilayah
    rt: str | None
    rw: str | None
    since: date
    until: date | None

    def covers(self, day: date) -> bool:
        """Return whether the resident lived here on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)

    @classmethod
    def from_row(cls, row: DomicileRow) -> Domicile:
        """Build the value from its row."""
        return cls(
            id=row.id,
            resident_id=row.resident_id,
            posyandu_id=row.posyandu_id,
            wilayah_code=KodeWilayah(row.wilayah_code),
            rt=row.rt,
            rw=row.rw,
            since=row.since,
            until=row.until,
        )


@attrs.frozen
class Membership(_ToDict):
    """A resident in a household from ``start`` to ``end`` (inclusive; open when ``None``)."""

    id: str
    household_id: str
    resident_id: str
    relationship: Relationship
    start: date
    end: date | None

    def active_on(self, day: date) -> bool:
        """Return whether the resident was a member on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)

    @classmethod
    def from_row(cls, row: MembershipRow) -> Membership:
        """Build the value from its row."""
        return cls(
            id=row.id,
            household_id=row.household_id,
            resident_id=row.resident_id,
            relationship=Relationship(row.relationship),
            start=row.start_date,
            end=row.end_date,
        )


@attrs.frozen
class SubjectRef(_ToDict):
    """What a record is about: a resident, a household (by id) or a place (region code).

    Example:
        >>> SubjectRef.place("3275011001")
        SubjectRef(kind=<Subject.PLACE: 'place'>, id='32.75.01.1001')
    """

    kind: Subject
    id: str

    @classmethod
    def resident(cls, resident_id: str) -> SubjectRef:
        """Refer to a resident."""
        return cls(Subject.RESIDENT, resident_id)

    @classmethod
    def household(cls, household_id: str) -> SubjectRef:
        """Refer to a household."""
        return cls(Subject.HOUSEHOLD, household_id)

    @classmethod
    def place(cls, code: str | KodeWilayah) -> SubjectRef:
        """Refer to a place by its region code (any level, dotted or not)."""
        parsed = code if isinstance(code, KodeWilayah) else KodeWilayah.parse(code)
        return cls(Subject.PLACE, parsed.value)

    @classmethod
    def of(cls, value: object) -> SubjectRef:
        """Return ``value`` if it is a reference, else raise :class:`InvalidValue`."""
        if isinstance(value, SubjectRef):
            return value
        raise InvalidValue(
            value=value,
            reason_id="subjek harus SubjectRef.resident/household/place(...)",
            reason_en="the subject must be SubjectRef.resident/household/place(...)",
        )


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return types.MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


@attrs.frozen
class Record(_ToDict):
    """One dated observation, its validated value, and who recorded it when."""

    id: str
    record_type: str
    subject: SubjectRef
    posyandu_id: str | None
    wilayah_code: KodeWilayah
    observed_on: date
    value: Mapping[str, Any]
    recorded_by: str
    created_at: datetime
    idempotency_key: str = ""
    voided_at: datetime | None = None
    void_reason: str | None = None
    superseded_by: str | None = None

    @property
    def counts(self) -> bool:
        """Whether the record counts anywhere: it has not been voided or superseded."""
        return self.voided_at is None

    @classmethod
    def from_row(cls, row: RecordRow) -> Record:
        """Build the value from its row."""
        if row.resident_id is not None:
            subject = SubjectRef.resident(row.resident_id)
        elif row.household_id is not None:
            subject = SubjectRef.household(row.household_id)
        else:
            assert row.place_code is not None
            subject = SubjectRef(Subject.PLACE, row.place_code)
        return cls(
            id=row.id,
            record_type=row.record_type,
            subject=subject,
            posyandu_id=row.posyandu_id,
            wilayah_code=KodeWilayah(row.wilayah_code),
            observed_on=row.observed_on,
            value=_freeze(row.value),
            recorded_by=row.recorded_by,
            created_at=row.created_at,
            idempotency_key=row.idempotency_key,
            voided_at=row.voided_at,
            void_reason=row.void_reason,
            superseded_by=row.superseded_by,
        )


@attrs.frozen
class Target(_ToDict):
    """A target (sasaran) for a code, an area and a year, with its source."""

    id: str
    code: str
    wilayah_code: KodeWilayah
    year: int
    value: Decimal
    source: str
    recorded_by: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: TargetRow) -> Target:
        """Build the value from its row."""
        return cls(
            id=row.id,
            code=row.code,
            wilayah_code=KodeWilayah(row.wilayah_code),
            year=row.year,
            value=Decimal(row.value),
            source=row.source,
            recorded_by=row.recorded_by,
            updated_at=row.updated_at,
        )


@attrs.frozen
class QualityInput(_ToDict):
    """One quality item (mutu) of a service type for an area and year."""

    id: str
    service_type: str
    wilayah_code: KodeWilayah
    year: int
    item: str
    category: str
    required: int
    met: int
    recorded_by: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: QualityInputRow) -> QualityInput:
        """Build the value from its row."""
        return cls(
            id=row.id,
            service_type=row.service_type,
            wilayah_code=KodeWilayah(row.wilayah_code),
            year=row.year,
            item=row.item,
            category=row.category,
            required=row.required,
            met=row.met,
            recorded_by=row.recorded_by,
            updated_at=row.updated_at,
        )


@attrs.frozen
class AuditEntry(_ToDict):
    """One line of the processing log: who did what to which entity, when and why.

    ``row_count`` is how many rows a read, export or extract returned (``None`` for a
    write).
    """

    id: int
    at: datetime
    actor_id: str
    actor_role: str
    actor_scope: str
    action: str
    entity: str
    entity_id: str
    purpose: str
    fields: tuple[str, ...]
    wilayah_code: str | None
    posyandu_id: str | None
    row_count: int | None = None

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntry:
        """Build the value from its row."""
        return cls(
            id=row.id,
            at=row.at,
            actor_id=row.actor_id,
            actor_role=row.actor_role,
            actor_scope=row.actor_scope,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            purpose=row.purpose,
            fields=tuple(row.fields),
            wilayah_code=row.wilayah_code,
            posyandu_id=row.posyandu_id,
            row_count=row.row_count,
        )


# ----------------------------------------------------------------------------- referrals


@attrs.frozen
class Referral(_ToDict):
    """A need raised at a posyandu, held by one agency, and where it stands.

    ``person`` holds what the agency may see of the subject — exactly the fields the
    need type declared when the need was raised (``shared_fields``); ``None`` for a
    place. ``routing`` is the explanation of the routing decision, as JSON.
    """

    id: str
    group_id: str
    idempotency_key: str | None
    need_type: str
    field: SpmField
    subject: SubjectRef
    posyandu_id: str
    wilayah_code: KodeWilayah
    status: ReferralStatus
    agency_code: str | None
    routed_on: date | None
    due_on: date | None
    routing: Mapping[str, Any] | None
    rejected_by: tuple[str, ...]
    reason: str | None
    outcome: str | None
    note: str | None
    escalations: int
    closed_on: date | None
    days_to_close: int | None
    met_deadline: bool | None
    shared_fields: tuple[str, ...]
    person: Mapping[str, Any] | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        """Whether an agency holds the referral and its deadline runs."""
        return self.status in OPEN

    @property
    def is_closed(self) -> bool:
        """Whether the referral is resolved or cancelled (it never changes again)."""
        return self.status in CLOSED

    def overdue(self, on: date) -> bool:
        """Return whether the referral is open and its deadline passed before ``on``."""
        return self.is_open and self.due_on is not None and on > self.due_on

    @classmethod
    def from_row(cls, row: ReferralRow, person: Mapping[str, Any] | None = None) -> Referral:
        """Build the value from its row and the shared fields of its subject."""
        if row.resident_id is not None:
            subject = SubjectRef.resident(row.resident_id)
        elif row.household_id is not None:
            subject = SubjectRef.household(row.household_id)
        else:
            assert row.place_code is not None
            subject = SubjectRef.place(row.place_code)
        return cls(
            id=row.id,
            group_id=row.group_id,
            idempotency_key=row.idempotency_key,
            need_type=row.need_type,
            field=SpmField(row.field),
            subject=subject,
            posyandu_id=row.posyandu_id,
            wilayah_code=KodeWilayah(row.wilayah_code),
            status=ReferralStatus(row.status),
            agency_code=row.agency_code,
            routed_on=row.routed_on,
            due_on=row.due_on,
            routing=None if row.routing is None else _freeze(row.routing),
            rejected_by=tuple(row.rejected_by),
            reason=row.reason,
            outcome=row.outcome,
            note=row.note,
            escalations=row.escalations,
            closed_on=row.closed_on,
            days_to_close=row.days_to_close,
            met_deadline=row.met_deadline,
            shared_fields=tuple(row.shared_fields),
            person=None if person is None else types.MappingProxyType(dict(person)),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@attrs.frozen
class ReferralEvent(_ToDict):
    """One step in a referral's history: the action, the states before and after, who."""

    referral_id: str
    sequence: int
    action: ReferralAction
    from_status: ReferralStatus | None
    to_status: ReferralStatus
    agency_code: str | None
    detail: str | None
    on: date
    at: datetime
    actor_id: str
    actor_role: str

    @classmethod
    def from_row(cls, row: ReferralEventRow) -> ReferralEvent:
        """Build the value from its row."""
        return cls(
            referral_id=row.referral_id,
            sequence=row.sequence,
            action=ReferralAction(row.action),
            from_status=None if row.from_status is None else ReferralStatus(row.from_status),
            to_status=ReferralStatus(row.to_status),
            agency_code=row.agency_code,
            detail=row.detail,
            on=row.on,
            at=row.at,
            actor_id=row.actor_id,
            actor_role=row.actor_role,
        )


@attrs.frozen
class ReferralContext:
    """What a router needs to know about a need to pick its agencies.

    Handed to the ``route`` function of :meth:`~spm_core.store.Store.submit_referral`
    and :meth:`~spm_core.store.Store.transition_referral`, inside the write transaction.
    ``exclude`` lists agencies that already rejected the referral.
    """

    need_type: str
    village: KodeWilayah
    posyandu_id: str
    subject: Subject
    birth_date: date | None
    sex: Sex | None
    on: date
    exclude: tuple[str, ...] = ()


@attrs.frozen
class RouteTarget:
    """One agency a referral goes to, its deadline and the decision's explanation."""

    agency_code: str
    due_on: date | None
    routing: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class ReferralCount(_ToDict):
    """How many referrals share one combination of agency, field, need, village and state.

    Counts only, never rows: what monitoring reads. ``overdue`` is judged on the day the
    counts were asked for; ``days_to_close`` and ``met_deadline`` are set for closed
    referrals.
    """

    agency_code: str | None
    field: SpmField
    need_type: str
    wilayah_code: KodeWilayah
    status: ReferralStatus
    overdue: bool
    escalated: bool
    days_to_close: int | None
    met_deadline: bool | None
    count: int


# ----------------------------------------------------------------------------- privacy


@attrs.frozen
class SubjectRequest(_ToDict):
    """A data subject's request and its 3 × 24 hour deadline (UU PDP 27/2022).

    ``kind`` is ``access``, ``correction``, ``restriction``, ``lift_restriction`` or
    ``erasure``; ``status`` is ``open``, ``done`` or ``refused`` (then ``legal_basis``
    says why); ``fields`` names the fields a correction concerns.
    """

    id: str
    resident_id: str
    kind: str
    status: str
    fields: tuple[str, ...]
    received_at: datetime
    due_at: datetime
    closed_at: datetime | None
    legal_basis: str | None
    posyandu_id: str
    wilayah_code: str
    recorded_by: str

    def overdue(self, at: datetime) -> bool:
        """Return whether the request is still open after its deadline at instant ``at``."""
        return self.status == "open" and at > self.due_at

    @classmethod
    def from_row(cls, row: SubjectRequestRow) -> SubjectRequest:
        """Build the value from its row."""
        return cls(
            id=row.id,
            resident_id=row.resident_id,
            kind=row.kind,
            status=row.status,
            fields=tuple(row.fields),
            received_at=row.received_at,
            due_at=row.due_at,
            closed_at=row.closed_at,
            legal_basis=row.legal_basis,
            posyandu_id=row.posyandu_id,
            wilayah_code=row.wilayah_code,
            recorded_by=row.recorded_by,
        )


@attrs.frozen
class RetentionRule(_ToDict):
    """How long records of ``record_type`` are kept in ``wilayah_code``, and why."""

    wilayah_code: str
    record_type: str
    years: int
    legal_basis: str
    updated_by: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: RetentionRuleRow) -> RetentionRule:
        """Build the value from its row."""
        return cls(
            wilayah_code=row.wilayah_code,
            record_type=row.record_type,
            years=row.years,
            legal_basis=row.legal_basis,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
        )

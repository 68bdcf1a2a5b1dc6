"""Need types: what a kader can find that some agency must act on."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Node
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["DEFAULT_SHARED_FIELDS", "SHAREABLE_FIELDS", "NeedType"]

SHAREABLE_FIELDS: frozenset[str] = frozenset(
    {"name", "sex", "birth_date", "nik", "nomor_kk", "rt", "rw", "address"}
)
"""Fields of the subject (resident or household) a need type may share with the agency."""

DEFAULT_SHARED_FIELDS: tuple[str, ...] = ("name", "sex", "birth_date", "rt", "rw", "address")
"""What an agency sees of the subject unless the need type says otherwise: enough to find
and serve the person, never the NIK or the KK number (UU PDP 27/2022 Ps. 16(2): data
minimisation). A need whose agency must check identity documents declares ``nik``."""


def _shared_fields(value: object) -> tuple[str, ...]:
    fields = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
    unknown = sorted(set(fields) - SHAREABLE_FIELDS)
    if unknown:
        known = ", ".join(sorted(SHAREABLE_FIELDS))
        raise InvalidValue(
            value=", ".join(unknown),
            reason_id=f"kolom yang dapat dibagikan ke perangkat daerah hanya: {known}",
            reason_en=f"the only fields that may be shared with an agency are: {known}",
        )
    return tuple(sorted(set(fields)))


def _positive_or_none(_inst: object, _attr: object, value: int | None) -> None:
    if value is not None and value <= 0:
        raise InvalidValue(
            value=value,
            reason_id="batas waktu layanan harus lebih dari 0 hari",
            reason_en="the service-level deadline must be more than 0 days",
        )


@attrs.frozen(kw_only=True)
class NeedType(Definition):
    """A need (a child out of school, a house unfit to live in, a hearing aid).

    ``service_type`` links it to the JPD it falls under, or is ``None`` for needs outside
    SPM that Posyandu 6 SPM still routes (general RTLH rehabilitation, for example).
    ``trigger`` optionally says, as an indicator expression about the need's subject, when
    the records show the need (a household whose latest sanitation record has no toilet);
    the catalog checks it like an indicator's, the evaluators read it like a numerator
    over the period, and a referral engine may propose the need wherever it holds. A
    need without a trigger is raised by hand. ``sla_days`` is the deadline for the
    receiving agency to act, in working days (weekends, national public holidays and
    declared joint leave days do not count).
    ``shared_fields`` names what the agency officer sees of the subject
    (:data:`DEFAULT_SHARED_FIELDS` unless declared; ``nik`` and ``nomor_kk`` only when
    listed here).
    """

    kind: ClassVar[str] = "need_type"
    kind_label: ClassVar[Text] = Text("jenis kebutuhan", "need type")
    field: SpmField
    subject: Subject
    service_type: str | None = None
    sla_days: int | None = attrs.field(default=None, validator=_positive_or_none)
    trigger: Node | None = None
    shared_fields: tuple[str, ...] = attrs.field(
        default=DEFAULT_SHARED_FIELDS, converter=_shared_fields
    )

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field, the service type (when set) and the trigger's record types."""
        refs = [("field", self.field.value)]
        if self.service_type is not None:
            refs.append(("service_type", self.service_type))
        if self.trigger is not None:
            refs.extend((r.kind, r.code) for r in self.trigger.references() if r.kind != "target")
        return tuple(refs)

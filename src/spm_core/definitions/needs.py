"""Need types: what a kader can find that some agency must act on."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Node
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["NeedType"]


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
    ``sla_days`` is the default deadline for the receiving agency to act, in days.
    ``trigger`` optionally says, as an indicator expression about the need's subject, when
    the records show the need (a household whose latest sanitation record has no toilet);
    the catalog checks it like an indicator's, the evaluators read it like a numerator
    over the period, and a referral engine may propose the need wherever it holds. A
    need without a trigger is raised by hand.
    """

    kind: ClassVar[str] = "need_type"
    kind_label: ClassVar[Text] = Text("jenis kebutuhan", "need type")
    field: SpmField
    subject: Subject
    service_type: str | None = None
    sla_days: int | None = attrs.field(default=None, validator=_positive_or_none)
    trigger: Node | None = None

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field, the service type (when set) and the trigger's record types."""
        refs = [("field", self.field.value)]
        if self.service_type is not None:
            refs.append(("service_type", self.service_type))
        if self.trigger is not None:
            refs.extend((r.kind, r.code) for r in self.trigger.references() if r.kind != "target")
        return tuple(refs)

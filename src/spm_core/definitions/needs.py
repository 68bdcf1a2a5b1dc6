"""Need types: what a kader can find that some agency must act on."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
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
    """

    kind: ClassVar[str] = "need_type"
    kind_label: ClassVar[Text] = Text("jenis kebutuhan", "need type")
    field: SpmField
    subject: Subject
    service_type: str | None = None
    sla_days: int | None = attrs.field(default=None, validator=_positive_or_none)

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field and, when set, the service type."""
        refs = [("field", self.field.value)]
        if self.service_type is not None:
            refs.append(("service_type", self.service_type))
        return tuple(refs)

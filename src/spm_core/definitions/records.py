"""Record types: what a kader or an agency records, each with a value schema."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import pydantic

from spm_core.definitions._base import Definition
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["RecordType", "RecordValue"]


class RecordValue(pydantic.BaseModel):
    """Base of every record value schema: unknown fields are rejected, values are frozen.

    Plugins subclass it and describe each field in both languages, so the published JSON
    Schema can label a form::

        class Penimbangan(RecordValue):
            weight_kg: float = Field(gt=0, le=250, description="Berat badan (kg) / Weight (kg)")
    """

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


def _is_model(_inst: object, _attr: object, value: Any) -> None:
    if not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
        raise InvalidValue(
            value=value,
            reason_id="skema nilai harus kelas pydantic.BaseModel",
            reason_en="the value schema must be a pydantic.BaseModel class",
        )


@attrs.frozen(kw_only=True)
class RecordType(Definition):
    """One kind of dated observation about a resident, a household or a place.

    ``value_schema`` is a pydantic model validating the record's value; its JSON Schema
    is published so frontends can build forms. ``specific`` marks data that UU PDP
    27/2022 Ps. 4 treats as specific (health, disability, children, finances).
    """

    kind: ClassVar[str] = "record_type"
    kind_label: ClassVar[Text] = Text("jenis catatan", "record type")
    field: SpmField
    subject: Subject
    value_schema: type[pydantic.BaseModel] = attrs.field(validator=_is_model)
    specific: bool = False

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field to be declared."""
        return (("field", self.field.value),)

"""Fields and service types (Jenis Pelayanan Dasar, JPD)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.enums import GovernmentLevel, SpmField
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["FieldDefinition", "ServiceType"]


@attrs.frozen(kw_only=True)
class FieldDefinition(Definition):
    """A plugin's declaration that it provides one of the six SPM fields.

    Its ``code`` is the field's value (``"kesehatan"``, …).
    """

    kind: ClassVar[str] = "field"
    kind_label: ClassVar[Text] = Text("bidang", "field")
    field: SpmField

    def __attrs_post_init__(self) -> None:
        if self.code != self.field.value:
            raise InvalidValue(
                value=self.code,
                reason_id=f"kode bidang harus {self.field.value!r}",
                reason_en=f"the field's code must be {self.field.value!r}",
            )


@attrs.frozen(kw_only=True)
class ServiceType(Definition):
    """A Jenis Pelayanan Dasar: a basic service owed to every eligible citizen.

    ``recipients`` describes the Penerima Pelayanan Dasar (PPD); ``level`` says which
    government owes it.
    """

    kind: ClassVar[str] = "service_type"
    kind_label: ClassVar[Text] = Text("jenis pelayanan dasar", "service type")
    field: SpmField
    level: GovernmentLevel = GovernmentLevel.KABUPATEN_KOTA
    recipients: Text

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field to be declared."""
        return (("field", self.field.value),)

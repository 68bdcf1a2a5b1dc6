"""Bilingual labels: every text a person reads exists in Bahasa Indonesia and English."""

from __future__ import annotations

import attrs

from spm_core.errors import InvalidValue

__all__ = ["Text"]


def _non_blank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            value=value,
            reason_id=f"label '{attribute.name}' wajib diisi",
            reason_en=f"label '{attribute.name}' must not be empty",
        )


@attrs.frozen
class Text:
    """A label in Bahasa Indonesia (``id``) and English (``en``).

    Example:
        >>> t = Text("Balita", "Children under five")
        >>> t.get("en")
        'Children under five'
        >>> str(t)
        'Balita'
    """

    id: str = attrs.field(validator=_non_blank)
    en: str = attrs.field(validator=_non_blank)

    def get(self, locale: str = "id") -> str:
        """Return the label for ``locale``; ``"id"``/``"id_ID"`` give Indonesian, else English."""
        return self.id if locale.split("_")[0].lower() == "id" else self.en

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id": ..., "en": ...}``."""
        return {"id": self.id, "en": self.en}

    def __str__(self) -> str:
        return self.id

"""Bilingual labels: every text a person reads exists in Bahasa Indonesia and English."""

from __future__ import annotations

import attrs

from spm_core.errors import InvalidValue

__all__ = ["Text", "format_number"]


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


def format_number(value: float, locale: str = "id", decimals: int = 0) -> str:
    """Return ``value`` written for a reader of ``locale``, with ``decimals`` decimals.

    Bahasa Indonesia groups thousands with a dot and marks decimals with a comma
    (20.000 warga, 69,3 %); English the other way round (20,000 residents, 69.3 %).
    For text a person reads; CSV, JSON and tab-separated rows keep plain numbers.

    Example:
        >>> format_number(20000)
        '20.000'
        >>> format_number(1234.56, "id", 1), format_number(1234.56, "en", 1)
        ('1.234,6', '1,234.6')
    """
    english = f"{value:,.{decimals}f}"
    if locale.split("_")[0].lower() != "id":
        return english
    return english.translate(str.maketrans(",.", ".,"))

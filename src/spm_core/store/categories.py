"""Data categories: which data is *specific* (UU PDP 27/2022 Ps. 4) and which general.

Tagged in two places:

* **per record type** — the field plugins declare ``RecordType.specific`` (health,
  disability, children, welfare status); the category of a specific record type follows
  from its SPM field (:func:`record_category`): kesehatan → ``health``, sosial →
  ``welfare`` (disability and social-welfare status), pendidikan → ``children``, any
  other field → ``specific``. A record type not marked specific is ``general``.
* **per column** — :data:`COLUMN_CATEGORIES` tags the person columns the store keeps:
  NIK and KK numbers are ``identifier``; name, sex and birth date ``identity``;
  addresses and RT/RW ``address``; death ``health``; the restriction flag ``general``.

Every personal read of the store and every export is logged with its row count and
the categories it touched (:mod:`spm_core.store.declare`, docs/privacy.md).
"""

from __future__ import annotations

from spm_core.catalog import Catalog
from spm_core.definitions import RecordType
from spm_core.domain.enums import SpmField
from spm_core.errors import UnknownCode

__all__ = [
    "COLUMN_CATEGORIES",
    "SPECIFIC_CATEGORIES",
    "column_category",
    "field_category",
    "record_category",
    "record_type_category",
]

SPECIFIC_CATEGORIES = frozenset({"health", "welfare", "children", "specific"})
"""The categories UU PDP Ps. 4 treats as specific personal data."""

_FIELD_CATEGORY = {
    SpmField.KESEHATAN: "health",
    SpmField.SOSIAL: "welfare",
    SpmField.PENDIDIKAN: "children",
}

COLUMN_CATEGORIES: dict[tuple[str, str], str] = {
    ("resident", "nik"): "identifier",
    ("resident", "name"): "identity",
    ("resident", "sex"): "identity",
    ("resident", "birth_date"): "identity",
    ("resident", "address"): "address",
    ("resident", "rt"): "address",
    ("resident", "rw"): "address",
    ("resident", "died_on"): "health",
    ("resident", "restricted"): "general",
    ("household", "nomor_kk"): "identifier",
    ("household", "address"): "address",
    ("household", "rt"): "address",
    ("household", "rw"): "address",
    ("domicile", "rt"): "address",
    ("domicile", "rw"): "address",
    ("membership", "relationship"): "identity",
    ("referral", "note"): "specific",
    ("referral", "outcome"): "specific",
}
"""The category of each person column; a column not listed is ``general``."""


def field_category(field: SpmField) -> str:
    """Return the category of data about a need or service of ``field``.

    A referral for a health need is health data, one for social welfare is welfare
    status, one for schooling is children's data; other fields are ``general``.
    """
    return _FIELD_CATEGORY.get(field, "general")


def record_category(record_type: RecordType) -> str:
    """Return the category of records of ``record_type`` (``general`` unless specific)."""
    if not record_type.specific:
        return "general"
    return _FIELD_CATEGORY.get(record_type.field, "specific")


def record_type_category(catalog: Catalog, code: str) -> str:
    """Return the category of the record type ``code`` in ``catalog``.

    A code the catalog does not know (a plugin since removed) is treated as
    ``specific``: when in doubt, the stricter duty.
    """
    try:
        return record_category(catalog.record_type(code))
    except (UnknownCode, KeyError):
        return "specific"


def column_category(entity: str, column: str) -> str:
    """Return the category of ``column`` of ``entity`` (``general`` when not listed)."""
    return COLUMN_CATEGORIES.get((entity, column), "general")

"""JSON Schemas of the boundary models and of every record type's value schema.

The schemas are part of the public API: frontends build forms from them and other
systems validate against them. ``spm schema NAME`` prints one.
"""

from __future__ import annotations

from typing import Any

import pydantic

from spm_core.catalog import Catalog
from spm_core.errors import InvalidValue
from spm_core.schemas.models import (
    HouseholdIn,
    MembershipIn,
    PosyanduIn,
    QualityInputIn,
    RecordIn,
    ReferralIn,
    ResidentIn,
    ResidentUpdate,
    TargetIn,
)
from spm_core.schemas.pembina import ActionPlanIn

__all__ = ["BOUNDARY_MODELS", "RECORD_PREFIX", "json_schema", "schema_names"]

BOUNDARY_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "resident": ResidentIn,
    "resident_update": ResidentUpdate,
    "household": HouseholdIn,
    "membership": MembershipIn,
    "record": RecordIn,
    "referral": ReferralIn,
    "posyandu": PosyanduIn,
    "target": TargetIn,
    "quality_input": QualityInputIn,
    "action_plan": ActionPlanIn,
}
"""Schema name → boundary model."""

RECORD_PREFIX = "record:"
"""Prefix of the schema name of a record type's value (``record:<code>``)."""


def schema_names(catalog: Catalog | None = None) -> list[str]:
    """Return every schema name: the boundary models, then ``record:<code>`` per record type.

    Example:
        >>> schema_names()[:5]
        ['resident', 'resident_update', 'household', 'membership', 'record']
    """
    names = list(BOUNDARY_MODELS)
    if catalog is not None:
        names.extend(RECORD_PREFIX + rt.code for rt in catalog.record_types)
    return names


def json_schema(name: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """Return the JSON Schema called ``name`` (see :func:`schema_names`).

    A record type's schema carries its bilingual title and, under ``x-spm``, its code,
    field, subject and whether its data is specific personal data (UU PDP Ps. 4).

    Raises:
        InvalidValue: no schema has that name; the message lists the known names.

    Example:
        >>> json_schema("membership")["properties"]["relationship"]["description"][:35]
        'Status hubungan dalam keluarga (SHD'
    """
    model = BOUNDARY_MODELS.get(name)
    if model is not None:
        return model.model_json_schema()
    if catalog is not None and name.startswith(RECORD_PREFIX):
        code = name.removeprefix(RECORD_PREFIX)
        found = [rt for rt in catalog.record_types if rt.code == code]
        if found:
            record_type = found[0]
            schema = record_type.value_schema.model_json_schema()
            schema["title"] = f"{record_type.title.id} / {record_type.title.en}"
            schema["x-spm"] = {
                "record_type": record_type.code,
                "field": record_type.field.value,
                "subject": record_type.subject.value,
                "specific": record_type.specific,
            }
            return schema
    known = ", ".join(schema_names(catalog))
    raise InvalidValue(
        value=name,
        reason_id=f"tidak ada skema dengan nama itu; yang tersedia: {known}",
        reason_en=f"there is no schema of that name; available: {known}",
    )

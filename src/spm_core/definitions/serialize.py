"""JSON-ready views of definitions, for ``spm catalog --format json`` and the docs."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any, cast

import attrs
import pydantic

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Expr, Node, expr_to_dict
from spm_core.definitions.legal import LegalBasis, Provenance, Validity
from spm_core.domain.text import Text

__all__ = ["definition_to_dict"]


def _plain(value: Any) -> Any:
    if isinstance(value, Text | LegalBasis | Validity | Provenance):
        return value.to_dict()
    if isinstance(value, Expr):
        return expr_to_dict(cast("Node", value))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        return value.model_json_schema()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if callable(value):
        return getattr(value, "__qualname__", repr(value))
    if attrs.has(type(value)):
        return str(value)
    return value


def definition_to_dict(definition: Definition) -> dict[str, Any]:
    """Return every attribute of ``definition`` as JSON-ready data, with its kind first.

    Expressions become trees, value schemas their JSON Schema, region codes text.
    """
    out: dict[str, Any] = {"kind": definition.kind}
    for field in attrs.fields(type(definition)):
        out[field.name] = _plain(getattr(definition, field.name))
    out["confirmed"] = definition.confirmed
    return out

"""The expression checker: every indicator's expressions make sense before anything runs.

Run by the catalog when it is built, after every code has been resolved. It rejects,
naming the indicator, its plugin and the offending node:

* a node that does not fit the subject it is about — an age or a sex in a household
  indicator outside a household-member node; a household-member node inside another
  one; a relative-to-birth window on a household's records;
* a record type whose subject is not the subject at that point of the tree (a
  household record in a resident indicator outside :class:`InHousehold`);
* a comparison on a value field the record type's schema does not have, on a field
  that holds a list, with an operator the field's type does not order, or with a value
  of the wrong type or outside the field's allowed values;
* a target (sasaran) no plugin defines.

:func:`field_kind` is also what the interpreters use to read a value field with the
right type.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Literal, assert_never

import attrs
import pydantic

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import (
    AgeBetween,
    AliveAndDomiciled,
    And,
    AnyHouseholdMember,
    BornIn,
    Compare,
    DaysAfter,
    DaysOfAge,
    Everyone,
    ExternalTarget,
    HasRecord,
    InHousehold,
    LatestValue,
    Node,
    Not,
    Or,
    RecordCount,
    SexIs,
    WindowSpec,
)
from spm_core.definitions.indicators import Indicator
from spm_core.definitions.needs import NeedType
from spm_core.definitions.records import RecordType
from spm_core.domain.enums import Subject
from spm_core.errors import InvalidDefinition

__all__ = ["FieldKind", "ValueField", "check_indicators", "field_kind"]


class FieldKind(enum.StrEnum):
    """How a value field is stored and compared (canonical JSON form)."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    """Kept and compared as ISO text (``YYYY-MM-DD``), which orders like the dates."""


@attrs.frozen
class ValueField:
    """A comparable value field: its kind and, for an enumeration, the allowed values."""

    kind: FieldKind
    allowed: frozenset[str] | None = None


class _Problem(Exception):
    def __init__(self, reason_id: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_id = reason_id
        self.reason_en = reason_en


def _of_annotation(annotation: Any) -> ValueField:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise _Problem("isian memiliki beberapa jenis", "the field has several types")
        return _of_annotation(args[0])
    if origin is typing.Annotated:
        return _of_annotation(typing.get_args(annotation)[0])
    if origin is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, bool) for v in values):
            return ValueField(FieldKind.BOOLEAN)
        if all(isinstance(v, str) for v in values):
            return ValueField(FieldKind.TEXT, frozenset(values))
        if all(isinstance(v, int) for v in values):
            return ValueField(FieldKind.INTEGER)
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return ValueField(FieldKind.TEXT, frozenset(str(m.value) for m in annotation))
        if issubclass(annotation, bool):
            return ValueField(FieldKind.BOOLEAN)
        if issubclass(annotation, int):
            return ValueField(FieldKind.INTEGER)
        if issubclass(annotation, float):
            return ValueField(FieldKind.NUMBER)
        if issubclass(annotation, str):
            return ValueField(FieldKind.TEXT)
        if issubclass(annotation, date):
            return ValueField(FieldKind.DATE)
    raise _Problem(
        "isian berisi daftar atau struktur, bukan satu nilai",
        "the field holds a list or a structure, not one value",
    )


def field_kind(record_type: RecordType, field: str) -> ValueField:
    """Return how ``field`` of ``record_type``'s value schema is compared.

    Raises:
        InvalidDefinition: the schema has no such field, or the field holds a list or a
            structure (nothing to compare with one value).
    """
    schema: type[pydantic.BaseModel] = record_type.value_schema
    info = schema.model_fields.get(field)
    plugin = record_type.provenance.plugin if record_type.provenance else "-"
    if info is None:
        known = ", ".join(sorted(schema.model_fields))
        raise InvalidDefinition(
            kind=record_type.kind_label.en,
            value=record_type.code,
            plugin=plugin,
            reason_id=f"skema nilainya tidak memiliki isian {field!r} (ada: {known})",
            reason_en=f"its value schema has no field {field!r} (known: {known})",
        )
    try:
        return _of_annotation(info.annotation)
    except _Problem as error:
        raise InvalidDefinition(
            kind=record_type.kind_label.en,
            value=record_type.code,
            plugin=plugin,
            reason_id=f"isian {field!r}: {error.reason_id}",
            reason_en=f"field {field!r}: {error.reason_en}",
        ) from None


def _value_fits(kind: FieldKind, value: object) -> bool:
    match kind:
        case FieldKind.BOOLEAN:
            return isinstance(value, bool)
        case FieldKind.INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        case FieldKind.NUMBER:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case FieldKind.TEXT:
            return isinstance(value, str)
        case FieldKind.DATE:
            if not isinstance(value, str):
                return False
            try:
                date.fromisoformat(value)
            except ValueError:
                return False
            return True
        case _:
            assert_never(kind)


def _check_compare(record_type: RecordType, compare: Compare) -> None:
    try:
        found = field_kind(record_type, compare.field)
    except InvalidDefinition as error:
        raise _Problem(str(error.context["reason_id"]), str(error.context["reason_en"])) from None
    if compare.op.ordering and found.kind in (FieldKind.TEXT, FieldKind.BOOLEAN):
        raise _Problem(
            f"operator {compare.op.symbol} tidak berlaku untuk isian {compare.field!r} "
            f"({found.kind.value})",
            f"operator {compare.op.symbol} does not apply to field {compare.field!r} "
            f"({found.kind.value})",
        )
    values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    for value in values:
        ok = _value_fits(found.kind, value)
        if ok and found.allowed is not None:
            ok = value in found.allowed
        if not ok:
            allowed = "" if found.allowed is None else f": {', '.join(sorted(found.allowed))}"
            raise _Problem(
                f"nilai {value!r} tidak cocok untuk isian {compare.field!r} "
                f"({found.kind.value}{allowed})",
                f"value {value!r} does not fit field {compare.field!r} "
                f"({found.kind.value}{allowed})",
            )


@attrs.frozen
class _Context:
    subject: Subject
    in_member: bool = False


def _record(
    code: str,
    where: tuple[Compare, ...],
    ctx: _Context,
    record_types: Mapping[str, Definition],
) -> None:
    found = record_types.get(code)
    if not isinstance(found, RecordType):
        raise _Problem(f"jenis catatan {code!r} tidak ada", f"record type {code!r} is not defined")
    if found.subject is not ctx.subject:
        raise _Problem(
            f"catatan {code!r} tentang {found.subject.label.id}, bukan "
            f"{ctx.subject.label.id} di titik ini",
            f"record type {code!r} is about a {found.subject.label.en.lower()}, not the "
            f"{ctx.subject.label.en.lower()} at this point",
        )
    for compare in where:
        _check_compare(found, compare)


def _window(window: WindowSpec, ctx: _Context, record_types: Mapping[str, Definition]) -> None:
    if isinstance(window, DaysOfAge) and ctx.subject is not Subject.RESIDENT:
        raise _Problem(
            "jendela umur hari hanya untuk penduduk",
            "a days-of-age window applies to residents only",
        )
    if isinstance(window, DaysAfter):
        _record(window.record_type, window.where, ctx, record_types)


def _resident_only(node: Node, ctx: _Context) -> None:
    if ctx.subject is not Subject.RESIDENT:
        raise _Problem(
            f"simpul {node.node} tentang penduduk; dalam indikator "
            f"{ctx.subject.label.id} pakai AnyHouseholdMember",
            f"node {node.node} is about a resident; in a {ctx.subject.label.en.lower()} "
            "indicator use AnyHouseholdMember",
        )


def _walk(
    node: Node,
    ctx: _Context,
    record_types: Mapping[str, Definition],
    targets: Mapping[str, Definition],
    top: bool,
) -> None:
    match node:
        case Everyone():
            pass
        case AgeBetween() | SexIs() | BornIn():
            _resident_only(node, ctx)
        case AliveAndDomiciled():
            if ctx.subject is Subject.PLACE:
                raise _Problem("tempat tidak berdomisili", "a place has no domicile")
        case (
            HasRecord(record_type=code, where=where, window=window)
            | RecordCount(record_type=code, where=where, window=window)
        ):
            _record(code, where, ctx, record_types)
            _window(window, ctx, record_types)
        case LatestValue(record_type=code, compare=compare, window=window):
            _record(code, (compare,), ctx, record_types)
            _window(window, ctx, record_types)
        case AnyHouseholdMember(condition=condition):
            if ctx.subject is Subject.PLACE or ctx.in_member:
                raise _Problem(
                    "anggota rumah tangga hanya untuk penduduk atau rumah tangga, tidak bersarang",
                    "a household-member node applies to a resident or a household, not nested",
                )
            _walk(condition, _Context(Subject.RESIDENT, True), record_types, targets, False)
        case InHousehold(condition=condition):
            if ctx.subject is not Subject.RESIDENT or ctx.in_member:
                raise _Problem(
                    "InHousehold hanya untuk penduduk, tidak bersarang",
                    "InHousehold applies to a resident, not nested",
                )
            _walk(condition, _Context(Subject.HOUSEHOLD, True), record_types, targets, False)
        case And(items=items) | Or(items=items):
            for item in items:
                _walk(item, ctx, record_types, targets, False)
        case Not(item=item):
            _walk(item, ctx, record_types, targets, False)
        case ExternalTarget(target=code):
            if not top:
                raise _Problem(
                    "sasaran hanya boleh menjadi penyebut utuh",
                    "a target may only be the whole denominator",
                )
            if code not in targets:
                raise _Problem(f"sasaran {code!r} tidak ada", f"target {code!r} is not defined")
        case _:
            assert_never(node)


def _issues(
    indicator: Indicator,
    record_types: Mapping[str, Definition],
    targets: Mapping[str, Definition],
) -> Iterator[tuple[tuple[str, str], _Problem]]:
    parts = (
        (("penyebut", "denominator"), indicator.denominator, True),
        (("pembilang", "numerator"), indicator.numerator, False),
    )
    for part, expr, may_be_target in parts:
        try:
            _walk(expr, _Context(indicator.subject), record_types, targets, may_be_target)
        except _Problem as problem:
            yield part, problem


def check_indicators(definitions: Mapping[str, Mapping[str, Definition]]) -> None:
    """Check every indicator's expressions against its subject, record types and targets.

    Each need type's ``trigger`` is checked the same way, as a numerator about the need's
    subject.

    Args:
        definitions: the catalog's definitions by kind, then code (``"indicator"``,
            ``"need_type"``, ``"record_type"`` and ``"target"`` are read).

    Raises:
        InvalidDefinition: the first indicator or need type with a problem, naming it, the
            plugin, the part (denominator, numerator or trigger) and what is wrong.
    """
    record_types = definitions.get("record_type", {})
    targets = definitions.get("target", {})
    for code, indicator in definitions.get("indicator", {}).items():
        assert isinstance(indicator, Indicator)
        for part, problem in _issues(indicator, record_types, targets):
            plugin = indicator.provenance.plugin if indicator.provenance else "-"
            raise InvalidDefinition(
                kind=indicator.kind_label.en,
                value=code,
                plugin=plugin,
                reason_id=f"{part[0]}: {problem.reason_id}",
                reason_en=f"{part[1]}: {problem.reason_en}",
            )
    for code, need in definitions.get("need_type", {}).items():
        assert isinstance(need, NeedType)
        if need.trigger is None:
            continue
        try:
            _walk(need.trigger, _Context(need.subject), record_types, targets, False)
        except _Problem as problem:
            raise InvalidDefinition(
                kind=need.kind_label.en,
                value=code,
                plugin=need.provenance.plugin if need.provenance else "-",
                reason_id=f"pemicu: {problem.reason_id}",
                reason_en=f"trigger: {problem.reason_en}",
            ) from None

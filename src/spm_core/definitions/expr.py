"""Expression nodes: how an indicator says whom it counts.

An indicator's denominator and numerator are trees of these frozen nodes. They are
data: the SQL compiler turns them into SQLAlchemy Core, the reference evaluator into
plain Python, and the catalog checks every code they name. Nodes compose with ``&``,
``|`` and ``~``.

Example:
    >>> balita = AgeBetween(0, 59, AgeUnit.MONTHS)
    >>> weighed = RecordCount("kesehatan.penimbangan", at_least=8)
    >>> expr = balita & weighed
    >>> [ref.code for ref in expr.references()]
    ['kesehatan.penimbangan']
    >>> print(expr.describe().en)  # doctest: +NORMALIZE_WHITESPACE
    age 0–59 months at the end of the period and
    at least 8 × record kesehatan.penimbangan in the period
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar, cast

import attrs

from spm_core.domain.enums import Sex
from spm_core.domain.lifestage import AgeUnit
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = [
    "AgeBetween",
    "And",
    "AnyHouseholdMember",
    "Compare",
    "Everyone",
    "Expr",
    "ExternalTarget",
    "HasRecord",
    "LatestValue",
    "Not",
    "Op",
    "Or",
    "RecordCount",
    "Reference",
    "SexIs",
    "Window",
    "expr_to_dict",
]

Scalar = str | int | float | bool | date


class Op(enum.StrEnum):
    """Comparison operators for record values."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IN = "in"

    @property
    def symbol(self) -> str:
        """The operator as a symbol (``=``, ``≠``, ``<``, …, ``∈``)."""
        return {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "∈"}[
            self.value
        ]


class Window(enum.StrEnum):
    """Which records count, relative to the reporting period."""

    PERIOD = "period"
    """Records dated inside the period."""
    YEAR_TO_DATE = "year_to_date"
    """Records from 1 January of the period's year to the period's end."""
    EVER = "ever"
    """Any record dated on or before the period's end."""

    @property
    def label(self) -> Text:
        """The window in both languages."""
        return {
            Window.PERIOD: Text("dalam periode", "in the period"),
            Window.YEAR_TO_DATE: Text("sejak awal tahun", "year to date"),
            Window.EVER: Text("sampai akhir periode", "up to the end of the period"),
        }[self]


@attrs.frozen
class Reference:
    """A code an expression refers to, and the kind of definition it must resolve to."""

    kind: str
    code: str


@attrs.frozen
class Compare:
    """A comparison of one field of a record's value: ``field op value``."""

    field: str
    op: Op
    value: Scalar | tuple[Scalar, ...]

    def __attrs_post_init__(self) -> None:
        if (self.op is Op.IN) != isinstance(self.value, tuple):
            raise InvalidValue(
                value=self.value,
                reason_id="operator 'in' memerlukan tuple, operator lain satu nilai",
                reason_en="operator 'in' needs a tuple, every other operator one value",
            )

    def describe(self) -> str:
        """Return the comparison as text (language-neutral)."""
        return f"{self.field} {self.op.symbol} {self.value!r}"


class Expr:
    """Base of every expression node.

    Subclasses are attrs frozen classes; ``node`` names the node in serialised form.
    """

    __slots__ = ()
    node: ClassVar[str] = "expr"

    def references(self) -> Iterator[Reference]:
        """Yield every code this expression (and its children) refers to."""
        yield from ()

    def children(self) -> tuple[Expr, ...]:
        """Return the direct sub-expressions."""
        return ()

    def describe(self) -> Text:
        """Return a readable description in both languages."""
        raise NotImplementedError  # pragma: no cover - every concrete node overrides

    def __and__(self, other: Expr) -> And:
        return And(_flatten(self, And) + _flatten(other, And))

    def __or__(self, other: Expr) -> Or:
        return Or(_flatten(self, Or) + _flatten(other, Or))

    def __invert__(self) -> Not:
        return Not(self)


def _exprs(items: Iterable[Expr]) -> tuple[Expr, ...]:
    return tuple(items)


def _flatten(expr: Expr, kind: type[And] | type[Or]) -> tuple[Expr, ...]:
    return expr.items if isinstance(expr, kind) else (expr,)


@attrs.frozen
class Everyone(Expr):
    """Every subject of the indicator's kind in the area (residents, households, places)."""

    node: ClassVar[str] = "everyone"

    def describe(self) -> Text:
        """Describe the node."""
        return Text("semua", "everyone")


def _non_negative(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise InvalidValue(
            value=value,
            reason_id=f"'{attribute.name}' tidak boleh negatif",
            reason_en=f"'{attribute.name}' must not be negative",
        )


@attrs.frozen
class AgeBetween(Expr):
    """A resident whose age at the end of the period lies in ``low..high`` (inclusive).

    Ages are in completed units. ``high=None`` has no upper bound (``≥ 60 years``).
    """

    node: ClassVar[str] = "age_between"
    low: int = attrs.field(validator=_non_negative)
    high: int | None
    unit: AgeUnit

    def __attrs_post_init__(self) -> None:
        if self.high is not None and self.high < self.low:
            raise InvalidValue(
                value=(self.low, self.high),
                reason_id="batas atas usia lebih kecil dari batas bawah",
                reason_en="the upper age bound is below the lower one",
            )

    def describe(self) -> Text:
        """Describe the node."""
        unit_id = {"days": "hari", "months": "bulan", "years": "tahun"}[self.unit.value]
        if self.high is None:
            return Text(
                f"usia ≥ {self.low} {unit_id} pada akhir periode",
                f"age ≥ {self.low} {self.unit.value} at the end of the period",
            )
        return Text(
            f"usia {self.low}–{self.high} {unit_id} pada akhir periode",
            f"age {self.low}–{self.high} {self.unit.value} at the end of the period",
        )


@attrs.frozen
class SexIs(Expr):
    """A resident of the given sex."""

    node: ClassVar[str] = "sex_is"
    sex: Sex

    def describe(self) -> Text:
        """Describe the node."""
        return Text(f"jenis kelamin {self.sex.label.id}", f"sex {self.sex.label.en}")


@attrs.frozen
class HasRecord(Expr):
    """A subject with at least one record of ``record_type`` in ``window`` (optionally filtered)."""

    node: ClassVar[str] = "has_record"
    record_type: str
    window: Window = Window.PERIOD
    where: tuple[Compare, ...] = ()

    def references(self) -> Iterator[Reference]:
        """Yield the record type."""
        yield Reference("record_type", self.record_type)

    def describe(self) -> Text:
        """Describe the node."""
        cond = "" if not self.where else " (" + ", ".join(c.describe() for c in self.where) + ")"
        return Text(
            f"ada catatan {self.record_type}{cond} {self.window.label.id}",
            f"has record {self.record_type}{cond} {self.window.label.en}",
        )


@attrs.frozen
class RecordCount(Expr):
    """A subject with at least ``at_least`` records of ``record_type`` in ``window``."""

    node: ClassVar[str] = "record_count"
    record_type: str
    at_least: int = attrs.field(validator=_non_negative)
    window: Window = Window.PERIOD
    where: tuple[Compare, ...] = ()

    def references(self) -> Iterator[Reference]:
        """Yield the record type."""
        yield Reference("record_type", self.record_type)

    def describe(self) -> Text:
        """Describe the node."""
        cond = "" if not self.where else " (" + ", ".join(c.describe() for c in self.where) + ")"
        return Text(
            f"minimal {self.at_least} × catatan {self.record_type}{cond} {self.window.label.id}",
            f"at least {self.at_least} × record {self.record_type}{cond} {self.window.label.en}",
        )


@attrs.frozen
class LatestValue(Expr):
    """A subject whose latest ``record_type`` record (within ``window``) meets ``compare``."""

    node: ClassVar[str] = "latest_value"
    record_type: str
    compare: Compare
    window: Window = Window.EVER

    def references(self) -> Iterator[Reference]:
        """Yield the record type."""
        yield Reference("record_type", self.record_type)

    def describe(self) -> Text:
        """Describe the node."""
        c = self.compare.describe()
        return Text(
            f"catatan {self.record_type} terakhir {self.window.label.id}: {c}",
            f"latest record {self.record_type} {self.window.label.en}: {c}",
        )


@attrs.frozen
class AnyHouseholdMember(Expr):
    """Some household member satisfies ``condition``.

    For a household subject: one of its members on the period's last day; for a resident
    subject: someone in the resident's household on that day.
    """

    node: ClassVar[str] = "any_household_member"
    condition: Expr

    def references(self) -> Iterator[Reference]:
        """Yield the references of the condition."""
        yield from self.condition.references()

    def children(self) -> tuple[Expr, ...]:
        """Return the condition."""
        return (self.condition,)

    def describe(self) -> Text:
        """Describe the node."""
        inner = self.condition.describe()
        return Text(
            f"ada anggota rumah tangga dengan {inner.id}", f"a household member with {inner.en}"
        )


@attrs.frozen
class And(Expr):
    """Every item holds."""

    node: ClassVar[str] = "and"
    items: tuple[Expr, ...] = attrs.field(converter=_exprs)

    def references(self) -> Iterator[Reference]:
        """Yield the references of every item."""
        for item in self.items:
            yield from item.references()

    def children(self) -> tuple[Expr, ...]:
        """Return the items."""
        return self.items

    def describe(self) -> Text:
        """Describe the node."""
        parts = [i.describe() for i in self.items]
        return Text(" dan ".join(p.id for p in parts), " and ".join(p.en for p in parts))


@attrs.frozen
class Or(Expr):
    """At least one item holds."""

    node: ClassVar[str] = "or"
    items: tuple[Expr, ...] = attrs.field(converter=_exprs)

    def references(self) -> Iterator[Reference]:
        """Yield the references of every item."""
        for item in self.items:
            yield from item.references()

    def children(self) -> tuple[Expr, ...]:
        """Return the items."""
        return self.items

    def describe(self) -> Text:
        """Describe the node; an ``And`` item is bracketed so the grouping stays visible."""
        parts = [_bracket(i) if isinstance(i, And) else i.describe() for i in self.items]
        return Text(
            "(" + " atau ".join(p.id for p in parts) + ")",
            "(" + " or ".join(p.en for p in parts) + ")",
        )


def _bracket(expr: Expr) -> Text:
    inner = expr.describe()
    return Text(f"({inner.id})", f"({inner.en})")


@attrs.frozen
class Not(Expr):
    """The item does not hold."""

    node: ClassVar[str] = "not"
    item: Expr

    def references(self) -> Iterator[Reference]:
        """Yield the references of the item."""
        yield from self.item.references()

    def children(self) -> tuple[Expr, ...]:
        """Return the item."""
        return (self.item,)

    def describe(self) -> Text:
        """Describe the node."""
        inner = self.item.describe()
        return Text(f"bukan ({inner.id})", f"not ({inner.en})")


@attrs.frozen
class ExternalTarget(Expr):
    """A number an agency supplies per area and year (sasaran), used as a denominator.

    Valid only as the whole denominator of an indicator: the regulation counts some
    recipients by estimate (hypertension sufferers = prevalence × population).
    """

    node: ClassVar[str] = "external_target"
    target: str

    def references(self) -> Iterator[Reference]:
        """Yield the target code (resolved against service types or indicators)."""
        yield Reference("target", self.target)

    def describe(self) -> Text:
        """Describe the node."""
        return Text(f"sasaran {self.target}", f"target {self.target}")


def _value(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, tuple):
        return [_value(x) for x in v]
    if isinstance(v, Compare):
        return {"field": v.field, "op": v.op.value, "value": _value(v.value)}
    if isinstance(v, Expr):
        return expr_to_dict(v)
    return v


def expr_to_dict(expr: Expr) -> dict[str, Any]:
    """Return a JSON-ready tree of ``expr``: ``{"node": name, ...fields}``.

    Example:
        >>> expr_to_dict(AgeBetween(60, None, AgeUnit.YEARS))
        {'node': 'age_between', 'low': 60, 'high': None, 'unit': 'years'}
    """
    out: dict[str, Any] = {"node": expr.node}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(expr))):
        out[field.name] = _value(getattr(expr, field.name))
    return out

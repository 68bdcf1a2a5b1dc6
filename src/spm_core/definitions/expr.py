"""Expression nodes: how an indicator says whom it counts.

An indicator's denominator and numerator are trees of these frozen nodes. They are
data: the SQL compiler turns them into SQLAlchemy Core, the reference evaluator into
plain Python, and the catalog checks every code and value field they name. Nodes compose
with ``&``, ``|`` and ``~``. :data:`Node` is the closed union of every node; each
interpreter matches on it exhaustively.

The semantics every interpreter follows are written in the concepts page of the
documentation (section "Indicator expressions"); in short: every leaf is true or false
for a subject (never unknown), a missing value field makes a comparison false, the
latest record is the one with the latest observed date, then the latest creation time,
then the greatest id, and dates and enums compare by their canonical text.

Example:
    >>> balita = AgeBetween(0, 59, AgeUnit.MONTHS)
    >>> weighed = RecordCount("kesehatan.penimbangan", at_least=8)
    >>> expr = balita & weighed
    >>> [ref.code for ref in expr.references()]
    ['kesehatan.penimbangan']
    >>> print(expr.describe().en)  # doctest: +NORMALIZE_WHITESPACE
    age 0–59 months at the end of the period and
    at least 8 × record kesehatan.penimbangan in the period
    >>> expr_from_dict(expr_to_dict(expr)) == expr
    True
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any, ClassVar, TypeAlias, cast

import attrs

from spm_core.domain.enums import Sex
from spm_core.domain.lifestage import AgeUnit
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = [
    "AgeBetween",
    "AliveAndDomiciled",
    "Anchor",
    "AnchorKind",
    "And",
    "AnyHouseholdMember",
    "BornIn",
    "Compare",
    "DaysAfter",
    "DaysOfAge",
    "Everyone",
    "Expr",
    "ExternalTarget",
    "HasRecord",
    "InHousehold",
    "LastMonths",
    "LatestValue",
    "Node",
    "Not",
    "Op",
    "Or",
    "PeriodAndAfter",
    "RecordCount",
    "Reference",
    "Scalar",
    "SexIs",
    "Window",
    "WindowSpec",
    "canonical",
    "expr_from_dict",
    "expr_to_dict",
    "shift_months",
]

Scalar = str | int | float | bool
"""A canonical comparison value: dates are ISO text, enums their value."""


def canonical(value: object) -> Any:
    """Return ``value`` in canonical form: a date as ISO text, an enum as its value.

    Tuples are converted item by item. Comparisons in every interpreter use this form, so
    a date compares as ``"2025-01-31"`` and an enum as its value.

    Example:
        >>> canonical(date(2025, 1, 31)), canonical(Sex.FEMALE), canonical((1, date(2025, 2, 1)))
        ('2025-01-31', 'P', (1, '2025-02-01'))
    """
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return tuple(canonical(v) for v in value)
    return value


def shift_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the month's last day.

    Example:
        >>> shift_months(date(2025, 3, 31), -1), shift_months(date(2024, 2, 29), 12)
        (datetime.date(2025, 2, 28), datetime.date(2025, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


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

    @property
    def ordering(self) -> bool:
        """Whether the operator orders values (``<``, ``≤``, ``>``, ``≥``)."""
        return self in (Op.LT, Op.LE, Op.GT, Op.GE)


# ------------------------------------------------------------------------------ windows


class Window(enum.StrEnum):
    """Which records count, relative to the reporting period (fixed windows)."""

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


def _non_negative(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 0:
        raise InvalidValue(
            value=value,
            reason_id=f"'{attribute.name}' harus bilangan bulat tidak negatif",
            reason_en=f"'{attribute.name}' must be a whole number, not negative",
        )


def _positive(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        raise InvalidValue(
            value=value,
            reason_id=f"'{attribute.name}' harus bilangan bulat positif",
            reason_en=f"'{attribute.name}' must be a positive whole number",
        )


def _compares(items: Iterable[Compare]) -> tuple[Compare, ...]:
    return tuple(items)


def _check_span(low: int, high: int) -> None:
    if high < low:
        raise InvalidValue(
            value=(low, high),
            reason_id="batas atas lebih kecil dari batas bawah",
            reason_en="the upper bound is below the lower one",
        )


@attrs.frozen
class LastMonths:
    """Records of the last ``months`` months of the period: after the end moved back."""

    months: int = attrs.field(validator=_positive)

    @property
    def label(self) -> Text:
        """The window in both languages."""
        return Text(f"dalam {self.months} bulan terakhir", f"in the last {self.months} months")

    def bounds(self, end: date) -> tuple[date, date]:
        """Return the first and last day of the window for a period ending on ``end``."""
        return shift_months(end, -self.months) + timedelta(days=1), end


@attrs.frozen
class PeriodAndAfter:
    """Records of the period and of the ``months`` calendar months after its end.

    The one window that reaches past the period's end: a service that completes an
    episode of the period a little later still counts for the period (a house damaged by
    a disaster in December and rebuilt in February counts for the year of the damage). A
    report computed before those months have passed counts what is recorded so far.
    """

    months: int = attrs.field(validator=_positive)

    @property
    def label(self) -> Text:
        """The window in both languages."""
        return Text(
            f"dalam periode atau {self.months} bulan sesudahnya",
            f"in the period or the {self.months} months after it",
        )

    def bounds(self, start: date, end: date) -> tuple[date, date]:
        """Return the first and last day of the window for a period ``start``–``end``."""
        return start, shift_months(end + timedelta(days=1), self.months) - timedelta(days=1)


@attrs.frozen
class DaysOfAge:
    """Records dated ``low``–``high`` days after the subject's birth (residents only)."""

    low: int = attrs.field(validator=_non_negative)
    high: int = attrs.field(validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        _check_span(self.low, self.high)

    @property
    def label(self) -> Text:
        """The window in both languages."""
        return Text(
            f"pada umur {self.low}–{self.high} hari", f"at {self.low}–{self.high} days of age"
        )


def _whole(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int:
        raise InvalidValue(
            value=value,
            reason_id=f"'{attribute.name}' harus bilangan bulat",
            reason_en=f"'{attribute.name}' must be a whole number",
        )


@attrs.frozen
class DaysAfter:
    """Records dated ``low``–``high`` days after some record of ``record_type``.

    The anchoring record belongs to the same subject, meets ``where`` and is dated on or
    before the period's end. With several anchoring records (two pregnancies), a record
    is inside the window when it follows any of them. Negative days reach back before
    the anchor: ``DaysAfter("kesehatan.persalinan", -300, 0)`` are the records of the 300
    days up to a delivery (the antenatal visits of that pregnancy).
    """

    record_type: str
    low: int = attrs.field(validator=_whole)
    high: int = attrs.field(validator=_whole)
    where: tuple[Compare, ...] = attrs.field(default=(), converter=_compares)

    def __attrs_post_init__(self) -> None:
        _check_span(self.low, self.high)

    @property
    def label(self) -> Text:
        """The window in both languages."""
        cond = _where_text(self.where)
        if self.high <= 0:
            return Text(
                f"{-self.high}–{-self.low} hari sebelum catatan {self.record_type}{cond}",
                f"{-self.high}–{-self.low} days before a record {self.record_type}{cond}",
            )
        return Text(
            f"{self.low}–{self.high} hari setelah catatan {self.record_type}{cond}",
            f"{self.low}–{self.high} days after a record {self.record_type}{cond}",
        )


WindowSpec: TypeAlias = Window | LastMonths | PeriodAndAfter | DaysOfAge | DaysAfter
"""Every kind of window a record node may use. Every window but :class:`PeriodAndAfter`
ends at the period's end."""


class AnchorKind(enum.StrEnum):
    """The day an age or a presence is measured on."""

    PERIOD_START = "period_start"
    PERIOD_END = "period_end"
    FIXED_DAY = "fixed_day"
    """A day of the year of the period's end (the school-year start, say)."""


@attrs.frozen
class Anchor:
    """The day an age or presence is measured on: period start, period end or a fixed day.

    Example:
        >>> from spm_core.domain.period import Period
        >>> Anchor.fixed(7, 15).on(Period.whole_year(2025))
        datetime.date(2025, 7, 15)
    """

    kind: AnchorKind = AnchorKind.PERIOD_END
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        fixed = self.kind is AnchorKind.FIXED_DAY
        given = self.month is not None and self.day is not None
        valid = True
        if given:
            try:
                date(2001, cast("int", self.month), cast("int", self.day))  # not a leap year
            except (TypeError, ValueError):
                valid = False
        if fixed != given or (self.month is None) != (self.day is None) or not valid:
            raise InvalidValue(
                value=(self.kind.value, self.month, self.day),
                reason_id="hari tetap membutuhkan bulan dan tanggal yang ada setiap tahun; "
                "awal dan akhir periode tidak",
                reason_en="a fixed day needs a month and day that exist every year; the "
                "period start and end take neither",
            )

    @classmethod
    def fixed(cls, month: int, day: int) -> Anchor:
        """Return the anchor on ``day``/``month`` of the period's (last) year."""
        return cls(AnchorKind.FIXED_DAY, month, day)

    def on(self, period: Any) -> date:
        """Return the anchor day for ``period`` (a :class:`~spm_core.domain.Period`)."""
        if self.kind is AnchorKind.PERIOD_START:
            return cast("date", period.start)
        end = cast("date", period.end)
        if self.kind is AnchorKind.PERIOD_END:
            return end
        return date(end.year, cast("int", self.month), cast("int", self.day))

    @property
    def label(self) -> Text:
        """The anchor in both languages."""
        if self.kind is AnchorKind.PERIOD_START:
            return Text("pada awal periode", "at the start of the period")
        if self.kind is AnchorKind.PERIOD_END:
            return Text("pada akhir periode", "at the end of the period")
        return Text(f"pada tanggal {self.day}/{self.month}", f"on {self.day}/{self.month}")


PERIOD_END = Anchor()


# ------------------------------------------------------------------------------ nodes


@attrs.frozen
class Reference:
    """A code an expression refers to, and the kind of definition it must resolve to."""

    kind: str
    code: str


def _canonical_value(value: object) -> Any:
    return canonical(value)


@attrs.frozen
class Compare:
    """A comparison of one field of a record's value: ``field op value``.

    ``value`` is kept in canonical form (a date as ISO text, an enum as its value).
    """

    field: str
    op: Op = attrs.field(converter=Op)
    value: Scalar | tuple[Scalar, ...] = attrs.field(converter=_canonical_value)

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


def _where_text(where: tuple[Compare, ...]) -> str:
    return "" if not where else " (" + ", ".join(c.describe() for c in where) + ")"


class Expr:
    """Base of every expression node.

    Subclasses are attrs frozen classes; ``node`` names the node in serialised form.
    """

    __slots__ = ()
    node: ClassVar[str] = "expr"

    def references(self) -> Iterator[Reference]:
        """Yield every code this expression (and its children) refers to."""
        for child in self.children():
            yield from child.references()

    def children(self) -> tuple[Node, ...]:
        """Return the direct sub-expressions."""
        return ()

    def describe(self) -> Text:
        """Return a readable description in both languages."""
        raise NotImplementedError  # pragma: no cover - every concrete node overrides

    def __and__(self, other: Node) -> And:
        return And(_flatten(cast("Node", self), And) + _flatten(other, And))

    def __or__(self, other: Node) -> Or:
        return Or(_flatten(cast("Node", self), Or) + _flatten(other, Or))

    def __invert__(self) -> Not:
        return Not(cast("Node", self))


def _exprs(items: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(items)


def _flatten(expr: Node, kind: type[And] | type[Or]) -> tuple[Node, ...]:
    return expr.items if isinstance(expr, kind) else (expr,)


def _window_refs(window: WindowSpec) -> Iterator[Reference]:
    if isinstance(window, DaysAfter):
        yield Reference("record_type", window.record_type)


@attrs.frozen
class Everyone(Expr):
    """Every subject of the indicator's kind in the area (residents, households, places)."""

    node: ClassVar[str] = "everyone"

    def describe(self) -> Text:
        """Describe the node."""
        return Text("semua", "everyone")


@attrs.frozen
class AgeBetween(Expr):
    """A resident whose age on the anchor day lies in ``low..high`` (inclusive).

    Ages are in completed units (:func:`spm_core.domain.lifestage.age_in`); a resident
    not yet born on the anchor day has no age and is not counted. ``high=None`` has no
    upper bound (``≥ 60 years``). The anchor is the period's end unless given.
    """

    node: ClassVar[str] = "age_between"
    low: int = attrs.field(validator=_non_negative)
    high: int | None
    unit: AgeUnit = attrs.field(converter=AgeUnit)
    anchor: Anchor = PERIOD_END

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
        at = self.anchor.label
        if self.high is None:
            return Text(
                f"usia ≥ {self.low} {unit_id} {at.id}",
                f"age ≥ {self.low} {self.unit.value} {at.en}",
            )
        return Text(
            f"usia {self.low}–{self.high} {unit_id} {at.id}",
            f"age {self.low}–{self.high} {self.unit.value} {at.en}",
        )


@attrs.frozen
class SexIs(Expr):
    """A resident of the given sex."""

    node: ClassVar[str] = "sex_is"
    sex: Sex = attrs.field(converter=Sex)

    def describe(self) -> Text:
        """Describe the node."""
        return Text(f"jenis kelamin {self.sex.label.id}", f"sex {self.sex.label.en}")


@attrs.frozen
class BornIn(Expr):
    """A resident born inside ``window`` (the period, the last N months, …).

    With :class:`AgeBetween` this expresses a birth cohort: the live births of the year
    are ``BornIn(Window.PERIOD)``.
    """

    node: ClassVar[str] = "born_in"
    window: Window | LastMonths = Window.PERIOD

    def describe(self) -> Text:
        """Describe the node."""
        return Text(f"lahir {self.window.label.id}", f"born {self.window.label.en}")


@attrs.frozen
class AliveAndDomiciled(Expr):
    """A subject alive and domiciled in the region on the anchor day.

    The subjects of a report are those alive and domiciled on the period's last day; this
    node asks the same of another day (the start of the period: "already living here").
    For a household: the household has a member alive and domiciled that day.
    """

    node: ClassVar[str] = "alive_and_domiciled"
    anchor: Anchor = PERIOD_END

    def describe(self) -> Text:
        """Describe the node."""
        at = self.anchor.label
        return Text(f"hidup dan berdomisili {at.id}", f"alive and domiciled {at.en}")


@attrs.frozen
class HasRecord(Expr):
    """A subject with at least one record of ``record_type`` in ``window`` (optionally filtered)."""

    node: ClassVar[str] = "has_record"
    record_type: str
    window: WindowSpec = Window.PERIOD
    where: tuple[Compare, ...] = attrs.field(default=(), converter=_compares)

    def references(self) -> Iterator[Reference]:
        """Yield the record type (and the anchoring record type of a relative window)."""
        yield Reference("record_type", self.record_type)
        yield from _window_refs(self.window)

    def describe(self) -> Text:
        """Describe the node."""
        cond = _where_text(self.where)
        return Text(
            f"ada catatan {self.record_type}{cond} {self.window.label.id}",
            f"has record {self.record_type}{cond} {self.window.label.en}",
        )


@attrs.frozen
class RecordCount(Expr):
    """A subject with at least ``at_least`` records of ``record_type`` in ``window``.

    With ``distinct_months`` the records are counted by calendar month: two weighings in
    one month count once.
    """

    node: ClassVar[str] = "record_count"
    record_type: str
    at_least: int = attrs.field(validator=_non_negative)
    window: WindowSpec = Window.PERIOD
    where: tuple[Compare, ...] = attrs.field(default=(), converter=_compares)
    distinct_months: bool = False

    def references(self) -> Iterator[Reference]:
        """Yield the record type (and the anchoring record type of a relative window)."""
        yield Reference("record_type", self.record_type)
        yield from _window_refs(self.window)

    def describe(self) -> Text:
        """Describe the node."""
        cond = _where_text(self.where)
        if self.distinct_months:
            return Text(
                f"catatan {self.record_type}{cond} dalam minimal {self.at_least} bulan "
                f"berbeda {self.window.label.id}",
                f"record {self.record_type}{cond} in at least {self.at_least} distinct "
                f"months {self.window.label.en}",
            )
        return Text(
            f"minimal {self.at_least} × catatan {self.record_type}{cond} {self.window.label.id}",
            f"at least {self.at_least} × record {self.record_type}{cond} {self.window.label.en}",
        )


@attrs.frozen
class LatestValue(Expr):
    """A subject whose latest ``record_type`` record (within ``window``) meets ``compare``.

    The latest record is the one with the latest observed date, then the latest creation
    time, then the greatest id. No record in the window, or a latest record without the
    field, makes the node false.
    """

    node: ClassVar[str] = "latest_value"
    record_type: str
    compare: Compare
    window: WindowSpec = Window.EVER

    def references(self) -> Iterator[Reference]:
        """Yield the record type (and the anchoring record type of a relative window)."""
        yield Reference("record_type", self.record_type)
        yield from _window_refs(self.window)

    def describe(self) -> Text:
        """Describe the node."""
        c = self.compare.describe()
        return Text(
            f"catatan {self.record_type} terakhir {self.window.label.id}: {c}",
            f"latest record {self.record_type} {self.window.label.en}: {c}",
        )


@attrs.frozen
class AnyHouseholdMember(Expr):
    """Some member of the household, on the period's last day, satisfies ``condition``.

    For a household subject: one of its members that day. For a resident subject:
    someone in a household the resident belongs to that day — the resident included
    unless ``include_subject`` is false ("another member"). Members are residents alive
    and domiciled that day; ``condition`` is about a resident.
    """

    node: ClassVar[str] = "any_household_member"
    condition: Node
    include_subject: bool = True

    def children(self) -> tuple[Node, ...]:
        """Return the condition."""
        return (self.condition,)

    def describe(self) -> Text:
        """Describe the node."""
        inner = self.condition.describe()
        if not self.include_subject:
            return Text(
                f"ada anggota rumah tangga lain dengan {inner.id}",
                f"another household member with {inner.en}",
            )
        return Text(
            f"ada anggota rumah tangga dengan {inner.id}", f"a household member with {inner.en}"
        )


@attrs.frozen
class InHousehold(Expr):
    """A resident whose household, on the period's last day, satisfies ``condition``.

    ``condition`` is about a household (its records: the water source, the toilet). A
    resident in no household that day is not counted.
    """

    node: ClassVar[str] = "in_household"
    condition: Node

    def children(self) -> tuple[Node, ...]:
        """Return the condition."""
        return (self.condition,)

    def describe(self) -> Text:
        """Describe the node."""
        inner = self.condition.describe()
        return Text(f"rumah tangganya: {inner.id}", f"their household: {inner.en}")


@attrs.frozen
class _Items(Expr):
    """A node over several items (``And``, ``Or``)."""

    items: tuple[Node, ...] = attrs.field(converter=_exprs)

    def children(self) -> tuple[Node, ...]:
        """Return the items."""
        return self.items


@attrs.frozen
class And(_Items):
    """Every item holds."""

    node: ClassVar[str] = "and"

    def describe(self) -> Text:
        """Describe the node."""
        parts = [i.describe() for i in self.items]
        return Text(" dan ".join(p.id for p in parts), " and ".join(p.en for p in parts))


@attrs.frozen
class Or(_Items):
    """At least one item holds."""

    node: ClassVar[str] = "or"

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
    item: Node

    def children(self) -> tuple[Node, ...]:
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
    recipients by estimate (hypertension sufferers = prevalence × population). The code
    names a :class:`~spm_core.definitions.TargetDefinition`; its values per area and
    year are kept in the store.
    """

    node: ClassVar[str] = "external_target"
    target: str

    def references(self) -> Iterator[Reference]:
        """Yield the target code."""
        yield Reference("target", self.target)

    def describe(self) -> Text:
        """Describe the node."""
        return Text(f"sasaran {self.target}", f"target {self.target}")


Node: TypeAlias = (
    Everyone
    | AgeBetween
    | SexIs
    | BornIn
    | AliveAndDomiciled
    | HasRecord
    | RecordCount
    | LatestValue
    | AnyHouseholdMember
    | InHousehold
    | And
    | Or
    | Not
    | ExternalTarget
)
"""Every expression node: the closed union each interpreter matches on exhaustively."""

_NODE_CLASSES: dict[str, type[Expr]] = {
    cls.node: cls
    for cls in (
        Everyone,
        AgeBetween,
        SexIs,
        BornIn,
        AliveAndDomiciled,
        HasRecord,
        RecordCount,
        LatestValue,
        AnyHouseholdMember,
        InHousehold,
        And,
        Or,
        Not,
        ExternalTarget,
    )
}


# ------------------------------------------------------------------------------ (de)serialise


def _window_to(window: WindowSpec) -> Any:
    if isinstance(window, Window):
        return window.value
    if isinstance(window, LastMonths):
        return {"window": "last_months", "months": window.months}
    if isinstance(window, PeriodAndAfter):
        return {"window": "period_and_after", "months": window.months}
    if isinstance(window, DaysOfAge):
        return {"window": "days_of_age", "low": window.low, "high": window.high}
    return {
        "window": "days_after",
        "record_type": window.record_type,
        "low": window.low,
        "high": window.high,
        "where": [_value(c) for c in window.where],
    }


def _value(v: Any) -> Any:
    if isinstance(v, Window | LastMonths | PeriodAndAfter | DaysOfAge | DaysAfter):
        return _window_to(v)
    if isinstance(v, Anchor):
        if v.kind is AnchorKind.FIXED_DAY:
            return {"anchor": v.kind.value, "month": v.month, "day": v.day}
        return {"anchor": v.kind.value}
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, tuple):
        return [_value(x) for x in v]
    if isinstance(v, Compare):
        return {"field": v.field, "op": v.op.value, "value": _value(v.value)}
    if isinstance(v, Expr):
        return expr_to_dict(cast("Node", v))
    return v


def expr_to_dict(expr: Expr) -> dict[str, Any]:
    """Return a JSON-ready tree of ``expr``: ``{"node": name, ...fields}``.

    :func:`expr_from_dict` reads it back into an equal expression.

    Example:
        >>> data = expr_to_dict(AgeBetween(60, None, AgeUnit.YEARS, Anchor.fixed(7, 15)))
        >>> data["low"], data["high"], data["unit"], data["anchor"]
        (60, None, 'years', {'anchor': 'fixed_day', 'month': 7, 'day': 15})
    """
    out: dict[str, Any] = {"node": expr.node}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(expr))):
        out[field.name] = _value(getattr(expr, field.name))
    return out


def _bad(value: object, what_id: str, what_en: str) -> InvalidValue:
    return InvalidValue(
        value=value,
        reason_id=f"bukan {what_id} yang dikenal",
        reason_en=f"not a known {what_en}",
    )


def _compare_from(data: Any) -> Compare:
    if not isinstance(data, Mapping) or set(data) != {"field", "op", "value"}:
        raise _bad(data, "perbandingan", "comparison")
    value = data["value"]
    return Compare(
        str(data["field"]), Op(data["op"]), tuple(value) if isinstance(value, list) else value
    )


def _where_from(data: Any) -> tuple[Compare, ...]:
    return tuple(_compare_from(c) for c in data)


def _window_from(data: Any) -> WindowSpec:
    if isinstance(data, str):
        return Window(data)
    if isinstance(data, Mapping):
        kind = data.get("window")
        if kind == "last_months":
            return LastMonths(data["months"])
        if kind == "period_and_after":
            return PeriodAndAfter(data["months"])
        if kind == "days_of_age":
            return DaysOfAge(data["low"], data["high"])
        if kind == "days_after":
            return DaysAfter(
                data["record_type"], data["low"], data["high"], _where_from(data.get("where", ()))
            )
    raise _bad(data, "jendela waktu", "window")


def _anchor_from(data: Any) -> Anchor:
    if not isinstance(data, Mapping) or "anchor" not in data:
        raise _bad(data, "hari acuan", "anchor")
    return Anchor(AnchorKind(data["anchor"]), data.get("month"), data.get("day"))


_FIELD_READERS: dict[str, Any] = {
    "unit": AgeUnit,
    "sex": Sex,
    "window": _window_from,
    "where": _where_from,
    "compare": _compare_from,
    "anchor": _anchor_from,
    "condition": lambda d: expr_from_dict(d),
    "item": lambda d: expr_from_dict(d),
    "items": lambda d: tuple(expr_from_dict(x) for x in d),
}


def expr_from_dict(data: Mapping[str, Any]) -> Node:
    """Return the expression that :func:`expr_to_dict` turned into ``data``.

    Fields left out take their defaults.

    Raises:
        InvalidValue: an unknown node, field, window, anchor or operator, or a node whose
            values are malformed.

    Example:
        >>> expr_from_dict({"node": "sex_is", "sex": "P"})
        SexIs(sex=<Sex.FEMALE: 'P'>)
    """
    if not isinstance(data, Mapping) or data.get("node") not in _NODE_CLASSES:
        shown = data.get("node") if isinstance(data, Mapping) else data
        raise _bad(shown, "simpul ekspresi", "expression node")
    cls = _NODE_CLASSES[data["node"]]
    names = {f.name for f in attrs.fields(cast("type[attrs.AttrsInstance]", cls))}
    unknown = set(data) - names - {"node"}
    if unknown:
        raise _bad(sorted(unknown), f"isian simpul {cls.node}", f"field of node {cls.node}")
    kwargs: dict[str, Any] = {}
    try:
        for name in names & set(data):
            reader = _FIELD_READERS.get(name)
            kwargs[name] = data[name] if reader is None else reader(data[name])
        return cast("Node", cls(**kwargs))
    except (ValueError, TypeError, KeyError) as error:
        raise _bad(dict(data), "ekspresi yang utuh", "well-formed expression") from error

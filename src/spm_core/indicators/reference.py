"""The reference evaluator: indicator expressions over a population in memory.

Plain Python, one subject at a time, written to be obviously right rather than fast. It
is the specification the SQL compiler is tested against (the differential test), and it
explains a result: :func:`explain` returns, node by node, whether the node held and the
records that decided it.

Example:
    >>> from datetime import date, datetime
    >>> from spm_core.definitions import AgeBetween, RecordCount
    >>> from spm_core.domain import AgeUnit, Period, Sex
    >>> from spm_core.indicators.population import Stay
    >>> home = Stay(date(2023, 3, 15), None, "p1", "32.75.01.1001")
    >>> child = Resident("r1", date(2023, 3, 15), Sex.FEMALE, (home,))
    >>> weighing = Record("w1", "kesehatan.penimbangan", date(2025, 2, 11),
    ...                   datetime(2025, 2, 11), {"weight_kg": 10.3}, resident_id="r1")
    >>> people = Population.of([child], records=[weighing])
    >>> ev = Evaluator(people, Period.whole_year(2025), {})
    >>> expr = AgeBetween(0, 59, AgeUnit.MONTHS) & RecordCount("kesehatan.penimbangan", 1)
    >>> ev.holds(expr, "resident", "r1")
    True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, assert_never

import attrs

from spm_core.definitions import (
    AgeBetween,
    AliveAndDomiciled,
    And,
    AnyHouseholdMember,
    BornIn,
    Compare,
    Counting,
    DaysAfter,
    DaysOfAge,
    Everyone,
    ExternalTarget,
    FieldKind,
    HasRecord,
    Indicator,
    InHousehold,
    LastMonths,
    LatestValue,
    Node,
    Not,
    Op,
    Or,
    PeriodAndAfter,
    RecordCount,
    RecordType,
    SexIs,
    Window,
    WindowSpec,
    field_kind,
)
from spm_core.domain.enums import Subject
from spm_core.domain.lifestage import age_in
from spm_core.domain.period import Period
from spm_core.domain.text import Text
from spm_core.indicators.population import Population, Record, Resident

__all__ = [
    "Counted",
    "Evaluator",
    "Explanation",
    "compare_value",
    "count_subject",
    "reference_counts",
]

_KIND = {Subject.RESIDENT: "resident", Subject.HOUSEHOLD: "household"}


@attrs.frozen
class Explanation:
    """Why a node held or not for one subject: the node, the result, the deciding records."""

    node: Node
    holds: bool
    subject: str
    records: tuple[str, ...] = ()
    note: Text | None = None
    children: tuple[Explanation, ...] = ()

    def lines(self, lang: str = "en", depth: int = 0) -> list[str]:
        """Return the explanation as indented lines in ``lang`` (``"id"`` or ``"en"``)."""
        mark = "✓" if self.holds else "✗"
        text = self.node.describe()
        line = f"{'  ' * depth}{mark} {text.id if lang == 'id' else text.en}"
        if self.note is not None:
            line += f" — {self.note.id if lang == 'id' else self.note.en}"
        if self.records:
            line += f" [{', '.join(self.records)}]"
        out = [line]
        if not isinstance(self.node, AnyHouseholdMember | InHousehold) or self.children:
            for child in self.children:
                out.extend(child.lines(lang, depth + 1))
        return out


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def compare_value(kind: FieldKind, compare: Compare, value: object) -> bool:
    """Return whether a record's ``value`` of a field of ``kind`` meets ``compare``.

    A missing value (``None``) or a value of another type is false for every operator.
    """
    if value is None:
        return False
    wanted = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    if kind in (FieldKind.NUMBER, FieldKind.INTEGER):
        have: Any = _number(value)
        wanted = tuple(float(w) for w in wanted)
    elif kind is FieldKind.BOOLEAN:
        have = value if isinstance(value, bool) else None
    else:
        have = value if isinstance(value, str) else None
    if have is None:
        return False
    first = wanted[0]
    match compare.op:
        case Op.EQ:
            return bool(have == first)
        case Op.NE:
            return bool(have != first)
        case Op.LT:
            return bool(have < first)
        case Op.LE:
            return bool(have <= first)
        case Op.GT:
            return bool(have > first)
        case Op.GE:
            return bool(have >= first)
        case Op.IN:
            return have in wanted
        case _:
            assert_never(compare.op)


@attrs.frozen
class _Ctx:
    """Where a node is evaluated: a resident or a household, and its id."""

    kind: str
    id: str


class Evaluator:
    """Evaluates expressions for one period over one population.

    Args:
        population: the residents, households, memberships and records.
        period: the reporting period; windows end at its last day.
        record_types: the catalog's record types by code (for the type of value fields).
    """

    def __init__(
        self,
        population: Population,
        period: Period,
        record_types: Mapping[str, RecordType],
    ) -> None:
        self.population = population
        self.period = period
        self.record_types = record_types
        self.end = period.end

    # ------------------------------------------------------------------ public

    def holds(self, node: Node, kind: str, subject_id: str) -> bool:
        """Return whether ``node`` holds for the subject (``kind`` "resident" or "household")."""
        return self.explain(node, kind, subject_id).holds

    def explain(self, node: Node, kind: str, subject_id: str) -> Explanation:
        """Return the explanation tree of ``node`` for the subject."""
        return self._eval(node, _Ctx(kind, subject_id))

    # ------------------------------------------------------------------ windows

    def _bounds(self, window: WindowSpec, ctx: _Ctx) -> tuple[date | None, date]:
        end = self.end
        match window:
            case Window.PERIOD:
                return self.period.start, end
            case Window.YEAR_TO_DATE:
                return date(end.year, 1, 1), end
            case Window.EVER:
                return None, end
            case LastMonths():
                return window.bounds(end)
            case PeriodAndAfter():
                return window.bounds(self.period.start, end)
            case DaysOfAge(low=low, high=high):
                birth = self.population.residents[ctx.id].birth_date
                return birth + timedelta(days=low), min(end, birth + timedelta(days=high))
            case DaysAfter():
                return None, end
            case _:
                assert_never(window)

    def _in_window(self, record: Record, window: WindowSpec, ctx: _Ctx) -> bool:
        low, high = self._bounds(window, ctx)
        if (low is not None and record.observed_on < low) or record.observed_on > high:
            return False
        if isinstance(window, DaysAfter):
            anchors = self._matching(ctx, window.record_type, Window.EVER, window.where)
            return any(
                a.observed_on + timedelta(days=window.low)
                <= record.observed_on
                <= a.observed_on + timedelta(days=window.high)
                for a in anchors
            )
        return True

    def _meets(self, record: Record, compare: Compare) -> bool:
        kind = field_kind(self.record_types[record.record_type], compare.field).kind
        return compare_value(kind, compare, record.value.get(compare.field))

    def _matching(
        self, ctx: _Ctx, record_type: str, window: WindowSpec, where: tuple[Compare, ...]
    ) -> list[Record]:
        return [
            r
            for r in self.population.records_of(ctx.kind, ctx.id, record_type)
            if self._in_window(r, window, ctx) and all(self._meets(r, c) for c in where)
        ]

    # ------------------------------------------------------------------ nodes

    def _resident(self, ctx: _Ctx) -> Resident:
        return self.population.residents[ctx.id]

    def _present(self, ctx: _Ctx, day: date) -> bool:
        if ctx.kind == "resident":
            return self._resident(ctx).stay_on(day) is not None
        return bool(self.population.members_on(ctx.id, day))

    def _eval(self, node: Node, ctx: _Ctx) -> Explanation:
        match node:
            case Everyone():
                return Explanation(node, True, ctx.id)
            case AgeBetween(low=low, high=high, unit=unit, anchor=anchor):
                resident = self._resident(ctx)
                day = anchor.on(self.period)
                if resident.birth_date > day:
                    return Explanation(
                        node, False, ctx.id, note=Text("belum lahir", "not yet born")
                    )
                age = age_in(resident.birth_date, day, unit)
                ok = age >= low and (high is None or age <= high)
                unit_id = {"days": "hari", "months": "bulan", "years": "tahun"}[unit.value]
                aged = Text(f"usia {age} {unit_id}", f"age {age} {unit.value}")
                return Explanation(node, ok, ctx.id, note=aged)
            case SexIs(sex=sex):
                return Explanation(node, self._resident(ctx).sex is sex, ctx.id)
            case BornIn(window=window):
                birth = self._resident(ctx).birth_date
                first, last = self._bounds(window, ctx)
                ok = (first is None or birth >= first) and birth <= last
                return Explanation(node, ok, ctx.id, note=Text(f"lahir {birth}", f"born {birth}"))
            case AliveAndDomiciled(anchor=anchor):
                return Explanation(node, self._present(ctx, anchor.on(self.period)), ctx.id)
            case HasRecord(record_type=code, window=window, where=where):
                found = self._matching(ctx, code, window, where)
                return Explanation(node, bool(found), ctx.id, tuple(r.id for r in found))
            case RecordCount(
                record_type=code, at_least=at_least, window=window, where=where, distinct_months=dm
            ):
                found = self._matching(ctx, code, window, where)
                if dm:
                    months = {(r.observed_on.year, r.observed_on.month) for r in found}
                    count = len(months)
                else:
                    count = len(found)
                return Explanation(
                    node,
                    count >= at_least,
                    ctx.id,
                    tuple(r.id for r in found),
                    Text(f"{count} terhitung", f"{count} counted"),
                )
            case LatestValue(record_type=code, compare=compare, window=window):
                candidates = self._matching(ctx, code, window, ())
                if not candidates:
                    return Explanation(
                        node, False, ctx.id, note=Text("tidak ada catatan", "no record")
                    )
                latest = max(candidates, key=lambda r: (r.observed_on, r.created_at, r.id))
                ok = self._meets(latest, compare)
                shown = latest.value.get(compare.field)
                return Explanation(
                    node, ok, ctx.id, (latest.id,), Text(f"nilai {shown!r}", f"value {shown!r}")
                )
            case AnyHouseholdMember(condition=condition, include_subject=include):
                return self._any_member(node, condition, include, ctx)
            case InHousehold(condition=condition):
                households = self.population.households_of(ctx.id, self.end)
                children = tuple(self._eval(condition, _Ctx("household", h)) for h in households)
                ok = any(c.holds for c in children)
                note = None if households else Text("tanpa rumah tangga", "in no household")
                return Explanation(node, ok, ctx.id, note=note, children=children)
            case And(items=items):
                children = tuple(self._eval(i, ctx) for i in items)
                return Explanation(node, all(c.holds for c in children), ctx.id, children=children)
            case Or(items=items):
                children = tuple(self._eval(i, ctx) for i in items)
                return Explanation(node, any(c.holds for c in children), ctx.id, children=children)
            case Not(item=item):
                child = self._eval(item, ctx)
                return Explanation(node, not child.holds, ctx.id, children=(child,))
            case ExternalTarget():
                return Explanation(
                    node, True, ctx.id, note=Text("sasaran dari perangkat daerah", "agency target")
                )
            case _:
                assert_never(node)

    def _any_member(self, node: Node, condition: Node, include: bool, ctx: _Ctx) -> Explanation:
        if ctx.kind == "household":
            households: tuple[str, ...] = (ctx.id,)
        else:
            households = self.population.households_of(ctx.id, self.end)
        members: dict[str, Resident] = {}
        for household in households:
            for member in self.population.members_on(household, self.end):
                if include or ctx.kind != "resident" or member.id != ctx.id:
                    members[member.id] = member
        children = tuple(self._eval(condition, _Ctx("resident", m)) for m in sorted(members))
        deciding = tuple(c for c in children if c.holds)
        return Explanation(
            node,
            bool(deciding),
            ctx.id,
            note=Text(f"{len(members)} anggota", f"{len(members)} members"),
            children=deciding or children,
        )


@attrs.frozen
class Counted:
    """One subject's result for one indicator: in the denominator, served, its weight."""

    in_denominator: bool
    served: bool
    weight: int


def _subjects(population: Population, subject: Subject, day: date) -> dict[str, tuple[str, str]]:
    if subject is Subject.RESIDENT:
        return {
            rid: (s.posyandu_id, s.wilayah_code) for rid, s in population.residents_on(day).items()
        }
    if subject is Subject.HOUSEHOLD:
        return {
            hid: (h.posyandu_id, h.wilayah_code) for hid, h in population.households_on(day).items()
        }
    return {}


def count_subject(ev: Evaluator, indicator: Indicator, subject_id: str) -> Counted:
    """Return whether one subject is in the indicator's denominator and served."""
    kind = _KIND[indicator.subject]
    target = isinstance(indicator.denominator, ExternalTarget)
    in_den = target or ev.holds(indicator.denominator, kind, subject_id)
    served = in_den and ev.holds(indicator.numerator, kind, subject_id)
    weight = 1
    if indicator.counts is Counting.MEMBERS:
        weight = len(ev.population.members_on(subject_id, ev.end))
    return Counted(in_den and not target, served, weight)


def reference_counts(
    indicators: Iterable[Indicator],
    population: Population,
    period: Period,
    record_types: Mapping[str, RecordType],
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Return ``(served, in denominator)`` per indicator, posyandu and village.

    Keys are ``(indicator code, posyandu id, village code)``; only cells with a subject
    appear. The denominator of an indicator with an external target is 0 here (the
    target value comes from the store, not from people).
    """
    ev = Evaluator(population, period, record_types)
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for indicator in indicators:
        for subject_id, (posyandu, village) in _subjects(
            population, indicator.subject, period.end
        ).items():
            counted = count_subject(ev, indicator, subject_id)
            cell = out[(indicator.code, posyandu, village)]
            cell[0] += counted.weight if counted.served else 0
            cell[1] += counted.weight if counted.in_denominator else 0
    return {key: (a, b) for key, (a, b) in out.items()}

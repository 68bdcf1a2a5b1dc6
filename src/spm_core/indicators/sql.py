"""The SQL compiler: indicator expressions to SQLAlchemy Core, one pass per subject type.

For one period and one subject type (residents, households), every indicator of a
report is computed by **one** query:

1. the population of the period's last day (in the actor's scope) is the driving set;
2. each distinct **atom** of every expression — a record leaf, a household link, an age
   or a sex — becomes one 0/1 flag per subject: record leaves are sets of subject ids
   (``SELECT … GROUP BY subject HAVING …``) tested by membership — the record leaves
   of one record type are columns of one grouped pass over its records
   (:meth:`_Compiler.share_record_sets`) — and ages are birth-date ranges computed
   once per period in Python;
3. ``SUM(CASE WHEN <denominator> [AND <numerator>] THEN weight ELSE 0 END)`` per
   indicator, grouped by posyandu and desa/kelurahan (the smallest areas), and by sex
   and age group on request.

Only integer counts come back, through the store's declared aggregate path
(:meth:`spm_core.store.Store.aggregate`), which rolls the smallest areas up in Python
(SQLite has no ``ROLLUP``). Ratios and the achievement index are computed in Python by
:mod:`spm_core.indicators.report`. The semantics are those of the reference evaluator
(:mod:`spm_core.indicators.reference`); a differential test holds the two together.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, assert_never

import attrs
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    extract,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.selectable import Subquery

from spm_core.access import Actor
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
from spm_core.domain.lifestage import AgeUnit
from spm_core.domain.period import Period
from spm_core.errors import InvalidValue
from spm_core.indicators.ages import AGE_GROUPS, birth_range
from spm_core.store import Store
from spm_core.store.aggregate import Counts, ReportLevel, Universe, threshold_for

__all__ = [
    "IndicatorCounts",
    "compile_conditions",
    "compile_counts",
    "compile_holds",
    "count_indicators",
    "counts_of",
]


class _DaysBetween(FunctionElement[int]):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(_DaysBetween, "sqlite")
def _days_sqlite(element: _DaysBetween, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(second, **kw)}) - "
        f"julianday({compiler.process(first, **kw)}) AS INTEGER)"
    )


@compiles(_DaysBetween, "postgresql")
def _days_postgresql(element: _DaysBetween, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


def _atoms(node: Node) -> Iterable[Node]:
    """Yield the maximal non-boolean sub-nodes of ``node`` (the flags of a report)."""
    match node:
        case And(items=items) | Or(items=items):
            for item in items:
                yield from _atoms(item)
        case Not(item=item):
            yield from _atoms(item)
        case _:
            yield node


@attrs.frozen
class _Ctx:
    """The subject a node is compiled for: its kind and the SQL columns that name it."""

    kind: str
    id: Any
    birth: Any = None
    sex: Any = None


class _Compiler:
    """Compiles nodes for one universe, period and catalog (record types)."""

    def __init__(
        self, universe: Universe, period: Period, record_types: Mapping[str, RecordType]
    ) -> None:
        self.universe = universe
        self.period = period
        self.end = period.end
        self.record_types = record_types
        self._latest_of: dict[tuple[str, str, WindowSpec], Any] = {}
        self.shared_columns: dict[tuple[str, Node], tuple[Any, str, int]] = {}
        """Record atom → (its type's grouped pass, the atom's column, the least count)."""

    # -------------------------------------------------------------- values and windows

    def _compare(self, value: Any, record_type: str, compare: Compare) -> ColumnElement[bool]:
        kind = field_kind(self.record_types[record_type], compare.field).kind
        item = value[compare.field]
        typed: Any
        if kind in (FieldKind.NUMBER, FieldKind.INTEGER):
            typed = item.as_float()
        elif kind is FieldKind.BOOLEAN:
            typed = item.as_boolean()
        else:
            typed = item.as_string()
        wanted = compare.value
        if kind in (FieldKind.NUMBER, FieldKind.INTEGER):
            wanted = tuple(float(v) for v in wanted) if isinstance(wanted, tuple) else float(wanted)
        match compare.op:
            case Op.EQ:
                return typed == wanted  # type: ignore[no-any-return]
            case Op.NE:
                return typed != wanted  # type: ignore[no-any-return]
            case Op.LT:
                return typed < wanted  # type: ignore[no-any-return]
            case Op.LE:
                return typed <= wanted  # type: ignore[no-any-return]
            case Op.GT:
                return typed > wanted  # type: ignore[no-any-return]
            case Op.GE:
                return typed >= wanted  # type: ignore[no-any-return]
            case Op.IN:
                return typed.in_(list(wanted))  # type: ignore[arg-type, no-any-return]
            case _:
                assert_never(compare.op)

    def _fixed_bounds(self, window: Window | LastMonths) -> tuple[date | None, date]:
        match window:
            case Window.PERIOD:
                return self.period.start, self.end
            case Window.YEAR_TO_DATE:
                return date(self.end.year, 1, 1), self.end
            case Window.EVER:
                return None, self.end
            case LastMonths():
                return window.bounds(self.end)
            case _:
                assert_never(window)

    def _subject_of(self, records: Subquery, kind: str) -> Any:
        return records.c.resident_id if kind == "resident" else records.c.household_id

    def _record_conditions(
        self,
        records: Subquery,
        kind: str,
        record_type: str,
        window: WindowSpec,
        where: Sequence[Compare],
    ) -> list[ColumnElement[bool]]:
        subject = self._subject_of(records, kind)
        conds: list[ColumnElement[bool]] = [
            records.c.record_type == record_type,
            subject.is_not(None),
        ]
        if not isinstance(window, PeriodAndAfter):
            conds.append(records.c.observed_on <= self.end)
        match window:
            case Window() | LastMonths():
                low, _ = self._fixed_bounds(window)
                if low is not None:
                    conds.append(records.c.observed_on >= low)
            case PeriodAndAfter():
                low, high = window.bounds(self.period.start, self.end)
                conds.append(records.c.observed_on.between(low, high))
            case DaysOfAge(low=low_days, high=high_days):
                # the birth date is the resident's own (a primary-key look-up); whether the
                # resident counts is decided by the population the set is tested against
                days = _DaysBetween(self.universe.birth_of(subject), records.c.observed_on)
                conds.append(days.between(low_days, high_days))
            case DaysAfter(record_type=anchor_type, low=low_days, high=high_days, where=aw):
                anchors = self.universe.records()
                anchor_subject = self._subject_of(anchors, kind)
                conds.append(
                    exists(
                        select(anchors.c.id).where(
                            anchor_subject == subject,
                            anchors.c.record_type == anchor_type,
                            anchors.c.observed_on <= self.end,
                            _DaysBetween(anchors.c.observed_on, records.c.observed_on).between(
                                low_days, high_days
                            ),
                            *(self._compare(anchors.c.value, anchor_type, c) for c in aw),
                        )
                    )
                )
            case _:
                assert_never(window)
        conds.extend(self._compare(records.c.value, record_type, c) for c in where)
        return conds

    def _latest(self, kind: str, record_type: str, window: WindowSpec) -> Any:
        """The latest record per subject of one type in one window, as a shared CTE.

        Every ``LatestValue`` of the same type and window (the water source and the
        waste pit, the school status and the reason) reads this one ranking: a CTE
        used more than once is computed once by both planners.
        """
        key = (kind, record_type, window)
        if key not in self._latest_of:
            r = self.universe.records()
            subject = self._subject_of(r, kind)
            conds = self._record_conditions(r, kind, record_type, window, ())
            order = (r.c.observed_on.desc(), r.c.created_at.desc(), r.c.id.desc())
            ranked = (
                select(
                    subject.label("subj"),
                    r.c.value,
                    func.row_number().over(partition_by=subject, order_by=order).label("rn"),
                )
                .where(*conds)
                .subquery()
            )
            self._latest_of[key] = (
                select(ranked.c.subj, ranked.c.value)
                .where(ranked.c.rn == 1)
                .cte()  # an anonymous name: statements may join several compilers' sets
            )
        return self._latest_of[key]

    def _bounds(self, window: WindowSpec) -> tuple[date | None, date | None]:
        """The observed dates a window can reach (``None``: unbounded on that side)."""
        match window:
            case Window() | LastMonths():
                return self._fixed_bounds(window)
            case PeriodAndAfter():
                return window.bounds(self.period.start, self.end)
            case DaysOfAge() | DaysAfter():
                return None, self.end
            case _:
                assert_never(window)

    def share_record_sets(self, atoms: Iterable[Node], kind: str) -> list[Any]:
        """Read each record type once for all the record atoms of ``atoms`` on it.

        The atoms of one type (two weighings a month, weighed in the last six months;
        the three screenings) become columns of **one** pass over that type's records,
        grouped by subject — ``SUM(CASE …)`` for a record or a count,
        ``COUNT(DISTINCT CASE … month)`` for a count of distinct months — kept as a common
        table expression. :func:`compile_counts` left-joins each pass to the population
        once (one index on the subject per type, where a membership set per atom built
        one each); :meth:`subject_set` reads it as a set (``SELECT subj … WHERE a<j> >=
        n``). Each atom's condition is the one its own set would use, so the counts are
        the same; the records are read once instead of once an atom. Returns the passes,
        one per record type.
        """
        by_type: dict[str, list[HasRecord | RecordCount]] = {}
        for atom in atoms:
            if isinstance(atom, HasRecord) or (isinstance(atom, RecordCount) and atom.at_least > 0):
                by_type.setdefault(atom.record_type, []).append(atom)
        passes = []
        for code, group in by_type.items():
            r = self.universe.records()
            subject = self._subject_of(r, kind)
            bounds = [self._bounds(atom.window) for atom in group]
            shared: list[ColumnElement[bool]] = [
                r.c.record_type == code,
                subject.is_not(None),
                r.c.observed_on <= max(high for _, high in bounds if high is not None),
            ]
            if all(low is not None for low, _ in bounds):
                shared.append(r.c.observed_on >= min(low for low, _ in bounds if low))
            month = extract("year", r.c.observed_on) * 12 + extract("month", r.c.observed_on)
            columns: list[Any] = [subject.label("subj")]
            for j, atom in enumerate(group):
                conds = self._record_conditions(r, kind, code, atom.window, atom.where)[2:]
                hit = and_(true(), *conds)
                if isinstance(atom, RecordCount) and atom.distinct_months:
                    counted: Any = func.count(case((hit, month)).distinct())
                else:
                    counted = func.sum(case((hit, 1), else_=0))
                columns.append(counted.label(f"a{j}"))
            cte = select(*columns).where(*shared).group_by(subject).cte()
            passes.append(cte)
            for j, atom in enumerate(group):
                wanted = atom.at_least if isinstance(atom, RecordCount) else 1
                self.shared_columns[(kind, atom)] = (cte, f"a{j}", wanted)
        return passes

    # -------------------------------------------------------------- sets of subjects

    def subject_set(self, node: Node, kind: str) -> Select[Any] | None:
        """Return ``SELECT subj`` (distinct) of the subjects ``node`` holds for, if a set node."""
        shared = self.shared_columns.get((kind, node))
        if shared is not None:
            grouped, column, wanted = shared
            return select(grouped.c.subj).where(grouped.c[column] >= wanted)
        match node:
            case HasRecord(record_type=code, window=window, where=where):
                r = self.universe.records()
                subject = self._subject_of(r, kind)
                conds = self._record_conditions(r, kind, code, window, where)
                return select(subject.label("subj")).where(*conds).distinct()
            case RecordCount(
                record_type=code, at_least=at_least, window=window, where=where, distinct_months=dm
            ):
                if at_least == 0:
                    return None
                r = self.universe.records()
                subject = self._subject_of(r, kind)
                conds = self._record_conditions(r, kind, code, window, where)
                month = extract("year", r.c.observed_on) * 12 + extract("month", r.c.observed_on)
                counted = func.count(month.distinct()) if dm else func.count()
                return (
                    select(subject.label("subj"))
                    .where(*conds)
                    .group_by(subject)
                    .having(counted >= at_least)
                )
            case LatestValue(record_type=code, compare=compare, window=window):
                latest = self._latest(kind, code, window)
                return select(latest.c.subj).where(self._compare(latest.c.value, code, compare))
            case AliveAndDomiciled(anchor=anchor):
                day = anchor.on(self.period)
                if kind == "resident":
                    people = self.universe.residents_on(day, scoped=False)
                    return select(people.c.resident_id.label("subj"))
                homes = self.universe.households_on(day, scoped=False)
                return select(homes.c.household_id.label("subj"))
            case AnyHouseholdMember(condition=condition, include_subject=include):
                member = self.universe.members_on(self.end)
                inner = _Ctx("resident", member.c.resident_id, member.c.birth_date, member.c.sex)
                held = self.holds(condition, inner)
                if kind == "household":
                    return select(member.c.household_id.label("subj")).where(held).distinct()
                own = self.universe.members_on(self.end)
                conds = [own.c.household_id == member.c.household_id, held]
                if not include:
                    conds.append(member.c.resident_id != own.c.resident_id)
                return select(own.c.resident_id.label("subj")).where(*conds).distinct()
            case InHousehold(condition=condition):
                member = self.universe.members_on(self.end)
                held = self.holds(condition, _Ctx("household", member.c.household_id))
                return select(member.c.resident_id.label("subj")).where(held).distinct()
            case _:
                return None

    # -------------------------------------------------------------- row predicates

    def _birth_between(self, ctx: _Ctx, low: date | None, high: date) -> ColumnElement[bool]:
        if ctx.birth is not None:
            birth = ctx.birth
            return and_(birth <= high, true() if low is None else birth >= low)
        people = self.universe.residents_on(self.end, scoped=False)
        conds = [people.c.birth_date <= high]
        if low is not None:
            conds.append(people.c.birth_date >= low)
        return ctx.id.in_(select(people.c.resident_id).where(*conds))  # type: ignore[no-any-return]

    def holds(self, node: Node, ctx: _Ctx) -> ColumnElement[bool]:
        """Return a two-valued SQL condition: ``node`` holds for the subject of ``ctx``."""
        match node:
            case Everyone():
                return true()
            case AgeBetween(low=low, high=high, unit=unit, anchor=anchor):
                day = anchor.on(self.period)
                earliest, latest = birth_range(low, high, unit, day)
                return self._birth_between(ctx, earliest, latest)
            case SexIs(sex=sex):
                if ctx.sex is not None:
                    return ctx.sex == sex.value  # type: ignore[no-any-return]
                people = self.universe.residents_on(self.end, scoped=False)
                return ctx.id.in_(  # type: ignore[no-any-return]
                    select(people.c.resident_id).where(people.c.sex == sex.value)
                )
            case BornIn(window=window):
                first, last = self._fixed_bounds(window)
                return self._birth_between(ctx, first, last)
            case RecordCount(at_least=0):
                return true()
            case (
                HasRecord()
                | RecordCount()
                | LatestValue()
                | AliveAndDomiciled()
                | AnyHouseholdMember()
                | InHousehold()
            ):
                found = self.subject_set(node, ctx.kind)
                assert found is not None
                return ctx.id.in_(found)  # type: ignore[no-any-return]
            case And(items=items):
                return and_(true(), *(self.holds(i, ctx) for i in items))
            case Or(items=items):
                return or_(false(), *(self.holds(i, ctx) for i in items))
            case Not(item=item):
                return not_(self.holds(item, ctx))
            case ExternalTarget():
                return true()
            case _:
                assert_never(node)


@attrs.frozen
class IndicatorCounts:
    """Served and denominator counts of one indicator in one area (and group)."""

    indicator: str
    area: str
    served: int | None
    denominator: int | None
    keys: tuple[str | None, ...] = ()
    suppressed_below: int | None = None
    """The small-cell threshold applied (``None``: counts are exact)."""


def _flag_expr(node: Node, flags: Mapping[Node, Any]) -> ColumnElement[bool]:
    match node:
        case And(items=items):
            return and_(true(), *(_flag_expr(i, flags) for i in items))
        case Or(items=items):
            return or_(false(), *(_flag_expr(i, flags) for i in items))
        case Not(item=item):
            return not_(_flag_expr(item, flags))
        case _:
            return flags[node] == 1  # type: ignore[no-any-return]


def _age_group(birth: Any, day: date) -> Any:
    whens = []
    for group in AGE_GROUPS:
        low, high = birth_range(group.low, group.high, AgeUnit.YEARS, day)
        cond = birth <= high if low is None else and_(birth >= low, birth <= high)
        whens.append((cond, literal(group.code)))
    return case(*whens, else_=literal(None, String))


def compile_holds(
    universe: Universe,
    node: Node,
    period: Period,
    record_types: Mapping[str, RecordType],
    population: Any,
    subject: Subject,
) -> ColumnElement[bool]:
    """Return the SQL condition that ``node`` holds, over the period, for each subject.

    ``population`` is a selectable of residents (``resident_id``, ``birth_date``,
    ``sex``) or households (``household_id``), such as
    :meth:`~spm_core.store.aggregate.Universe.residents_on`. The condition has the
    semantics of the reference evaluator's :meth:`~spm_core.indicators.reference.Evaluator.holds`
    (the need suggestions' differential test holds the two together). For several
    conditions in one query use :func:`compile_conditions`.
    """
    (found,) = compile_conditions(universe, (node,), period, record_types, population, subject)
    return found


def compile_conditions(
    universe: Universe,
    nodes: Sequence[Node],
    period: Period,
    record_types: Mapping[str, RecordType],
    population: Any,
    subject: Subject,
) -> list[ColumnElement[bool]]:
    """Return one condition per node, as :func:`compile_holds`, for use in one query.

    The nodes share one compiler, so the latest-record rankings they read are computed
    once (common table expressions named once per query).
    """
    comp = _Compiler(universe, period, record_types)
    if subject is Subject.RESIDENT:
        ctx = _Ctx("resident", population.c.resident_id, population.c.birth_date, population.c.sex)
    elif subject is Subject.HOUSEHOLD:
        ctx = _Ctx("household", population.c.household_id)
    else:
        raise InvalidValue(
            value=subject.value,
            reason_id="hanya warga atau rumah tangga yang memiliki populasi",
            reason_en="only residents and households have a population",
        )
    return [comp.holds(node, ctx) for node in nodes]


def compile_counts(
    universe: Universe,
    indicators: Sequence[Indicator],
    period: Period,
    record_types: Mapping[str, RecordType],
    *,
    keys: Sequence[str] = (),
    join_sets: bool = False,
) -> Select[Any]:
    """Return the one query counting ``indicators`` (all of one subject type) for ``period``.

    Columns: ``posyandu_id``, ``wilayah_code``, the disaggregation ``keys``, then
    ``n<i>`` (served) and ``d<i>`` (denominator) for the i-th indicator.

    The record leaves (``HasRecord``, ``RecordCount``) of each record type are columns
    of one grouped pass over its records (:meth:`_Compiler.share_record_sets`),
    left-joined to the population once by subject: SQLite builds one automatic index
    per type, PostgreSQL hashes it. Every other set atom (a latest value, a household
    link) is a set of subject ids and its flag ``id IN (set)``: SQLite builds the set
    once into a temporary index and PostgreSQL into a hashed subplan (within
    ``work_mem``, raised for the aggregate path). With ``join_sets`` those sets are
    left-joined to the population too; both planners then chose nested loops over the
    joined subqueries in measurements (minutes instead of seconds), so it is off.
    """
    subject = indicators[0].subject
    comp = _Compiler(universe, period, record_types)
    end = period.end
    if subject is Subject.RESIDENT:
        pop = universe.residents_on(end)
        ctx = _Ctx("resident", pop.c.resident_id, pop.c.birth_date, pop.c.sex)
    else:
        pop = universe.households_on(end)
        ctx = _Ctx("household", pop.c.household_id)
    atoms: dict[Node, int] = {}
    for indicator in indicators:
        for expr in (indicator.denominator, indicator.numerator):
            for atom in _atoms(expr):
                atoms.setdefault(atom, len(atoms))
    joined: Any = pop
    for grouped in comp.share_record_sets(atoms, ctx.kind):
        # each record type's one pass, joined once by subject
        joined = joined.outerjoin(grouped, grouped.c.subj == ctx.id)
    columns: list[Any] = [pop.c.posyandu_id, pop.c.wilayah_code]
    for key in keys:
        if key == "sex" and ctx.sex is not None:
            columns.append(ctx.sex.label("sex"))
        elif key == "age_group" and ctx.birth is not None:
            columns.append(_age_group(ctx.birth, end).label("age_group"))
        else:
            columns.append(literal(None, String).label(key))
    if any(i.counts is Counting.MEMBERS for i in indicators):
        columns.append(pop.c.persons.label("persons"))
    for atom, index in atoms.items():
        shared = comp.shared_columns.get((ctx.kind, atom))
        if shared is not None:
            grouped, column, wanted = shared
            flag = func.coalesce(grouped.c[column], 0) >= wanted
        elif (found := comp.subject_set(atom, ctx.kind)) is None:
            flag = comp.holds(atom, ctx)
        elif join_sets:
            sub = found.subquery()
            joined = joined.outerjoin(sub, sub.c.subj == ctx.id)
            flag = sub.c.subj.is_not(None)
        else:
            flag = ctx.id.in_(found)
        columns.append(case((flag, 1), else_=0).label(f"f{index}"))
    flagged = select(*columns).select_from(joined).subquery()
    flags = {atom: flagged.c[f"f{index}"] for atom, index in atoms.items()}
    out: list[Any] = [flagged.c.posyandu_id, flagged.c.wilayah_code]
    out += [flagged.c[k] for k in keys]
    for i, indicator in enumerate(indicators):
        weight: Any = flagged.c.persons if indicator.counts is Counting.MEMBERS else 1
        numerator = _flag_expr(indicator.numerator, flags)
        counted: ColumnElement[bool]
        if isinstance(indicator.denominator, ExternalTarget):
            served, counted = numerator, false()
        else:
            denominator = _flag_expr(indicator.denominator, flags)
            served, counted = and_(denominator, numerator), denominator
        out.append(cast(func.sum(case((served, weight), else_=0)), Integer).label(f"n{i}"))
        out.append(cast(func.sum(case((counted, weight), else_=0)), Integer).label(f"d{i}"))
    group = [flagged.c.posyandu_id, flagged.c.wilayah_code, *(flagged.c[k] for k in keys)]
    return select(*out).group_by(*group)


def count_indicators(
    store: Store,
    actor: Actor,
    indicators: Sequence[Indicator],
    period: Period,
    record_types: Mapping[str, RecordType],
    *,
    level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
    keys: Sequence[str] = (),
    suppress_below: int | None = None,
) -> list[IndicatorCounts]:
    """Count ``indicators`` for ``period`` in ``actor``'s scope, one query per subject type.

    The residents' query and the households' query are independent: where the store
    reads concurrently (:attr:`~spm_core.store.Store.reads_concurrently`: PostgreSQL, a
    SQLite file) they run at once, each in a thread with its own connection and read
    transaction, so a report takes about as long as its longer query instead of the
    sum of both on a machine with two cores or more. Each query sees the data as it
    was when its own transaction began, as when they run one after the other.

    Place indicators are not computed here (no place population is kept yet); they are
    left out of the result.
    """
    asked = query_keys(actor, keys, suppress_below)
    groups = [
        group
        for subject in (Subject.RESIDENT, Subject.HOUSEHOLD)
        if (group := [i for i in indicators if i.subject is subject])
    ]

    def count(group: list[Indicator]) -> list[IndicatorCounts]:
        counts: Counts = store.aggregate(
            actor,
            lambda universe: compile_counts(universe, group, period, record_types, keys=asked),
            level=level,
            keys=asked,
            suppress_below=suppress_below,
            shown_keys=keys,
            within=nested_counts(group),
        )
        return counts_of(group, counts)

    if len(groups) < 2 or not store.reads_concurrently:
        return [c for group in groups for c in count(group)]
    with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="spm-count") as pool:
        # each task runs in a copy of the caller's context (the acting actor, a purpose)
        running = [pool.submit(contextvars.copy_context().run, count, g) for g in groups]
        return [c for future in running for c in future.result()]


def query_keys(actor: Actor, keys: Sequence[str], suppress_below: int | None) -> tuple[str, ...]:
    """Return the breakdowns a count query asks for so that ``keys`` can be shown.

    Without small-cell suppression, ``keys``. With it, every breakdown (sex and age
    group): the store then suppresses on the whole table and sums the breakdowns not
    shown, so a report by sex, one by age group and one without hide the same cells
    and none can be subtracted from another.
    """
    if threshold_for(actor.role, suppress_below) is None:
        return tuple(keys)
    return SUPPRESSION_KEYS


SUPPRESSION_KEYS = ("sex", "age_group")
"""The breakdowns a suppressed count query always spans."""


def nested_counts(indicators: Sequence[Indicator]) -> dict[str, str]:
    """Return served column → denominator column, for indicators counting their denominator.

    The served lie within the counted, so the store suppresses the difference (those
    counted but not served) as well. An indicator over a target has no counted column.
    """
    return {
        f"n{i}": f"d{i}"
        for i, indicator in enumerate(indicators)
        if not isinstance(indicator.denominator, ExternalTarget)
    }


def counts_of(indicators: Sequence[Indicator], counts: Counts) -> list[IndicatorCounts]:
    """Return the counts of each indicator per area (and group) from an aggregate's result.

    ``counts`` has the columns ``n<i>`` (served) and ``d<i>`` (denominator) for the
    i-th of ``indicators``.
    """
    out: list[IndicatorCounts] = []
    for key in counts.rows:
        for i, indicator in enumerate(indicators):
            out.append(
                IndicatorCounts(
                    indicator.code,
                    str(key[0]),
                    counts.value(key, f"n{i}"),
                    counts.value(key, f"d{i}"),
                    key[1:],
                    counts.suppressed_below,
                )
            )
    return out

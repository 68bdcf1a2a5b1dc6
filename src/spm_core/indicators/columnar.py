"""The columnar interpreter: indicator expressions over whole columns, with polars.

The third interpreter of the one expression language, beside the SQL compiler
(:mod:`spm_core.indicators.sql`) and the reference evaluator
(:mod:`spm_core.indicators.reference`), with their semantics; a differential test holds
the three together. It is meant for whole-population runs (a researcher's city-wide
report): the store reads the people, stays, memberships and the records of the record
types the indicators name into polars DataFrames once
(:meth:`spm_core.store.Store.aggregate_columns`), and every indicator is then computed
by vectorised operations on those columns:

* the subjects are the residents alive and domiciled on the period's last day, or the
  households placed where their head lives (the store's population rule), in the
  actor's scope;
* each record node becomes the set of subject ids it holds for — a filter of the record
  type's frame by window and comparisons, then a ``unique``, a grouped count (distinct
  months on request) or the latest record per subject (by observed date, creation time,
  id) — tested by membership;
* ages are birth-date ranges computed once per period
  (:func:`~spm_core.indicators.ages.birth_range`);
* ``SUM`` of the weight (1, or the household's members) per smallest area, and by sex
  and age group on request.

Only integer counts leave the store's call, which checks, rolls up and suppresses them
like the SQL path does. Memory grows with the population (the tables are held as
columns), unlike the SQL path; pick it for speed on a machine with room.

Use it through :func:`spm_core.indicators.report.compute_report` with
``engine="columnar"``, or :func:`count_indicators_columnar`. Needs polars
(``pip install spm-core[polars]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from functools import reduce
from typing import Any, assert_never

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
from spm_core.indicators.ages import AGE_GROUPS, birth_range
from spm_core.indicators.sql import IndicatorCounts, counts_of, nested_counts, query_keys
from spm_core.store import Store
from spm_core.store.aggregate import ReportLevel
from spm_core.store.columns import FieldKindName, Frames, polars

__all__ = ["compute_columns", "count_indicators_columnar", "record_fields"]

_SUBJECT_COLUMN = {"resident": "resident_id", "household": "household_id"}


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from _nodes(child)


def _kind_name(kind: FieldKind) -> FieldKindName:
    if kind in (FieldKind.NUMBER, FieldKind.INTEGER):
        return "number"
    if kind is FieldKind.BOOLEAN:
        return "boolean"
    return "text"


def record_fields(
    indicators: Sequence[Indicator], record_types: Mapping[str, RecordType]
) -> dict[str, dict[str, FieldKindName]]:
    """Return the record types the indicators read and, for each, the fields compared.

    Example:
        >>> from spm_core.definitions import HasRecord
        >>> sorted(record_fields([], {}))
        []
    """
    out: dict[str, dict[str, FieldKindName]] = {}

    def add(code: str, compares: Sequence[Compare]) -> None:
        fields = out.setdefault(code, {})
        for compare in compares:
            kind = field_kind(record_types[code], compare.field).kind
            fields[compare.field] = _kind_name(kind)

    for indicator in indicators:
        for expr in (indicator.denominator, indicator.numerator):
            for node in _nodes(expr):
                match node:
                    case (
                        HasRecord(record_type=code, where=where)
                        | RecordCount(record_type=code, where=where)
                    ):
                        add(code, where)
                    case LatestValue(record_type=code, compare=compare):
                        add(code, (compare,))
                    case _:
                        pass
                window = getattr(node, "window", None)
                if isinstance(window, DaysAfter):
                    add(window.record_type, window.where)
    return out


class _Columns:
    """Evaluates nodes over the frames for one period."""

    def __init__(
        self, frames: Frames, period: Period, record_types: Mapping[str, RecordType]
    ) -> None:
        self.pl = polars()
        self.frames = frames
        self.period = period
        self.end = period.end
        self.record_types = record_types
        self._people: dict[date, Any] = {}
        self._members: dict[date, Any] = {}
        self._homes: dict[date, Any] = {}
        self._sets: dict[tuple[Node, str], Any] = {}

    # -------------------------------------------------------------- population

    def residents_on(self, day: date) -> Any:
        """Residents alive and domiciled on ``day`` with their place, birth date and sex."""
        if day not in self._people:
            pl, f = self.pl, self.frames
            stays = f.stays.filter(
                (pl.col("since") <= day) & (pl.col("until").is_null() | (pl.col("until") >= day))
            )
            alive = f.residents.filter(
                (pl.col("birth_date") <= day)
                & (pl.col("died_on").is_null() | (pl.col("died_on") > day))
            )
            self._people[day] = stays.join(alive, on="resident_id", how="inner").select(
                "resident_id", "posyandu_id", "wilayah_code", "birth_date", "sex"
            )
        return self._people[day]

    def members_on(self, day: date) -> Any:
        """Household members on ``day`` who are alive and domiciled, with their place."""
        if day not in self._members:
            pl = self.pl
            m = self.frames.memberships.filter(
                (pl.col("start_date") <= day)
                & (pl.col("end_date").is_null() | (pl.col("end_date") >= day))
            ).select("household_id", "resident_id", "relationship")
            self._members[day] = m.join(self.residents_on(day), on="resident_id", how="inner")
        return self._members[day]

    def households_on(self, day: date) -> Any:
        """Households with a member on ``day``, placed where the lowest SHDK code lives."""
        if day not in self._homes:
            self._homes[day] = (
                self.members_on(day)
                .sort(["household_id", "relationship", "resident_id"])
                .unique(subset="household_id", keep="first", maintain_order=True)
                .select("household_id", "posyandu_id", "wilayah_code")
            )
        return self._homes[day]

    # -------------------------------------------------------------- records

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

    def _compare(self, record_type: str, compare: Compare) -> Any:
        pl = self.pl
        kind = field_kind(self.record_types[record_type], compare.field).kind
        column = pl.col(f"v:{compare.field}")
        wanted: Any = compare.value
        if kind in (FieldKind.NUMBER, FieldKind.INTEGER):
            wanted = tuple(float(v) for v in wanted) if isinstance(wanted, tuple) else float(wanted)
        match compare.op:
            case Op.EQ:
                found = column == wanted
            case Op.NE:
                found = column != wanted
            case Op.LT:
                found = column < wanted
            case Op.LE:
                found = column <= wanted
            case Op.GT:
                found = column > wanted
            case Op.GE:
                found = column >= wanted
            case Op.IN:
                found = column.is_in(list(wanted))
            case _:
                assert_never(compare.op)
        return found.fill_null(False)

    def _records(self, kind: str, record_type: str) -> Any:
        pl = self.pl
        subject = _SUBJECT_COLUMN[kind]
        found = self.frames.records[record_type]
        return found.filter(pl.col(subject).is_not_null())

    def matching(
        self, kind: str, record_type: str, window: WindowSpec, where: Sequence[Compare]
    ) -> Any:
        """Return the records of ``record_type`` about ``kind`` subjects in the window."""
        pl = self.pl
        subject = _SUBJECT_COLUMN[kind]
        found = self._records(kind, record_type)
        observed = pl.col("observed_on")
        if not isinstance(window, PeriodAndAfter):
            found = found.filter(observed <= self.end)
        match window:
            case Window() | LastMonths():
                low, _ = self._fixed_bounds(window)
                if low is not None:
                    found = found.filter(observed >= low)
            case PeriodAndAfter():
                low, high = window.bounds(self.period.start, self.end)
                found = found.filter(observed.is_between(low, high))
            case DaysOfAge(low=low_days, high=high_days):
                births = self.frames.residents.select(
                    pl.col("resident_id").alias(subject), pl.col("birth_date").alias("_birth")
                )
                found = (
                    found.join(births, on=subject, how="inner")
                    .filter(
                        (observed - pl.col("_birth"))
                        .dt.total_days()
                        .is_between(low_days, high_days)
                    )
                    .drop("_birth")
                )
            case DaysAfter(record_type=anchor_type, low=low_days, high=high_days, where=aw):
                anchors = self._records(kind, anchor_type).filter(observed <= self.end)
                for compare in aw:
                    anchors = anchors.filter(self._compare(anchor_type, compare))
                pairs = found.select("id", subject, "observed_on").join(
                    anchors.select(subject, pl.col("observed_on").alias("_anchor")),
                    on=subject,
                    how="inner",
                )
                near = pairs.filter(
                    (observed - pl.col("_anchor")).dt.total_days().is_between(low_days, high_days)
                )
                found = found.filter(pl.col("id").is_in(near.get_column("id").unique()))
            case _:
                assert_never(window)
        for compare in where:
            found = found.filter(self._compare(record_type, compare))
        return found

    # -------------------------------------------------------------- nodes

    def subject_set(self, node: Node, kind: str) -> Any:
        """Return the ids (a polars Series) of the ``kind`` subjects a set node holds for."""
        key = (node, kind)
        if key not in self._sets:
            self._sets[key] = self._subject_set(node, kind)
        return self._sets[key]

    def _subject_set(self, node: Node, kind: str) -> Any:
        pl = self.pl
        subject = _SUBJECT_COLUMN[kind]
        match node:
            case HasRecord(record_type=code, window=window, where=where):
                return self.matching(kind, code, window, where).get_column(subject).unique()
            case RecordCount(
                record_type=code, at_least=at_least, window=window, where=where, distinct_months=dm
            ):
                found = self.matching(kind, code, window, where)
                counted = pl.col("observed_on").dt.month_start().n_unique() if dm else pl.len()
                return (
                    found.group_by(subject)
                    .agg(counted.alias("_n"))
                    .filter(pl.col("_n") >= at_least)
                    .get_column(subject)
                )
            case LatestValue(record_type=code, compare=compare, window=window):
                found = self.matching(kind, code, window, ())
                latest = found.sort(["observed_on", "created", "id"]).unique(
                    subset=subject, keep="last"
                )
                return latest.filter(self._compare(code, compare)).get_column(subject)
            case AliveAndDomiciled(anchor=anchor):
                day = anchor.on(self.period)
                if kind == "resident":
                    return self.residents_on(day).get_column("resident_id")
                return self.households_on(day).get_column("household_id")
            case AnyHouseholdMember(condition=condition, include_subject=include):
                members = self.members_on(self.end)
                people = members.select(
                    pl.col("resident_id").alias("id"), "birth_date", "sex", "household_id"
                )
                held = people.filter(self.holds(condition, "resident", people))
                if kind == "household":
                    return held.get_column("household_id").unique()
                own = pl.col("resident_id").alias("_subject")
                pairs = members.select("household_id", own).join(
                    held.select("household_id", pl.col("id").alias("_member")),
                    on="household_id",
                    how="inner",
                )
                if not include:
                    pairs = pairs.filter(pl.col("_subject") != pl.col("_member"))
                return pairs.get_column("_subject").unique()
            case InHousehold(condition=condition):
                members = self.members_on(self.end).select("resident_id", "household_id")
                homes = members.select(pl.col("household_id").alias("id")).unique()
                held = homes.filter(self.holds(condition, "household", homes)).get_column("id")
                return (
                    members.filter(pl.col("household_id").is_in(held))
                    .get_column("resident_id")
                    .unique()
                )
            case _:
                raise TypeError(f"not a set node: {node!r}")

    def _birth_between(self, subjects: Any, low: date | None, high: date) -> Any:
        birth = subjects.get_column("birth_date")
        found = birth <= high
        if low is not None:
            found = found & (birth >= low)
        return found

    def holds(self, node: Node, kind: str, subjects: Any) -> Any:
        """Return a boolean Series: whether ``node`` holds for each row of ``subjects``.

        ``subjects`` has an ``id`` column, and ``birth_date`` and ``sex`` for residents.
        """
        pl = self.pl
        everyone = pl.Series([True] * subjects.height, dtype=pl.Boolean)
        match node:
            case Everyone():
                return everyone
            case AgeBetween(low=low, high=high, unit=unit, anchor=anchor):
                earliest, latest = birth_range(low, high, unit, anchor.on(self.period))
                return self._birth_between(subjects, earliest, latest)
            case SexIs(sex=sex):
                return subjects.get_column("sex") == sex.value
            case BornIn(window=window):
                first, last = self._fixed_bounds(window)
                return self._birth_between(subjects, first, last)
            case RecordCount(at_least=0):
                return everyone
            case (
                HasRecord()
                | RecordCount()
                | LatestValue()
                | AliveAndDomiciled()
                | AnyHouseholdMember()
                | InHousehold()
            ):
                return subjects.get_column("id").is_in(self.subject_set(node, kind))
            case And(items=items):
                return reduce(lambda a, b: a & b, (self.holds(i, kind, subjects) for i in items))
            case Or(items=items):
                return reduce(lambda a, b: a | b, (self.holds(i, kind, subjects) for i in items))
            case Not(item=item):
                return ~self.holds(item, kind, subjects)
            case ExternalTarget():
                return everyone
            case _:
                assert_never(node)


def _age_group(pl: Any, day: date) -> Any:
    found = pl.lit(None, dtype=pl.Utf8)
    for group in reversed(AGE_GROUPS):
        low, high = birth_range(group.low, group.high, AgeUnit.YEARS, day)
        birth = pl.col("birth_date")
        cond = birth <= high if low is None else (birth >= low) & (birth <= high)
        found = pl.when(cond).then(pl.lit(group.code)).otherwise(found)
    return found


def _count_group(
    columns: _Columns, frames: Frames, indicators: Sequence[Indicator], keys: Sequence[str]
) -> Any:
    pl = columns.pl
    end = columns.end
    if indicators[0].subject is Subject.RESIDENT:
        kind = "resident"
        base = frames.in_scope(columns.residents_on(end)).rename({"resident_id": "id"})
        extra = []
        for key in keys:
            if key == "sex":
                extra.append(pl.col("sex").alias("sex"))
            else:
                extra.append(_age_group(pl, end).alias("age_group"))
        base = base.with_columns(*extra, pl.lit(1, dtype=pl.Int64).alias("_persons"))
    else:
        kind = "household"
        base = frames.in_scope(columns.households_on(end)).rename({"household_id": "id"})
        sizes = columns.members_on(end).group_by("household_id").agg(pl.len().alias("_persons"))
        base = base.join(sizes.rename({"household_id": "id"}), on="id", how="left")
        base = base.with_columns(
            pl.col("_persons").fill_null(0).cast(pl.Int64),
            *(pl.lit(None, dtype=pl.Utf8).alias(k) for k in keys),
        )
    flags = []
    sums = []
    for i, indicator in enumerate(indicators):
        numerator = columns.holds(indicator.numerator, kind, base)
        if isinstance(indicator.denominator, ExternalTarget):
            served = numerator
            counted = pl.Series([False] * base.height, dtype=pl.Boolean)
        else:
            counted = columns.holds(indicator.denominator, kind, base)
            served = counted & numerator
        flags += [served.alias(f"_n{i}"), counted.alias(f"_d{i}")]
        weight = pl.col("_persons") if indicator.counts is Counting.MEMBERS else pl.lit(1)
        for name in (f"n{i}", f"d{i}"):
            flag = pl.col(f"_{name}")
            sums.append(pl.when(flag).then(weight).otherwise(0).sum().cast(pl.Int64).alias(name))
    group = ["posyandu_id", "wilayah_code", *keys]
    return (
        base.with_columns(flags)
        .group_by(group)
        .agg(sums)
        .select(*group, *(f"{p}{i}" for i in range(len(indicators)) for p in ("n", "d")))
    )


def compute_columns(
    frames: Frames,
    groups: Sequence[Sequence[Indicator]],
    period: Period,
    record_types: Mapping[str, RecordType],
    keys: Sequence[str] = (),
) -> list[Any]:
    """Count each group of indicators (all of one subject type) over ``frames``.

    Returns one polars DataFrame per group: ``posyandu_id``, ``wilayah_code``, the
    ``keys``, then ``n<i>`` (served) and ``d<i>`` (denominator) per indicator.
    """
    columns = _Columns(frames, period, record_types)
    return [_count_group(columns, frames, group, keys) for group in groups]


def count_indicators_columnar(
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
    """Count ``indicators`` for ``period`` in ``actor``'s scope with the columnar engine.

    The same result as :func:`spm_core.indicators.sql.count_indicators`; the tables are
    read once for every subject type. Place indicators are left out, as there.
    """
    groups = [
        [i for i in indicators if i.subject is subject]
        for subject in (Subject.RESIDENT, Subject.HOUSEHOLD)
    ]
    groups = [g for g in groups if g]
    if not groups:
        return []
    fields = record_fields([i for g in groups for i in g], record_types)
    asked = query_keys(actor, keys, suppress_below)
    found = store.aggregate_columns(
        actor,
        fields,
        lambda frames: compute_columns(frames, groups, period, record_types, asked),
        level=level,
        keys=asked,
        suppress_below=suppress_below,
        shown_keys=keys,
        within=[nested_counts(group) for group in groups],
    )
    out: list[IndicatorCounts] = []
    for group, counts in zip(groups, found, strict=True):
        out.extend(counts_of(group, counts))
    return out

"""Kader mentoring signals per posyandu, and which posyandu most need a visit.

Counted over the twelve months up to ``as_of`` (:data:`WINDOW_DAYS`), per posyandu in the
actor's scope, from counts only — the Tim Pembina sees numbers, never residents:

* **completeness** — of the residents living at the posyandu on ``as_of`` whose life
  stage calls for records, the share who have, for every such life stage they are in,
  at least one record of a type that stage calls for. What a life stage calls for comes
  from the catalog: a resident indicator whose denominator names an age range (e.g.
  APS 7–15, immunisation of infants) calls for the record types its numerator reads, in
  every life stage (:class:`~spm_core.domain.lifestage.LifeStage`) its age range
  overlaps (:func:`expectations`);
* **timeliness** — records entered more than :data:`LATE_AFTER_DAYS` days after the day
  observed (``created_at`` against ``observed_on``);
* **notices** — records about a field the posyandu did not serve on the day observed
  (the one validator notice the store can count afterwards; the value checks of the
  field plugins are not stored and are not counted);
* **corrections** — records voided, records superseded, and duplicates (a second record
  of the same type about the same subject on the same day, neither voided);
* **referrals raised** by the posyandu in the window, beside the **needs suggested** and
  not referred: the needs the records show for its residents and households in the
  month of ``as_of`` with no open referral
  (:func:`spm_core.indicators.suggest.count_suggestions`, passed in by the caller).
  Both are shown; neither weighs in the score (a suggestion is a lead to check, not a
  fault in the records).

The **mentoring score** (0–100, higher needs a visit sooner) weighs each gap:
50 × (1 − completeness) + 25 × late share + 15 × notice share + 10 × correction share,
the shares taken over the records observed in the window. Posyandu are ranked by score,
then by residents (more first), then by name and id, so the order never depends on the
database. The reason names the signals that contribute most, with their counts.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from spm_core.access import Actor
from spm_core.catalog import Catalog, CatalogView
from spm_core.definitions import AgeBetween, Indicator
from spm_core.definitions.expr import Node, shift_months
from spm_core.domain.cells import neutralise_row
from spm_core.domain.enums import Subject
from spm_core.domain.lifestage import AgeRange, AgeUnit, LifeStage
from spm_core.domain.text import Text
from spm_core.store import Store
from spm_core.store.aggregate import Universe
from spm_core.store.declare import aggregates
from spm_core.store.tables import PosyanduFieldRow

__all__ = [
    "LATE_AFTER_DAYS",
    "SIGNAL_COLUMNS",
    "WEIGHTS",
    "WINDOW_DAYS",
    "Expectation",
    "Mentoring",
    "PosyanduSignals",
    "expectations",
    "mentoring",
]

WINDOW_DAYS = 365
"""The signals count records observed in this many days up to ``as_of``."""

LATE_AFTER_DAYS = 30
"""A record entered more than this many days after the day observed is late."""

WEIGHTS = {"completeness": 50.0, "late": 25.0, "notices": 15.0, "corrections": 10.0}
"""The weight of each gap in the mentoring score (they sum to 100)."""


class _DaysLate(FunctionElement[int]):
    """Whole days from the day observed to the (UTC) day a record was entered."""

    type = Integer()
    inherit_cache = True


@compiles(_DaysLate, "sqlite")
def _days_late_sqlite(element: _DaysLate, compiler: SQLCompiler, **kw: Any) -> str:
    entered, observed = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({entered})) - julianday({observed}) AS INTEGER)"


@compiles(_DaysLate, "postgresql")
def _days_late_postgresql(element: _DaysLate, compiler: SQLCompiler, **kw: Any) -> str:
    entered, observed = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST(({entered}) AT TIME ZONE 'UTC' AS DATE) - {observed})"


@attrs.frozen
class Expectation:
    """A life stage and the record types it calls for (from the catalog's indicators)."""

    stage: LifeStage
    record_types: tuple[str, ...]
    indicators: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the expectation as JSON-ready data."""
        return {
            "stage": self.stage.value,
            "record_types": list(self.record_types),
            "indicators": list(self.indicators),
        }


_DAYS_PER = {AgeUnit.DAYS: 1.0, AgeUnit.MONTHS: 30.4375, AgeUnit.YEARS: 365.25}


def _days(r: AgeRange | AgeBetween) -> tuple[float, float]:
    unit = AgeUnit(r.unit)
    low = r.low * _DAYS_PER[unit]
    high = float("inf") if r.high is None else (r.high + 1) * _DAYS_PER[unit] - 1
    return low, high


def _ages(node: Node) -> Iterator[AgeBetween]:
    if isinstance(node, AgeBetween):
        yield node
    for child in node.children():
        yield from _ages(child)


def _reads(indicator: Indicator, view: CatalogView) -> set[str]:
    out = set()
    for ref in indicator.numerator.references():
        if ref.kind == "record_type":
            record_type = view.record_type(ref.code)
            if record_type.subject is Subject.RESIDENT:
                out.add(ref.code)
    return out


def expectations(view: CatalogView) -> tuple[Expectation, ...]:
    """Return, per life stage, the record types the catalog's indicators call for.

    A resident indicator whose denominator names an age range calls for the resident
    record types its numerator reads, in every life stage that range overlaps.
    """
    types: dict[LifeStage, set[str]] = defaultdict(set)
    sources: dict[LifeStage, set[str]] = defaultdict(set)
    for indicator in view.indicators:
        if indicator.subject is not Subject.RESIDENT:
            continue
        reads = _reads(indicator, view)
        if not reads:
            continue
        for age in _ages(indicator.denominator):
            low, high = _days(age)
            for stage in LifeStage:
                s_low, s_high = _days(stage.range)
                if low <= s_high and s_low <= high:
                    types[stage] |= reads
                    sources[stage].add(indicator.code)
    return tuple(
        Expectation(stage, tuple(sorted(types[stage])), tuple(sorted(sources[stage])))
        for stage in LifeStage
        if types[stage]
    )


def _back(on: date, amount: int, unit: AgeUnit) -> date:
    if unit is AgeUnit.DAYS:
        return on - timedelta(days=amount)
    return shift_months(on, -amount * (12 if unit is AgeUnit.YEARS else 1))


def _in_stage(birth: Any, stage: LifeStage, on: date) -> ColumnElement[bool]:
    r = stage.range
    conditions = [birth <= _back(on, r.low, r.unit)]
    if r.high is not None:
        bound = r.high + 1 if r.high_inclusive else r.high
        conditions.append(birth > _back(on, bound, r.unit))
    return and_(*conditions)


@attrs.frozen
class PosyanduSignals:
    """The mentoring signals of one posyandu (counts; ``None`` where withheld)."""

    posyandu_id: str
    name: str
    wilayah_code: str
    residents: int | None
    expected: int | None
    complete: int | None
    records: int | None
    late: int | None
    notices: int | None
    voided: int | None
    superseded: int | None
    duplicates: int | None
    referrals: int | None
    suggested: int | None
    score: float
    rank: int
    reason: Text

    @property
    def completeness(self) -> float | None:
        """Share (0–1) of the residents whose life stage calls for records who have them."""
        if self.expected is None or self.complete is None or self.expected == 0:
            return None
        return round(self.complete / self.expected, 4)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return the signals as JSON-ready data (the reason in ``lang``, or both)."""
        out = attrs.asdict(self, recurse=False)
        out["completeness"] = self.completeness
        out["reason"] = self.reason.to_dict() if lang is None else self.reason.get(lang)
        return out


SIGNAL_COLUMNS: tuple[tuple[str, Text], ...] = (
    ("rank", Text("peringkat", "rank")),
    ("name", Text("posyandu", "posyandu")),
    ("wilayah_code", Text("kelurahan/desa", "village")),
    ("score", Text("skor", "score")),
    ("residents", Text("warga", "residents")),
    ("completeness", Text("kelengkapan", "completeness")),
    ("records", Text("catatan", "records")),
    ("late", Text("terlambat", "late")),
    ("notices", Text("catatan bidang tak dilayani", "unserved-field records")),
    ("voided", Text("dibatalkan", "voided")),
    ("superseded", Text("dikoreksi", "superseded")),
    ("duplicates", Text("ganda", "duplicates")),
    ("referrals", Text("rujukan", "referrals")),
    ("suggested", Text("kebutuhan belum dirujuk", "needs not referred")),
    ("reason", Text("alasan", "reason")),
)
"""The columns of the mentoring table and CSV, each with its bilingual label."""


@attrs.frozen
class Mentoring:
    """The signals of every posyandu in the actor's scope, most in need first."""

    as_of: date
    window_start: date
    expectations: tuple[Expectation, ...]
    posyandu: tuple[PosyanduSignals, ...]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return everything as JSON-ready data."""
        return {
            "as_of": self.as_of.isoformat(),
            "window_start": self.window_start.isoformat(),
            "late_after_days": LATE_AFTER_DAYS,
            "weights": dict(WEIGHTS),
            "expectations": [e.to_dict() for e in self.expectations],
            "posyandu": [p.to_dict(lang) for p in self.posyandu],
        }

    def to_json(self, lang: str | None = None) -> str:
        """Return everything as JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def to_csv(self, lang: str = "id") -> str:
        """Return one CSV line per posyandu (the columns of :data:`SIGNAL_COLUMNS`)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _ in SIGNAL_COLUMNS])
        for p in self.posyandu:
            data = p.to_dict(lang)
            writer.writerow(
                neutralise_row("" if data[n] is None else data[n] for n, _ in SIGNAL_COLUMNS)
            )
        return out.getvalue()


def _people(
    universe: Universe, on: date, window: date, found: Sequence[Expectation]
) -> Select[Any]:
    people = universe.residents_on(on)
    records = universe.records()
    expected: list[ColumnElement[bool]] = []
    missing: list[ColumnElement[bool]] = []
    for item in found:
        inside = _in_stage(people.c.birth_date, item.stage, on)
        has = exists().where(
            records.c.resident_id == people.c.resident_id,
            records.c.record_type.in_(item.record_types),
            records.c.observed_on >= window,
            records.c.observed_on <= on,
        )
        expected.append(inside)
        missing.append(and_(inside, not_(has)))
    any_expected = or_(*expected) if expected else literal(False)
    any_missing = or_(*missing) if missing else literal(False)
    return select(
        people.c.posyandu_id,
        people.c.wilayah_code,
        func.count().label("residents"),
        func.coalesce(func.sum(case((any_expected, 1), else_=0)), 0).label("expected"),
        func.coalesce(func.sum(case((and_(any_expected, not_(any_missing)), 1), else_=0)), 0).label(
            "complete"
        ),
    ).group_by(people.c.posyandu_id, people.c.wilayah_code)


def _quality(universe: Universe, on: date, window: date, fields: Mapping[str, str]) -> Select[Any]:
    rec = universe.placed_records()
    active = rec.c.voided_at.is_(None)
    field_of = case(fields, value=rec.c.record_type, else_=literal("")) if fields else literal("")
    served = exists().where(
        PosyanduFieldRow.posyandu_id == rec.c.posyandu_id,
        PosyanduFieldRow.field == field_of,
        PosyanduFieldRow.since <= rec.c.observed_on,
        or_(PosyanduFieldRow.until.is_(None), PosyanduFieldRow.until >= rec.c.observed_on),
    )
    known = rec.c.record_type.in_(sorted(fields)) if fields else literal(False)

    def total(condition: ColumnElement[bool], name: str) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)

    late = _DaysLate(rec.c.created_at, rec.c.observed_on) > LATE_AFTER_DAYS
    return (
        select(
            rec.c.posyandu_id,
            rec.c.wilayah_code,
            total(active, "records"),
            total(and_(active, late), "late"),
            total(and_(active, known, not_(served)), "notices"),
            total(and_(not_(active), rec.c.superseded_by.is_(None)), "voided"),
            total(rec.c.superseded_by.is_not(None), "superseded"),
        )
        .where(rec.c.observed_on >= window, rec.c.observed_on <= on)
        .group_by(rec.c.posyandu_id, rec.c.wilayah_code)
    )


def _duplicates(universe: Universe, on: date, window: date) -> Select[Any]:
    rec = universe.placed_records()
    groups = (
        select(
            rec.c.posyandu_id,
            rec.c.wilayah_code,
            (func.count() - 1).label("extra"),
        )
        .where(rec.c.voided_at.is_(None), rec.c.observed_on >= window, rec.c.observed_on <= on)
        .group_by(
            rec.c.posyandu_id,
            rec.c.wilayah_code,
            rec.c.resident_id,
            rec.c.household_id,
            rec.c.record_type,
            rec.c.observed_on,
        )
        .having(func.count() > 1)
        .subquery()
    )
    return select(
        groups.c.posyandu_id,
        groups.c.wilayah_code,
        func.cast(func.sum(groups.c.extra), Integer).label("duplicates"),
    ).group_by(groups.c.posyandu_id, groups.c.wilayah_code)


def _referrals(universe: Universe, on: date, window: date) -> Select[Any]:
    ref = universe.raised_referrals()
    return (
        select(ref.c.posyandu_id, ref.c.wilayah_code, func.count().label("referrals"))
        .where(
            ref.c.created_at >= _midnight(window),
            ref.c.created_at < _midnight(on + timedelta(days=1)),
        )
        .group_by(ref.c.posyandu_id, ref.c.wilayah_code)
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _score(signals: Mapping[str, int | None]) -> tuple[float, list[tuple[float, Text]]]:
    """Return the score and each signal's contribution with its explanation."""
    parts: list[tuple[float, Text]] = []
    expected, complete = signals["expected"], signals["complete"]
    if expected is not None and complete is not None and expected > 0:
        gap = 1 - complete / expected
        parts.append(
            (
                WEIGHTS["completeness"] * gap,
                Text(
                    f"kelengkapan {complete}/{expected} warga ({1 - gap:.0%})",
                    f"completeness {complete}/{expected} residents ({1 - gap:.0%})",
                ),
            )
        )
    records = signals["records"]
    for name, weight_key, id_text, en_text in (
        ("late", "late", "catatan terlambat", "late records"),
        ("notices", "notices", "catatan bidang yang tak dilayani", "records of unserved fields"),
    ):
        share = _share(signals[name], records)
        if share is not None and share > 0:
            parts.append(
                (
                    WEIGHTS[weight_key] * share,
                    Text(
                        f"{signals[name]}/{records} {id_text} ({share:.0%})",
                        f"{signals[name]}/{records} {en_text} ({share:.0%})",
                    ),
                )
            )
    fixes = [signals["voided"], signals["superseded"], signals["duplicates"]]
    if records and all(v is not None for v in fixes):
        count = sum(v or 0 for v in fixes)
        if count:
            share = min(1.0, count / records)
            parts.append(
                (
                    WEIGHTS["corrections"] * share,
                    Text(
                        f"{count} koreksi/pembatalan/ganda per {records} catatan",
                        f"{count} corrections, voids or duplicates per {records} records",
                    ),
                )
            )
    return round(sum(p for p, _ in parts), 4), parts


def _reason(parts: list[tuple[float, Text]]) -> Text:
    top = [text for value, text in sorted(parts, key=lambda p: -p[0]) if value > 0][:2]
    if not top:
        return Text("tidak ada kesenjangan terhitung", "no gap found")
    return Text("; ".join(t.id for t in top), "; ".join(t.en for t in top))


@aggregates("record")
def mentoring(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    *,
    as_of: date | None = None,
    suggested: Mapping[str, int | None] | None = None,
) -> Mentoring:
    """Return the mentoring signals of every posyandu in ``actor``'s scope, ranked.

    Args:
        store: the store.
        actor: who asks (a Tim Pembina of a region, an operator …); counts only.
        catalog: the catalog (what each life stage calls for, each record type's field).
        as_of: the last day of the twelve-month window (today by default).
        suggested: needs suggested and not referred, per posyandu id (``None``: not
            counted; a posyandu missing from the mapping has none).
    """
    on = as_of or date.today()
    window = on - timedelta(days=WINDOW_DAYS - 1)
    posyandu = store.list_posyandu(actor)
    region = actor.area or (posyandu[0].wilayah_code if posyandu else None)
    view = catalog.for_region(region, on=on)
    found = expectations(view)
    fields = {r.code: r.field.value for r in view.record_types}
    level = "posyandu"
    counts = [
        store.aggregate(actor, lambda u: _people(u, on, window, found), level=level),
        store.aggregate(actor, lambda u: _quality(u, on, window, fields), level=level),
        store.aggregate(actor, lambda u: _duplicates(u, on, window), level=level),
        store.aggregate(actor, lambda u: _referrals(u, on, window), level=level),
    ]
    names = (
        "residents",
        "expected",
        "complete",
        "records",
        "late",
        "notices",
        "voided",
        "superseded",
        "duplicates",
        "referrals",
    )
    rows = []
    for p in posyandu:
        signals: dict[str, int | None] = {}
        for result in counts:
            for column in result.columns:
                signals[column] = result.value((p.id,), column)
        score, parts = _score(signals)
        values = {n: signals.get(n, 0) for n in names}
        values["suggested"] = None if suggested is None else suggested.get(p.id, 0)
        rows.append((p, values, score, _reason(parts)))
    rows.sort(key=lambda r: (-r[2], -(r[1]["residents"] or 0), r[0].name, r[0].id))
    ranked = tuple(
        PosyanduSignals(
            posyandu_id=p.id,
            name=p.name,
            wilayah_code=p.wilayah_code.value,
            score=score,
            rank=i + 1,
            reason=reason,
            **values,
        )
        for i, (p, values, score, reason) in enumerate(rows)
    )
    return Mentoring(on, window, found, ranked)

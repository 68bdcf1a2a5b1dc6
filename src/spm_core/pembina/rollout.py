"""The phased roll-out of the six-field posyandu, as the Tim Pembina plans it.

The store knows which posyandu serve which SPM field since when
(:meth:`~spm_core.store.Store.list_posyandu`). A **phase** is a month in which at least
one posyandu took on a field; per phase the view gives

* the posyandu and kelurahan/desa that took on a field that month, and the fields;
* the coverage once the phase is done: posyandu and kelurahan/desa serving at least one
  field, posyandu-field pairs live, and the residents living at those posyandu on
  ``as_of`` (counted, never listed);
* for every indicator of each field taken on, the value over the phase's posyandu in the
  month **before** the phase and in the last complete month on ``as_of`` (**after**):
  numerators and
  denominators summed over the posyandu, then divided. An indicator whose denominator
  is an external target (sasaran) has no posyandu-level denominator and shows none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from sqlalchemy import Select, func, select

from spm_core.access import Actor
from spm_core.catalog import Catalog
from spm_core.definitions import Indicator
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.period import Period, PeriodKind
from spm_core.pembina.monitoring import IndicatorSource, Measured
from spm_core.store import Posyandu, Store
from spm_core.store.aggregate import Universe
from spm_core.store.declare import aggregates

__all__ = ["IndicatorChange", "Phase", "Rollout", "rollout"]


@attrs.frozen
class IndicatorChange:
    """One indicator over a phase's posyandu: before the phase and on ``as_of``."""

    indicator: str
    field: str
    posyandu: int
    before_period: str
    before: float | None
    after_period: str
    after: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class Phase:
    """One month in which posyandu took on fields, and the coverage after it."""

    period: str
    posyandu: tuple[str, ...]
    kelurahan: tuple[str, ...]
    fields: Mapping[str, int]
    covered_posyandu: int
    covered_kelurahan: int
    fields_live: int
    residents_covered: int | None
    indicators: tuple[IndicatorChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the phase as JSON-ready data."""
        out = attrs.asdict(self, recurse=False)
        out["posyandu"] = list(self.posyandu)
        out["kelurahan"] = list(self.kelurahan)
        out["fields"] = dict(self.fields)
        out["indicators"] = [i.to_dict() for i in self.indicators]
        return out


@attrs.frozen
class Rollout:
    """Every phase of the roll-out in the actor's area, oldest first."""

    as_of: date
    phases: tuple[Phase, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the roll-out as JSON-ready data."""
        return {"as_of": self.as_of.isoformat(), "phases": [p.to_dict() for p in self.phases]}

    def to_json(self) -> str:
        """Return the roll-out as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _residents(universe: Universe, on: date) -> Select[Any]:
    people = universe.residents_on(on)
    return select(
        people.c.posyandu_id, people.c.wilayah_code, func.count().label("residents")
    ).group_by(people.c.posyandu_id, people.c.wilayah_code)


def _total(values: Sequence[int | None]) -> int | None:
    """Sum counts; ``None`` when one of them was withheld as a small cell."""
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def _combine(values: Sequence[Measured | None]) -> float | None:
    known = [v for v in values if v is not None]
    if not known or any(v.numerator is None or v.denominator is None for v in known):
        return None
    top = sum(v.numerator or 0.0 for v in known)
    bottom = sum(v.denominator or 0.0 for v in known)
    return None if bottom == 0 else round(100 * top / bottom, 6)


def _changes(
    catalog: Catalog,
    posyandu: Mapping[str, Posyandu],
    taken: Mapping[SpmField, list[str]],
    month: Period,
    after: Period,
    source: IndicatorSource,
) -> tuple[IndicatorChange, ...]:
    before = month.previous()
    region = next(iter(posyandu.values())).wilayah_code
    view = catalog.for_period(region, after)
    by_field: dict[SpmField, list[Indicator]] = defaultdict(list)
    for indicator in view.indicators:
        if indicator.subject is not Subject.PLACE:
            by_field[indicator.field].append(indicator)
    earlier = source(before, "posyandu")
    later = source(after, "posyandu")
    out = []
    for field in sorted(taken, key=lambda f: f.value):
        ids = taken[field]
        for indicator in sorted(by_field.get(field, []), key=lambda i: i.code):
            out.append(
                IndicatorChange(
                    indicator=indicator.code,
                    field=field.value,
                    posyandu=len(ids),
                    before_period=str(before),
                    before=_combine([earlier.get((indicator.code, i)) for i in ids]),
                    after_period=str(after),
                    after=_combine([later.get((indicator.code, i)) for i in ids]),
                )
            )
    return tuple(out)


@aggregates("record")
def rollout(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    indicators: IndicatorSource,
    *,
    as_of: date | None = None,
) -> Rollout:
    """Return the phases of the roll-out in ``actor``'s area (see the module).

    Args:
        store: the store.
        actor: who asks; only posyandu and residents in its scope are counted.
        catalog: the catalog (the indicators of each field).
        indicators: where indicator values come from, at the ``posyandu`` level.
        as_of: the day coverage is counted on and whose month is "after".
    """
    on = as_of or date.today()
    after = Period.containing(on, PeriodKind.MONTH)
    if after.end > on:  # the month still running: "after" is the last complete one
        after = after.previous()
    posyandu = {p.id: p for p in store.list_posyandu(actor)}
    starts: dict[Period, dict[SpmField, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in posyandu.values():
        for served in p.fields:
            if served.since <= on:
                month = Period.containing(served.since, after.kind)
                starts[month][served.field].append(p.id)
    counts = store.aggregate(actor, lambda u: _residents(u, on), level="posyandu")
    residents = {str(key[0]): value[0] for key, value in counts.rows.items()}
    phases = []
    for month in sorted(starts):
        taken = {f: sorted(set(ids)) for f, ids in starts[month].items()}
        ids = sorted({i for group in taken.values() for i in group})
        live = {
            (p.id, served.field)
            for p in posyandu.values()
            for served in p.fields
            if served.since <= month.end and (served.until is None or served.until >= month.end)
        }
        covered = sorted({pid for pid, _ in live})
        known = [residents.get(pid, 0) for pid in covered]
        phases.append(
            Phase(
                period=str(month),
                posyandu=tuple(ids),
                kelurahan=tuple(sorted({posyandu[i].wilayah_code.value for i in ids})),
                fields={f.value: len(group) for f, group in sorted(taken.items())},
                covered_posyandu=len(covered),
                covered_kelurahan=len({posyandu[i].wilayah_code.value for i in covered}),
                fields_live=len(live),
                residents_covered=_total(known),
                indicators=_changes(catalog, posyandu, taken, month, after, indicators),
            )
        )
    return Rollout(on, tuple(phases))

"""A population in memory: residents, households, memberships and records as plain values.

The reference evaluator reads this; tests build it directly, and
:func:`spm_core.indicators.load.load_population` reads one from the store. It follows
the store's population rule: a resident is **alive and domiciled** on a day when one of
their stays (domiciles) covers that day and they had not died before it; a household is
present when it has a member alive and domiciled that day, and is placed at the domicile
of its member with the lowest SHDK relationship code that day (1 = kepala keluarga;
ties by resident id); a record counts only while it is not voided. A resident whose
processing is restricted (UU PDP 27/2022 Ps. 11) is not part of any count: not a
subject, not a member, and their records are not read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from spm_core.domain.enums import Sex

__all__ = ["Household", "Membership", "Population", "Record", "Resident", "Stay"]


@attrs.frozen
class Stay:
    """A domicile: where a resident lived from ``since`` to ``until`` (inclusive; open if None)."""

    since: date
    until: date | None
    posyandu_id: str
    wilayah_code: str

    def covers(self, day: date) -> bool:
        """Return whether the stay includes ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)


@attrs.frozen
class Resident:
    """A resident: birth date, sex, stays, death and the restriction flag."""

    id: str
    birth_date: date
    sex: Sex
    stays: tuple[Stay, ...]
    died_on: date | None = None
    restricted: bool = False

    def alive_on(self, day: date) -> bool:
        """Return whether the resident was born and had not died by ``day`` (died that day: no)."""
        return self.birth_date <= day and (self.died_on is None or day < self.died_on)

    def stay_on(self, day: date) -> Stay | None:
        """Return the stay covering ``day`` if the resident is alive and domiciled then."""
        if self.restricted or not self.alive_on(day):
            return None
        return next((s for s in self.stays if s.covers(day)), None)


@attrs.frozen
class Membership:
    """A resident in a household from ``start`` to ``end`` (inclusive; open if None)."""

    household_id: str
    resident_id: str
    start: date
    end: date | None = None
    relationship: int = 1

    def covers(self, day: date) -> bool:
        """Return whether the membership includes ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class Household:
    """A household: the posyandu and village it is registered at.

    For counting, a household is placed where its head lives on the day
    (:meth:`Population.households_on`), not where it was registered.
    """

    id: str
    posyandu_id: str
    wilayah_code: str


@attrs.frozen
class Record:
    """One observation about a resident or a household (exactly one of the two ids)."""

    id: str
    record_type: str
    observed_on: date
    created_at: datetime
    value: Mapping[str, Any]
    resident_id: str | None = None
    household_id: str | None = None
    voided: bool = False


@attrs.frozen(eq=False)
class Population:
    """Everything the reference evaluator reads, indexed for lookups by subject."""

    residents: Mapping[str, Resident]
    households: Mapping[str, Household]
    memberships: tuple[Membership, ...]
    records: tuple[Record, ...]
    _by_subject: Mapping[tuple[str, str], tuple[Record, ...]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for record in self.records:
            if record.voided:
                continue
            if record.resident_id is not None:
                resident = self.residents.get(record.resident_id)
                if resident is None or resident.restricted:
                    continue
                index[("resident", record.resident_id)].append(record)
            elif record.household_id is not None:
                index[("household", record.household_id)].append(record)
        object.__setattr__(self, "_by_subject", {key: tuple(items) for key, items in index.items()})

    @classmethod
    def of(
        cls,
        residents: Iterable[Resident],
        households: Iterable[Household] = (),
        memberships: Iterable[Membership] = (),
        records: Iterable[Record] = (),
    ) -> Population:
        """Return a population from lists of its parts."""
        return cls(
            {r.id: r for r in residents},
            {h.id: h for h in households},
            tuple(memberships),
            tuple(records),
        )

    def records_of(self, kind: str, subject_id: str, record_type: str) -> tuple[Record, ...]:
        """Return the counting records of ``record_type`` about one subject."""
        return tuple(
            r for r in self._by_subject.get((kind, subject_id), ()) if r.record_type == record_type
        )

    def members_on(self, household_id: str, day: date) -> tuple[Resident, ...]:
        """Return the members of a household alive and domiciled on ``day``, by id."""
        found = {
            m.resident_id
            for m in self.memberships
            if m.household_id == household_id and m.covers(day)
        }
        return tuple(
            self.residents[rid]
            for rid in sorted(found)
            if rid in self.residents and self.residents[rid].stay_on(day) is not None
        )

    def households_of(self, resident_id: str, day: date) -> tuple[str, ...]:
        """Return the households ``resident_id`` belongs to on ``day``, by id."""
        return tuple(
            sorted(
                {
                    m.household_id
                    for m in self.memberships
                    if m.resident_id == resident_id and m.covers(day)
                }
            )
        )

    def residents_on(self, day: date) -> dict[str, Stay]:
        """Return every resident alive and domiciled on ``day`` with their stay."""
        out = {}
        for resident in self.residents.values():
            stay = resident.stay_on(day)
            if stay is not None:
                out[resident.id] = stay
        return out

    def households_on(self, day: date) -> dict[str, Stay]:
        """Return every household with a member alive and domiciled on ``day``, placed.

        The place is the stay of the member with the lowest relationship code that day,
        ties broken by resident id.
        """
        out: dict[str, Stay] = {}
        for household in self.households.values():
            present = []
            for m in self.memberships:
                if m.household_id != household.id or not m.covers(day):
                    continue
                resident = self.residents.get(m.resident_id)
                stay = None if resident is None else resident.stay_on(day)
                if stay is not None:
                    present.append((m.relationship, m.resident_id, stay))
            if present:
                out[household.id] = min(present, key=lambda p: (p[0], p[1]))[2]
        return out

"""Helpers for the engine tests: populations in memory, written into a store as they are.

A :class:`~spm_core.indicators.population.Population` is the input of the reference
evaluator; :func:`write_population` puts the very same people, households and records
into a store (plain Core inserts, as a bulk load would), so both interpreters see one
population.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah, Period, Sex
from spm_core.indicators.population import (
    Household,
    Membership,
    Population,
    Record,
    Resident,
    Stay,
)
from spm_core.store import Store
from spm_core.store.tables import (
    DomicileRow,
    HouseholdRow,
    MembershipRow,
    RecordRow,
    ResidentRow,
)

OPERATOR = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
VILLAGES = ("32.75.01.1001", "32.75.01.1002")
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def draw_people(
    draw: st.DrawFn,
    posyandu: tuple[tuple[str, str], ...],
    most: int,
    births: st.SearchStrategy[date],
    days: st.SearchStrategy[date],
) -> tuple[Iterator[str], list[Resident], list[Household], list[Membership]]:
    """Draw up to ``most`` residents (some moved, left, died or restricted), households
    and memberships over ``posyandu`` (id, village) pairs.

    Returns the id source (records drawn afterwards take their ids from it), the
    residents, the households and the memberships.
    """
    ids = (f"{n:06x}" for n in itertools.count(1))
    residents = []
    for _ in range(draw(st.integers(0, most))):
        birth = draw(births)
        place = draw(st.sampled_from(posyandu))
        stays = [Stay(birth, None, *place)]
        change = draw(st.sampled_from(["stays", "stays", "moves", "leaves"]))
        moved = draw(days)
        if change == "moves" and moved > birth:
            stays = [
                Stay(birth, moved - timedelta(days=1), *place),
                Stay(moved, None, *draw(st.sampled_from(posyandu))),
            ]
        elif change == "leaves" and moved >= birth:
            stays = [Stay(birth, moved, *place)]
        died = draw(st.one_of(st.none(), st.none(), days))
        residents.append(
            Resident(
                "r" + next(ids),
                birth,
                draw(st.sampled_from(Sex)),
                tuple(stays),
                died_on=died if died is not None and died >= birth else None,
                restricted=draw(st.integers(0, 9)) == 0,
            )
        )
    households, memberships = [], []
    for _ in range(draw(st.integers(0, 3)) if residents else 0):
        home = Household("h" + next(ids), *draw(st.sampled_from(posyandu)))
        households.append(home)
        chosen = draw(st.lists(st.sampled_from(residents), max_size=4, unique_by=lambda r: r.id))
        for person in chosen:
            start = draw(st.sampled_from([person.birth_date, date(2025, 6, 1), date(2026, 1, 1)]))
            end = draw(st.sampled_from([None, None, date(2025, 9, 30), date(2024, 12, 31)]))
            if end is not None and end < start:
                end = None
            memberships.append(Membership(home.id, person.id, start, end, draw(st.integers(1, 4))))
    return ids, residents, households, memberships


def elderly_screened(residents: Iterable[str]) -> list[Record]:
    """Return one elderly screening by a nakes on 1 March 2025 for each of ``residents``."""
    return [
        Record(
            f"s-{resident}",
            "kesehatan.skrining",
            date(2025, 3, 1),
            datetime(2025, 3, 1, tzinfo=UTC),
            {"package": "usia-lanjut", "examiner": "nakes"},
            resident_id=resident,
        )
        for resident in residents
    ]


def piped_water(household: str, record_id: str = "w") -> Record:
    """Return a record of piped drinking water for ``household`` on 1 January 2025."""
    return Record(
        record_id,
        "pupr.sumber-air-minum",
        date(2025, 1, 1),
        datetime(2025, 1, 1, tzinfo=UTC),
        {"source": "perpipaan"},
        household_id=household,
    )


def add_posyandu(store: Store) -> dict[str, str]:
    """Create one posyandu in each of :data:`VILLAGES`; return posyandu id → village."""
    made = {}
    for i, village in enumerate(VILLAGES):
        posyandu = store.add_posyandu(
            OPERATOR,
            {"name": f"Posyandu Uji {i}", "wilayah_code": village},
            Purpose.ADMINISTRASI,
        )
        made[posyandu.id] = village
    return made


def _engine(store: Store) -> Any:
    return store._db.engine


def clear(store: Store) -> None:
    """Delete every record, membership, household and resident (tests only)."""
    with _engine(store).begin() as connection:
        for table in (RecordRow, MembershipRow, HouseholdRow, DomicileRow, ResidentRow):
            connection.execute(delete(table))


def write_population(store: Store, population: Population) -> None:
    """Insert ``population`` into ``store`` as it is (no validation, no audit)."""
    now = datetime(2025, 1, 1, tzinfo=UTC)
    residents, domiciles = [], []
    for r in population.residents.values():
        stay = r.stays[-1]
        for i, each in enumerate(r.stays):
            domiciles.append(
                {
                    "id": f"{r.id}-d{i}",
                    "resident_id": r.id,
                    "posyandu_id": each.posyandu_id,
                    "wilayah_code": each.wilayah_code,
                    "rt": "001",
                    "rw": "001",
                    "since": each.since,
                    "until": each.until,
                }
            )
        moved = None if stay.until is None else stay.until + timedelta(days=1)
        residents.append(
            {
                "id": r.id,
                "nik": None,
                "name": f"Warga {r.id}",
                "sex": r.sex.value,
                "birth_date": r.birth_date,
                "posyandu_id": stay.posyandu_id,
                "wilayah_code": stay.wilayah_code,
                "rt": "001",
                "rw": "001",
                "address": None,
                "restricted": r.restricted,
                "died_on": r.died_on,
                "moved_away_on": moved,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    households = [
        {
            "id": h.id,
            "nomor_kk": None,
            "posyandu_id": h.posyandu_id,
            "wilayah_code": h.wilayah_code,
            "rt": "001",
            "rw": "001",
            "address": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for h in population.households.values()
    ]
    memberships = [
        {
            "id": f"m-{i}",
            "household_id": m.household_id,
            "resident_id": m.resident_id,
            "relationship": m.relationship,
            "start_date": m.start,
            "end_date": m.end,
        }
        for i, m in enumerate(population.memberships)
    ]
    villages = {h.id: (h.posyandu_id, h.wilayah_code) for h in population.households.values()}
    records = []
    for rec in population.records:
        if rec.resident_id is not None:
            stay = population.residents[rec.resident_id].stays[-1]
            place = (stay.posyandu_id, stay.wilayah_code)
        else:
            assert rec.household_id is not None
            place = villages[rec.household_id]
        records.append(
            {
                "id": rec.id,
                "record_type": rec.record_type,
                "resident_id": rec.resident_id,
                "household_id": rec.household_id,
                "place_code": None,
                "posyandu_id": place[0],
                "wilayah_code": place[1],
                "observed_on": rec.observed_on,
                "value": dict(rec.value),
                "recorded_by": "uji",
                "created_at": rec.created_at,
                "idempotency_key": f"uji:{rec.id}",
                "voided_at": now if rec.voided else None,
                "void_reason": "uji" if rec.voided else None,
            }
        )
    with _engine(store).begin() as connection:
        for table, rows in (
            (ResidentRow, residents),
            (DomicileRow, domiciles),
            (HouseholdRow, households),
            (MembershipRow, memberships),
            (RecordRow, records),
        ):
            if rows:
                connection.execute(insert(table), rows)


# ---------------------------------------------------------------------- worked cases


def case_files() -> list[Path]:
    """Return every worked-case file of the field plugins."""
    return sorted(PLUGINS.glob("*/spm_*/cases/*.yaml"))


def _records(items: Iterable[Mapping[str, Any]], prefix: str, **subject: str) -> list[Record]:
    out = []
    for i, item in enumerate(items):
        observed = item["date"]
        out.append(
            Record(
                f"{prefix}-{i:03d}",
                item["type"],
                observed,
                datetime(observed.year, observed.month, observed.day, 8, tzinfo=UTC),
                item["value"],
                **subject,
            )
        )
    return out


def case_population(
    case: Mapping[str, Any], posyandu: str, village: str, n: int
) -> tuple[Population, str, str]:
    """Return one worked case as a population, with the subject's kind and id."""
    subject = case["subject"]
    since = date(1900, 1, 1)
    if subject["kind"] == "resident":
        rid = f"c{n}-r"
        person = Resident(
            rid,
            subject["birth_date"],
            Sex(subject["sex"]),
            (Stay(subject["birth_date"], None, posyandu, village),),
        )
        records = _records(case.get("records", ()), f"c{n}-x", resident_id=rid)
        return Population.of([person], records=records), "resident", rid
    hid = f"c{n}-h"
    people, members, records = (
        [],
        [],
        _records(case.get("records", ()), f"c{n}-x", household_id=hid),
    )
    for j, member in enumerate(subject["members"]):
        rid = f"c{n}-m{j}"
        people.append(
            Resident(
                rid,
                member["birth_date"],
                Sex(member["sex"]),
                (Stay(member["birth_date"], None, posyandu, village),),
            )
        )
        members.append(Membership(hid, rid, max(since, member["birth_date"])))
        records += _records(member.get("records", ()), f"c{n}-m{j}x", resident_id=rid)
    home = Household(hid, posyandu, village)
    return Population.of(people, [home], members, records), "household", hid


def load_cases(path: Path) -> tuple[str, Period, list[dict[str, Any]]]:
    """Return the indicator code, period and cases of one worked-case file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["indicator"], Period.parse(str(data["period"])), list(data["cases"])

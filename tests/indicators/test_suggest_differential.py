"""Differential test: on random populations the SQL suggestions equal the reference ones.

Hypothesis draws residents (birth dates on the edges of every age a trigger asks about,
moves, departures, deaths, restricted processing), households with members joining and
leaving, records of every record type a trigger reads (values on and off each
comparison, missing fields, voided records, tied days) and referrals of the suggestable
needs in every status (fan-out siblings included). For each period and area the needs
:func:`~spm_core.indicators.suggest.suggest_needs` lists through the SQL interpreter
must equal those the reference evaluator finds subject by subject: the trigger holds on
the period's last day's population, and no referral of that need is still open — with
the number of earlier referral groups alike. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pydantic
import pytest
from engine_helpers import OPERATOR, VILLAGES, add_posyandu, draw_people, write_population
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    AnyHouseholdMember,
    Compare,
    Definition,
    FieldKind,
    HasRecord,
    InHousehold,
    LatestValue,
    NeedType,
    Node,
    Op,
    PluginInfo,
    RecordCount,
    RecordType,
    RoutingRule,
    SexIs,
    Window,
    field_kind,
)
from spm_core.domain import AgeUnit, Period, Sex, SpmField, Subject, Text
from spm_core.domain.referral import CLOSED, ReferralStatus
from spm_core.hookspecs import hookimpl
from spm_core.indicators.ages import birth_range
from spm_core.indicators.population import (
    Population,
    Record,
)
from spm_core.indicators.reference import Evaluator
from spm_core.indicators.suggest import suggest_needs, suggestable
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store, open_store
from spm_core.store.tables import (
    DomicileRow,
    HouseholdRow,
    MembershipRow,
    RecordRow,
    ReferralRow,
    ResidentRow,
)
from spm_core.testing.kit import core_plugins

SANITATION = "pupr.sanitasi"
SCREEN = "kesehatan.skrining"
TEST_NEEDS = (
    NeedType(
        code="uji.lansia-perempuan-serumah",
        title=Text("Uji", "Test"),
        field=SpmField.SOSIAL,
        subject=Subject.HOUSEHOLD,
        trigger=AnyHouseholdMember(AgeBetween(60, None, AgeUnit.YEARS) & SexIs(Sex.FEMALE)),
    ),
    NeedType(
        code="uji.rumah-tanpa-jamban-atau-skrining",
        title=Text("Uji", "Test"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        trigger=InHousehold(LatestValue(SANITATION, Compare("toilet", Op.EQ, "tidak-ada")))
        | RecordCount(SCREEN, 2, window=Window.PERIOD)
        | (SexIs(Sex.MALE) & ~HasRecord(SCREEN, window=Window.YEAR_TO_DATE)),
    ),
)


class _TestNeeds:
    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-kebutuhan", title=Text("Uji kebutuhan", "Test needs"))

    @hookimpl
    def spm_definitions(self) -> Iterable[Definition]:
        yield from TEST_NEEDS
        for need in TEST_NEEDS:
            yield RoutingRule(
                code=f"{need.code}.r",
                title=Text("r", "r"),
                need_type=need.code,
                roles="dinas-sosial",
            )


CATALOG = Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[_TestNeeds()]))
PERIODS = (Period.parse("2025-06"), Period.parse("2025-Q3"), Period.whole_year(2025))
VIEW = CATALOG.for_period("32.75", PERIODS[0])
NEEDS = suggestable(VIEW)
RECORD_TYPES = {r.code: r for r in VIEW.record_types}


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from _nodes(child)


def _trigger_nodes() -> Iterator[Node]:
    for need in NEEDS:
        assert need.trigger is not None
        yield from _nodes(need.trigger)


def _compared() -> dict[tuple[str, str], set[Any]]:
    found: dict[tuple[str, str], set[Any]] = {}
    for node in _trigger_nodes():
        pairs: list[tuple[str, Compare]] = []
        if isinstance(node, HasRecord | RecordCount):
            pairs += [(node.record_type, c) for c in node.where]
        if isinstance(node, LatestValue):
            pairs.append((node.record_type, node.compare))
        for code, compare in pairs:
            values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
            found.setdefault((code, compare.field), set()).update(values)
    return found


COMPARED = _compared()
USED_TYPES = sorted(
    {r.code for n in _trigger_nodes() for r in n.references() if r.kind == "record_type"}
)
TYPES_OF = {
    kind: [c for c in USED_TYPES if RECORD_TYPES[c].subject is subject]
    for kind, subject in (("resident", Subject.RESIDENT), ("household", Subject.HOUSEHOLD))
}


def _boundary_births() -> list[date]:
    days: set[date] = {date(2020, 2, 29), date(2024, 2, 29)}
    for period in PERIODS:
        for node in _trigger_nodes():
            if isinstance(node, AgeBetween):
                low, high = birth_range(node.low, node.high, node.unit, period.end)
                for edge in (low, high):
                    if edge is not None:
                        days.update({edge - timedelta(days=1), edge, edge + timedelta(days=1)})
    return sorted(days)


BIRTHS = st.one_of(
    st.sampled_from(_boundary_births()), st.dates(date(1940, 1, 1), date(2025, 12, 1))
)
DAYS = st.one_of(
    st.sampled_from([date(2024, 6, 30), date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 30)]),
    st.dates(date(2024, 1, 1), date(2025, 12, 31)),
)
CREATED = st.sampled_from(
    [datetime(2025, 1, 1, 8, tzinfo=UTC), datetime(2025, 1, 1, 9, tzinfo=UTC)]
)


def _field_values(record_type: RecordType, name: str) -> st.SearchStrategy[Any]:
    try:
        kind = field_kind(record_type, name)
    except Exception:  # a list field: no trigger compares it
        return st.just([])
    known = sorted(COMPARED.get((record_type.code, name), set()), key=repr)
    match kind.kind:
        case FieldKind.BOOLEAN:
            return st.booleans()
        case FieldKind.NUMBER | FieldKind.INTEGER:
            picks = {0, 1, 89, 90, 139, 140, *known}
            return st.sampled_from(sorted(picks, key=float))
        case FieldKind.TEXT:
            allowed = sorted(kind.allowed) if kind.allowed else sorted({*known, "lain"})
            if known:
                return st.one_of(st.sampled_from(known), st.sampled_from(allowed))
            return st.sampled_from(allowed)
        case FieldKind.DATE:
            return DAYS.map(date.isoformat)
    raise AssertionError(kind)


@st.composite
def _value(draw: st.DrawFn, record_type: RecordType) -> dict[str, Any]:
    schema: type[pydantic.BaseModel] = record_type.value_schema
    out: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if draw(st.integers(0, 9)) == 0:
            continue
        if typing.get_origin(info.annotation) is not None and draw(st.integers(0, 9)) == 0:
            out[name] = None
            continue
        out[name] = draw(_field_values(record_type, name))
    return out


@st.composite
def populations(draw: st.DrawFn, posyandu: tuple[tuple[str, str], ...]) -> Population:
    ids, residents, households, memberships = draw_people(draw, posyandu, 8, BIRTHS, DAYS)
    records: list[Record] = []
    subjects = [("resident", r.id) for r in residents] + [("household", h.id) for h in households]
    for kind, subject in subjects:
        who = {"resident_id": subject} if kind == "resident" else {"household_id": subject}
        for code in draw(st.lists(st.sampled_from(TYPES_OF[kind]), max_size=3, unique=True)):
            base = draw(_value(RECORD_TYPES[code]))
            for _ in range(draw(st.integers(0, 4))):
                value = base if draw(st.booleans()) else draw(_value(RECORD_TYPES[code]))
                records.append(
                    Record(
                        "x" + next(ids),
                        code,
                        draw(DAYS),
                        draw(CREATED),
                        value,
                        **who,
                        voided=draw(st.integers(0, 7)) == 0,
                    )
                )
    return Population.of(residents, households, memberships, records)


Referral = tuple[str, str, str, str, str]
"""need type, subject kind, subject id, group id, status."""


@st.composite
def referrals(
    draw: st.DrawFn, population: Population, showing: list[tuple[str, str, str]]
) -> list[Referral]:
    """Referrals, most of them of a need the records show for its subject."""
    anyone = [("resident", r) for r in population.residents] + [
        ("household", h) for h in population.households
    ]
    out: list[Referral] = []
    if not anyone:
        return out
    for n in range(draw(st.integers(0, 6))):
        if showing and draw(st.integers(0, 3)) > 0:
            need, kind, subject = draw(st.sampled_from(showing))
        else:
            kind, subject = draw(st.sampled_from(anyone))
            need = draw(st.sampled_from([x.code for x in NEEDS if x.subject.value == kind]))
        group = f"g{n}"
        for _ in range(draw(st.integers(1, 2))):  # a fan-out group of one or two
            out.append((need, kind, subject, group, draw(st.sampled_from(ReferralStatus)).value))
    return out


def _write_referrals(store: Store, population: Population, rows: list[Referral]) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    places = {rid: r.stays[-1] for rid, r in population.residents.items()}
    homes = {hid: (h.posyandu_id, h.wilayah_code) for hid, h in population.households.items()}
    values = []
    for i, (need, kind, subject, group, status) in enumerate(rows):
        place = (
            (places[subject].posyandu_id, places[subject].wilayah_code)
            if kind == "resident"
            else homes[subject]
        )
        values.append(
            {
                "id": f"ref-{i}",
                "group_id": group,
                "idempotency_key": None,
                "request_hash": "-",
                "need_type": need,
                "field": VIEW.need_type(need).field.value,
                "resident_id": subject if kind == "resident" else None,
                "household_id": subject if kind == "household" else None,
                "place_code": None,
                "posyandu_id": place[0],
                "wilayah_code": place[1],
                "shared_fields": [],
                "status": status,
                "rejected_by": [],
                "escalations": 0,
                "version": 1,
                "created_by": "uji",
                "created_at": now,
                "updated_at": now,
            }
        )
    if values:
        with store._db.engine.begin() as connection:
            connection.execute(insert(ReferralRow), values)


def _clear(store: Store) -> None:
    with store._db.engine.begin() as connection:
        for table in (
            ReferralRow,
            RecordRow,
            MembershipRow,
            HouseholdRow,
            DomicileRow,
            ResidentRow,
        ):
            connection.execute(delete(table))


Found = set[tuple[str, str, str, str, str, int]]


def _reference(population: Population, rows: list[Referral], period: Period, area: str) -> Found:
    ev = Evaluator(population, period, RECORD_TYPES)
    closed = {s.value for s in CLOSED}
    out: Found = set()
    for need in NEEDS:
        assert need.trigger is not None
        kind = need.subject.value
        present = (
            population.residents_on(period.end)
            if need.subject is Subject.RESIDENT
            else population.households_on(period.end)
        )
        for subject, stay in present.items():
            inside = stay.wilayah_code == area or stay.wilayah_code.startswith(area + ".")
            if not inside or not ev.holds(need.trigger, kind, subject):
                continue
            mine = [r for r in rows if r[0] == need.code and r[2] == subject]
            if any(r[4] not in closed for r in mine):
                continue
            earlier = len({r[3] for r in mine})
            out.add((need.code, kind, subject, stay.posyandu_id, stay.wilayah_code, earlier))
    return out


def _sql(store: Store, period: Period, area: str) -> Found:
    found = suggest_needs(store, CATALOG, OPERATOR, area, period, purpose=Purpose.PELAYANAN)
    return {
        (s.need_type, s.subject.value, s.subject_id, s.posyandu_id, s.wilayah_code, s.earlier)
        for s in found
    }


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, make_database: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, tuple[tuple[str, str], ...]]]:
    with make_database(request.param, tmp_path_factory.mktemp("suggest")) as url:
        store = open_store(url)
        try:
            yield store, tuple(add_posyandu(store).items())
        finally:
            store.close()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_sql_suggestions_equal_the_reference_on_random_populations(
    world: tuple[Store, tuple[tuple[str, str], ...]], data: st.DataObject
) -> None:
    store, posyandu = world
    population = data.draw(populations(posyandu))
    period = data.draw(st.sampled_from(PERIODS))
    area = data.draw(st.sampled_from(["32.75", *VILLAGES]))
    showing = sorted({found[:3] for found in _reference(population, [], period, area)})
    rows = data.draw(referrals(population, showing))
    _clear(store)
    write_population(store, population)
    _write_referrals(store, population, rows)
    expected = _reference(population, rows, period, area)
    event(f"suggested: {min(len(expected), 3)}{'+' if len(expected) >= 3 else ''}")
    event(f"suggestions hidden by an open referral: {len(showing) > len(expected)}")
    assert _sql(store, period, area) == expected


def test_the_suggestable_needs_cover_both_subjects_and_the_household_links() -> None:
    kinds = {n.subject for n in NEEDS}
    assert kinds == {Subject.RESIDENT, Subject.HOUSEHOLD}
    used = {type(n) for n in _trigger_nodes()}
    assert {AnyHouseholdMember, InHousehold, LatestValue, HasRecord, RecordCount, SexIs} <= used
    assert len(NEEDS) >= 20

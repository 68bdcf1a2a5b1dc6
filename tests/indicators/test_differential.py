"""Differential test: on random populations the SQL and columnar counts equal the reference.

Hypothesis draws a population — residents with birth dates on the boundaries of every
age the catalog asks about (29 February included), restricted residents, households
with members joining and leaving around the period, residents who move between
posyandu, leave the region or die, records (some voided) of every record type the
indicators read with values on and off their comparisons, missing fields, tied dates
and creation times, duplicates — and a period. Every indicator of the catalog, plus a
set of test indicators that use every node and window, is counted by the SQL compiler
(SQLite and PostgreSQL), by the columnar engine (polars, loading from either database)
and by the reference evaluator; the counts per posyandu must be equal.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pydantic
import pytest
from engine_helpers import OPERATOR, add_posyandu, clear, draw_people, write_population
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    AliveAndDomiciled,
    Anchor,
    AnchorKind,
    AnyHouseholdMember,
    BornIn,
    Compare,
    Counting,
    DaysAfter,
    DaysOfAge,
    Definition,
    ExternalTarget,
    FieldKind,
    HasRecord,
    Indicator,
    InHousehold,
    LastMonths,
    LatestValue,
    Node,
    Op,
    PluginInfo,
    RecordCount,
    RecordType,
    SexIs,
    Window,
    field_kind,
)
from spm_core.domain import AgeUnit, Period, Sex, SpmField, Subject, Text
from spm_core.hookspecs import hookimpl
from spm_core.indicators.ages import birth_range
from spm_core.indicators.columnar import count_indicators_columnar
from spm_core.indicators.population import (
    Population,
    Record,
)
from spm_core.indicators.reference import reference_counts
from spm_core.indicators.sql import count_indicators
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store, open_store
from spm_core.store.aggregate import ReportLevel

WEIGH = "kesehatan.penimbangan"
ANC = "kesehatan.pemeriksaan-kehamilan"
SCREEN = "kesehatan.skrining"
WATER = "pupr.sumber-air-minum"
TOILET = "pupr.sanitasi"
EARLY = (Compare("gestational_age_weeks", Op.LE, 13),)


def _test_indicator(
    code: str, subject: Subject, denominator: Node, numerator: Node, **kw: Any
) -> Indicator:
    return Indicator(
        code=f"uji.{code}",
        title=Text(f"Uji {code}", f"Test {code}"),
        field=SpmField.KESEHATAN,
        service_type="kesehatan.balita",
        subject=subject,
        denominator=denominator,
        numerator=numerator,
        **kw,
    )


TEST_INDICATORS = (
    _test_indicator(
        "neonatal",
        Subject.RESIDENT,
        BornIn(Window.PERIOD),
        HasRecord(WEIGH, window=DaysOfAge(0, 2)) | HasRecord(WEIGH, window=DaysOfAge(3, 7)),
    ),
    _test_indicator(
        "school-age",
        Subject.RESIDENT,
        AgeBetween(7, 15, AgeUnit.YEARS, Anchor.fixed(7, 15))
        & AliveAndDomiciled(Anchor(AnchorKind.PERIOD_START)),
        RecordCount(WEIGH, 3, window=LastMonths(6), distinct_months=True),
    ),
    _test_indicator(
        "anc",
        Subject.RESIDENT,
        HasRecord(ANC, window=Window.PERIOD, where=EARLY),
        RecordCount(ANC, 2, window=DaysAfter(ANC, 0, 280, EARLY)) & ~SexIs(Sex.MALE),
    ),
    _test_indicator(
        "household-links",
        Subject.RESIDENT,
        AnyHouseholdMember(AgeBetween(60, None, AgeUnit.YEARS), include_subject=False)
        | InHousehold(LatestValue(WATER, Compare("source", Op.IN, ("perpipaan", "air-hujan")))),
        LatestValue(WEIGH, Compare("height_cm", Op.GE, 70), window=Window.YEAR_TO_DATE)
        | AgeBetween(0, 30, AgeUnit.DAYS, Anchor(AnchorKind.PERIOD_START)),
    ),
    _test_indicator(
        "persons",
        Subject.HOUSEHOLD,
        AnyHouseholdMember(SexIs(Sex.FEMALE) & AgeBetween(0, 59, AgeUnit.MONTHS)),
        ~HasRecord(TOILET, window=Window.EVER, where=(Compare("toilet", Op.EQ, "tidak-ada"),)),
        counts=Counting.MEMBERS,
    ),
    _test_indicator(
        "target",
        Subject.RESIDENT,
        ExternalTarget("kesehatan.penderita-hipertensi"),
        HasRecord(SCREEN, where=(Compare("systolic_mmhg", Op.GE, 140),)) | RecordCount(SCREEN, 0),
    ),
)


class _TestIndicators:
    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-indikator", title=Text("Uji indikator", "Test indicators"))

    @hookimpl
    def spm_definitions(self) -> Iterable[Definition]:
        return TEST_INDICATORS


CATALOG = Catalog.build(make_plugin_manager(extra={"uji-indikator": _TestIndicators()}))
INDICATORS = CATALOG.indicators
RECORD_TYPES = {r.code: r for r in CATALOG.record_types}
PERIODS = (Period.whole_year(2025), Period.quarter(2025, 2))


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from _nodes(child)


def _all_nodes() -> Iterator[Node]:
    for indicator in INDICATORS:
        for expr in (indicator.denominator, indicator.numerator):
            yield from _nodes(expr)


def _compares() -> dict[tuple[str, str], set[Any]]:
    found: dict[tuple[str, str], set[Any]] = {}
    for node in _all_nodes():
        pairs: list[tuple[str, Compare]] = []
        if isinstance(node, HasRecord | RecordCount):
            pairs += [(node.record_type, c) for c in node.where]
        if isinstance(node, LatestValue):
            pairs.append((node.record_type, node.compare))
        window = getattr(node, "window", None)
        if isinstance(window, DaysAfter):
            pairs += [(window.record_type, c) for c in window.where]
        for code, compare in pairs:
            values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
            found.setdefault((code, compare.field), set()).update(values)
    return found


COMPARED = _compares()
USED_TYPES = sorted(
    {r.code for n in _all_nodes() for r in n.references() if r.kind == "record_type"}
)
TYPES_OF = {
    kind: [c for c in USED_TYPES if RECORD_TYPES[c].subject is subject]
    for kind, subject in (("resident", Subject.RESIDENT), ("household", Subject.HOUSEHOLD))
}


def _boundary_births() -> list[date]:
    days: set[date] = {date(2020, 2, 29), date(2024, 2, 29), date(2021, 3, 1), date(2025, 2, 28)}
    for period in PERIODS:
        anchors = {period.start, period.end, date(period.end.year, 7, 15)}
        for node in _all_nodes():
            if isinstance(node, AgeBetween):
                for day in anchors:
                    low, high = birth_range(node.low, node.high, node.unit, day)
                    for edge in (low, high):
                        if edge is not None:
                            days.update({edge - timedelta(days=1), edge, edge + timedelta(days=1)})
        days.update({period.start, period.end, period.end + timedelta(days=1)})
    return sorted(days)


BIRTHS = st.one_of(
    st.sampled_from(_boundary_births()),
    st.dates(date(2019, 1, 1), date(2025, 12, 31)),
    st.dates(date(1935, 1, 1), date(2026, 2, 1)),
)
DAYS = st.one_of(
    st.sampled_from(
        [
            date(2024, 12, 31),
            date(2025, 1, 1),
            date(2025, 3, 31),
            date(2025, 4, 1),
            date(2025, 6, 30),
            date(2025, 7, 1),
            date(2025, 12, 31),
            date(2026, 1, 1),
        ]
    ),
    st.dates(date(2025, 1, 1), date(2025, 12, 31)),
    st.dates(date(2025, 1, 1), date(2025, 12, 31)),
    st.dates(date(2023, 6, 1), date(2026, 1, 31)),
)
CREATED = st.sampled_from(
    [
        datetime(2025, 1, 1, 8, tzinfo=UTC),
        datetime(2025, 1, 1, 9, tzinfo=UTC),
        datetime(2026, 1, 5, tzinfo=UTC),
    ]
)


def _field_values(record_type: RecordType, name: str, info: Any) -> st.SearchStrategy[Any]:
    try:
        kind = field_kind(record_type, name)
    except Exception:  # a list field: nothing compares it
        return st.just([])
    known = sorted(COMPARED.get((record_type.code, name), set()), key=repr)
    match kind.kind:
        case FieldKind.BOOLEAN:
            return st.booleans()
        case FieldKind.NUMBER | FieldKind.INTEGER:
            picks = {0, 1, 8, 13, 14, 69.5, 70, 139, 140, 200, *known}
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
            continue  # a missing field
        if typing.get_origin(info.annotation) is not None and draw(st.integers(0, 9)) == 0:
            out[name] = None
            continue
        out[name] = draw(_field_values(record_type, name, info))
    return out


@st.composite
def populations(draw: st.DrawFn, posyandu: tuple[tuple[str, str], ...]) -> Population:
    ids, residents, households, memberships = draw_people(draw, posyandu, 9, BIRTHS, DAYS)
    records: list[Record] = []
    births = {r.id: r.birth_date for r in residents}
    subjects = [("resident", r.id) for r in residents] + [("household", h.id) for h in households]
    for kind, subject in subjects:
        who = {"resident_id": subject} if kind == "resident" else {"household_id": subject}
        near = [births.get(subject, date(2025, 1, 1))]
        for code in draw(st.lists(st.sampled_from(TYPES_OF[kind]), max_size=3, unique=True)):
            base = draw(_value(RECORD_TYPES[code]))
            for _ in range(draw(st.integers(0, 12))):
                day = draw(
                    st.one_of(
                        DAYS,
                        st.builds(
                            lambda d, k: d + timedelta(days=k),
                            st.sampled_from(near),
                            st.sampled_from([0, 2, 3, 7, 8, 28, 29, 100, 280, 281]),
                        ),
                    )
                )
                near.append(day)
                value = base if draw(st.booleans()) else draw(_value(RECORD_TYPES[code]))
                voided = draw(st.integers(0, 7)) == 0
                record = Record(
                    "x" + next(ids), code, day, draw(CREATED), value, **who, voided=voided
                )
                records.append(record)
                if draw(st.integers(0, 7)) == 0:
                    copy = Record("x" + next(ids), code, day, record.created_at, value, **who)
                    records.append(copy)
    return Population.of(residents, households, memberships, records)


def _sql(
    store: Store, period: Period, count: Any = count_indicators
) -> dict[tuple[str, str], tuple[int, int]]:
    found = count(store, OPERATOR, INDICATORS, period, RECORD_TYPES, level=ReportLevel.POSYANDU)
    out = {}
    for cell in found:
        assert cell.served is not None
        assert cell.denominator is not None
        if cell.served or cell.denominator:
            out[(cell.indicator, cell.area)] = (cell.served, cell.denominator)
    return out


def _reference(population: Population, period: Period) -> dict[tuple[str, str], tuple[int, int]]:
    counts = reference_counts(INDICATORS, population, period, RECORD_TYPES)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (code, posyandu, _village), (served, counted) in counts.items():
        if served or counted:
            out[(code, posyandu)] = (served, counted)
    return out


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, make_database: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, tuple[tuple[str, str], ...]]]:
    with make_database(request.param, tmp_path_factory.mktemp("differential")) as url:
        store = open_store(url)
        try:
            yield store, tuple(add_posyandu(store).items())
        finally:
            store.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_sql_and_columnar_equal_reference_on_random_populations(
    world: tuple[Store, tuple[tuple[str, str], ...]], data: st.DataObject
) -> None:
    store, posyandu = world
    population = data.draw(populations(posyandu))
    period = data.draw(st.sampled_from(PERIODS))
    clear(store)
    write_population(store, population)
    expected = _reference(population, period)
    assert _sql(store, period) == expected
    assert _sql(store, period, count_indicators_columnar) == expected


def test_the_test_indicators_use_every_node_and_window() -> None:
    used = {type(n).__name__ for n in _all_nodes()}
    windows = {type(getattr(n, "window", None)).__name__ for n in _all_nodes()}
    assert set(typing.get_args(Node)) <= {type(n) for n in _all_nodes()} | set()
    assert {"LastMonths", "DaysOfAge", "DaysAfter", "Window"} <= windows
    assert "ExternalTarget" in used

"""Access from day one: no public read leaks a row outside the actor's scope.

Sixteen posyandu — 2 kab/kota × 2 kecamatan × 2 desa/kelurahan × 2 posyandu, with real
codes in Kota Bekasi (32.75) and Kabupaten Bekasi (32.16) — each get residents, a
household, a membership, records and a referral routed to one of two agencies of its
kab/kota. For every ordered pair (X, Y) of distinct posyandu
and every public read, a kader of X gets no row of Y, and the error for Y's row is
indistinguishable from the error for an id that does not exist. The seed is built once
per module and database.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from referral_helpers import FixedRouter
from sqlalchemy import Select, Subquery, func, select, true
from store_helpers import kader, make_nik

import spm_core.api
import spm_core.audit
import spm_core.privacy
import spm_core.privacy.categories
import spm_core.privacy.export
import spm_core.privacy.incident
import spm_core.privacy.reads
import spm_core.privacy.research
import spm_core.privacy.rights
import spm_core.store
from spm_core.access import (
    Actor,
    AgencyScope,
    AreaScope,
    DataKind,
    Purpose,
    Role,
    data_kind,
)
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.definitions import (
    Definition,
    HasRecord,
    NeedType,
    PluginInfo,
    RoutingRule,
    Window,
)
from spm_core.domain import KodeWilayah, Sex, SpmField, Subject, Text, WilayahLevel
from spm_core.errors import AccessDenied, InputError, InvalidValue, NotFound
from spm_core.hookspecs import hookimpl
from spm_core.indicators.suggest import suggest_needs
from spm_core.plugins import make_plugin_manager
from spm_core.store import ExportTable, Store, SubjectRef, declaration, open_store
from spm_core.store.aggregate import Universe
from spm_core.store.columns import Frames, polars
from spm_core.store.subjects import Criterion

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
VILLAGES = (
    "32.75.01.1001",
    "32.75.01.1002",
    "32.75.02.1001",
    "32.75.02.1002",
    "32.16.01.2001",
    "32.16.01.2002",
    "32.16.02.1006",
    "32.16.02.2001",
)
GHOST_ID = "00000000-0000-4000-8000-000000000000"
GHOST_NIK = make_nik(9999, date(1970, 1, 1), Sex.MALE, prefix="327502")
ON = date(2025, 1, 1)


@attrs.frozen
class Seeded:
    """The rows of one posyandu (or, for the ghost, ids that exist nowhere)."""

    posyandu: str
    village: str
    residents: tuple[str, ...]
    niks: tuple[str, ...]
    household: str
    membership: str
    records: tuple[str, ...]
    referral: str
    agency: str
    request: str = ""

    @property
    def ids(self) -> set[str]:
        return {
            self.posyandu,
            *self.residents,
            self.household,
            self.membership,
            *self.records,
            self.referral,
            *([self.request] if self.request else []),
        }


GHOST = Seeded(
    GHOST_ID,
    "32.75.03.1001",
    (GHOST_ID,),
    (GHOST_NIK,),
    GHOST_ID,
    GHOST_ID,
    (GHOST_ID,) * 3,
    GHOST_ID,
    "-",
)


def _agency(number: int, village: str) -> str:
    """Two agencies per kab/kota; posyandu alternate between them."""
    region = "kota" if village.startswith("32.75") else "kab"
    return f"{region}.{'dinsos' if number % 2 == 0 else 'disperkimtan'}"


def agency_officer(agency: str) -> Actor:
    area = KodeWilayah("32.75" if agency.startswith("kota.") else "32.16")
    return Actor(f"opd-{agency}", Role.AGENCY_OFFICER, AgencyScope(agency, area))


@attrs.frozen
class Matrix:
    store: Store
    catalog: Catalog
    posyandu: tuple[Seeded, ...]


def _seed_posyandu(store: Store, catalog: Catalog, number: int, village: str) -> Seeded:
    area = KodeWilayah(village).at_level(WilayahLevel.KABUPATEN_KOTA)
    operator = Actor(f"op-{area}", Role.OPERATOR, AreaScope(area))
    posyandu = store.add_posyandu(
        operator,
        {"name": f"Posyandu {number:02d}", "wilayah_code": village},
        Purpose.ADMINISTRASI,
    )
    actor = kader(posyandu.id)
    prefix = KodeWilayah(village).digits[:6]
    residents = []
    for i in range(2):
        birth = date(1980 + number, 1 + i, 10)
        resident, _ = store.add_resident(
            actor,
            {
                "nik": make_nik(number * 10 + i + 1, birth, Sex.FEMALE, prefix=prefix),
                "name": f"Warga {number}-{i}",
                "sex": "P",
                "birth_date": birth,
                "posyandu_id": posyandu.id,
            },
            Purpose.PENDATAAN,
        )
        residents.append(resident)
    household = store.add_household(
        actor, {"posyandu_id": posyandu.id, "rt": "1", "rw": "1"}, Purpose.PENDATAAN
    )
    membership = store.add_membership(
        actor,
        {
            "household_id": household.id,
            "resident_id": residents[0].id,
            "relationship": 1,
            "start": "2020-01-01",
        },
        Purpose.PENDATAAN,
    )
    records = [
        store.add_record(actor, data, Purpose.PELAYANAN, catalog)[0]
        for data in (
            {
                "record_type": "uji.timbang",
                "resident_id": residents[0].id,
                "observed_on": "2025-01-01",
                "value": {"weight_kg": 50},
            },
            {
                "record_type": "uji.air",
                "household_id": household.id,
                "observed_on": "2025-01-01",
                "value": {"source": "pipa"},
            },
            {
                "record_type": "uji.lingkungan",
                "place": village,
                "observed_on": "2025-01-01",
                "value": {"flooded": False},
            },
        )
    ]
    agency = _agency(number, village)
    referral = store.submit_referral(
        actor,
        {
            "idempotency_key": f"matrix-{number}",
            "need_type": "uji.alat-bantu",
            "resident_id": residents[0].id,
            "on": "2025-01-02",
        },
        Purpose.RUJUKAN,
        catalog,
        route=FixedRouter((agency,)),
    ).referral
    request = store.record_subject_request(operator, residents[1].id, "access")
    return Seeded(
        posyandu=posyandu.id,
        village=village,
        residents=tuple(r.id for r in residents),
        niks=tuple(r.nik or "" for r in residents),
        household=household.id,
        membership=membership.id,
        records=tuple(r.id for r in records),
        referral=referral.id,
        agency=agency,
        request=request.id,
    )


@pytest.fixture(scope="module", params=DATABASES)
def matrix(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
    referral_catalog: Catalog,
) -> Iterator[Matrix]:
    catalog = referral_catalog
    with make_database(request.param, tmp_path_factory.mktemp("matrix")) as url:
        store = open_store(url)
        try:
            seeded = tuple(
                _seed_posyandu(store, catalog, 2 * i + j, village)
                for i, village in enumerate(VILLAGES)
                for j in range(2)
            )
            yield Matrix(store, catalog, seeded)
        finally:
            store.close()


# ------------------------------------------------------------------------------ probes

Probe = Callable[..., Any]
"""``probe(store, actor, seeded, **keywords)``: the keywords (``purpose``) go to the read."""


def _exported(table: ExportTable) -> list[types.SimpleNamespace]:
    """The rows of an export, each named by its ``id`` column."""
    return [types.SimpleNamespace(id=row["id"]) for row in table.as_dicts()]


def _everyone(universe: Universe, population: Subquery) -> list[Criterion]:
    return [Criterion("all", true())]


def _matched(store: Store, actor: Actor, subject: str, area: str, **w: Any) -> list[Any]:
    found = store.match_subjects(actor, subject, ON, _everyone, area=area, **w)
    return [types.SimpleNamespace(id=m.subject.id) for m in found]


PROBES: dict[str, list[Probe]] = {
    "get_posyandu": [lambda s, a, y, **w: s.get_posyandu(a, y.posyandu, **w)],
    "list_posyandu": [
        lambda s, a, y, **w: s.list_posyandu(a, **w),
        lambda s, a, y, **w: s.list_posyandu(a, area=y.village, **w),
    ],
    "get_resident": [
        lambda s, a, y, **w: s.get_resident(a, y.residents[0], **w),
        lambda s, a, y, **w: s.get_resident(a, y.residents[-1], **w),
    ],
    "find_resident_by_nik": [lambda s, a, y, **w: s.find_resident_by_nik(a, y.niks[0], **w)],
    "resident_domiciles": [lambda s, a, y, **w: s.resident_domiciles(a, y.residents[0], **w)],
    "list_residents": [
        lambda s, a, y, **w: s.list_residents(a, **w),
        lambda s, a, y, **w: s.list_residents(a, posyandu_id=y.posyandu, **w),
        lambda s, a, y, **w: s.list_residents(a, area=y.village, **w),
    ],
    "get_household": [lambda s, a, y, **w: s.get_household(a, y.household, **w)],
    "list_households": [
        lambda s, a, y, **w: s.list_households(a, posyandu_id=y.posyandu, **w),
        lambda s, a, y, **w: s.list_households(a, area=y.village, **w),
    ],
    "get_membership": [lambda s, a, y, **w: s.get_membership(a, y.membership, **w)],
    "household_members": [lambda s, a, y, **w: s.household_members(a, y.household, ON, **w)],
    "resident_memberships": [lambda s, a, y, **w: s.resident_memberships(a, y.residents[0], **w)],
    "get_record": [
        lambda s, a, y, **w: s.get_record(a, y.records[0], **w),
        lambda s, a, y, **w: s.get_record(a, y.records[1], **w),
        lambda s, a, y, **w: s.get_record(a, y.records[2], **w),
    ],
    "list_records": [
        lambda s, a, y, **w: s.list_records(a, **w),
        lambda s, a, y, **w: s.list_records(a, posyandu_id=y.posyandu, **w),
        lambda s, a, y, **w: s.list_records(a, subject=SubjectRef.resident(y.residents[0]), **w),
        lambda s, a, y, **w: s.list_records(a, subject=SubjectRef.household(y.household), **w),
        lambda s, a, y, **w: s.list_records(a, subject=SubjectRef.place(y.village), **w),
        lambda s, a, y, **w: s.list_records(a, area=y.village, **w),
    ],
    "get_referral": [lambda s, a, y, **w: s.get_referral(a, y.referral, **w)],
    "list_referrals": [
        lambda s, a, y, **w: s.list_referrals(a, **w),
        lambda s, a, y, **w: s.list_referrals(a, posyandu_id=y.posyandu, **w),
        lambda s, a, y, **w: s.list_referrals(a, area=y.village, **w),
        lambda s, a, y, **w: s.list_referrals(a, agency_code=y.agency, **w),
    ],
    "export_residents": [lambda s, a, y, **w: _exported(s.export_residents(a, **w))],
    "export_households": [lambda s, a, y, **w: _exported(s.export_households(a, **w))],
    "export_memberships": [lambda s, a, y, **w: _exported(s.export_memberships(a, **w))],
    "export_records": [lambda s, a, y, **w: _exported(s.export_records(a, **w))],
    "list_subject_requests": [
        lambda s, a, y, **w: s.list_subject_requests(a, **w),
        lambda s, a, y, **w: s.list_subject_requests(a, resident_id=y.residents[-1], **w),
    ],
    "referral_history": [
        lambda s, a, y, **w: [
            types.SimpleNamespace(id=e.referral_id) for e in s.referral_history(a, y.referral, **w)
        ]
    ],
    "match_subjects": [
        lambda s, a, y, **w: _matched(s, a, "resident", y.village, **w),
        lambda s, a, y, **w: _matched(s, a, "household", y.village, **w),
        lambda s, a, y, **w: _matched(s, a, "resident", y.village[:5], **w),
    ],
}
"""Every public read of rows that belong to a posyandu, with the calls that probe it."""

# Reads of data that belongs to no posyandu: public regions, area planning numbers, the
# Tim Pembina's action plans (test_tim_pembina_sees_counts_and_plans_of_its_region_only)
# and the audit log (refused to every role but the operator, see test_audit_log.py);
# retention rules (a register) and the incident query (the audit log).
NOT_POSYANDU_ROWS = {
    "get_wilayah",
    "list_targets",
    "list_quality_inputs",
    "list_audit",
    "list_retention_rules",
    "incident_rows",
    "get_action_plan",
    "list_action_plans",
    "action_plan_history",
}

# Reads of personal rows that only some roles make, each probed by a test of its own
# below: the subject export (operators) and research extracts (researchers, operators).
PRIVACY_READS = {"export_subject", "research_rows", "research_extract_rows"}


def _declared(cls: type) -> dict[str, Any]:
    out = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        if callable(member) or isinstance(static, property):
            out[name] = declaration(static if isinstance(static, property) else member)
    return out


# ------------------------------------------------------------------------------ meta


def test_every_public_store_method_declares_its_access() -> None:
    undeclared = [name for name, found in _declared(Store).items() if found is None]
    assert undeclared == []


def test_every_public_function_taking_an_actor_declares_its_access() -> None:
    modules = [spm_core.api, spm_core.audit, spm_core.privacy]
    modules += [
        spm_core.privacy.categories,
        spm_core.privacy.export,
        spm_core.privacy.incident,
        spm_core.privacy.reads,
        spm_core.privacy.research,
        spm_core.privacy.rights,
    ]
    modules += [
        module
        for name, module in inspect.getmembers(spm_core.store, inspect.ismodule)
        if not name.startswith("_")
    ]
    missing = []
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if "actor" in inspect.signature(function).parameters and declaration(function) is None:
                missing.append(f"{module.__name__}.{name}")
    assert missing == []
    assert all(found is not None for found in _declared(Registry).values())


def test_the_matrix_probes_every_read_of_posyandu_rows() -> None:
    reads = {
        name
        for name, found in _declared(Store).items()
        if found is not None and found.kind == "read"
    }
    assert reads - NOT_POSYANDU_ROWS - PRIVACY_READS == set(PROBES)
    for name in NOT_POSYANDU_ROWS:
        found = declaration(getattr(Store, name))
        assert found is not None
        assert found.entity is not None
        assert data_kind(found.entity) is not DataKind.PERSONAL


# ------------------------------------------------------------------------------ matrix


def _shape(error: NotFound, value: str) -> tuple[Any, ...]:
    shown = repr(value)
    return (
        type(error),
        error.code,
        error.message_id.replace(shown, "<id>"),
        error.message_en.replace(shown, "<id>"),
        sorted(error.context),
    )


def _run(probe: Probe, store: Store, actor: Actor, target: Seeded, **w: Any) -> tuple[str, Any]:
    try:
        result = probe(store, actor, target, **w)
    except NotFound as error:
        return "not-found", _shape(error, str(error.value))
    rows = result if isinstance(result, list) else [result]
    # A domicile is named by the resident it belongs to.
    return "rows", {getattr(row, "resident_id", None) or row.id for row in rows}


def _leaks(outcome: tuple[str, Any], owned: set[str]) -> set[str]:
    kind, detail = outcome
    return detail & owned if kind == "rows" else set()


@pytest.mark.parametrize("x", range(16))
def test_a_kader_sees_no_row_of_another_posyandu(matrix: Matrix, x: int) -> None:
    store = matrix.store
    own = matrix.posyandu[x]
    actor = kader(own.posyandu)
    # The kader sees its own rows: the probes can find rows when they are in scope.
    for name, probes in PROBES.items():
        for probe in probes:
            kind, detail = _run(probe, store, actor, own)
            assert kind == "rows", (name, detail)
            assert detail, name
            assert detail <= own.ids, name
    ghost = {
        name: [_run(p, store, actor, GHOST) for p in probes] for name, probes in PROBES.items()
    }
    for y, other in enumerate(matrix.posyandu):
        if y == x:
            continue
        for name, probes in PROBES.items():
            for probe, expected in zip(probes, ghost[name], strict=True):
                outcome = _run(probe, store, actor, other)
                assert not _leaks(outcome, other.ids), (x, y, name)
                if outcome[0] == "not-found" or expected[0] == "not-found":
                    assert outcome == expected, (x, y, name)


@pytest.mark.parametrize("x", [0, 5, 11])
def test_a_kader_cannot_write_into_another_posyandu(matrix: Matrix, x: int) -> None:
    store = matrix.store
    actor = kader(matrix.posyandu[x].posyandu)
    everyone = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))
    before = len(store.list_residents(everyone, purpose=Purpose.PELAYANAN))
    for y, other in enumerate(matrix.posyandu):
        if y == x:
            continue
        with pytest.raises(InputError) as on_row:
            store.add_resident(
                actor,
                {
                    "name": "Baru",
                    "sex": "L",
                    "birth_date": "2000-01-01",
                    "posyandu_id": other.posyandu,
                },
                Purpose.PENDATAAN,
            )
        with pytest.raises(InputError) as on_ghost:
            store.add_resident(
                actor,
                {"name": "Baru", "sex": "L", "birth_date": "2000-01-01", "posyandu_id": GHOST_ID},
                Purpose.PENDATAAN,
            )
        mine, theirs = on_row.value.issues[0], on_ghost.value.issues[0]
        assert (
            (mine.code, mine.field) == (theirs.code, theirs.field) == ("not-found", "posyandu_id")
        )
        assert mine.message_en.replace(other.posyandu, GHOST_ID) == theirs.message_en
        with pytest.raises(InputError) as on_record:
            store.add_record(
                actor,
                {
                    "record_type": "uji.timbang",
                    "resident_id": other.residents[0],
                    "observed_on": "2025-02-01",
                    "value": {"weight_kg": 10},
                },
                Purpose.PELAYANAN,
                matrix.catalog,
            )
        assert on_record.value.issues[0].field == "resident_id"
    after = len(store.list_residents(everyone, purpose=Purpose.PELAYANAN))
    assert after == before == 32


ROW_LESS = {
    "tim_pembina": Actor("tp-1", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75"))),
    "researcher": Actor("peneliti-1", Role.RESEARCHER, AreaScope(KodeWilayah("32"))),
    "agency_officer": Actor(
        "opd-1", Role.AGENCY_OFFICER, AgencyScope("dinsos-kota-bekasi", KodeWilayah("32.75"))
    ),
}


def _personal(name: str) -> bool:
    found = declaration(getattr(Store, name))
    return found is not None and data_kind(found.entity or "") is DataKind.PERSONAL


PERSONAL_PROBES = {name: probes for name, probes in PROBES.items() if _personal(name)}


@pytest.mark.parametrize("role", sorted(ROW_LESS))
def test_aggregate_roles_get_no_rows(matrix: Matrix, role: str) -> None:
    store = matrix.store
    actor = ROW_LESS[role]
    why = Purpose.PELAYANAN
    ghost = {
        n: [_run(p, store, actor, GHOST, purpose=why) for p in ps]
        for n, ps in PERSONAL_PROBES.items()
    }
    for target in matrix.posyandu:
        for name, probes in PERSONAL_PROBES.items():
            for probe, expected in zip(probes, ghost[name], strict=True):
                outcome = _run(probe, store, actor, target, purpose=why)
                assert not _leaks(outcome, target.ids), (role, name)
                assert outcome == expected, (role, name)
    with pytest.raises(AccessDenied):
        store.list_audit(actor)
    with pytest.raises(AccessDenied):
        store.add_resident(
            actor,
            {
                "name": "X",
                "sex": "L",
                "birth_date": "2000-01-01",
                "posyandu_id": matrix.posyandu[0].posyandu,
            },
            Purpose.PENDATAAN,
        )


@pytest.mark.parametrize(
    ("area", "visible"),
    [
        ("32.75.01.1001", {0, 1}),
        ("32.16.02.2001", {14, 15}),
        ("32.75", set(range(8))),
        ("32.16", set(range(8, 16))),
        ("32", set(range(16))),
    ],
)
def test_area_scoped_actors_see_their_area_only(
    matrix: Matrix, area: str, visible: set[int]
) -> None:
    code = KodeWilayah(area)
    role = Role.DESA_OFFICER if code.level == 4 else Role.OPERATOR
    actor = Actor(f"area-{area}", role, AreaScope(code))
    store = matrix.store
    seen = {r.id for r in store.list_residents(actor, purpose=Purpose.PELAYANAN)}
    seen |= {h.id for h in store.list_households(actor, purpose=Purpose.PELAYANAN)}
    seen |= {r.id for r in store.list_records(actor, purpose=Purpose.PELAYANAN)}
    seen |= {p.id for p in store.list_posyandu(actor)}
    seen |= {r.id for r in store.list_referrals(actor, purpose=Purpose.PELAYANAN)}
    expected: set[str] = set()
    for i in visible:
        expected |= matrix.posyandu[i].ids - {
            matrix.posyandu[i].membership,
            matrix.posyandu[i].request,
        }
    assert seen == expected
    for i, target in enumerate(matrix.posyandu):
        if i in visible:
            assert (
                store.get_resident(actor, target.residents[0], purpose=Purpose.PELAYANAN).id
                == target.residents[0]
            )
            assert (
                store.get_membership(actor, target.membership, purpose=Purpose.PELAYANAN).id
                == target.membership
            )
        else:
            with pytest.raises(NotFound):
                store.get_resident(actor, target.residents[0], purpose=Purpose.PELAYANAN)


# ------------------------------------------------------------------------------ aggregates

AGGREGATES = {"aggregate", "aggregate_columns", "count_referrals"}
"""Every public count of the store (declared ``@aggregates``), probed below and (referral
counts) in test_aggregate_roles_count_referrals_in_their_area_and_read_none."""


def _residents_by_area(universe: Universe) -> Select[Any]:
    people = universe.residents_on(ON)
    return select(
        people.c.posyandu_id, people.c.wilayah_code, func.count().label("residents")
    ).group_by(people.c.posyandu_id, people.c.wilayah_code)


def _columns_by_area(frames: Frames) -> list[Any]:
    """The same count on the columnar path: residents alive and domiciled, by area."""
    pl = polars()
    stays = frames.stays.filter(
        (pl.col("since") <= ON) & (pl.col("until").is_null() | (pl.col("until") >= ON))
    )
    alive = frames.residents.filter(
        (pl.col("birth_date") <= ON) & (pl.col("died_on").is_null() | (pl.col("died_on") > ON))
    )
    people = frames.in_scope(stays.join(alive, on="resident_id"))
    return [
        people.group_by("posyandu_id", "wilayah_code")
        .agg(pl.len().cast(pl.Int64).alias("residents"))
        .sort("posyandu_id")
    ]


def _by_area_both_paths(store: Store, actor: Actor, **kw: Any) -> list[Any]:
    """The rows of the SQL and of the columnar aggregate path for one count."""
    sql = store.aggregate(actor, _residents_by_area, **kw)
    (columns,) = store.aggregate_columns(actor, {}, _columns_by_area, **kw)
    assert columns == sql
    return [sql.rows, sql.suppressed_below]


def test_every_aggregate_of_the_store_is_probed() -> None:
    found = {n for n, d in _declared(Store).items() if d is not None and d.kind == "aggregate"}
    assert found == AGGREGATES


@pytest.mark.parametrize("x", range(16))
def test_a_kader_counts_only_its_own_posyandu(matrix: Matrix, x: int) -> None:
    own = matrix.posyandu[x]
    counts = matrix.store.aggregate(kader(own.posyandu), _residents_by_area, level="posyandu")
    assert counts.rows == {(own.posyandu,): (2,)}
    (columns,) = matrix.store.aggregate_columns(
        kader(own.posyandu), {}, _columns_by_area, level="posyandu"
    )
    assert columns == counts


@pytest.mark.parametrize(
    ("role", "level", "expected"),
    [
        ("tim_pembina", "kelurahan", {(v,): (4,) for v in VILLAGES[:4]}),
        ("agency_officer", "kecamatan", {("32.75.01",): (8,), ("32.75.02",): (8,)}),
        ("researcher", "kelurahan", {(v,): (None,) for v in VILLAGES}),
        ("researcher", "kabupaten_kota", {("32.75",): (16,), ("32.16",): (16,)}),
    ],
)
def test_row_less_roles_count_their_region(
    matrix: Matrix, role: str, level: str, expected: dict[tuple[str], tuple[int | None]]
) -> None:
    rows, suppressed = _by_area_both_paths(matrix.store, ROW_LESS[role], level=level)
    assert rows == expected
    assert suppressed == (5 if role == "researcher" else None)


def test_a_researcher_cannot_lower_the_suppression_threshold(matrix: Matrix) -> None:
    researcher = ROW_LESS["researcher"]
    counts = matrix.store.aggregate(researcher, _residents_by_area, suppress_below=1)
    assert set(counts.rows.values()) == {(None,)}
    raised = matrix.store.aggregate(
        researcher, _residents_by_area, level="kabupaten_kota", suppress_below=20
    )
    assert set(raised.rows.values()) == {(None,)}


def test_an_aggregate_returns_no_row(matrix: Matrix) -> None:
    def people(universe: Universe) -> Select[Any]:
        q = universe.residents_on(ON)
        return select(q.c.posyandu_id, q.c.wilayah_code, q.c.resident_id)

    def names(universe: Universe) -> Select[Any]:
        q = universe.residents_on(ON)
        return select(
            q.c.resident_id.label("posyandu_id"), q.c.wilayah_code, func.count()
        ).group_by(q.c.resident_id, q.c.wilayah_code)

    def other_area(universe: Universe) -> Select[Any]:
        q = universe.residents_on(ON, scoped=False)
        return select(q.c.posyandu_id, q.c.wilayah_code, func.count()).group_by(
            q.c.posyandu_id, q.c.wilayah_code
        )

    pembina = ROW_LESS["tim_pembina"]
    for build in (people, names, other_area):
        with pytest.raises(InvalidValue):
            matrix.store.aggregate(pembina, build, level="posyandu")
    with pytest.raises(InvalidValue):
        matrix.store.aggregate(pembina, _residents_by_area, keys=["nik"])


def test_a_columnar_aggregate_returns_no_row(matrix: Matrix) -> None:
    pl = polars()

    def people(frames: Frames) -> list[Any]:
        found = frames.in_scope(frames.stays)
        return [found.select("posyandu_id", "wilayah_code", "resident_id")]

    def names(frames: Frames) -> list[Any]:
        found = frames.in_scope(frames.stays)
        return [
            found.group_by(pl.col("resident_id").alias("posyandu_id"), "wilayah_code").agg(
                pl.len().cast(pl.Int64)
            )
        ]

    def other_area(frames: Frames) -> list[Any]:
        return [frames.stays.group_by("posyandu_id", "wilayah_code").agg(pl.len().cast(pl.Int64))]

    pembina = ROW_LESS["tim_pembina"]
    for compute in (people, names, other_area):
        with pytest.raises(InvalidValue):
            matrix.store.aggregate_columns(pembina, {}, compute, level="posyandu")
    with pytest.raises(InvalidValue):
        matrix.store.aggregate_columns(pembina, {}, _columns_by_area, keys=["nik"])


REFERRAL_PROBES = {name: PROBES[name] for name in ("get_referral", "list_referrals")}


def _kind(name: str) -> DataKind:
    found = declaration(getattr(Store, name))
    assert found is not None
    return data_kind(found.entity or "")


# Everything an agency officer must not see of a posyandu: its people and its referrals
# (posyandu themselves are a register every role reads within its area).
ROW_PROBES = {
    name: probes
    for name, probes in PROBES.items()
    if _kind(name) in (DataKind.PERSONAL, DataKind.REFERRAL)
}


@pytest.mark.parametrize(
    "agency", ["kota.dinsos", "kota.disperkimtan", "kab.dinsos", "kab.disperkimtan"]
)
def test_an_agency_officer_sees_only_the_referrals_routed_to_the_agency(
    matrix: Matrix, agency: str
) -> None:
    store = matrix.store
    actor = agency_officer(agency)
    mine = {t.referral for t in matrix.posyandu if t.agency == agency}
    assert len(mine) == 4
    why = Purpose.RUJUKAN  # an officer names why they read, like every non-kader
    assert {r.id for r in store.list_referrals(actor, purpose=why)} == mine
    ghost = {
        n: [_run(p, store, actor, GHOST, purpose=why) for p in ps] for n, ps in ROW_PROBES.items()
    }
    for target in matrix.posyandu:
        referral_rows = {target.referral}
        for name, probes in ROW_PROBES.items():
            for probe, expected in zip(probes, ghost[name], strict=True):
                outcome = _run(probe, store, actor, target, purpose=why)
                if target.agency == agency and name in ("get_referral", "referral_history"):
                    assert outcome == ("rows", referral_rows), name
                    continue
                leaked = _leaks(outcome, target.ids - (referral_rows & mine))
                assert not leaked, (agency, name)
                if outcome[0] == "not-found" or expected[0] == "not-found":
                    assert outcome == expected, (agency, name)
        if target.agency == agency:
            person = store.get_referral(actor, target.referral, purpose=why).person
            assert person is not None
            assert "nik" not in person
            assert target.niks[0] not in str(
                store.get_referral(actor, target.referral, purpose=why)
            )


@pytest.mark.parametrize("role", ["tim_pembina", "researcher"])
def test_aggregate_roles_count_referrals_in_their_area_and_read_none(
    matrix: Matrix, role: str
) -> None:
    store = matrix.store
    actor = ROW_LESS[role]
    for target in matrix.posyandu:
        for name, probes in REFERRAL_PROBES.items():
            for probe in probes:
                outcome = _run(probe, store, actor, target, purpose=Purpose.PELAPORAN)
                assert not _leaks(outcome, target.ids), (role, name)
    area = actor.area
    assert area is not None
    expected = sum(1 for t in matrix.posyandu if area.contains(KodeWilayah(t.village)))
    counts = store.count_referrals(actor, on=ON)
    assert sum(c.count for c in counts) == expected


# ------------------------------------------------------------------ need suggestions


class _TriggerPlugin:
    """A need the records show: a resident with a weighing recorded (any time)."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-pemicu", title=Text("Uji pemicu", "Trigger test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return [
            NeedType(
                code="uji.timbang-tercatat",
                title=Text("Uji pemicu", "Trigger test"),
                field=SpmField.SOSIAL,
                subject=Subject.RESIDENT,
                trigger=HasRecord("uji.timbang", window=Window.EVER),
            ),
            RoutingRule(
                code="uji.timbang-tercatat.r",
                title=Text("r", "r"),
                need_type="uji.timbang-tercatat",
                roles="uji-dinsos",
            ),
        ]


@pytest.fixture(scope="module")
def trigger_catalog() -> Catalog:
    from referral_helpers import ReferralTestPlugin
    from store_helpers import StoreTestPlugin

    plugins = [StoreTestPlugin(), ReferralTestPlugin(), _TriggerPlugin()]
    return Catalog.build(make_plugin_manager(entry_points=False, extra=plugins))


def _suggested(matrix: Matrix, catalog: Catalog, actor: Actor, area: str = "32") -> set[str]:
    found = suggest_needs(matrix.store, catalog, actor, area, "2025-01", purpose=Purpose.PELAYANAN)
    return {s.subject_id for s in found}


@pytest.mark.parametrize("x", range(16))
def test_a_kader_is_suggested_the_needs_of_its_own_posyandu_only(
    matrix: Matrix, trigger_catalog: Catalog, x: int
) -> None:
    own = matrix.posyandu[x]
    actor = kader(own.posyandu)
    assert _suggested(matrix, trigger_catalog, actor) == {own.residents[0]}
    for other in matrix.posyandu:
        if other.village != own.village:
            assert _suggested(matrix, trigger_catalog, actor, other.village) == set()


@pytest.mark.parametrize(
    ("area", "visible"),
    [("32.75.01.1001", {0, 1}), ("32.16", set(range(8, 16))), ("32", set(range(16)))],
)
def test_area_scoped_actors_are_suggested_the_needs_of_their_area_only(
    matrix: Matrix, trigger_catalog: Catalog, area: str, visible: set[int]
) -> None:
    code = KodeWilayah(area)
    role = Role.DESA_OFFICER if code.level == 4 else Role.OPERATOR
    actor = Actor(f"area-{area}", role, AreaScope(code))
    expected = {matrix.posyandu[i].residents[0] for i in visible}
    assert _suggested(matrix, trigger_catalog, actor) == expected


def test_roles_that_read_no_rows_are_suggested_nothing(
    matrix: Matrix, trigger_catalog: Catalog
) -> None:
    actors = [*ROW_LESS.values(), agency_officer("kota.dinsos"), agency_officer("kab.dinsos")]
    for actor in actors:
        assert (
            suggest_needs(
                matrix.store, trigger_catalog, actor, "32", "2025-01", purpose=Purpose.PELAYANAN
            )
            == ()
        )


# ------------------------------------------------------------------ records follow


def test_records_follow_a_moved_resident(store: Store, catalog: Catalog) -> None:
    """The new posyandu's kader sees the earlier weighings; the old posyandu loses them."""
    from store_helpers import build_world

    world = build_world(store, catalog)
    officer = world.operator
    child = world.resident("mawar", birth_date=date(2024, 1, 5))
    weighing, _ = store.add_record(
        world.kader("mawar"),
        {
            "record_type": "uji.timbang",
            "resident_id": child.id,
            "observed_on": "2025-01-10",
            "value": {"weight_kg": 9.1},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    old, new = world.kader("mawar"), world.kader("anggrek")
    with pytest.raises(NotFound):
        store.get_record(new, weighing.id, purpose=Purpose.PELAYANAN)
    with pytest.raises(InputError):  # one kader alone cannot move someone elsewhere
        store.move_resident(old, child.id, world.posyandu["anggrek"].id, ON, Purpose.PENDATAAN)
    store.move_resident(officer, child.id, world.posyandu["anggrek"].id, ON, Purpose.PENDATAAN)
    assert store.get_record(new, weighing.id, purpose=Purpose.PELAYANAN).id == weighing.id
    assert [
        r.id
        for r in store.list_records(
            new, subject=SubjectRef.resident(child.id), purpose=Purpose.PELAYANAN
        )
    ] == [weighing.id]
    assert [
        d.wilayah_code.value
        for d in store.resident_domiciles(new, child.id, purpose=Purpose.PELAYANAN)
    ] == [
        "32.75.01.1001",
        "32.75.01.1002",
    ]
    for probe in (
        lambda: store.get_record(old, weighing.id, purpose=Purpose.PELAYANAN),
        lambda: store.get_resident(old, child.id, purpose=Purpose.PELAYANAN),
        lambda: store.resident_domiciles(old, child.id, purpose=Purpose.PELAYANAN),
    ):
        with pytest.raises(NotFound):
            probe()
    assert store.list_records(old, purpose=Purpose.PELAYANAN) == []


@pytest.mark.parametrize("x", [0, 5, 11])
def test_registering_a_nik_of_another_posyandu_confirms_nothing(matrix: Matrix, x: int) -> None:
    """The existence oracle: every NIK held out of scope gets one and the same answer."""
    store = matrix.store
    actor = kader(matrix.posyandu[x].posyandu)
    everyone = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))
    before = len(store.list_residents(everyone, purpose=Purpose.PELAYANAN))
    answers = set()
    for y, other in enumerate(matrix.posyandu):
        if y == x:
            continue
        for nik in other.niks:
            with pytest.raises(NotFound):
                store.find_resident_by_nik(actor, nik, purpose=Purpose.PELAYANAN)
            with pytest.raises(InputError) as raised:
                store.add_resident(
                    actor,
                    {
                        "nik": nik,
                        "name": "Baru",
                        "sex": "L",
                        "birth_date": "2000-01-01",
                        "posyandu_id": matrix.posyandu[x].posyandu,
                    },
                    Purpose.PENDATAAN,
                )
            (issue,) = raised.value.issues
            answers.add((issue.code, issue.field, issue.message_id, issue.message_en))
            assert other.posyandu not in issue.message_en
    assert len(answers) == 1
    (code, field, _, _), *_ = answers
    assert (code, field) == ("nik-unavailable", "nik")
    assert len(store.list_residents(everyone, purpose=Purpose.PELAYANAN)) == before


# ------------------------------------------------------------------ privacy reads

KEY = "kunci-proyek-matriks-akses-2026"


def _every_role_but_operators(target: Seeded) -> list[Actor]:
    return [
        kader(target.posyandu),
        Actor("desa-1", Role.DESA_OFFICER, AreaScope(KodeWilayah(target.village))),
        *ROW_LESS.values(),
    ]


@pytest.mark.parametrize("x", [0, 7, 8, 15])
def test_only_an_operator_of_the_area_exports_a_subject(matrix: Matrix, x: int) -> None:
    store, target = matrix.store, matrix.posyandu[x]
    for actor in _every_role_but_operators(target):
        with pytest.raises(AccessDenied):
            store.export_subject(actor, target.residents[0])
    kota = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    kab = Actor("op-kab", Role.OPERATOR, AreaScope(KodeWilayah("32.16")))
    mine, theirs = (kota, kab) if target.village.startswith("32.75") else (kab, kota)
    assert store.export_subject(mine, target.residents[0])["resident"]["id"] == target.residents[0]
    with pytest.raises(NotFound) as other:
        store.export_subject(theirs, target.residents[0])
    with pytest.raises(NotFound) as ghost:
        store.export_subject(theirs, GHOST_ID)
    assert _shape(other.value, target.residents[0]) == _shape(ghost.value, GHOST_ID)


def test_research_rows_are_pseudonymised_and_scoped(matrix: Matrix) -> None:
    from spm_core.domain.pseudonym import ResearchKey

    store, key = matrix.store, ResearchKey.parse(KEY)
    for actor in (kader(matrix.posyandu[0].posyandu), agency_officer("kota.dinsos")):
        assert store.research_rows(actor, key, on=ON) == []
    pembina = ROW_LESS["tim_pembina"]
    assert store.research_rows(pembina, key, on=ON) == []
    kota = Actor("peneliti-kota", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    rows = store.research_rows(kota, key, on=ON, level="kecamatan")
    assert len(rows) == 16
    assert {r.area for r in rows} == {"32.75.01", "32.75.02"}
    niks = {n for t in matrix.posyandu for n in t.niks}
    assert not {r.pseudonym for r in rows} & niks
    assert not any(n in repr(rows) for n in niks)
    plan = {"uji.timbang": {"weight_kg": "value"}}
    for actor in (kader(matrix.posyandu[0].posyandu), agency_officer("kota.dinsos"), pembina):
        assert store.research_extract_rows(actor, key, on=ON, values=plan) == ([], [])  # type: ignore[arg-type]
    people, records = store.research_extract_rows(kota, key, on=ON, values=plan)  # type: ignore[arg-type]
    assert people == store.research_rows(kota, key, on=ON)
    assert records
    assert {r.pseudonym for r in records} <= {r.pseudonym for r in people}
    village = Actor("peneliti-desa", Role.RESEARCHER, AreaScope(KodeWilayah(VILLAGES[0])))
    few, theirs = store.research_extract_rows(village, key, on=ON, values=plan)  # type: ignore[arg-type]
    assert len(few) < len(people)
    assert {r.pseudonym for r in theirs} <= {r.pseudonym for r in few}


def test_incident_rows_and_retention_rules_follow_the_audit_and_register_rules(
    matrix: Matrix,
) -> None:
    store = matrix.store
    for actor in (kader(matrix.posyandu[0].posyandu), *ROW_LESS.values()):
        with pytest.raises(AccessDenied):
            store.incident_rows(actor, who="anyone")
        assert store.list_retention_rules(actor) == []
    kab = Actor("op-kab", Role.OPERATOR, AreaScope(KodeWilayah("32.16")))
    kota = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    who = kader(matrix.posyandu[0].posyandu).id
    in_kota = {r for t in matrix.posyandu[:8] for r in t.residents}
    assert not set(store.incident_rows(kab, who=who).residents) & in_kota
    assert set(matrix.posyandu[0].residents) <= set(store.incident_rows(kota, who=who).residents)


# ------------------------------------------------------------------ Tim Pembina


def _plan(code: str, region: str) -> dict[str, Any]:
    return {
        "code": code,
        "title": f"Rencana aksi {region}",
        "wilayah_code": region,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "agreed_by": ["OPD"],
        "agreed_on": "2025-01-02",
        "commitments": [
            {
                "code": "a",
                "kind": "activity",
                "agency_code": "opd",
                "title": "Rapat",
                "due_on": "2025-06-30",
            }
        ],
    }


def test_tim_pembina_sees_counts_and_plans_of_its_region_only(matrix: Matrix) -> None:
    from spm_core.pembina import mentoring

    store = matrix.store
    for region in ("32.75", "32.16"):
        team = Actor(f"tp-{region}", Role.TIM_PEMBINA, AreaScope(KodeWilayah(region)))
        store.save_action_plan(team, _plan(f"matrix-{region}", region), Purpose.ADMINISTRASI)
    for region, own in (("32.75", range(8)), ("32.16", range(8, 16))):
        team = Actor(f"tp-{region}", Role.TIM_PEMBINA, AreaScope(KodeWilayah(region)))
        seen = mentoring(store, team, matrix.catalog, as_of=ON)
        assert {p.posyandu_id for p in seen.posyandu} == {matrix.posyandu[i].posyandu for i in own}
        assert {(p.residents, p.records) for p in seen.posyandu} == {(2, 3)}
        shown = str(seen.to_dict())
        for target in matrix.posyandu:
            assert not any(rid in shown for rid in target.residents)
        assert [p.code for p in store.list_action_plans(team)] == [f"matrix-{region}"]
        other = "32.16" if region == "32.75" else "32.75"
        with pytest.raises(NotFound):
            store.get_action_plan(team, f"matrix-{other}")
        assert store.list_records(team, purpose=Purpose.PELAYANAN) == []
        with pytest.raises(AccessDenied):
            store.list_audit(team)

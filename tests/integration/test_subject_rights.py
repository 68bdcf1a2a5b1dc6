"""Data-subject rights (UU PDP 27/2022): export, erasure across every table, requests.

A worked case: Siti Rahmawati Kusumadewi lives at Posyandu Mawar with her son in one
household (KK 3275010101250001). Her weighing, the household's water source and a
referral for a hearing aid (resolved, with an outcome that names her) are on file. She
asks for her data, then for erasure. Her son's data must stay, and appear in her
export only as "one other member".
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from referral_helpers import FixedRouter, officer
from sqlalchemy import JSON, String, Text, inspect, select, text
from store_helpers import World, make_nik

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah, Sex
from spm_core.domain.referral import ReferralAction
from spm_core.errors import AccessDenied, ErasureRefused, InputError, NotFound
from spm_core.privacy import erase_subject, export_subject, restrict_subject
from spm_core.privacy.export import SubjectExport, subject_export_schema
from spm_core.store import SubjectRef
from spm_core.store._erasure import ERASURE_PLAN, NOT_PERSONAL
from spm_core.store.base import Base

NAME = "Siti Rahmawati Kusumadewi"
BIRTH = date(1991, 7, 14)
NIK = make_nik(4242, BIRTH, Sex.FEMALE)
KK = "3275010101250001"
DAY = date(2025, 3, 3)


@attrs.frozen
class Case:
    world: World
    siti: str
    son: str
    household: str
    referral: str
    records: tuple[str, ...]


def _case(world: World, *, close_referral: bool = True) -> Case:
    store, mawar = world.store, world.kader("mawar")
    siti = world.resident(
        "mawar", nik=NIK, name=NAME, birth_date=BIRTH, address=f"Rumah {NAME}, Jl. Melati 3"
    )
    son = world.resident("mawar", name="Bagas Kusumadewi", sex="L", birth_date=date(2024, 2, 1))
    household = world.household("mawar", nomor_kk=KK, address="Jl. Melati 3")
    for person, relationship in ((siti.id, 1), (son.id, 4)):
        store.add_membership(
            mawar,
            {
                "household_id": household.id,
                "resident_id": person,
                "relationship": relationship,
                "start": "2024-01-01",
            },
            Purpose.PENDATAAN,
        )
    weighing, _ = store.add_record(
        mawar,
        {
            "record_type": "uji.timbang",
            "resident_id": siti.id,
            "observed_on": "2025-01-10",
            "value": {"weight_kg": 52.5},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    _son_weighing, _ = store.add_record(
        mawar,
        {
            "record_type": "uji.timbang",
            "resident_id": son.id,
            "observed_on": "2025-01-10",
            "value": {"weight_kg": 9.5},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    water, _ = store.add_record(
        mawar,
        {
            "record_type": "uji.air",
            "household_id": household.id,
            "observed_on": "2025-01-10",
            "value": {"source": "pipa"},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    referral = store.submit_referral(
        mawar,
        {
            "idempotency_key": "siti-alat-bantu",
            "need_type": "uji.alat-bantu",
            "resident_id": siti.id,
            "on": DAY,
            "note": f"{NAME} kurang pendengaran",
        },
        Purpose.RUJUKAN,
        world.catalog,
        route=FixedRouter(),
    ).referral
    if close_referral:
        dinsos = officer()
        step = store.transition_referral
        step(dinsos, referral.id, ReferralAction.ACCEPT, 2, Purpose.RUJUKAN, on=DAY)
        step(dinsos, referral.id, "start", 3, Purpose.PELAYANAN, on=DAY)
        step(
            dinsos,
            referral.id,
            ReferralAction.RESOLVE,
            4,
            Purpose.PELAYANAN,
            on=DAY,
            outcome=f"Alat bantu dengar diserahkan kepada {NAME}",
        )
    store.record_subject_request(world.operator, siti.id, "correction", fields=["address"])
    return Case(world, siti.id, son.id, household.id, referral.id, (weighing.id, water.id))


# ------------------------------------------------------------------------ export


def test_the_export_is_schema_valid_json_with_the_processing_log(rworld: World) -> None:
    case = _case(rworld)
    exported = export_subject(rworld.store, rworld.operator, case.siti)
    data = json.loads(exported.model_dump_json())
    assert SubjectExport.model_validate(data) == exported
    schema = subject_export_schema()
    assert set(schema["required"]) >= {"resident", "records", "processing_log", "households"}
    assert data["resident"]["nik"] == NIK
    assert data["resident"]["name"] == NAME
    assert [d["wilayah_code"] for d in data["domiciles"]] == ["32.75.01.1001"]
    (home,) = data["households"]
    assert home["nomor_kk"] == KK
    assert home["other_members"] == 1  # the son, redacted to a count
    assert "Bagas" not in exported.model_dump_json()
    assert {r["record_type"] for r in data["records"]} == {"uji.timbang", "uji.air"}
    assert [r["weight_kg"] for r in (x["value"] for x in data["records"]) if "weight_kg" in r] == [
        52.5
    ]
    (referral,) = data["referrals"]
    assert referral["status"] == "resolved"
    assert [e["sequence"] for e in referral["events"]] == [1, 2, 3, 4, 5]
    assert [r["kind"] for r in data["requests"]] == ["correction"]
    log = data["processing_log"]
    assert {(line["entity"], line["action"]) for line in log} >= {
        ("resident", "create"),
        ("record", "create"),
        ("membership", "create"),
        ("referral", "submit"),
        ("referral", "resolve"),
        ("subject_request", "create"),
    }
    last = log[-1]
    assert (last["action"], last["entity"], last["entity_id"]) == ("export", "resident", case.siti)
    assert last["row_count"] == sum(len(data[k]) for k in data if isinstance(data[k], list)) - 1 + 1
    assert all(NAME not in json.dumps(line) and NIK not in json.dumps(line) for line in log)


def test_only_an_operator_in_scope_exports(rworld: World) -> None:
    case = _case(rworld, close_referral=False)
    with pytest.raises(AccessDenied):
        export_subject(rworld.store, rworld.kader("mawar"), case.siti)
    elsewhere = Actor("op-kab", Role.OPERATOR, AreaScope(KodeWilayah("32.16")))
    with pytest.raises(NotFound) as theirs:
        export_subject(rworld.store, elsewhere, case.siti)
    with pytest.raises(NotFound) as ghost:
        export_subject(rworld.store, elsewhere, "00000000-0000-4000-8000-000000000000")
    assert theirs.value.message_en.replace(case.siti, "x") == ghost.value.message_en.replace(
        "00000000-0000-4000-8000-000000000000", "x"
    )


# ------------------------------------------------------------------------ erasure


def _text_columns() -> list[tuple[str, str]]:
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
    ]


def _occurrences(world: World, needles: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Scan every text and JSON column of every table for ``needles``."""
    found = []
    with world.store._engine.connect() as connection:
        for table, column in _text_columns():
            rows = connection.execute(
                text(f'SELECT CAST("{column}" AS TEXT) FROM "{table}"')
            ).scalars()
            for value in rows:
                for needle in needles:
                    if value is not None and needle in value:
                        found.append((table, column, needle))
    return found


def test_erasure_leaves_no_nik_or_name_in_any_table(rworld: World) -> None:
    case = _case(rworld)
    store, op = rworld.store, rworld.operator
    needles = (NIK, NAME, "Kusumadewi 3", KK)
    assert {t for t, _, n in _occurrences(rworld, needles) if n == NAME} >= {
        "resident",
        "referral",
        "referral_event",
    }
    before = store.verify_audit()
    outcome = erase_subject(store, op, case.siti, "permintaan subjek data 2025-03-04")
    assert outcome.erased
    rows = dict(outcome.rows)
    assert rows["record"] == 1
    assert rows["membership"] == 1
    assert rows["domicile"] == 1
    assert rows["referral"] == 1
    assert rows["referral_event"] == 1
    assert rows["resident"] == 1
    # Siti's NIK and name are gone everywhere; the son's data and the KK stay (he is a member).
    assert _occurrences(rworld, (NIK, NAME)) == []
    assert store.get_resident(op, case.son, purpose=Purpose.HAK_SUBJEK).name == "Bagas Kusumadewi"
    assert [
        r.id
        for r in store.list_records(
            op, subject=SubjectRef.household(case.household), purpose=Purpose.HAK_SUBJEK
        )
    ]
    # The erasure event is kept, without personal values, and the chain still verifies.
    (event,) = store.list_audit(op, entity="resident", entity_id=case.siti, action="erase")
    assert event.row_count == sum(rows.values())
    assert NIK not in repr(event)
    assert NAME not in repr(event)
    after = store.verify_audit()
    assert after.ok
    assert after.checked > before.checked
    # The tombstone: operators see it; no one else does; it counts nowhere.
    tomb = store.get_resident(op, case.siti, purpose=Purpose.HAK_SUBJEK)
    assert (tomb.nik, tomb.name, tomb.birth_date, tomb.restricted) == (
        None,
        "-",
        date(1991, 1, 1),
        True,
    )
    with pytest.raises(NotFound):
        store.get_resident(rworld.kader("mawar"), case.siti)
    requests = store.list_subject_requests(op, resident_id=case.siti, purpose=Purpose.HAK_SUBJEK)
    assert [(r.kind, r.status) for r in requests] == [("correction", "open"), ("erasure", "done")]
    # Erasing again changes nothing more.
    assert erase_subject(store, op, case.siti, "ulang").rows == ()


def test_an_erasure_of_the_last_member_clears_the_household_numbers(rworld: World) -> None:
    store = rworld.store
    alone = rworld.resident("melati", name="Yohana Sendiri")
    household = rworld.household("melati", nomor_kk="3275010101250099", address="Gg. Sepi 1")
    store.add_membership(
        rworld.kader("melati"),
        {
            "household_id": household.id,
            "resident_id": alone.id,
            "relationship": 1,
            "start": "2024-01-01",
        },
        Purpose.PENDATAAN,
    )
    erase_subject(store, rworld.operator, alone.id, "permintaan subjek")
    cleared = store.get_household(rworld.operator, household.id, purpose=Purpose.HAK_SUBJEK)
    assert (cleared.nomor_kk, cleared.address) == (None, None)


def test_an_open_referral_refuses_erasure_and_the_refusal_is_recorded(rworld: World) -> None:
    case = _case(rworld, close_referral=False)
    store, op = rworld.store, rworld.operator
    with pytest.raises(ErasureRefused) as refused:
        erase_subject(store, op, case.siti, "permintaan subjek")
    assert "Ps. 15" in refused.value.message_id
    assert case.referral in refused.value.message_en
    assert refused.value.code == "erasure-refused"
    assert (
        store.get_resident(op, case.siti, purpose=Purpose.HAK_SUBJEK).nik == NIK
    )  # nothing erased
    (request,) = store.list_subject_requests(
        op, resident_id=case.siti, open_only=False, purpose=Purpose.HAK_SUBJEK
    )[1:]
    assert (request.kind, request.status) == ("erasure", "refused")
    assert request.legal_basis is not None
    assert "Ps. 15" in request.legal_basis
    (line,) = store.list_audit(op, entity="resident", entity_id=case.siti, action="erase-refused")
    assert line.fields == ()


def test_a_regional_retention_rule_refuses_erasure_until_it_is_corrected(rworld: World) -> None:
    case = _case(rworld)
    store, op = rworld.store, rworld.operator
    rule = store.set_retention_rule(
        op, "32.75", "uji.timbang", 100, "Perwal Bekasi 1/2025 Ps. 9: rekam medis 100 tahun"
    )
    assert rule.years == 100
    with pytest.raises(ErasureRefused) as refused:
        erase_subject(store, op, case.siti, "permintaan subjek")
    assert "Perwal Bekasi 1/2025" in refused.value.message_en
    # The region corrects its rule: weighings are kept two years; this one is older.
    store.set_retention_rule(op, "32.75", "uji.timbang", 0, "Perwal Bekasi 2/2025")
    assert [r.years for r in store.list_retention_rules(op)] == [0]
    assert erase_subject(store, op, case.siti, "permintaan subjek").erased
    with pytest.raises(AccessDenied):
        store.set_retention_rule(rworld.kader("mawar"), "32.75", "uji.timbang", 1, "x")
    with pytest.raises(InputError):
        store.set_retention_rule(op, "32.16", "uji.timbang", 1, "di luar wilayah")


def test_only_an_operator_erases(rworld: World) -> None:
    case = _case(rworld)
    with pytest.raises(AccessDenied):
        erase_subject(rworld.store, rworld.kader("mawar"), case.siti, "x")
    with pytest.raises(InputError):
        erase_subject(rworld.store, rworld.operator, case.siti, "  ")


# ------------------------------------------------------------------------ the metadata walk

_PERSON_COLUMNS = {"nik", "nomor_kk", "name", "address", "rt", "rw", "birth_date"}


def _refers_to(table: Any, targets: set[str]) -> bool:
    return any(fk.column.table.name in targets for fk in table.foreign_keys)


def test_every_table_about_a_person_is_covered_by_export_and_erasure() -> None:
    """A table added later with a resident column or personal columns fails here first."""
    person_tables = {"resident"}
    changed = True
    while changed:  # what refers to a person table is about a person too
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in person_tables:
                continue
            holds = {c.name for c in table.columns} & _PERSON_COLUMNS
            if _refers_to(table, person_tables) or holds:
                person_tables.add(table.name)
                changed = True
    person_tables -= set(NOT_PERSONAL)
    assert person_tables <= set(ERASURE_PLAN), person_tables - set(ERASURE_PLAN)
    every = {t.name for t in Base.metadata.sorted_tables}
    assert every == set(ERASURE_PLAN) | set(NOT_PERSONAL), every ^ (
        set(ERASURE_PLAN) | set(NOT_PERSONAL)
    )
    exported = set(SubjectExport.model_fields)
    covered = {
        "resident": "resident",
        "domicile": "domiciles",
        "membership": "households",
        "household": "households",
        "record": "records",
        "referral": "referrals",
        "referral_event": "referrals",
        "subject_request": "requests",
        "audit_log": "processing_log",
    }
    assert set(covered) == set(ERASURE_PLAN)
    assert set(covered.values()) <= exported
    # The walk itself works: the declared non-personal tables hold no resident column.
    for name in NOT_PERSONAL:
        table = Base.metadata.tables[name]
        assert not _refers_to(table, {"resident"})
    assert inspect(Base.metadata.tables["referral_event"]).c.referral_id.foreign_keys


# ------------------------------------------------------------------------ requests


def test_requests_carry_the_three_day_deadline_and_overdue_is_queryable(rworld: World) -> None:
    store, op = rworld.store, rworld.operator
    siti = rworld.resident("mawar", name="Siti A")
    received = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    request = store.record_subject_request(
        op, siti.id, "correction", fields=["name", "address"], received_at=received
    )
    assert request.due_at == received + timedelta(hours=72)
    assert request.fields == ("address", "name")
    assert (
        store.list_subject_requests(
            op, overdue_at=received + timedelta(hours=71), purpose=Purpose.HAK_SUBJEK
        )
        == []
    )
    late = store.list_subject_requests(
        op, overdue_at=received + timedelta(hours=73), purpose=Purpose.HAK_SUBJEK
    )
    assert [r.id for r in late] == [request.id]
    assert late[0].overdue(received + timedelta(hours=73))
    store.close_subject_request(op, request.id)
    assert (
        store.list_subject_requests(
            op, overdue_at=received + timedelta(days=9), purpose=Purpose.HAK_SUBJEK
        )
        == []
    )
    # A kader of another posyandu sees no request of Mawar.
    assert store.list_subject_requests(rworld.kader("anggrek")) == []
    assert [r.kind for r in store.list_subject_requests(rworld.kader("mawar"))] == ["correction"]
    with pytest.raises(InputError):
        store.record_subject_request(op, siti.id, "lupakan")


def test_a_restriction_request_hides_the_resident_from_counts_and_kaders(rworld: World) -> None:
    from sqlalchemy import func

    from spm_core.store.aggregate import Universe

    store, op = rworld.store, rworld.operator
    siti = rworld.resident("mawar", name="Siti B")
    rworld.resident("mawar", name="Tetangga")

    def people(universe: Universe) -> Any:
        q = universe.residents_on(date(2025, 6, 1))
        return select(q.c.posyandu_id, q.c.wilayah_code, func.count()).group_by(
            q.c.posyandu_id, q.c.wilayah_code
        )

    def count() -> int:
        return sum(v[0] or 0 for v in store.aggregate(op, people, level="kecamatan").rows.values())

    assert count() == 2
    done = restrict_subject(store, rworld.kader("mawar"), siti.id)
    assert (done.kind, done.status) == ("restriction", "done")
    assert count() == 1
    with pytest.raises(NotFound):
        store.get_resident(rworld.kader("mawar"), siti.id)
    assert store.get_resident(op, siti.id, purpose=Purpose.HAK_SUBJEK).restricted
    restrict_subject(store, op, siti.id, lift=True)
    assert count() == 2
    assert [
        (e.action, e.fields)
        for e in store.list_audit(op, entity="resident", entity_id=siti.id)
        if e.action != "read"
    ][-2:] == [("update", ("restricted",)), ("update", ("restricted",))]

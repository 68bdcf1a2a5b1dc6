"""Every model goes into the store and comes back equal, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from store_helpers import KOTA, World, make_nik, operator

from spm_core.access import Actor, AgencyScope, Purpose, Role
from spm_core.domain import KodeWilayah, Period, Relationship, Sex, SpmField, Subject
from spm_core.errors import ConcurrentUpdate, NotFound
from spm_core.store import SubjectRef


def test_posyandu_round_trip_with_fields_and_wilayah(world: World) -> None:
    store, op = world.store, world.operator
    created = store.add_posyandu(
        op,
        {
            "name": "  Posyandu\u00a0Kenanga ",
            "wilayah_code": "3275011003",
            "registration_number": "32.75.01.1003.007",
            "fields": [
                {"field": "kesehatan", "since": "2025-01-01"},
                {"field": "pendidikan", "since": "01-07-2025"},
            ],
        },
        Purpose.ADMINISTRASI,
    )
    again = store.get_posyandu(op, created.id)
    assert again == created
    assert again.name == "Posyandu Kenanga"
    assert again.wilayah_code == KodeWilayah("32.75.01.1003")
    assert again.registration_number == "32.75.01.1003.007"
    assert [(p.field, p.since) for p in again.fields] == [
        (SpmField.KESEHATAN, date(2025, 1, 1)),
        (SpmField.PENDIDIKAN, date(2025, 7, 1)),
    ]
    assert again.version == 1
    assert again.created_at.tzinfo is UTC
    village = store.get_wilayah(op, "32.75.01.1003")
    assert village.name == "Durenjaya"
    assert village.parent_code == KodeWilayah("32.75.01")
    assert store.get_wilayah(op, "32").name == "Jawa Barat"


def test_posyandu_fields_answer_which_cover_a_field_on_a_date(world: World) -> None:
    store, op = world.store, world.operator
    mawar = world.posyandu["mawar"]
    store.set_posyandu_field(
        op, mawar.id, "pupr", date(2025, 3, 1), date(2025, 6, 30), purpose=Purpose.ADMINISTRASI
    )
    updated = store.get_posyandu(op, mawar.id)
    assert updated.version == 2
    assert updated.serves(SpmField.PUPR, date(2025, 3, 1))
    assert not updated.serves(SpmField.PUPR, date(2025, 7, 1))

    def covering(field: SpmField | None, on: date) -> list[str]:
        return [p.name for p in store.list_posyandu(op, field=field, on=on)]

    assert covering(SpmField.PUPR, date(2025, 4, 1)) == ["Posyandu Mawar"]
    assert covering(SpmField.PUPR, date(2025, 7, 1)) == []
    assert covering(SpmField.KESEHATAN, date(2024, 12, 31)) == []
    assert len(covering(SpmField.KESEHATAN, date(2025, 1, 1))) == 3
    assert len(covering(None, date(2025, 4, 1))) == 3
    in_margahayu = store.list_posyandu(op, area="32.75.01.1002")
    assert [p.name for p in in_margahayu] == ["Posyandu Anggrek"]
    # Closing the period again (same start) replaces it.
    store.set_posyandu_field(
        op, mawar.id, SpmField.PUPR, date(2025, 3, 1), date(2025, 3, 31), purpose="administrasi"
    )
    assert covering(SpmField.PUPR, date(2025, 4, 1)) == []


def test_resident_round_trip_keeps_text_identifiers(world: World) -> None:
    store = world.store
    kader = world.kader("mawar")
    nik = make_nik(1, date(2001, 2, 3), Sex.FEMALE)
    created, notices = store.add_resident(
        kader,
        {
            "nik": f" {nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]} ",
            "name": "Sri",
            "sex": "perempuan",
            "birth_date": "2001-02-03",
            "posyandu_id": world.posyandu["mawar"].id,
            "rt": "RT 01/RW 12",
            "address": "Jl. Melati No. 3",
        },
        Purpose.PENDATAAN,
    )
    assert notices == ()
    assert created.nik == nik
    assert (created.rt, created.rw) == ("001", "012")
    assert created.wilayah_code == KodeWilayah("32.75.01.1001")
    assert created.restricted is False
    assert store.get_resident(kader, created.id) == created
    assert store.find_resident_by_nik(kader, nik) == created
    assert store.list_residents(kader) == [created]
    assert store.list_residents(
        world.operator, area="32.75.01.1001", purpose=Purpose.PELAYANAN
    ) == [created]
    assert created.to_dict()["nik"] == nik
    assert created.to_dict()["birth_date"] == "2001-02-03"


def test_resident_without_nik_and_with_mismatching_nik(world: World) -> None:
    store = world.store
    kader = world.kader("melati")
    newborn = world.resident("melati", nik=None, birth_date=date(2025, 1, 5), name="Bayi")
    assert newborn.nik is None
    wrong = make_nik(77, date(1980, 1, 1), Sex.MALE)
    resident, notices = store.add_resident(
        kader,
        {
            "nik": wrong,
            "name": "Siti",
            "sex": "P",
            "birth_date": "1985-06-01",
            "posyandu_id": world.posyandu["melati"].id,
        },
        Purpose.PENDATAAN,
    )
    assert resident.nik == wrong
    assert {n.code for n in notices} == {"nik-birth-date-mismatch", "nik-sex-mismatch"}
    assert all(n.message_id and n.message_en for n in notices)


def test_update_resident_bumps_version_and_rejects_stale(world: World) -> None:
    store = world.store
    kader = world.kader("mawar")
    resident = world.resident("mawar")
    updated, _ = store.update_resident(
        kader, resident.id, {"name": "Nama Baru", "rt": "7"}, 1, Purpose.KOREKSI
    )
    assert (updated.name, updated.rt, updated.version) == ("Nama Baru", "007", 2)
    assert updated.updated_at >= resident.updated_at
    with pytest.raises(ConcurrentUpdate) as raised:
        store.update_resident(kader, resident.id, {"name": "Lain"}, 1, Purpose.KOREKSI)
    assert raised.value.code == "concurrent-update"
    assert store.get_resident(kader, resident.id).name == "Nama Baru"
    # A change to the same value writes nothing.
    same, _ = store.update_resident(kader, resident.id, {"name": "Nama Baru"}, 2, "koreksi")
    assert same.version == 2
    moved, _ = store.update_resident(
        world.operator,
        resident.id,
        {"posyandu_id": world.posyandu["anggrek"].id, "restricted": True},
        2,
        Purpose.KOREKSI,
    )
    assert moved.wilayah_code == KodeWilayah("32.75.01.1002")
    assert moved.restricted is True
    with pytest.raises(NotFound):
        store.get_resident(kader, resident.id)
    # Restricting through an update leaves the same request as restrict_subject does.
    requests = store.list_subject_requests(
        world.operator, resident_id=resident.id, purpose=Purpose.HAK_SUBJEK
    )
    assert [(r.kind, r.status) for r in requests] == [("restriction", "done")]
    store.update_resident(world.operator, resident.id, {"restricted": False}, 3, "koreksi")
    requests = store.list_subject_requests(
        world.operator, resident_id=resident.id, purpose=Purpose.HAK_SUBJEK
    )
    assert [(r.kind, r.status) for r in requests] == [
        ("restriction", "done"),
        ("lift_restriction", "done"),
    ]


def test_household_and_dated_membership(world: World) -> None:
    store = world.store
    kader = world.kader("mawar")
    kk = "3275011203180007"
    household = world.household("mawar", nomor_kk=kk, address="Gg. Mawar 1")
    assert store.get_household(kader, household.id) == household
    assert household.nomor_kk == kk
    assert (household.rt, household.rw) == ("001", "002")
    assert store.list_households(kader) == [household]
    ayah, ibu, anak = (world.resident("mawar") for _ in range(3))
    start = date(2020, 1, 1)
    head = store.add_membership(
        kader,
        {"household_id": household.id, "resident_id": ayah.id, "relationship": 1, "start": start},
        Purpose.PENDATAAN,
    )
    store.add_membership(
        kader,
        {
            "household_id": household.id,
            "resident_id": ibu.id,
            "relationship": "istri",
            "start": start,
        },
        Purpose.PENDATAAN,
    )
    child = store.add_membership(
        kader,
        {
            "household_id": household.id,
            "resident_id": anak.id,
            "relationship": "4",
            "start": "2021-05-01",
            "end": "2024-12-31",
        },
        Purpose.PENDATAAN,
    )
    assert child.relationship is Relationship.ANAK
    assert store.get_membership(kader, head.id) == head

    def members(on: date) -> list[str]:
        return [m.resident_id for m in store.household_members(kader, household.id, on)]

    assert members(date(2019, 12, 31)) == []
    assert members(date(2022, 1, 1)) == [ayah.id, ibu.id, anak.id]
    assert members(date(2024, 12, 31)) == [ayah.id, ibu.id, anak.id]
    assert members(date(2025, 1, 1)) == [ayah.id, ibu.id]
    ended = store.end_membership(kader, head.id, date(2023, 6, 30), Purpose.PENDATAAN)
    assert ended.end == date(2023, 6, 30)
    assert members(date(2023, 7, 1)) == [ibu.id, anak.id]
    assert [m.id for m in store.resident_memberships(kader, ayah.id)] == [head.id]
    # The child may join another household the day after leaving this one.
    other = world.household("mawar")
    moved = store.add_membership(
        kader,
        {
            "household_id": other.id,
            "resident_id": anak.id,
            "relationship": 1,
            "start": "2025-01-01",
        },
        Purpose.PENDATAAN,
    )
    assert moved.active_on(date(2025, 1, 1))


def test_records_of_each_subject(world: World) -> None:
    store, catalog = world.store, world.catalog
    kader = world.kader("mawar")
    resident = world.resident("mawar")
    household = world.household("mawar")
    weighed, notices = store.add_record(
        kader,
        {
            "record_type": "uji.timbang",
            "resident_id": resident.id,
            "observed_on": "2025-03-10",
            "value": {"weight_kg": 160},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    assert [n.code for n in notices] == ["uji-berat-tinggi"]
    assert weighed.subject == SubjectRef.resident(resident.id)
    assert dict(weighed.value) == {"weight_kg": 160.0, "note": None}
    assert weighed.recorded_by == kader.id
    assert weighed.posyandu_id == world.posyandu["mawar"].id
    water, _ = store.add_record(
        kader,
        {
            "record_type": "uji.air",
            "household_id": household.id,
            "observed_on": date(2025, 3, 11),
            "value": {"source": "sumur"},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    place, _ = store.add_record(
        kader,
        {
            "record_type": "uji.lingkungan",
            "place": "3275011001",
            "observed_on": "2025-04-01",
            "value": {"flooded": True},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    assert place.subject.kind is Subject.PLACE
    assert place.subject.id == "32.75.01.1001"
    for record in (weighed, water, place):
        assert store.get_record(kader, record.id) == record
    assert store.list_records(kader) == [weighed, water, place]
    assert store.list_records(kader, subject=SubjectRef.resident(resident.id)) == [weighed]
    assert store.list_records(kader, subject=SubjectRef.place("32.75.01.1001")) == [place]
    assert store.list_records(kader, record_type="uji.air") == [water]
    assert store.list_records(kader, period=Period.parse("2025-03")) == [weighed, water]
    assert store.list_records(
        world.operator, period=Period.parse("2025-Q2"), purpose=Purpose.PELAYANAN
    ) == [place]
    by_operator, _ = store.add_record(
        world.operator,
        {
            "record_type": "uji.lingkungan",
            "place": "32.75.01",
            "observed_on": "2025-04-02",
            "value": {"flooded": False},
        },
        Purpose.PELAYANAN,
        catalog,
    )
    assert by_operator.posyandu_id is None
    assert (
        store.get_record(world.operator, by_operator.id, purpose=Purpose.PELAYANAN) == by_operator
    )


def test_targets_and_quality_inputs(world: World) -> None:
    store = world.store
    agency = Actor("dinkes-1", Role.AGENCY_OFFICER, AgencyScope("dinkes-kota-bekasi", KOTA))
    target = store.set_target(
        agency,
        {
            "code": "kesehatan.hipertensi",
            "wilayah_code": "32.75",
            "year": 2025,
            "value": "12345.5",
            "source": "Estimasi Dinkes 2025",
        },
        Purpose.PELAPORAN,
    )
    assert target.value == Decimal("12345.5")
    again = store.set_target(
        agency,
        {
            "code": "kesehatan.hipertensi",
            "wilayah_code": "3275",
            "year": 2025,
            "value": 13000,
            "source": "Estimasi Dinkes 2025",
        },
        Purpose.PELAPORAN,
    )
    assert again.id == target.id
    assert again.value == Decimal(13000)
    village_target = store.set_target(
        world.operator,
        {
            "code": "kesehatan.balita",
            "wilayah_code": "32.75.01.1001",
            "year": 2025,
            "value": 40,
            "source": "Pendataan",
        },
        Purpose.ADMINISTRASI,
    )
    assert store.list_targets(world.operator, year=2025) == [village_target, again]
    # A kader sees targets for its village and the regions above it.
    assert store.list_targets(world.kader("mawar")) == [village_target, again]
    assert store.list_targets(world.kader("anggrek")) == [again]
    item = store.set_quality_input(
        agency,
        {
            "service_type": "kesehatan.hipertensi",
            "wilayah_code": "32.75",
            "year": 2025,
            "item": "tensimeter",
            "category": "barang_jasa",
            "required": 10,
            "met": 8,
        },
        Purpose.PELAPORAN,
    )
    assert (item.required, item.met, item.category) == (10, 8, "barang_jasa")
    assert store.list_quality_inputs(world.kader("mawar"), year=2025) == [item]
    assert store.list_quality_inputs(operator(KodeWilayah("32.16"), "op-kab")) == []


def test_to_dict_is_json_ready(world: World) -> None:
    import json

    born = date.today() - timedelta(days=400)
    resident = world.resident("mawar", birth_date=born, address="Jl. Melati 1")
    posyandu = world.store.get_posyandu(world.operator, world.posyandu["mawar"].id)
    data = resident.to_dict()
    # A JSON round trip keeps everything: only text, numbers, booleans, lists and null.
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {f.name for f in attrs.fields(type(resident))}
    assert data["birth_date"] == born.isoformat()
    assert data["sex"] == "P"
    assert data["wilayah_code"] == "32.75.01.1001"
    assert data["nik"] == resident.nik
    assert isinstance(data["nik"], str)  # an identifier, never a number
    assert data["address"] == "Jl. Melati 1"
    assert data["restricted"] is False
    assert datetime.fromisoformat(data["created_at"]) == resident.created_at
    shown = posyandu.to_dict()
    assert json.loads(json.dumps(shown)) == shown
    assert shown["id"] == posyandu.id
    assert shown["wilayah_code"] == posyandu.wilayah_code.value
    assert [f["field"] for f in shown["fields"]] == ["kesehatan"]
    assert shown["fields"][0]["since"] == "2025-01-01"


def test_ensure_wilayah_copies_the_region_and_its_parents(world: World) -> None:
    store, op = world.store, world.operator
    village = store.ensure_wilayah(op, "3275021001")
    assert (village.code, village.name, village.kind) == (
        KodeWilayah("32.75.02.1001"),
        "Bintara",
        "kelurahan",
    )
    assert store.get_wilayah(world.kader("mawar"), "32.75.02").name == "Bekasi Barat"
    assert store.ensure_wilayah(op, "32.75.02.1001") == village
    created = store.list_audit(op, entity="wilayah", entity_id="32.75.02")
    assert [(e.action, e.purpose) for e in created] == [("create", "administrasi")]
    with pytest.raises(NotFound):
        store.get_wilayah(op, "32.75.12")

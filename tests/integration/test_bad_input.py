"""Damaged input at every write: a bilingual error naming field and value, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from store_helpers import World, make_nik

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah, Sex
from spm_core.domain.timezone import local_today
from spm_core.errors import AccessDenied, InputError, InvalidValue, Issue, NotFound

PROVINCE = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))


def _counts(world: World) -> tuple[int, ...]:
    store = world.store
    residents = store.list_residents(PROVINCE, purpose=Purpose.PELAYANAN)
    return (
        len(residents),
        len(store.list_households(PROVINCE, purpose=Purpose.PELAYANAN)),
        len(store.list_records(PROVINCE, purpose=Purpose.PELAYANAN)),
        sum(
            len(store.resident_memberships(PROVINCE, r.id, purpose=Purpose.PELAYANAN))
            for r in residents
        ),
        len(store.list_posyandu(PROVINCE)),
        len(store.list_targets(PROVINCE)),
        len(store.list_quality_inputs(PROVINCE)),
        # Counting reads people's rows, itself logged: compare the writes.
        len([e for e in store.list_audit(PROVINCE) if e.action != "read"]),
    )


@contextmanager
def rejected(
    world: World, field: str, value: str | None, code: str | None = None
) -> Iterator[list[InputError]]:
    """Expect an InputError with an issue on ``field`` showing ``value``, and no write."""
    before = _counts(world)
    caught: list[InputError] = []
    with pytest.raises(InputError) as raised:
        yield caught
    caught.append(raised.value)
    issues = [i for i in raised.value.issues if i.field == field]
    assert issues, raised.value.issues
    issue: Issue = issues[0]
    if value is not None:
        assert issue.value is not None
        assert value in issue.value
    if code is not None:
        assert issue.code == code
    assert issue.message_id
    assert issue.message_en
    assert issue.message_id != issue.message_en
    assert field in raised.value.message_id
    assert field in raised.value.message_en
    assert _counts(world) == before


def _resident(world: World, **data: Any) -> dict[str, Any]:
    values = {
        "name": "Warga Uji",
        "sex": "L",
        "birth_date": "1990-01-01",
        "posyandu_id": world.posyandu["mawar"].id,
    }
    values.update(data)
    return values


@pytest.mark.parametrize(
    ("nik", "shown", "reason"),
    [
        (3275010101900001, "3275010101900001", "must be text"),
        ("3.27E+15", "3.27E+15", "spreadsheet"),
        ("3275010101900001.0", "3275010101900001.0", "spreadsheet"),
        ("327501010190000", "327501010190000", "15 digits"),
        ("3275010101900000", "3275010101900000", "serial 0000"),
    ],
)
def test_add_resident_rejects_damaged_nik(world: World, nik: Any, shown: str, reason: str) -> None:
    with rejected(world, "nik", shown, "invalid-nik") as caught:
        world.store.add_resident(world.kader("mawar"), _resident(world, nik=nik), "pendataan")
    assert reason in caught[0].issues[0].message_en


def test_add_resident_rejects_bad_fields_all_at_once(world: World) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    with pytest.raises(InputError) as raised:
        world.store.add_resident(
            world.kader("mawar"),
            _resident(world, name="  ", sex="X", birth_date=future, rt="RT 0", hobby="x"),
            Purpose.PENDATAAN,
        )
    fields = {i.field: i.code for i in raised.value.issues}
    assert fields == {
        "name": "required",
        "sex": "not-allowed",
        "birth_date": "date-in-future",
        "rt": "invalid-rt-rw",
        "hobby": "unknown-field",
    }


def test_add_resident_unknown_or_foreign_posyandu_and_duplicate_nik(world: World) -> None:
    kader = world.kader("mawar")
    with rejected(world, "posyandu_id", "tidak-ada", "not-found"):
        world.store.add_resident(kader, _resident(world, posyandu_id="tidak-ada"), "pendataan")
    foreign = world.posyandu["anggrek"].id
    with rejected(world, "posyandu_id", foreign, "not-found"):
        world.store.add_resident(kader, _resident(world, posyandu_id=foreign), "pendataan")
    existing = world.resident("mawar")
    assert existing.nik is not None
    with rejected(world, "nik", existing.nik, "duplicate-nik"):
        world.store.add_resident(kader, _resident(world, nik=existing.nik), "pendataan")


def test_purpose_must_fit_the_write(world: World) -> None:
    before = _counts(world)
    with pytest.raises(InvalidValue) as raised:
        world.store.add_resident(world.kader("mawar"), _resident(world), Purpose.PENELITIAN)
    assert "penelitian" in raised.value.message_id
    with pytest.raises(InvalidValue):
        world.store.add_resident(world.kader("mawar"), _resident(world), "iseng")
    assert _counts(world) == before


def test_add_household_bad_input(world: World) -> None:
    kader = world.kader("mawar")
    posyandu = world.posyandu["mawar"].id
    with rejected(world, "nomor_kk", "3216061203180007", "invalid-kk"):
        world.store.add_household(
            kader,
            {"posyandu_id": posyandu, "rt": 1, "rw": 2, "nomor_kk": 3216061203180007},
            "pendataan",
        )
    with rejected(world, "rw", None, "required"):
        world.store.add_household(kader, {"posyandu_id": posyandu, "rt": "01"}, "pendataan")
    world.household("mawar", nomor_kk="3216061203180007")
    with rejected(world, "nomor_kk", "3216061203180007", "duplicate-kk"):
        world.household("mawar", nomor_kk="3216-0612-0318-0007")


def _membership(household: str, resident: str, **data: Any) -> dict[str, Any]:
    return {
        "household_id": household,
        "resident_id": resident,
        "relationship": 4,
        "start": "2020-01-01",
        **data,
    }


def test_add_membership_keeps_both_rules(world: World) -> None:
    store, kader = world.store, world.kader("mawar")
    first, second = world.household("mawar"), world.household("mawar")
    head, other = world.resident("mawar"), world.resident("mawar")
    store.add_membership(kader, _membership(first.id, head.id, relationship=1), "pendataan")
    with rejected(world, "start", "2023-01-01..", "overlapping-membership"):
        store.add_membership(
            kader, _membership(second.id, head.id, start="2023-01-01"), "pendataan"
        )
    with rejected(world, "relationship", "1", "second-kepala-keluarga"):
        store.add_membership(
            kader, _membership(first.id, other.id, relationship=1, start="2024-05-01"), "pendataan"
        )
    with rejected(world, "end", "2019-01-01", "end-before-start"):
        store.add_membership(kader, _membership(first.id, other.id, end="2019-01-01"), "pendataan")
    with rejected(world, "relationship", "12", "not-allowed"):
        store.add_membership(kader, _membership(first.id, other.id, relationship=12), "pendataan")
    foreign = world.resident("anggrek")
    with rejected(world, "resident_id", foreign.id, "not-found"):
        store.add_membership(kader, _membership(first.id, foreign.id), "pendataan")


def test_end_membership_checks(world: World) -> None:
    store, kader = world.store, world.kader("mawar")
    household = world.household("mawar")
    resident = world.resident("mawar")
    membership = store.add_membership(kader, _membership(household.id, resident.id), "pendataan")
    with rejected(world, "end", "2000-01-01", "end-before-start"):
        store.end_membership(kader, membership.id, date(2000, 1, 1), "pendataan")
    with pytest.raises(NotFound):
        store.end_membership(world.kader("anggrek"), membership.id, date(2024, 1, 1), "pendataan")


def _record(**data: Any) -> dict[str, Any]:
    return {"observed_on": "2025-01-01", **data}


def test_add_record_bad_input(world: World) -> None:
    store, kader, catalog = world.store, world.kader("mawar"), world.catalog
    resident = world.resident("mawar")
    household = world.household("mawar")

    def add(data: dict[str, Any]) -> Any:
        return store.add_record(kader, data, Purpose.PELAYANAN, catalog)

    with rejected(world, "resident_id", resident.id, "wrong-subject"):
        add(_record(record_type="uji.air", resident_id=resident.id, value={"source": "pipa"}))
    with rejected(world, "value.weight_kg", "0", "out-of-range"):
        add(_record(record_type="uji.timbang", resident_id=resident.id, value={"weight_kg": 0}))
    with rejected(world, "value.source", "danau", "not-allowed"):
        add(_record(record_type="uji.air", household_id=household.id, value={"source": "danau"}))
    with rejected(world, "value.colour", "merah", "unknown-field"):
        add(
            _record(
                record_type="uji.lingkungan",
                place="32.75.01.1001",
                value={"flooded": True, "colour": "merah"},
            )
        )
    with rejected(world, "record_type", "uji.tidak-ada", "unknown-code"):
        add(_record(record_type="uji.tidak-ada", resident_id=resident.id, value={}))
    with rejected(world, "household_id", "resident_id, household_id", "one-subject"):
        add(
            _record(
                record_type="uji.air",
                resident_id=resident.id,
                household_id=household.id,
                value={"source": "pipa"},
            )
        )
    with rejected(world, "place", "32.75.01.1002", "not-found"):
        add(_record(record_type="uji.lingkungan", place="32.75.01.1002", value={"flooded": True}))
    # tomorrow on the posyandu's clock (WIB), not the machine's: from 17:00 UTC they differ
    future = (local_today("32.75") + timedelta(days=1)).isoformat()
    with rejected(world, "observed_on", future, "date-in-future"):
        add(
            _record(
                record_type="uji.timbang",
                resident_id=resident.id,
                observed_on=future,
                value={"weight_kg": 3},
            )
        )
    foreign = world.resident("anggrek")
    with rejected(world, "resident_id", foreign.id, "not-found"):
        add(_record(record_type="uji.timbang", resident_id=foreign.id, value={"weight_kg": 3}))


def test_add_posyandu_bad_input(world: World) -> None:
    store, op = world.store, world.operator

    def add(**data: Any) -> Any:
        return store.add_posyandu(op, {"name": "Posyandu Uji", **data}, Purpose.ADMINISTRASI)

    with rejected(world, "wilayah_code", "32.16.01.2001", "out-of-scope"):
        add(wilayah_code="32.16.01.2001")
    with rejected(world, "wilayah_code", "32.75.01", "invalid-region-code"):
        add(wilayah_code="32.75.01")
    with rejected(world, "wilayah_code", "32.75.01.1999", "unknown-region"):
        add(wilayah_code="32.75.01.1999")
    add(wilayah_code="32.75.01.1001", registration_number="3275011001.009")
    with rejected(world, "registration_number", "3275011001.009", "duplicate-registration-number"):
        add(wilayah_code="32.75.01.1001", registration_number="3275011001.009")


def test_set_posyandu_field_bad_input(world: World) -> None:
    store, op = world.store, world.operator
    mawar = world.posyandu["mawar"].id

    def set_field(field: Any, since: date, until: date | None = None) -> Any:
        return store.set_posyandu_field(op, mawar, field, since, until, purpose="administrasi")

    with rejected(world, "field", "olahraga", "not-allowed"):
        set_field("olahraga", date(2025, 1, 1))
    with rejected(world, "until", "2024-01-01", "end-before-start"):
        set_field("pupr", date(2025, 1, 1), date(2024, 1, 1))
    with rejected(world, "since", "2025-06-01", "overlapping-period"):
        set_field("kesehatan", date(2025, 6, 1))
    with pytest.raises(NotFound):
        store.set_posyandu_field(
            op, "tidak-ada", "pupr", date(2025, 1, 1), purpose=Purpose.ADMINISTRASI
        )


def test_update_resident_bad_input(world: World) -> None:
    store, kader = world.store, world.kader("mawar")
    resident, other = world.resident("mawar"), world.resident("mawar")
    assert other.nik is not None
    with rejected(world, "nik", other.nik, "duplicate-nik"):
        store.update_resident(kader, resident.id, {"nik": other.nik}, 1, "koreksi")
    with rejected(world, "name", None, "required"):
        store.update_resident(kader, resident.id, {"name": None}, 1, "koreksi")
    with rejected(world, "posyandu_id", world.posyandu["anggrek"].id, "not-found"):
        store.update_resident(
            kader, resident.id, {"posyandu_id": world.posyandu["anggrek"].id}, 1, "koreksi"
        )
    with pytest.raises(NotFound):
        store.update_resident(world.kader("anggrek"), resident.id, {"name": "X"}, 1, "koreksi")


def test_targets_and_quality_inputs_bad_input(world: World) -> None:
    store, op = world.store, world.operator
    target = {
        "code": "uji.sasaran",
        "wilayah_code": "32.75",
        "year": 2025,
        "value": 1,
        "source": "uji",
    }
    with rejected(world, "wilayah_code", "32.16", "out-of-scope"):
        store.set_target(op, {**target, "wilayah_code": "32.16"}, Purpose.PELAPORAN)
    with rejected(world, "value", "-1", "out-of-range"):
        store.set_target(op, {**target, "value": -1}, Purpose.PELAPORAN)
    with rejected(world, "year", "1999", "out-of-range"):
        store.set_target(op, {**target, "year": 1999}, Purpose.PELAPORAN)
    item = {
        "service_type": "uji.layanan",
        "wilayah_code": "32.75",
        "year": 2025,
        "item": "alat",
        "category": "sdm",
        "required": 1,
        "met": 2,
    }
    with rejected(world, "met", "2", "met-above-required"):
        store.set_quality_input(op, item, Purpose.PELAPORAN)
    with rejected(world, "category", "alat", "not-allowed"):
        store.set_quality_input(op, {**item, "met": 1, "category": "alat"}, Purpose.PELAPORAN)


def test_bulk_one_bad_row_writes_nothing_and_every_bad_row_is_named(world: World) -> None:
    store, kader = world.store, world.kader("mawar")
    existing = world.resident("mawar")
    good_nik = make_nik(880, date(2000, 2, 2), Sex.MALE)

    def row(**data: Any) -> dict[str, Any]:
        return _resident(world, **data)

    rows = [
        row(nik=good_nik, name="Satu"),
        row(nik=3275010202000881, name="Dua"),
        row(name="Tiga", posyandu_id=world.posyandu["anggrek"].id),
        row(nik=good_nik, name="Empat"),
        row(nik=existing.nik, name="Lima"),
        row(name="Enam"),
        row(name="Tujuh", birth_date="31-02-2001"),
    ]
    before = _counts(world)
    with pytest.raises(InputError) as raised:
        store.add_residents(kader, rows, Purpose.PENDATAAN)
    named = [(i.row, i.field, i.code) for i in raised.value.issues]
    assert named == [
        (2, "nik", "invalid-nik"),
        (3, "posyandu_id", "not-found"),
        (4, "nik", "duplicate-nik-in-batch"),
        (5, "nik", "duplicate-nik"),
        (7, "birth_date", "invalid-date"),
    ]
    assert "baris 2" in raised.value.message_id
    assert "row 2" in raised.value.message_en
    assert _counts(world) == before
    good = [rows[0], rows[5]]
    result = store.add_residents(kader, good, Purpose.PENDATAAN)
    assert [r.name for r in result.residents] == ["Satu", "Enam"]
    assert [store.get_resident(kader, r.id) for r in result.residents] == list(result.residents)
    assert store.add_residents(kader, [], Purpose.PENDATAAN).residents == ()


def test_bulk_reports_nik_notices_with_row_numbers(world: World) -> None:
    mismatch = make_nik(881, date(1970, 3, 3), Sex.MALE)
    result = world.store.add_residents(
        world.kader("mawar"),
        [_resident(world, name="A"), _resident(world, name="B", nik=mismatch, sex="P")],
        Purpose.PENDATAAN,
    )
    assert {(n, notice.code) for n, notice in result.notices} == {
        (2, "nik-birth-date-mismatch"),
        (2, "nik-sex-mismatch"),
    }


def test_lookup_with_a_malformed_nik_is_an_input_error(world: World) -> None:
    with pytest.raises(InputError) as raised:
        world.store.find_resident_by_nik(world.kader("mawar"), "12345")
    assert raised.value.issues[0].field == "nik"


def test_ensure_wilayah_bad_input(world: World) -> None:
    store, op = world.store, world.operator
    with rejected(world, "code", "32.16.01", "out-of-scope"):
        store.ensure_wilayah(op, "32.16.01")
    with rejected(world, "code", "32.75.99", "unknown-region"):
        store.ensure_wilayah(op, "32.75.99")
    with rejected(world, "code", "32.7", "invalid-region-code"):
        store.ensure_wilayah(op, "32.7")
    with pytest.raises(AccessDenied):
        store.ensure_wilayah(world.kader("mawar"), "32.75.01")

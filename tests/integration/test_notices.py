"""Warnings that never stop a write, on both databases.

* A posyandu registration number that does not start with the village code: its format
  (Kepmendagri 100.3-2834/2025, ``PP.KK.KC.DDDD.NNN``) is UNCONFIRMED in domain.md §3.1,
  so the number is kept and flagged, never rejected.
* A record of a field the posyandu does not serve (a ``pupr`` record at a posyandu that
  serves only ``kesehatan``): kept, with a notice.
"""

from __future__ import annotations

from datetime import date

import pytest
from store_helpers import World, build_world, operator

from spm_core.access import Actor, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store, SubjectRef

FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


@pytest.fixture(scope="module")
def field_catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS))


@pytest.fixture
def city(store: Store, field_catalog: Catalog) -> World:
    """The seeded world, with the six field plugins' catalog."""
    return build_world(store, field_catalog)


def test_registration_number_of_another_village_is_kept_with_a_notice(world: World) -> None:
    store = world.store
    posyandu = store.add_posyandu(
        operator(),
        {
            "name": "Posyandu Kenanga",
            "wilayah_code": "32.75.01.1001",
            "registration_number": "32.16.01.2001.001",  # the village code of another desa
        },
        Purpose.ADMINISTRASI,
    )
    assert posyandu.registration_number == "32.16.01.2001.001"
    [notice] = posyandu.notices
    assert notice.code == "registration-number-format"
    assert notice.field == "registration_number"
    assert notice.value == "32.16.01.2001.001"
    assert "32.75.01.1001" in notice.message_id
    assert "belum terkonfirmasi" in notice.message_id
    assert "unconfirmed" in notice.message_en
    # Stored as given, and flagged again when read back.
    again = store.get_posyandu(operator(), posyandu.id)
    assert again.registration_number == "32.16.01.2001.001"
    assert [n.code for n in again.notices] == ["registration-number-format"]


@pytest.mark.parametrize("number", ["32.75.01.1001.007", "3275011001007", None])
def test_registration_number_of_its_village_has_no_notice(world: World, number: str | None) -> None:
    posyandu = world.store.add_posyandu(
        operator(),
        {"name": "Posyandu Dahlia", "wilayah_code": "32.75.01.1001", "registration_number": number},
        Purpose.ADMINISTRASI,
    )
    assert posyandu.notices == ()


def _kader(city: World) -> Actor:
    return Actor("kader-mawar", Role.KADER, PosyanduScope(city.posyandu["mawar"].id))


def test_record_of_a_field_the_posyandu_does_not_serve_is_kept_with_a_notice(
    city: World, field_catalog: Catalog
) -> None:
    household = city.household("mawar")
    assert not city.posyandu["mawar"].serves(
        field_catalog.record_type("pupr.sumber-air-minum").field, date(2025, 3, 10)
    )
    record, notices = city.store.add_record(
        _kader(city),
        {
            "record_type": "pupr.sumber-air-minum",
            "household_id": household.id,
            "observed_on": "2025-03-10",
            "value": {"source": "perpipaan"},
        },
        Purpose.PENDATAAN,
        field_catalog,
    )
    assert [n.code for n in notices] == ["field-not-served"]
    [notice] = notices
    assert notice.value == "pupr.sumber-air-minum"
    assert "Posyandu 'Posyandu Mawar' tidak melayani bidang Pekerjaan Umum" in notice.message_id
    assert "2025-03-10" in notice.message_en
    stored = city.store.list_records(_kader(city), subject=SubjectRef.household(household.id))
    assert [r.id for r in stored] == [record.id]


def test_record_of_a_served_field_has_no_such_notice(city: World, field_catalog: Catalog) -> None:
    child = city.resident("mawar", birth_date=date(2023, 11, 2))
    _, notices = city.store.add_record(
        _kader(city),
        {
            "record_type": "kesehatan.penimbangan",
            "resident_id": child.id,
            "observed_on": "2025-03-10",
            "value": {"weight_kg": 11.2, "height_cm": 84.5, "position": "berdiri"},
        },
        Purpose.PELAYANAN,
        field_catalog,
    )
    assert "field-not-served" not in {n.code for n in notices}


def test_record_before_the_field_is_served_has_the_notice(
    city: World, field_catalog: Catalog
) -> None:
    # Mawar serves kesehatan since 2025-01-01: a weighing dated 2024 is outside that period.
    child = city.resident("mawar", birth_date=date(2023, 11, 2))
    _, notices = city.store.add_record(
        _kader(city),
        {
            "record_type": "kesehatan.penimbangan",
            "resident_id": child.id,
            "observed_on": "2024-12-10",
            "value": {"weight_kg": 9.1, "height_cm": 75.0, "position": "berbaring"},
        },
        Purpose.PELAYANAN,
        field_catalog,
    )
    assert "field-not-served" in {n.code for n in notices}

"""Purpose-bound reads and the read log (UU PDP 27/2022 Ps. 16(2), 31; test T8).

A desa officer must say why they read a resident; a kader reading a resident of their
own posyandu need not. Reading a child's data or health records is specific data and
leaves a ``read`` line in the processing log with the purpose, the categories and the
number of rows; a kader's read of an adult's general data leaves none.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from store_helpers import StoreTestPlugin, World

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.definitions import RecordType
from spm_core.domain import KodeWilayah
from spm_core.errors import InvalidValue, NotFound
from spm_core.plugins import make_plugin_manager
from spm_core.privacy import incident_report, read_records, read_resident
from spm_core.privacy.export import export_subject
from spm_core.store import SubjectRef

OFFICER = Actor("desa-bekasijaya", Role.DESA_OFFICER, AreaScope(KodeWilayah("32.75.01.1001")))


class HealthIsSpecific(StoreTestPlugin):
    """The store test plugin with weighings marked specific (health), as kesehatan does."""

    def record_types(self) -> list[RecordType]:
        return [
            attrs.evolve(t, specific=True) if t.code == "uji.timbang" else t
            for t in super().record_types()
        ]


@pytest.fixture(scope="module")
def specific_catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(entry_points=False, extra=[HealthIsSpecific()]))


def _reads(world: World) -> list[tuple[str, str, str, tuple[str, ...], int | None]]:
    return [
        (e.actor_id, e.entity, e.purpose, e.fields, e.row_count)
        for e in world.store.list_audit(world.operator, action="read")
    ]


def test_an_officer_names_a_purpose_and_the_read_is_logged(world: World) -> None:
    adult = world.resident("mawar", name="Dewi Dewasa", birth_date=date(1980, 3, 3))
    with pytest.raises(InvalidValue):
        read_resident(world.store, OFFICER, adult.id)
    assert _reads(world) == []
    found = read_resident(world.store, OFFICER, adult.id, Purpose.PELAYANAN)
    assert found.name == "Dewi Dewasa"
    ((who, entity, purpose, fields, rows),) = _reads(world)
    assert (who, entity, purpose, rows) == ("desa-bekasijaya", "resident", "pelayanan", 1)
    assert "nik" in fields
    assert "Dewi" not in repr(_reads(world))


def test_a_kader_reads_an_adult_freely_and_a_child_on_the_record(world: World) -> None:
    adult = world.resident("mawar", birth_date=date(1980, 3, 3))
    child = world.resident("mawar", birth_date=date(2023, 3, 3))
    kader = world.kader("mawar")
    read_resident(world.store, kader, adult.id)
    assert _reads(world) == []
    read_resident(world.store, kader, child.id)
    ((_, entity, _, fields, rows),) = _reads(world)
    assert entity == "resident"
    assert "children" in fields
    assert rows == 1
    with pytest.raises(NotFound):  # scope still applies
        read_resident(world.store, world.kader("anggrek"), child.id)


def test_health_records_are_specific_and_their_reads_are_counted(
    world: World, specific_catalog: Catalog
) -> None:
    adult = world.resident("mawar", birth_date=date(1980, 3, 3))
    for day in ("2025-01-10", "2025-02-10"):
        world.store.add_record(
            world.kader("mawar"),
            {
                "record_type": "uji.timbang",
                "resident_id": adult.id,
                "observed_on": day,
                "value": {"weight_kg": 60},
            },
            Purpose.PELAYANAN,
            world.catalog,
        )
    subject = SubjectRef.resident(adult.id)
    general = read_records(world.store, world.kader("mawar"), subject, catalog=world.catalog)
    assert len(general) == 2
    assert _reads(world) == []  # not specific in the plain catalog, and the kader's own
    read_records(world.store, world.kader("mawar"), subject, catalog=specific_catalog)
    ((who, entity, _, fields, rows),) = _reads(world)
    assert (who, entity, fields, rows) == ("kader-mawar", "record", ("uji.timbang:health",), 2)
    # The read shows in the subject's own processing log and in an incident report.
    log = export_subject(world.store, world.operator, adult.id).processing_log
    assert [line.action for line in log if line.entity == "record"][-1] == "read"
    report = incident_report(
        world.store, world.operator, who="kader-mawar", catalog=specific_catalog
    )
    assert adult.id in report.residents
    assert "health" in report.specific

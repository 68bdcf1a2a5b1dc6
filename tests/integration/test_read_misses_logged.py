"""A look-up with a purpose that finds nothing is logged: misses are what an incident shows."""

from __future__ import annotations

import pytest
from store_helpers import World

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import NotFound

KABUPATEN = Actor("op-kabupaten", Role.OPERATOR, AreaScope(KodeWilayah("32.16")))


def _reads(world: World) -> list[tuple[str, str, str, int | None, str | None]]:
    return [
        (e.actor_id, e.entity, e.entity_id, e.row_count, e.purpose)
        for e in world.store.list_audit(world.operator)
        if e.action == "read"
    ]


def test_a_nik_tried_and_not_found_leaves_a_line_without_the_nik(world: World) -> None:
    store = world.store
    before = _reads(world)
    tried = "3275014101900099"
    with pytest.raises(NotFound):
        store.find_resident_by_nik(world.operator, tried, purpose=Purpose.PELAYANAN)
    added = _reads(world)[len(before) :]
    assert len(added) == 1
    actor, entity, entity_id, rows, purpose = added[0]
    assert (actor, entity, rows, purpose) == ("op-kota", "resident", 0, "pelayanan")
    assert tried not in entity_id
    assert entity_id.startswith("find_resident_by_nik")


def test_a_resident_of_another_region_is_not_found_and_the_attempt_is_logged(
    world: World,
) -> None:
    siti = world.resident("mawar", name="Siti Lain Wilayah")
    store = world.store
    with pytest.raises(NotFound):
        store.get_resident(KABUPATEN, siti.id, purpose=Purpose.PELAYANAN)
    # The line is the Kabupaten operator's, scoped to the Kabupaten: Kota Bekasi's
    # operator does not see it, the Kabupaten's does — with the id that was tried.
    mine = [e for e in store.list_audit(KABUPATEN) if e.action == "read"]
    assert [(e.actor_id, e.row_count, e.wilayah_code) for e in mine] == [
        ("op-kabupaten", 0, "32.16")
    ]
    assert siti.id in mine[0].entity_id
    assert all(e.actor_id != "op-kabupaten" for e in store.list_audit(world.operator))


def test_a_kader_without_a_purpose_and_a_found_row_log_as_before(world: World) -> None:
    store = world.store
    kader = world.kader("mawar")
    before = len(_reads(world))
    with pytest.raises(NotFound):
        store.get_resident(kader, "tidak-ada")  # a kader's own miss, no purpose named
    assert len(_reads(world)) == before
    siti = world.resident("mawar", name="Siti Ada")
    store.get_resident(world.operator, siti.id, purpose=Purpose.PELAYANAN)
    assert _reads(world)[-1][2:4] == (siti.id, 1)

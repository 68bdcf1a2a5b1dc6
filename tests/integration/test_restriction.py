"""The UU PDP restriction flag: a restricted resident is seen by operators only.

``resident.restricted`` suspends processing of a resident (UU PDP 27/2022 Ps. 11). For a
kader or a desa/kelurahan officer the resident — and every record and membership about
them — then reads exactly like an id that does not exist, and every write that names
them fails exactly as for an unknown id. An operator in scope still sees them, with the
flag, and lifts the restriction; the audit log names the field, never the value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import attrs
import pytest
from store_helpers import KAB, World, make_nik, operator

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import InputError, Issue, NotFound
from spm_core.store import AuditEntry, Membership, Record, Resident, Store, SubjectRef

GHOST_ID = "00000000-0000-4000-8000-000000000000"
GHOST_NIK = make_nik(9999, date(1970, 1, 1), Sex.MALE, prefix="327502")
ON = date(2025, 1, 1)
VILLAGE = KodeWilayah("32.75.01.1001")  # the village of posyandu mawar and melati


@attrs.define
class Scene:
    """A household at posyandu mawar with a resident to restrict and one left alone."""

    world: World
    hidden: Resident
    other: Resident
    household_id: str
    hidden_membership: Membership
    other_membership: Membership
    hidden_records: tuple[Record, ...]
    other_record: Record
    household_record: Record

    def restrict(self, actor: Actor, restricted: bool) -> Resident:
        """Set the restriction flag of the hidden resident as ``actor``."""
        current = self.world.store.get_resident(
            self.world.operator, self.hidden.id, purpose=Purpose.PELAYANAN
        )
        updated, _ = self.world.store.update_resident(
            actor, self.hidden.id, {"restricted": restricted}, current.version, Purpose.KOREKSI
        )
        return updated


def _weighing(world: World, actor: Actor, resident_id: str, kg: float) -> Record:
    record, _ = world.store.add_record(
        actor,
        {
            "record_type": "uji.timbang",
            "resident_id": resident_id,
            "observed_on": "2025-03-01",
            "value": {"weight_kg": kg},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    return record


@pytest.fixture
def scene(world: World) -> Scene:
    store, kader = world.store, world.kader("mawar")
    hidden = world.resident("mawar", name="Siti Dibatasi")
    other = world.resident("mawar", name="Budi Terlihat", sex="L")
    household = world.household("mawar")
    memberships = [
        store.add_membership(
            kader,
            {
                "household_id": household.id,
                "resident_id": resident.id,
                "relationship": relationship,
                "start": "2020-01-01",
            },
            Purpose.PENDATAAN,
        )
        for resident, relationship in ((hidden, 1), (other, 3))
    ]
    household_record, _ = store.add_record(
        kader,
        {
            "record_type": "uji.air",
            "household_id": household.id,
            "observed_on": "2025-03-01",
            "value": {"source": "pipa"},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    return Scene(
        world=world,
        hidden=hidden,
        other=other,
        household_id=household.id,
        hidden_membership=memberships[0],
        other_membership=memberships[1],
        hidden_records=(
            _weighing(world, kader, hidden.id, 51.5),
            _weighing(world, kader, hidden.id, 52.0),
        ),
        other_record=_weighing(world, kader, other.id, 70.0),
        household_record=household_record,
    )


@pytest.fixture(params=["kader", "desa_officer"])
def non_operator(request: pytest.FixtureRequest, world: World) -> Actor:
    """A kader of posyandu mawar, or the officer of its village: both see its residents."""
    if request.param == "kader":
        return world.kader("mawar")
    return Actor("desa-1001", Role.DESA_OFFICER, AreaScope(VILLAGE))


def _writes(store: Store, actor: Actor) -> list[AuditEntry]:
    """The audit rows of writes: the test's own reads with a purpose are logged too."""
    return [e for e in store.list_audit(actor) if e.action != "read"]


def _not_found(call: Callable[[], object], value: str) -> tuple[str, str, str]:
    """Return the NotFound ``call`` raises, with ``value`` blanked out of its messages."""
    with pytest.raises(NotFound) as caught:
        call()
    error = caught.value
    return (
        error.code,
        error.message_id.replace(value, "<id>"),
        error.message_en.replace(value, "<id>"),
    )


def _input_issue(call: Callable[[], object], value: str) -> Issue:
    """Return the one issue of the InputError ``call`` raises, with ``value`` blanked out."""
    with pytest.raises(InputError) as caught:
        call()
    (issue,) = caught.value.issues
    return Issue(
        issue.code,
        issue.field,
        None if issue.value is None else issue.value.replace(value, "<id>"),
        issue.message_id.replace(value, "<id>"),
        issue.message_en.replace(value, "<id>"),
        issue.row,
    )


def _ids(rows: list[Any]) -> set[str]:
    return {row.id for row in rows}


def _assert_sees_everything(scene: Scene, actor: Actor) -> None:
    """``actor`` sees the hidden resident and every row about them."""
    store, hidden = scene.world.store, scene.hidden
    assert store.get_resident(actor, hidden.id, purpose=Purpose.PELAYANAN).id == hidden.id
    assert hidden.nik is not None
    assert store.find_resident_by_nik(actor, hidden.nik, purpose=Purpose.PELAYANAN).id == hidden.id
    assert _ids(store.list_residents(actor, purpose=Purpose.PELAYANAN)) >= {
        hidden.id,
        scene.other.id,
    }
    assert _ids(
        store.household_members(actor, scene.household_id, ON, purpose=Purpose.PELAYANAN)
    ) == {
        scene.hidden_membership.id,
        scene.other_membership.id,
    }
    assert _ids(store.resident_memberships(actor, hidden.id, purpose=Purpose.PELAYANAN)) == {
        scene.hidden_membership.id
    }
    assert (
        store.get_membership(
            actor, scene.hidden_membership.id, purpose=Purpose.PELAYANAN
        ).resident_id
        == hidden.id
    )
    for record in scene.hidden_records:
        assert store.get_record(actor, record.id, purpose=Purpose.PELAYANAN) == record
    assert _ids(
        store.list_records(actor, subject=SubjectRef.resident(hidden.id), purpose=Purpose.PELAYANAN)
    ) == _ids(list(scene.hidden_records))
    assert _ids(store.list_records(actor, purpose=Purpose.PELAYANAN)) == _ids(
        [*scene.hidden_records, scene.other_record, scene.household_record]
    )


def test_a_restricted_resident_vanishes_from_every_read_of_a_non_operator(
    scene: Scene, non_operator: Actor
) -> None:
    store, hidden, actor = scene.world.store, scene.hidden, non_operator
    _assert_sees_everything(scene, actor)
    scene.restrict(scene.world.operator, True)

    assert _not_found(
        lambda: store.get_resident(actor, hidden.id, purpose=Purpose.PELAYANAN), hidden.id
    ) == _not_found(
        lambda: store.get_resident(actor, GHOST_ID, purpose=Purpose.PELAYANAN), GHOST_ID
    )
    assert hidden.nik is not None
    nik = hidden.nik
    assert _not_found(
        lambda: store.find_resident_by_nik(actor, nik, purpose=Purpose.PELAYANAN), nik
    ) == _not_found(
        lambda: store.find_resident_by_nik(actor, GHOST_NIK, purpose=Purpose.PELAYANAN), GHOST_NIK
    )
    assert _not_found(
        lambda: store.resident_memberships(actor, hidden.id, purpose=Purpose.PELAYANAN), hidden.id
    ) == _not_found(
        lambda: store.resident_memberships(actor, GHOST_ID, purpose=Purpose.PELAYANAN), GHOST_ID
    )
    membership_id = scene.hidden_membership.id
    assert _not_found(
        lambda: store.get_membership(actor, membership_id, purpose=Purpose.PELAYANAN), membership_id
    ) == _not_found(
        lambda: store.get_membership(actor, GHOST_ID, purpose=Purpose.PELAYANAN), GHOST_ID
    )
    for record in scene.hidden_records:
        why = Purpose.PELAYANAN
        assert _not_found(partial(store.get_record, actor, record.id, purpose=why), record.id) == (
            _not_found(partial(store.get_record, actor, GHOST_ID, purpose=why), GHOST_ID)
        )

    # Lists go on as if the resident had never been registered …
    assert _ids(store.list_residents(actor, purpose=Purpose.PELAYANAN)) == {scene.other.id}
    assert _ids(
        store.list_residents(
            actor, posyandu_id=scene.world.posyandu["mawar"].id, purpose=Purpose.PELAYANAN
        )
    ) == {scene.other.id}
    assert _ids(
        store.household_members(actor, scene.household_id, ON, purpose=Purpose.PELAYANAN)
    ) == {scene.other_membership.id}
    assert (
        store.list_records(actor, subject=SubjectRef.resident(hidden.id), purpose=Purpose.PELAYANAN)
        == []
    )
    # … while the rest of the household, and what is recorded about it, stay in sight.
    assert _ids(store.list_records(actor, purpose=Purpose.PELAYANAN)) == {
        scene.other_record.id,
        scene.household_record.id,
    }
    assert store.get_resident(actor, scene.other.id, purpose=Purpose.PELAYANAN) == scene.other
    assert (
        store.get_household(actor, scene.household_id, purpose=Purpose.PELAYANAN).id
        == scene.household_id
    )
    assert (
        store.get_record(actor, scene.household_record.id, purpose=Purpose.PELAYANAN)
        == scene.household_record
    )


def test_a_non_operator_cannot_write_about_a_restricted_resident(
    scene: Scene, non_operator: Actor
) -> None:
    world, hidden, actor = scene.world, scene.hidden, non_operator
    store = world.store
    scene.restrict(world.operator, True)
    audit_before = _writes(store, world.operator)
    records_before = store.list_records(world.operator, purpose=Purpose.PELAYANAN)

    def weigh(resident_id: str) -> Callable[[], object]:
        return lambda: _weighing(world, actor, resident_id, 53.0)

    assert _input_issue(weigh(hidden.id), hidden.id) == _input_issue(weigh(GHOST_ID), GHOST_ID)

    def join(resident_id: str) -> Callable[[], object]:
        data = {
            "household_id": scene.household_id,
            "resident_id": resident_id,
            "relationship": 3,
            "start": "2026-01-01",
        }
        return lambda: store.add_membership(actor, data, Purpose.PENDATAAN)

    assert _input_issue(join(hidden.id), hidden.id) == _input_issue(join(GHOST_ID), GHOST_ID)

    current = store.get_resident(world.operator, hidden.id, purpose=Purpose.PELAYANAN).version

    def rename(resident_id: str, changes: dict[str, Any]) -> Callable[[], object]:
        return lambda: store.update_resident(actor, resident_id, changes, current, Purpose.KOREKSI)

    for changes in ({"name": "Nama Lain"}, {"restricted": False}):
        assert _not_found(rename(hidden.id, changes), hidden.id) == _not_found(
            rename(GHOST_ID, changes), GHOST_ID
        )
    membership_id = scene.hidden_membership.id
    assert _not_found(
        lambda: store.end_membership(actor, membership_id, date(2025, 6, 1), Purpose.PENDATAAN),
        membership_id,
    ) == _not_found(
        lambda: store.end_membership(actor, GHOST_ID, date(2025, 6, 1), Purpose.PENDATAAN),
        GHOST_ID,
    )

    after = store.get_resident(world.operator, hidden.id, purpose=Purpose.PELAYANAN)
    assert (after.name, after.restricted, after.version) == (hidden.name, True, current)
    assert store.list_records(world.operator, purpose=Purpose.PELAYANAN) == records_before
    assert (
        store.get_membership(world.operator, membership_id, purpose=Purpose.PELAYANAN).end is None
    )
    assert _writes(store, world.operator) == audit_before


def test_the_operator_sees_a_restricted_resident_and_lifts_the_restriction(
    scene: Scene, non_operator: Actor
) -> None:
    world, hidden = scene.world, scene.hidden
    store, op = world.store, world.operator
    restricted = scene.restrict(op, True)
    assert restricted.restricted is True
    assert restricted.version == hidden.version + 1

    _assert_sees_everything(scene, op)
    assert store.get_resident(op, hidden.id, purpose=Purpose.PELAYANAN).restricted is True
    assert (
        next(
            r for r in store.list_residents(op, purpose=Purpose.PELAYANAN) if r.id == hidden.id
        ).restricted
        is True
    )
    # The flag does not widen an operator's scope: the operator of another kab/kota
    # sees no more of the resident than before.
    with pytest.raises(NotFound):
        store.get_resident(operator(KAB, "op-kab"), hidden.id, purpose=Purpose.PELAYANAN)
    # Processing goes on for the operator, who may still write about the resident.
    extra = _weighing(world, op, hidden.id, 53.5)
    assert store.get_record(op, extra.id, purpose=Purpose.PELAYANAN).subject == SubjectRef.resident(
        hidden.id
    )
    with pytest.raises(NotFound):
        store.get_record(non_operator, extra.id, purpose=Purpose.PELAYANAN)
    scene.hidden_records = (*scene.hidden_records, extra)

    lifted = scene.restrict(op, False)
    assert (lifted.restricted, lifted.version) == (False, restricted.version + 1)
    _assert_sees_everything(scene, non_operator)
    assert (
        store.get_resident(non_operator, hidden.id, purpose=Purpose.PELAYANAN).restricted is False
    )


def test_a_kader_who_records_the_request_loses_sight_of_the_resident(scene: Scene) -> None:
    world, hidden = scene.world, scene.hidden
    kader = world.kader("mawar")
    restricted = scene.restrict(kader, True)
    assert restricted.restricted is True
    with pytest.raises(NotFound):
        world.store.get_resident(kader, hidden.id)
    with pytest.raises(NotFound):
        world.store.update_resident(
            kader, hidden.id, {"restricted": False}, restricted.version, Purpose.KOREKSI
        )
    assert (
        world.store.get_resident(world.operator, hidden.id, purpose=Purpose.PELAYANAN).restricted
        is True
    )


def test_the_audit_log_names_the_restriction_field_only(scene: Scene) -> None:
    world, hidden = scene.world, scene.hidden
    store, op = world.store, world.operator
    kader = world.kader("mawar")
    scene.restrict(kader, True)
    scene.restrict(op, False)
    scene.restrict(op, False)  # already lifted: nothing changes, nothing is logged

    entries = [
        e
        for e in store.list_audit(op, entity="resident", entity_id=hidden.id)
        if e.action != "read"  # the operator's reads of the resident are logged too
    ]
    assert [(e.action, e.actor_id, e.fields) for e in entries] == [
        ("create", kader.id, entries[0].fields),
        ("update", kader.id, ("restricted",)),
        ("update", op.id, ("restricted",)),
    ]
    for entry in entries[1:]:
        assert entry.purpose == Purpose.KOREKSI.value
        assert entry.entity == "resident"
        dumped = json.dumps(entry.to_dict())
        assert "true" not in dumped.lower()
        assert "false" not in dumped.lower()
        assert hidden.name not in dumped

"""No existence oracle: a NIK or KK held out of the actor's sight is never confirmed.

Before, registering with the NIK of a resident in another area (or a restricted one)
answered ``duplicate-nik`` while ``find_resident_by_nik`` said "not found": a kader
could test whether any NIK lived anywhere in the city. Now the kader gets the neutral
``nik-unavailable`` — the same words whether the holder lives elsewhere or is
restricted, naming neither — and the attempt is recorded for the holder's operator.
"""

from __future__ import annotations

from typing import Any

import pytest
from store_helpers import World
from test_bad_input import PROVINCE, _counts, _resident

from spm_core.access import Purpose
from spm_core.errors import InputError, Issue, NotFound


def _refusal(call: Any) -> Issue:
    with pytest.raises(InputError) as raised:
        call()
    (issue,) = raised.value.issues
    return issue


def _shape(issue: Issue) -> tuple[str, str, str, str]:
    return issue.code, issue.field, issue.message_id, issue.message_en


def test_a_nik_held_elsewhere_or_restricted_gets_one_neutral_answer(world: World) -> None:
    store = world.store
    mawar = world.kader("mawar")
    elsewhere = world.resident("anggrek")  # another kelurahan
    restricted = world.resident("mawar")
    store.update_resident(world.operator, restricted.id, {"restricted": True}, 1, "koreksi")
    visible = world.resident("mawar")
    assert elsewhere.nik
    assert restricted.nik
    assert visible.nik
    for nik in (elsewhere.nik, restricted.nik):
        with pytest.raises(NotFound):
            store.find_resident_by_nik(mawar, nik, purpose=Purpose.PELAYANAN)
    before = _counts(world)

    def register(nik: str) -> Issue:
        return _refusal(
            lambda: store.add_resident(mawar, _resident(world, nik=nik), Purpose.PENDATAAN)
        )

    far, hidden = register(elsewhere.nik), register(restricted.nik)
    assert far.code == "nik-unavailable"
    assert _shape(far) == _shape(hidden)
    for issue in (far, hidden):
        for text in (issue.message_id, issue.message_en):
            assert elsewhere.id not in text
            assert restricted.id not in text
            assert "anggrek" not in text.lower()
    # A holder the kader can see is named plainly: nothing is hidden from them.
    assert register(visible.nik).code == "duplicate-nik"
    # Updating to such a NIK answers the same, and nothing is written.
    own = world.resident("mawar")
    update = _refusal(
        lambda: store.update_resident(mawar, own.id, {"nik": elsewhere.nik}, 1, "koreksi")
    )
    assert _shape(update) == _shape(far)
    assert store.get_resident(mawar, own.id, purpose=Purpose.PELAYANAN).nik == own.nik
    assert _counts(world)[:7] == (before[0] + 1, *before[1:7])


def test_the_conflict_is_recorded_for_the_holders_operator(world: World) -> None:
    store = world.store
    mawar = world.kader("mawar")
    holder = world.resident("anggrek")
    assert holder.nik
    _refusal(lambda: store.add_resident(mawar, _resident(world, nik=holder.nik), "pendataan"))
    (conflict,) = store.list_audit(PROVINCE, action="nik-conflict")
    assert (conflict.entity, conflict.entity_id) == ("resident", holder.id)
    assert conflict.actor_id == mawar.id
    assert conflict.fields == ("nik",)
    assert conflict.posyandu_id == world.posyandu["anggrek"].id
    assert holder.nik not in str(conflict.to_dict())
    # The batch path answers and records the same way.
    with pytest.raises(InputError) as batch:
        store.add_residents(
            mawar, [_resident(world), _resident(world, nik=holder.nik)], "pendataan"
        )
    (issue,) = batch.value.issues
    assert (issue.code, issue.row) == ("nik-unavailable", 2)
    assert len(store.list_audit(PROVINCE, action="nik-conflict")) == 2


def test_a_kk_held_elsewhere_gets_the_neutral_answer(world: World) -> None:
    store = world.store
    theirs = world.household("anggrek", nomor_kk="3275011203180007")
    assert theirs.nomor_kk
    issue = _refusal(lambda: world.household("mawar", nomor_kk=theirs.nomor_kk))
    assert issue.code == "kk-unavailable"
    assert theirs.id not in issue.message_en
    (conflict,) = store.list_audit(PROVINCE, action="kk-conflict")
    assert (conflict.entity, conflict.entity_id) == ("household", theirs.id)
    assert world.household("anggrek", nomor_kk="3275011203180008").nomor_kk
    assert _refusal(lambda: world.household("anggrek", nomor_kk=theirs.nomor_kk)).code == (
        "duplicate-kk"
    )

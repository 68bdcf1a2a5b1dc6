"""Referrals in the store: idempotent submission, the lifecycle, versions, visibility."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from referral_helpers import FixedRouter, officer, submit
from sqlalchemy import text
from store_helpers import World

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.domain.referral import ReferralAction, ReferralStatus
from spm_core.errors import (
    AccessDenied,
    ConcurrentUpdate,
    IdempotencyConflict,
    IllegalTransition,
    InputError,
    NotFound,
    ReferralError,
)

A = ReferralAction
S = ReferralStatus
DAY = date(2025, 3, 3)


def _audit_actions(world: World, referral_id: str) -> list[str]:
    """The writes logged about a referral (the test's own reads of it are logged too)."""
    entries = world.store.list_audit(world.operator, entity="referral", entity_id=referral_id)
    return [e.action for e in entries if e.action != "read"]


def test_a_submitted_need_is_routed_in_one_step_with_two_events(rworld: World) -> None:
    made = submit(rworld, "mawar", "hp-1/0001")
    referral = made.referral
    assert not made.replayed
    assert referral.status is S.ROUTED
    assert referral.agency_code == "kota.dinsos"
    assert referral.version == 2
    assert referral.due_on == date(2025, 3, 10)
    assert referral.routing == {"rule": "fixed", "agency": "kota.dinsos"}
    history = rworld.store.referral_history(rworld.kader("mawar"), referral.id)
    assert [(e.action, e.from_status, e.to_status, e.sequence) for e in history] == [
        (A.SUBMIT, None, S.SUBMITTED, 1),
        (A.ROUTE, S.SUBMITTED, S.ROUTED, 2),
    ]
    assert _audit_actions(rworld, referral.id) == ["submit", "route"]


def test_a_replay_creates_nothing_and_a_different_body_is_refused(rworld: World) -> None:
    resident = rworld.resident("mawar")
    first = submit(rworld, "mawar", "hp-1/0002", resident_id=resident.id, note="tuli")
    again = submit(rworld, "mawar", "hp-1/0002", resident_id=resident.id, note="tuli")
    assert again.replayed
    assert again.referrals == first.referrals
    assert len(rworld.store.list_referrals(rworld.operator, purpose=Purpose.PELAYANAN)) == 1
    assert _audit_actions(rworld, first.referral.id) == ["submit", "route"]
    with pytest.raises(IdempotencyConflict) as raised:
        submit(rworld, "mawar", "hp-1/0002", resident_id=resident.id, note="buta")
    error = raised.value
    assert error.code == "idempotency-conflict"
    assert "hp-1/0002" in error.message_id
    assert "hp-1/0002" in error.message_en
    assert "note" in error.message_en
    assert first.referral.id in error.message_id
    assert len(rworld.store.list_referrals(rworld.operator, purpose=Purpose.PELAYANAN)) == 1


def test_the_full_lifecycle_and_closed_referrals_never_change(rworld: World) -> None:
    store = rworld.store
    referral = submit(rworld, "mawar", "hp-1/0003").referral
    dinsos = officer()
    step = store.transition_referral
    (accepted,) = step(dinsos, referral.id, A.ACCEPT, 2, Purpose.RUJUKAN, on=DAY)
    (started,) = step(dinsos, referral.id, "start", 3, Purpose.PELAYANAN, on=DAY)
    with pytest.raises(InputError) as no_outcome:
        step(dinsos, referral.id, A.RESOLVE, 4, Purpose.PELAYANAN, on=DAY)
    assert no_outcome.value.issues[0].field == "outcome"
    (resolved,) = step(
        dinsos,
        referral.id,
        A.RESOLVE,
        4,
        Purpose.PELAYANAN,
        outcome="ABD diserahkan",
        on=date(2025, 3, 7),
    )
    assert (accepted.status, started.status, resolved.status) == (
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.RESOLVED,
    )
    assert (resolved.days_to_close, resolved.met_deadline) == (4, True)
    assert resolved.outcome == "ABD diserahkan"
    kader = rworld.kader("mawar")
    for action in A:
        if action is A.SUBMIT:
            continue
        actor = dinsos if action in {A.ACCEPT, A.REJECT, A.START, A.RESOLVE} else kader
        with pytest.raises(IllegalTransition) as illegal:
            step(
                actor,
                referral.id,
                action,
                None,
                Purpose.RUJUKAN,
                reason="x",
                outcome="y",
                on=date(2025, 3, 8),
                route=FixedRouter(),
            )
        assert illegal.value.code == "illegal-transition"
        assert "resolved" in illegal.value.message_en
    closed = store.get_referral(kader, referral.id)
    assert closed == store.get_referral(kader, referral.id)
    assert closed.version == 5
    assert closed.outcome == "ABD diserahkan"
    assert _audit_actions(rworld, referral.id) == ["submit", "route", "accept", "start", "resolve"]


def test_a_rejection_needs_a_reason_and_rerouting_skips_the_rejecting_agency(
    rworld: World,
) -> None:
    store = rworld.store
    router = FixedRouter(("kota.dinsos", "kota.disperkimtan"))
    referral = submit(rworld, "mawar", "hp-1/0004", router=router).referral
    dinsos, perkim = officer(), officer("kota.disperkimtan")
    with pytest.raises(InputError) as no_reason:
        store.transition_referral(dinsos, referral.id, A.REJECT, 2, Purpose.RUJUKAN, reason=" ")
    assert no_reason.value.issues[0].field == "reason"
    store.transition_referral(
        dinsos, referral.id, A.REJECT, 2, Purpose.RUJUKAN, reason="bukan kewenangan", on=DAY
    )
    kader = rworld.kader("mawar")
    rejected = store.get_referral(kader, referral.id)
    assert (rejected.status, rejected.reason, rejected.rejected_by) == (
        S.REJECTED,
        "bukan kewenangan",
        ("kota.dinsos",),
    )
    (rerouted,) = store.transition_referral(
        kader, referral.id, A.REROUTE, 3, Purpose.RUJUKAN, on=DAY, route=router
    )
    assert (rerouted.status, rerouted.agency_code) == (S.ROUTED, "kota.disperkimtan")
    assert store.get_referral(perkim, referral.id, purpose=Purpose.PELAYANAN).id == referral.id
    with pytest.raises(NotFound):
        store.get_referral(dinsos, referral.id, purpose=Purpose.PELAYANAN)
    assert store.list_referrals(dinsos, purpose=Purpose.PELAYANAN) == []


def test_a_stale_version_is_refused_and_concurrent_writers_never_both_win(rworld: World) -> None:
    store = rworld.store
    referral = submit(rworld, "mawar", "hp-1/0005").referral
    dinsos = officer()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(action: A) -> None:
        barrier.wait()
        try:
            store.transition_referral(
                dinsos, referral.id, action, 2, Purpose.RUJUKAN, reason="penuh", on=DAY
            )
            outcomes.append(action.value)
        except ConcurrentUpdate:
            outcomes.append("stale")

    threads = [threading.Thread(target=act, args=(a,)) for a in (A.ACCEPT, A.REJECT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "stale" or sorted(outcomes)[0] == "stale"
    winner = next(o for o in outcomes if o != "stale")
    reader = dinsos if winner == "accept" else rworld.kader("mawar")
    final = store.get_referral(reader, referral.id, purpose=Purpose.RUJUKAN)
    assert final.version == 3
    history = store.referral_history(rworld.kader("mawar"), referral.id)
    assert [e.action.value for e in history] == ["submit", "route", winner]


def test_escalation_waits_for_the_deadline(rworld: World) -> None:
    store = rworld.store
    referral = submit(rworld, "mawar", "hp-1/0006").referral
    kader = rworld.kader("mawar")
    with pytest.raises(ReferralError) as early:
        store.transition_referral(
            kader, referral.id, A.ESCALATE, 2, Purpose.RUJUKAN, on=date(2025, 3, 10)
        )
    assert "2025-03-10" in early.value.message_en
    assert store.list_referrals(kader, overdue_on=date(2025, 3, 10)) == []
    assert [r.id for r in store.list_referrals(kader, overdue_on=date(2025, 3, 11))] == [
        referral.id
    ]
    (escalated,) = store.transition_referral(
        kader, referral.id, A.ESCALATE, 2, Purpose.RUJUKAN, on=date(2025, 3, 11)
    )
    assert (escalated.status, escalated.escalations) == (S.ROUTED, 1)


def test_fan_out_makes_one_referral_per_agency_in_one_group(rworld: World) -> None:
    store = rworld.store
    router = FixedRouter(("kota.dinsos", "kota.disperkimtan"), fan_out=True)
    made = submit(rworld, "mawar", "hp-1/0007", router=router)
    assert [r.agency_code for r in made.referrals] == ["kota.dinsos", "kota.disperkimtan"]
    assert {r.group_id for r in made.referrals} == {made.referral.id}
    assert made.referrals[1].idempotency_key is None
    for referral in made.referrals:
        assert (
            store.get_referral(
                officer(referral.agency_code or ""), referral.id, purpose=Purpose.PELAYANAN
            )
            == referral
        )
        assert _audit_actions(rworld, referral.id) == ["submit", "route"]
    replay = submit(
        rworld, "mawar", "hp-1/0007", resident_id=made.referral.subject.id, router=router
    )
    assert replay.replayed
    assert replay.referrals == made.referrals


def test_the_agency_sees_only_the_declared_fields_of_the_resident(rworld: World) -> None:
    store = rworld.store
    resident = rworld.resident("mawar", name="Siti Aminah")
    plain = submit(rworld, "mawar", "hp-1/0008", resident_id=resident.id).referral
    with_nik = submit(
        rworld, "mawar", "hp-1/0009", resident_id=resident.id, need="uji.identitas"
    ).referral
    dinsos = officer()
    seen = store.get_referral(dinsos, plain.id, purpose=Purpose.PELAYANAN).person
    assert seen is not None
    assert "nik" not in seen
    assert seen["name"] == "Siti Aminah"
    assert seen["birth_date"] == "1990-05-17"
    assert dict(
        store.get_referral(dinsos, with_nik.id, purpose=Purpose.PELAYANAN).person or {}
    ) == {
        "name": "Siti Aminah",
        "nik": resident.nik,
    }


def test_each_side_takes_only_its_own_steps(rworld: World) -> None:
    store = rworld.store
    referral = submit(rworld, "mawar", "hp-1/0010").referral
    with pytest.raises(AccessDenied):
        store.transition_referral(rworld.kader("mawar"), referral.id, A.ACCEPT, 2, Purpose.RUJUKAN)
    with pytest.raises(AccessDenied):
        store.transition_referral(officer(), referral.id, A.CANCEL, 2, Purpose.RUJUKAN)
    with pytest.raises(AccessDenied):
        store.submit_referral(
            officer(),
            {"idempotency_key": "x", "need_type": "uji.alat-bantu", "resident_id": "r"},
            Purpose.RUJUKAN,
            rworld.catalog,
        )
    with pytest.raises(NotFound):
        store.transition_referral(officer("kota.dbmsda"), referral.id, A.ACCEPT, 2, Purpose.RUJUKAN)
    with pytest.raises(NotFound):
        store.get_referral(rworld.kader("anggrek"), referral.id)
    assert store.get_referral(rworld.kader("mawar"), referral.id).version == 2


def test_the_lifecycle_history_is_append_only(rworld: World) -> None:
    referral = submit(rworld, "mawar", "hp-1/0011").referral
    engine = rworld.store._engine
    for statement in ("UPDATE referral_event SET action = 'accept'", "DELETE FROM referral_event"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    history = rworld.store.referral_history(rworld.operator, referral.id, purpose=Purpose.PELAYANAN)
    assert len(history) == 2


def test_wrong_subjects_and_unknown_needs_are_input_errors(rworld: World) -> None:
    household = rworld.household("mawar")
    with pytest.raises(InputError) as wrong:
        rworld.store.submit_referral(
            rworld.kader("mawar"),
            {"idempotency_key": "k-1", "need_type": "uji.alat-bantu", "household_id": household.id},
            Purpose.RUJUKAN,
            rworld.catalog,
        )
    assert (wrong.value.issues[0].code, wrong.value.issues[0].field) == (
        "wrong-subject",
        "household_id",
    )
    with pytest.raises(InputError) as unknown:
        submit(rworld, "mawar", "k-2", need="uji.tidak-ada")
    assert unknown.value.issues[0].field == "need_type"
    assert rworld.store.list_referrals(rworld.operator, purpose=Purpose.PELAYANAN) == []


def test_tim_pembina_counts_but_never_reads_referrals(rworld: World) -> None:
    submit(rworld, "mawar", "hp-1/0012")
    submit(rworld, "anggrek", "hp-1/0013")
    pembina = Actor("tp-1", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75")))
    assert rworld.store.list_referrals(pembina, purpose=Purpose.PELAYANAN) == []
    counts = rworld.store.count_referrals(pembina, on=date(2025, 3, 20))
    assert sum(c.count for c in counts) == 2
    assert all(c.overdue and c.status is S.ROUTED for c in counts)
    village = Actor("tp-2", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75.01.1002")))
    assert sum(c.count for c in rworld.store.count_referrals(village, on=DAY)) == 1


def test_the_raising_posyandu_keeps_seeing_status_and_outcome_after_the_resident_moves(
    rworld: World,
) -> None:
    store = rworld.store
    resident = rworld.resident("mawar")
    referral = submit(rworld, "mawar", "hp-1/0014", resident_id=resident.id).referral
    store.update_resident(
        rworld.operator,
        resident.id,
        {"posyandu_id": rworld.posyandu["anggrek"].id},
        resident.version,
        Purpose.KOREKSI,
    )
    dinsos = officer()
    store.transition_referral(dinsos, referral.id, A.ACCEPT, 2, Purpose.RUJUKAN, on=DAY)
    store.transition_referral(dinsos, referral.id, A.START, 3, Purpose.RUJUKAN, on=DAY)
    store.transition_referral(
        dinsos, referral.id, A.RESOLVE, 4, Purpose.RUJUKAN, outcome="ABD diserahkan", on=DAY
    )
    seen = store.get_referral(rworld.kader("mawar"), referral.id)
    assert (seen.status, seen.outcome) == (S.RESOLVED, "ABD diserahkan")
    with pytest.raises(NotFound):
        store.get_referral(rworld.kader("anggrek"), referral.id)


def test_referrals_are_listed_a_page_at_a_time_oldest_first(rworld: World) -> None:
    made = [submit(rworld, "mawar", f"hp-1/halaman-{i}").referral.id for i in range(5)]
    list_ = rworld.store.list_referrals
    operator = rworld.operator
    assert [r.id for r in list_(operator, purpose=Purpose.PELAYANAN)] == made
    pages = [
        [r.id for r in list_(operator, purpose=Purpose.PELAYANAN, limit=2, offset=start)]
        for start in (0, 2, 4)
    ]
    assert pages == [made[0:2], made[2:4], made[4:]]
    assert list_(operator, purpose=Purpose.PELAYANAN, limit=2, offset=5) == []
    for bad in ({"limit": -1}, {"offset": -3}, {"limit": "dua"}):
        with pytest.raises(InputError) as refused:
            list_(operator, purpose=Purpose.PELAYANAN, **bad)  # type: ignore[arg-type]
        assert [i.code for i in refused.value.issues] == ["invalid-page"]

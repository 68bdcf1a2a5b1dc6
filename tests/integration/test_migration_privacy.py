"""Revision 0005_privacy on both databases: up, down, data carried, redaction only."""

from __future__ import annotations

from datetime import date

from referral_helpers import submit
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from store_helpers import World

from spm_core.access import Purpose
from spm_core.store.migrations import downgrade, upgrade


def _event(world: World) -> tuple[str, int]:
    referral = submit(world, "mawar", "migrasi-1", note="catatan").referral
    with world.store._engine.connect() as connection:
        event_id = connection.scalar(
            text("SELECT min(id) FROM referral_event WHERE referral_id = :r"), {"r": referral.id}
        )
    return referral.id, int(event_id)


def _try(world: World, sql: str, **params: object) -> bool:
    try:
        with world.store._engine.begin() as connection:
            connection.execute(text(sql), params)
    except DBAPIError:
        return False
    return True


def test_referral_steps_allow_clearing_their_detail_and_nothing_else(rworld: World) -> None:
    _, event_id = _event(rworld)
    assert _try(rworld, "UPDATE referral_event SET detail = 'x' WHERE id = :i", i=event_id) is False
    assert (
        _try(rworld, "UPDATE referral_event SET actor_id = 'x' WHERE id = :i", i=event_id) is False
    )
    assert (
        _try(
            rworld,
            "UPDATE referral_event SET detail = NULL, sequence = 9 WHERE id = :i",
            i=event_id,
        )
        is False
    )
    assert _try(rworld, "DELETE FROM referral_event WHERE id = :i", i=event_id) is False
    assert _try(rworld, "UPDATE referral_event SET detail = NULL WHERE id = :i", i=event_id)


def test_down_below_0005_privacy_and_up_again_keeps_the_rows(rworld: World) -> None:
    store = rworld.store
    referral_id, event_id = _event(rworld)
    siti = rworld.resident("mawar", name="Siti Migrasi", birth_date=date(1990, 1, 1))
    store.record_subject_request(rworld.operator, siti.id, "access")
    engine = store._engine
    downgrade(engine, "0005_pembina")
    names = set(inspect(engine).get_table_names())
    assert "subject_request" not in names
    assert "retention_rule" not in names
    assert "row_count" not in {c["name"] for c in inspect(engine).get_columns("audit_log")}
    assert "erased_at" not in {c["name"] for c in inspect(engine).get_columns("resident")}
    # Below 0005_privacy the lifecycle history is strictly append-only again.
    assert (
        _try(rworld, "UPDATE referral_event SET detail = NULL WHERE id = :i", i=event_id) is False
    )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.scalar(
            text("SELECT name FROM resident WHERE id = :i"), {"i": siti.id}
        ) == ("Siti Migrasi")
        assert (
            connection.scalar(
                text("SELECT count(*) FROM referral_event WHERE referral_id = :r"),
                {"r": referral_id},
            )
            == 2
        )
    assert store.verify_audit().ok
    assert store.list_subject_requests(rworld.operator, purpose=Purpose.PELAYANAN) == []

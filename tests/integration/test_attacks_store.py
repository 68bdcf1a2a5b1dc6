"""A careless integrator calling the store: odd arguments get an input error, never SQL's.

Every declared store function that takes an id is called with an id holding a NUL and
with one holding a lone surrogate (what ``json.loads`` makes of ``"\\ud800"``). Before,
PostgreSQL answered a NUL with a ``database-error`` while SQLite said "not found", and a
surrogate was an ``UnicodeEncodeError`` on both; now both databases refuse the argument
the same way before any query runs. Offsets past 64 bits were an overflow inside the
database driver; now they are an ``invalid-page`` issue.
"""

from __future__ import annotations

import inspect
from datetime import date
from typing import Any

import pytest
from store_helpers import World, operator

from spm_core.access import Purpose, allowed_purposes
from spm_core.errors import InputError
from spm_core.store import MAX_PAGE, Store, declaration

BAD = {"nul": "a\x00b", "surrogate": "a\ud800"}

SAMPLES: dict[str, Any] = {
    "on": date(2025, 3, 1),
    "end": date(2025, 3, 1),
    "since": date(2025, 3, 1),
    "expected_version": 1,
    "reason": "salah catat",
    "kind": "access",
    "action": "cancel",
    "field": "kesehatan",
    "changes": {"name": "Siti"},
    "data": {},
    "posyandu_id": "p-1",
}


def _id_calls() -> list[tuple[str, str]]:
    """Every declared store function and the id parameter it takes."""
    calls = []
    for name in sorted(dir(Store)):
        found = declaration(getattr(Store, name))
        if found is None or found.kind == "none":
            continue
        parameters = list(inspect.signature(getattr(Store, name)).parameters.values())[2:]
        for parameter in parameters:
            if parameter.name.endswith("_id") and parameter.default is inspect.Parameter.empty:
                calls.append((name, parameter.name))
                break
    return calls


ID_CALLS = _id_calls()


def test_the_probe_reaches_every_lookup_by_id() -> None:
    probed = {name for name, _ in ID_CALLS}
    assert {"get_resident", "get_record", "void_record", "transition_referral"} <= probed
    assert len(probed) >= 20


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize(("function", "parameter"), ID_CALLS)
def test_an_id_no_database_can_hold_is_one_input_error(
    world: World, function: str, parameter: str, bad: str
) -> None:
    method = getattr(world.store, function)
    found = declaration(getattr(Store, function))
    assert found is not None
    arguments: dict[str, Any] = {}
    for p in list(inspect.signature(method).parameters.values())[1:]:
        if p.default is not inspect.Parameter.empty or p.kind is p.VAR_KEYWORD:
            continue
        if p.name == parameter:
            arguments[p.name] = BAD[bad]
        elif p.name == "purpose":
            arguments[p.name] = sorted(allowed_purposes(found.entity or ""))[0]
        elif p.name == "catalog":
            arguments[p.name] = world.catalog
        else:
            arguments[p.name] = SAMPLES[p.name]
    with pytest.raises(InputError) as refused:
        method(operator(), **arguments)
    issues = refused.value.issues
    assert [(i.code, i.field) for i in issues] == [("control-character", parameter)]
    assert ("U+0000" if bad == "nul" else "U+D800") in issues[0].message_en


def test_a_list_filter_with_a_nul_is_refused(world: World) -> None:
    with pytest.raises(InputError) as refused:
        world.store.list_referrals(operator(), status=["routed", "x\x00"])
    assert [(i.code, i.field) for i in refused.value.issues] == [("control-character", "status")]


def test_a_batch_row_with_a_control_character_is_still_reported_by_row(world: World) -> None:
    rows = [
        {"name": "Siti", "sex": "P", "birth_date": "1990-01-01", "posyandu_id": "-"},
        {"name": "Ani\x00", "sex": "P", "birth_date": "1990-01-01", "posyandu_id": "-"},
    ]
    posyandu = next(iter(world.posyandu.values())).id
    rows = [{**row, "posyandu_id": posyandu} for row in rows]
    with pytest.raises(InputError) as refused:
        world.store.add_residents(operator(), rows, sorted(allowed_purposes("resident"))[0])
    found = [(i.row, i.code, i.field) for i in refused.value.issues]
    assert found == [(2, "control-character", "name")]


@pytest.mark.parametrize("offset", [MAX_PAGE + 1, 10**20, -1])
def test_an_offset_outside_64_bits_is_an_invalid_page(world: World, offset: int) -> None:
    for call in (world.store.list_residents, world.store.list_records):
        with pytest.raises(InputError) as refused:
            call(operator(), offset=offset, purpose=Purpose.PELAPORAN)
        assert [(i.code, i.field) for i in refused.value.issues] == [("invalid-page", "offset")]
    with pytest.raises(InputError):
        world.store.list_households(operator(), limit=MAX_PAGE + 1, purpose=Purpose.PELAPORAN)


def test_the_largest_offset_is_an_empty_page(world: World) -> None:
    why = Purpose.PELAPORAN
    assert world.store.list_residents(operator(), offset=MAX_PAGE, purpose=why) == []
    assert world.store.list_records(operator(), offset=MAX_PAGE, limit=MAX_PAGE, purpose=why) == []


@pytest.mark.parametrize("pattern", ["%", "_" * 16, "%_"])
def test_a_key_fingerprint_with_like_wildcards_matches_no_extract(
    world: World, pattern: str
) -> None:
    from spm_core.access import Actor, AreaScope, Role
    from spm_core.domain import KodeWilayah
    from spm_core.privacy import incident_report, research_extract

    world.resident("mawar", name="Siti Peneliti")
    researcher = Actor("peneliti-1", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    research_extract(world.store, researcher, key="kunci-proyek-stunting-bekasi-2026")
    research_extract(world.store, researcher, key="kunci-proyek-lain-sama-sekali-2026")
    assert len(world.store.list_audit(world.operator, action="extract")) == 2
    # A breach notice built on "what did this key touch" must name that key's extracts
    # only: a fingerprint is matched as text, never as a LIKE pattern.
    found = incident_report(world.store, world.operator, key_fingerprint=pattern)
    assert found.extracts == ()


@pytest.mark.parametrize("field", ["reason", "outcome"])
def test_a_referral_step_with_an_overlong_text_is_an_input_error_on_both_databases(
    rworld: World, field: str
) -> None:
    from referral_helpers import FixedRouter

    from spm_core.access import Purpose

    home = rworld.household("mawar")
    kader = rworld.kader("mawar")
    done = rworld.store.submit_referral(
        kader,
        {"idempotency_key": f"panjang-{field}", "need_type": "uji.rtlh", "household_id": home.id},
        Purpose.RUJUKAN,
        rworld.catalog,
        route=FixedRouter(("kota.disperkimtan",)),
    )
    referral = done.referral
    action = "cancel" if field == "reason" else "resolve"
    actor = kader
    if action == "resolve":
        from http_helpers import officer

        actor = officer("kota.disperkimtan")
        for step in ("accept", "start"):
            rworld.store.transition_referral(actor, referral.id, step, None, Purpose.RUJUKAN)
    # PostgreSQL refused the 1001st character with SQLSTATE 22001 (a database-error);
    # SQLite kept all of it. Both now answer the same input error, and nothing changes.
    with pytest.raises(InputError) as refused:
        rworld.store.transition_referral(
            actor, referral.id, action, None, Purpose.RUJUKAN, **{field: "x" * 1001}
        )
    assert [(i.code, i.field) for i in refused.value.issues] == [("too-long", field)]
    assert len(refused.value.issues[0].value or "") < 200
    before = rworld.store.get_referral(kader, referral.id)
    rworld.store.transition_referral(
        actor, referral.id, action, None, Purpose.RUJUKAN, **{field: "x" * 1000}
    )
    assert rworld.store.get_referral(kader, referral.id).version == before.version + 1


def test_a_legal_basis_longer_than_its_column_is_too_long_on_both_databases(
    world: World,
) -> None:
    resident = world.resident("mawar")
    with pytest.raises(InputError) as refused:
        world.store.set_retention_rule(world.operator, "32.75", "uji.timbang", 5, "L" * 501)
    assert [(i.code, i.field) for i in refused.value.issues] == [("too-long", "legal_basis")]
    assert world.store.list_retention_rules(world.operator) == []
    request = world.store.record_subject_request(world.operator, resident.id, "access")
    with pytest.raises(InputError) as refused:
        world.store.close_subject_request(world.operator, request.id, refused_because="R" * 501)
    assert [(i.code, i.field) for i in refused.value.issues] == [("too-long", "refused_because")]
    closed = world.store.close_subject_request(
        world.operator, request.id, refused_because="R" * 500
    )
    assert closed.status == "refused"

"""Hostile input at the boundary, on both databases: coded bilingual errors, nothing stored.

A NUL byte made PostgreSQL raise a driver error whose text carried the whole row, and
SQLite stored it; ANSI escapes and bidirectional overrides repaint terminals and
disguise numbers. Values of 10 MB were echoed whole into messages; birth dates of year 1
were accepted; "the future" was judged on the server's clock, not the posyandu's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from store_helpers import World, kader, operator
from test_bad_input import _counts, _resident

from spm_core.access import Purpose
from spm_core.domain import KodeWilayah
from spm_core.domain import timezone as zones
from spm_core.domain.wilayah import children
from spm_core.errors import InputError
from spm_core.schemas import _normalise

HOSTILE = {
    "NUL": "Siti\x00Aminah",
    "ANSI": "\x1b[2J\x1b[31mSiti Aminah",
    "bidi": "Siti \u202eanimA",
    "bell": "Siti\x07Aminah",
    "C1": "Siti\x9bAminah",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("field", ["name", "address"])
def test_control_characters_are_refused_in_text_fields(world: World, kind: str, field: str) -> None:
    before = _counts(world)
    with pytest.raises(InputError) as raised:
        world.store.add_resident(
            world.kader("mawar"), _resident(world, **{field: HOSTILE[kind]}), Purpose.PENDATAAN
        )
    (issue,) = raised.value.issues
    assert (issue.code, issue.field) == ("control-character", field)
    assert "karakter kendali" in issue.message_id
    assert "control character" in issue.message_en
    # The offending text is shown escaped: nothing raw reaches a terminal or a log.
    assert issue.value is not None
    assert issue.value.isprintable()
    assert _counts(world) == before


def test_control_characters_are_refused_in_record_values_and_updates(world: World) -> None:
    resident = world.resident("mawar")
    kader = world.kader("mawar")
    before = _counts(world)
    with pytest.raises(InputError) as raised:
        world.store.add_record(
            kader,
            {
                "record_type": "uji.timbang",
                "resident_id": resident.id,
                "observed_on": "2025-01-02",
                "value": {"weight_kg": 50, "note": "catatan\x00rahasia"},
            },
            Purpose.PELAYANAN,
            world.catalog,
        )
    assert raised.value.issues[0].code == "control-character"
    with pytest.raises(InputError) as update:
        world.store.update_resident(kader, resident.id, {"name": "A\u2066B"}, 1, "koreksi")
    assert update.value.issues[0].code == "control-character"
    assert _counts(world) == before


def test_a_huge_value_is_cut_in_every_message(world: World) -> None:
    huge = "9" * 10_000_000
    for data in (_resident(world, nik=huge), _resident(world, name="A" * 10_000_000)):
        with pytest.raises(InputError) as raised:
            world.store.add_resident(world.kader("mawar"), data, Purpose.PENDATAAN)
        error = raised.value
        for text in (str(error), error.message_id, error.message_en, str(error.to_dict())):
            assert len(text) < 5_000
        for issue in error.issues:
            assert len(issue.message_id) < 2_000
            assert len(issue.message_en) < 2_000


@pytest.mark.parametrize("birth", ["0001-01-01", "1899-12-31", "1066-10-14"])
def test_birth_dates_before_1900_are_refused(world: World, birth: str) -> None:
    with pytest.raises(InputError) as raised:
        world.store.add_resident(
            world.kader("mawar"), _resident(world, birth_date=birth), Purpose.PENDATAAN
        )
    (issue,) = raised.value.issues
    assert (issue.code, issue.field, issue.value) == ("date-too-early", "birth_date", birth)
    assert "1900" in issue.message_id
    assert "1900" in issue.message_en


def test_1900_itself_is_accepted(world: World) -> None:
    stored, _ = world.store.add_resident(
        world.kader("mawar"), _resident(world, birth_date="1900-01-01"), Purpose.PENDATAAN
    )
    assert stored.birth_date == date(1900, 1, 1)


def _freeze(monkeypatch: pytest.MonkeyPatch, instant: datetime) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return instant if tz is None else instant.astimezone(tz)

    monkeypatch.setattr(zones, "datetime", Frozen)
    monkeypatch.setattr(_normalise, "datetime", Frozen)


def test_the_future_is_judged_on_the_posyandus_clock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.store
    papua = store.add_posyandu(
        operator(KodeWilayah("91.71"), "op-jayapura"),
        {"name": "Posyandu Gurabesi", "wilayah_code": "91.71.01.1001"},
        Purpose.ADMINISTRASI,
    )
    # 16:30 UTC on 1 March is 01:30 on 2 March in Jayapura (WIT) and 23:30 in Bekasi (WIB).
    _freeze(monkeypatch, datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    born_today_in_papua = {
        "name": "Bayi Baru",
        "sex": "P",
        "birth_date": "2026-03-02",
        "posyandu_id": papua.id,
    }
    kader_papua = kader(papua.id)
    stored, _ = store.add_resident(kader_papua, born_today_in_papua, Purpose.PENDATAAN)
    assert stored.birth_date == date(2026, 3, 2)
    before = _counts(world)
    with pytest.raises(InputError) as raised:
        store.add_resident(
            world.kader("mawar"), _resident(world, birth_date="2026-03-02"), Purpose.PENDATAAN
        )
    (issue,) = raised.value.issues
    assert (issue.code, issue.field) == ("date-in-future", "birth_date")
    assert "WIB" in issue.message_id
    assert "2026-03-01" in issue.message_en
    assert _counts(world) == before
    # The boundary refuses only what is the future everywhere (after today in WIT).
    with pytest.raises(InputError) as everywhere:
        store.add_resident(
            kader_papua, {**born_today_in_papua, "birth_date": "2026-03-03"}, Purpose.PENDATAAN
        )
    assert everywhere.value.issues[0].code == "date-in-future"


def test_every_province_has_a_zone() -> None:
    codes = {p.code.value for p in children()}
    assert len(codes) >= 38
    assert codes <= set(zones.PROVINCE_ZONES)
    assert zones.zone_of("91").hours - zones.zone_of("31").hours == 2
    assert timedelta(hours=zones.WITA.hours) == timedelta(hours=8)

"""Many quality items in one transaction: all written and audited, or none."""

from __future__ import annotations

from typing import Any

import pytest
from store_helpers import World

from spm_core.access import Purpose
from spm_core.errors import InputError


def _item(village: str, item: str, required: int, met: int) -> dict[str, Any]:
    return {
        "service_type": "kesehatan.balita", "wilayah_code": village, "year": 2025,
        "item": item, "category": "barang_jasa", "required": required, "met": met,
    }  # fmt: skip


def test_a_batch_is_written_and_audited_like_single_items(world: World) -> None:
    store = world.store
    before = len(store.list_audit(world.operator, entity="quality_input"))
    items = [_item("32.75.01.1001", "timbangan", 10, 8), _item("32.75.01.1002", "kms", 5, 5)]
    stored = store.set_quality_inputs(world.operator, items, Purpose.PELAPORAN)
    assert [(q.item, q.required, q.met) for q in stored] == [("timbangan", 10, 8), ("kms", 5, 5)]
    assert len(store.list_quality_inputs(world.operator, year=2025)) == 2
    assert len(store.list_audit(world.operator, entity="quality_input")) == before + 2
    # Setting the same items again with one change updates that one only.
    items[1] = _item("32.75.01.1002", "kms", 5, 4)
    again = store.set_quality_inputs(world.operator, items, Purpose.PELAPORAN)
    assert [q.id for q in again] == [q.id for q in stored]
    assert again[1].met == 4
    assert len(store.list_audit(world.operator, entity="quality_input")) == before + 3


def test_a_bad_item_names_its_position_and_nothing_is_written(world: World) -> None:
    store = world.store
    items = [_item("32.75.01.1001", "timbangan", 10, 8), _item("32.75.01.1002", "kms", 5, 7)]
    with pytest.raises(InputError) as raised:
        store.set_quality_inputs(world.operator, items, Purpose.PELAPORAN)
    assert [issue.row for issue in raised.value.issues] == [2]
    assert store.list_quality_inputs(world.operator, year=2025) == []


def test_an_item_outside_the_scope_is_refused_before_anything_is_written(world: World) -> None:
    store = world.store
    items = [_item("32.75.01.1001", "timbangan", 10, 8), _item("32.16.01.2001", "kms", 5, 5)]
    with pytest.raises(InputError) as raised:
        store.set_quality_inputs(world.operator, items, Purpose.PELAPORAN)
    assert raised.value.issues[0].row == 2
    assert store.list_quality_inputs(world.operator, year=2025) == []

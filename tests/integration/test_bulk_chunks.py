"""The old batch path commits in bounded chunks and says exactly what an interruption kept."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from store_helpers import World, make_nik
from test_bad_input import PROVINCE

from spm_core.access import Purpose
from spm_core.domain import Sex
from spm_core.errors import BatchInterrupted, InputError
from spm_core.store.bulk import BulkMixin
from spm_core.store.chain import verify_chain


def _rows(world: World, count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "nik": make_nik(5000 + start + i, date(1980, 3, 3), Sex.MALE),
            "name": f"Warga Massal {start + i}",
            "sex": "L",
            "birth_date": "1980-03-03",
            "posyandu_id": world.posyandu["mawar"].id,
        }
        for i in range(count)
    ]


def test_a_large_batch_commits_chunk_by_chunk(world: World) -> None:
    store = world.store
    commits: list[int] = []
    event.listen(store._engine, "commit", lambda _conn: commits.append(1))
    result = store.add_residents(
        world.kader("mawar"), _rows(world, 25), Purpose.PENDATAAN, chunk_size=10
    )
    assert len(result.residents) == 25
    # One read transaction checks every row, then three writes of 10 + 10 + 5 rows:
    # the write lock is released twice in between.
    assert len(commits) == 4
    assert len(store.list_residents(PROVINCE, purpose=Purpose.PELAYANAN)) == 25
    assert verify_chain(store._engine).ok


def test_every_row_is_checked_before_the_first_chunk(world: World) -> None:
    store = world.store
    rows = _rows(world, 25)
    rows[22]["posyandu_id"] = "tidak-ada"
    with pytest.raises(InputError) as raised:
        store.add_residents(world.kader("mawar"), rows, Purpose.PENDATAAN, chunk_size=10)
    assert [i.row for i in raised.value.issues] == [23]
    assert store.list_residents(PROVINCE, purpose=Purpose.PELAYANAN) == []


def test_an_interrupted_batch_says_what_it_stored(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.store
    rows = _rows(world, 25)
    original = BulkMixin._write_batch
    calls: list[int] = []

    def meanwhile(self: BulkMixin, work: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            # Another kader registers row 15's NIK between the first and second chunk.
            world.resident("mawar", nik=rows[14]["nik"], birth_date=date(1980, 3, 3), sex="L")
        return original(self, work)

    monkeypatch.setattr(BulkMixin, "_write_batch", meanwhile)
    with pytest.raises(BatchInterrupted) as raised:
        store.add_residents(world.kader("mawar"), rows, Purpose.PENDATAAN, chunk_size=10)
    error = raised.value
    assert error.code == "batch-interrupted"
    assert error.value == 11
    assert len(error.stored.residents) == 10
    assert "baris 11" in error.message_id
    assert "row 11" in error.message_en
    assert isinstance(error.cause, InputError)
    assert error.cause.issues[0].code == "duplicate-nik"
    stored = {r.name for r in store.list_residents(PROVINCE, purpose=Purpose.PELAYANAN)}
    assert {f"Warga Massal {i}" for i in range(10)} <= stored
    assert not {f"Warga Massal {i}" for i in range(10, 25)} & stored


def test_chunk_size_must_be_positive(world: World) -> None:
    with pytest.raises(InputError) as raised:
        world.store.add_residents(world.kader("mawar"), _rows(world, 2), "pendataan", chunk_size=0)
    assert raised.value.issues[0].field == "chunk_size"

"""Benchmark of the read log: what one logged list read costs next to an unlogged one.

A posyandu of N adult residents (SQLite file in a temporary directory); ten calls of
``list_residents`` by its kader (no purpose, general data: nothing logged) and ten by an
operator with a purpose (one audit row per call). Prints wall and CPU milliseconds per
call and the audit rows written; nothing here asserts a time. Run from the project root::

    .venv/bin/python tests/bench/bench_reads.py --residents 2000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.store import Store, open_store

CALLS = 10


def _timed(store: Store, reader: Actor, operator: Actor, **keywords: Any) -> str:
    store.list_residents(reader, **keywords)  # warm the cache
    before = len(store.list_audit(operator))
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(CALLS):
        found = store.list_residents(reader, **keywords)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    written = len(store.list_audit(operator)) - before
    return (
        f"wall {wall * 1000 / CALLS:.1f} ms  cpu {cpu * 1000 / CALLS:.1f} ms per call; "
        f"{written} audit rows for {CALLS} calls; {len(found)} rows each"
    )


def main() -> None:
    """Seed one posyandu and time the two kinds of list read."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=2000)
    args = parser.parse_args()
    store = open_store(f"sqlite:///{Path(tempfile.mkdtemp()) / 'reads.db'}")
    operator = Actor("op", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    posyandu = store.add_posyandu(
        operator, {"name": "Mawar", "wilayah_code": "3275011001"}, Purpose.ADMINISTRASI
    )
    rows = [
        {
            "name": f"Warga {i}",
            "sex": "P" if i % 2 else "L",
            "birth_date": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            "posyandu_id": posyandu.id,
        }
        for i in range(args.residents)
    ]
    store.add_residents(operator, rows, Purpose.PENDATAAN)
    kader = Actor("k", Role.KADER, PosyanduScope(posyandu.id))
    print(f"kader, no purpose:   {_timed(store, kader, operator)}")
    print(f"operator, purpose:   {_timed(store, operator, operator, purpose='pelayanan')}")
    store.close()


if __name__ == "__main__":
    main()

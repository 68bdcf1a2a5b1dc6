"""Benchmark of the store: catalog build, batch registration, scoped reads.

Prints a table of figures; nothing here asserts a time. Run from the project root::

    .venv/bin/python tests/bench/bench_store.py                 # SQLite file in a tmp dir
    .venv/bin/python tests/bench/bench_store.py --residents 50000
    .venv/bin/python tests/bench/bench_store.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test

On PostgreSQL the benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, children
from spm_core.plugins import make_plugin_manager
from spm_core.testing.kit import core_plugins

T = TypeVar("T")

KOTA_BEKASI = KodeWilayah.parse("32.75")


def timed(func: Callable[[], T]) -> tuple[T, float]:
    """Run ``func`` once; return its result and the seconds it took."""
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def schema_url(url: str, schema: str) -> str:
    """Return ``url`` with ``schema`` as its search path: a benchmark's own schema."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """Yield a database URL for one run: a tmp SQLite file, or a fresh PostgreSQL schema."""
    if url is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def resident_rows(count: int, posyandu_ids: list[str], seed: int = 7) -> list[dict[str, Any]]:
    """Return ``count`` valid resident inputs spread over the posyandu, NIKs unique."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    while len(rows) < count:
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 85))
        sex = rng.choice("LP")
        day = birth.day + (40 if sex == "P" else 0)
        nik = f"327501{day:02d}{birth:%m%y}{rng.randrange(1, 10_000):04d}"
        if nik in used:
            continue
        used.add(nik)
        rows.append(
            {
                "nik": nik if rng.random() < 0.9 else None,  # some residents have no NIK
                "name": f"Warga {len(rows) + 1}",
                "sex": sex,
                "birth_date": birth.isoformat(),
                "posyandu_id": posyandu_ids[len(rows) % len(posyandu_ids)],
                "rt": str(rng.randrange(1, 15)),
                "rw": str(rng.randrange(1, 10)),
            }
        )
    return rows


def run(url: str | None, residents: int, posyandu_count: int) -> list[tuple[str, str]]:
    """Run every measurement and return (what, figure) rows."""
    figures: list[tuple[str, str]] = []
    _, seconds = timed(lambda: Catalog.build(make_plugin_manager(allow=core_plugins())))
    figures.append(("catalog build (six field plugins)", f"{seconds * 1000:.0f} ms"))

    with database(url) as db_url:
        registry, seconds = timed(lambda: Registry.open(db_url, allow=core_plugins()))
        figures.append(("open + migrate an empty database", f"{seconds * 1000:.0f} ms"))
        with registry:
            store = registry.store
            operator = Actor("bench-operator", Role.OPERATOR, AreaScope(KOTA_BEKASI))
            villages = [
                info.code
                for kecamatan in children(KOTA_BEKASI)
                for info in children(kecamatan.code)
            ][:posyandu_count]
            posyandu_ids = [
                store.add_posyandu(
                    operator,
                    {"name": f"Posyandu {i + 1}", "wilayah_code": str(village)},
                    Purpose.ADMINISTRASI,
                ).id
                for i, village in enumerate(villages)
            ]
            rows = resident_rows(residents, posyandu_ids)

            tracemalloc.start()
            result, seconds = timed(lambda: store.add_residents(operator, rows, Purpose.PENDATAAN))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            figures.append(
                (
                    f"batch registration of {residents:,} residents (one transaction)",
                    f"{seconds:.2f} s = {residents / seconds:,.0f} rows/s",
                )
            )
            figures.append(("  peak Python memory during the batch", f"{peak / 2**20:.0f} MiB"))

            kader = Actor("bench-kader", Role.KADER, PosyanduScope(posyandu_ids[0]))
            listed, seconds = timed(lambda: store.list_residents(kader))
            figures.append(
                (
                    f"kader lists the residents of one posyandu ({len(listed):,} rows)",
                    f"{seconds * 1000:.0f} ms",
                )
            )
            own = [r.id for r in listed][:200]
            lookups = [timed(lambda rid=rid: store.get_resident(kader, rid))[1] for rid in own]
            figures.append(
                (
                    "kader reads one resident by id (median of 200)",
                    f"{statistics.median(lookups) * 1000:.2f} ms",
                )
            )
            other = [r.id for r in result.residents if r.posyandu_id != posyandu_ids[0]][:200]
            misses: list[float] = []
            for rid in other:
                start = time.perf_counter()
                try:
                    store.get_resident(kader, rid)
                except Exception:  # NotFound: out of scope looks like missing
                    misses.append(time.perf_counter() - start)
            figures.append(
                (
                    "kader asks for another posyandu's resident (median of 200, NotFound)",
                    f"{statistics.median(misses) * 1000:.2f} ms",
                )
            )
    return figures


def main() -> None:
    """Parse arguments, run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL URL (default: a SQLite file in a tmp dir)")
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--posyandu", type=int, default=16)
    args = parser.parse_args()
    figures = run(args.db, args.residents, args.posyandu)
    table = Table(title=f"spm-core store benchmark — {'PostgreSQL' if args.db else 'SQLite'}")
    table.add_column("what")
    table.add_column("figure", justify="right")
    for what, figure in figures:
        table.add_row(what, figure)
    Console().print(table)


if __name__ == "__main__":
    main()

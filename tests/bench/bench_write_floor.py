"""What a load costs beyond the database's own writing: the same rows, four ways.

A synthetic city is loaded from CSV with validation on (``load``), and every chunk the
loader hands to the database is kept. The very same chunks are then written again into
an empty database of the same kind, three ways, with no checks at all:

- ``writer``: through the loader's own :class:`~spm_core.store._loading.BulkWriter`
  (the real tables, their keys, indexes dropped and rebuilt as in a first load, foreign
  keys checked once per parent on SQLite and per table on PostgreSQL);
- ``bare``: into tables with the same columns and types and no key, index or check —
  ``executemany`` on SQLite, ``COPY`` on PostgreSQL, one transaction per chunk;
- ``narrow``: as many rows of three integers, the smallest row a database writes.

Prints one JSON line: the rows, and for each way its seconds and rows per second
(``load`` also gives its CPU seconds). ``writer`` is the ceiling of the loader with
free checks; ``bare`` what the database and its driver take for rows this wide. The
kept rows are held in memory, so its own memory grows with the city.
Run from the project root, under ``nice``::

    nice .venv/bin/python tests/bench/bench_write_floor.py --residents 20000
    nice .venv/bin/python tests/bench/bench_write_floor.py --residents 20000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench_store import database

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.load import load
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store, open_store
from spm_core.store._loading import COLUMNS, BulkWriter
from spm_core.synth import SynthCity, create_posyandu, plan_city, write_csv
from spm_core.testing.kit import core_plugins

Chunk = Mapping[str, Sequence[tuple[Any, ...]]]
OPERATOR = Actor("bench", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))


def load_city(url: str, city: SynthCity, files: tuple[Path, Path], chunk: int) -> dict[str, Any]:
    """Load the city's CSV files as ``spm load`` does; keep every chunk written."""
    kept: list[tuple[str, dict[str, list[tuple[Any, ...]]]]] = []
    original = BulkWriter.write

    def keeping(writer: BulkWriter, rows: Chunk) -> dict[str, int]:
        kept.append((writer.load_id, {table: list(batch) for table, batch in rows.items()}))
        return original(writer, rows)

    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    store = open_store(url)
    try:
        create_posyandu(store, OPERATOR, city)
        BulkWriter.write = keeping  # type: ignore[method-assign,assignment]
        started, cpu = time.perf_counter(), time.process_time()
        reports = [
            load(store, OPERATOR, "residents", files[0], Purpose.PENDATAAN,
                 chunk_rows=chunk, now=city.now),
            load(store, OPERATOR, "records", files[1], Purpose.PELAYANAN, catalog=catalog,
                 chunk_rows=chunk, now=city.now),
        ]  # fmt: skip
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    finally:
        BulkWriter.write = original  # type: ignore[method-assign]
        store.close()
    rows = sum(report.inserted_rows for report in reports)
    if any(report.rejected for report in reports):
        raise SystemExit("the synthetic city has rejected rows: the figures would not compare")
    return {"rows": rows, "seconds": seconds, "cpu_seconds": cpu_seconds, "chunks": kept}


def write_again(store: Store, chunks: list[tuple[str, dict[str, list[tuple[Any, ...]]]]]) -> int:
    """Write the kept chunks through a new BulkWriter per load; return rows inserted."""
    inserted = 0
    by_load: dict[str, list[dict[str, list[tuple[Any, ...]]]]] = {}
    for load_id, rows in chunks:
        by_load.setdefault(load_id, []).append(rows)
    for load_id, parts in by_load.items():
        with store.bulk_writer(OPERATOR, Purpose.PENDATAAN, load_id=load_id) as writer:
            writer.prepare(sorted({table for part in parts for table in part}))
            for part in parts:
                inserted += sum(writer.write(part).values())
    return inserted


def write_bare(
    store: Store, chunks: list[tuple[str, dict[str, list[tuple[Any, ...]]]]], narrow: bool
) -> int:
    """Write the kept chunks into key-less copies of the tables, or, ``narrow``, chunks of
    three-integer rows (:func:`narrowed`) into one three-integer table."""
    engine = store._db.engine
    dialect = engine.dialect.name
    names = sorted({table for _, rows in chunks for table in rows})
    connection = engine.raw_connection()
    driver: Any = connection.driver_connection
    cursor = driver.cursor()
    shapes = {"narrow": ("a", "b", "c")} if narrow else {t: COLUMNS[t] for t in names}
    for name in shapes:
        if name == "narrow":
            cursor.execute("CREATE TABLE bare_narrow (a INTEGER, b INTEGER, c INTEGER)")
        elif dialect == "sqlite":  # the columns and their types, nothing else
            cursor.execute(f"CREATE TABLE bare_{name} AS SELECT * FROM {name} WHERE 0")
        else:
            cursor.execute(f"CREATE TABLE bare_{name} (LIKE {name})")
    driver.commit()
    if dialect == "sqlite":
        cursor.execute("PRAGMA synchronous=NORMAL")
    written = 0
    for _, rows in chunks:
        if dialect == "sqlite":  # the store's connections leave transactions to the caller
            cursor.execute("BEGIN")
        for table, values in rows.items():
            target = "narrow" if narrow else table
            columns = shapes[target]
            if dialect == "sqlite":
                marks = ", ".join("?" * len(columns))
                cursor.executemany(
                    f"INSERT INTO bare_{target} ({', '.join(columns)}) VALUES ({marks})", values
                )
            else:
                with cursor.copy(f"COPY bare_{target} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            written += len(values)
        driver.commit()
    cursor.close()
    connection.close()
    return written


def narrowed(
    chunks: list[tuple[str, dict[str, list[tuple[Any, ...]]]]],
) -> list[tuple[str, dict[str, list[tuple[Any, ...]]]]]:
    """Return ``chunks`` with each row replaced by three integers (built before timing)."""
    return [
        (load_id, {table: [(i, i, i) for i in range(len(batch))] for table, batch in rows.items()})
        for load_id, rows in chunks
    ]


def timed(url: str, city: SynthCity, how: Any) -> tuple[float, int]:
    """Return the seconds and rows of ``how(store)`` on a fresh store with the city's posyandu."""
    store = open_store(url)
    try:
        create_posyandu(store, OPERATOR, city)
        started = time.perf_counter()
        rows = int(how(store))
        return time.perf_counter() - started, rows
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--db", default=None, help="PostgreSQL URL (default: SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=20_000)
    args = parser.parse_args()
    city = plan_city(args.residents, "32.75", args.seed, 2025)
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    with tempfile.TemporaryDirectory(prefix="spm-floor-") as tmp:
        people, records, _ = write_csv(city, catalog, Path(tmp))
        with database(args.db) as url:
            loaded = load_city(url, city, (people, records), args.chunk)
        chunks = loaded.pop("chunks")
        figures: dict[str, Any] = {
            "database": "postgresql" if args.db else "sqlite",
            "residents": args.residents,
            "rows": loaded["rows"],
        }
        small = narrowed(chunks)
        ways = {
            "writer": lambda store: write_again(store, chunks),
            "bare": lambda store: write_bare(store, chunks, narrow=False),
            "narrow": lambda store: write_bare(store, small, narrow=True),
        }
        results: dict[str, tuple[float, int]] = {"load": (loaded["seconds"], loaded["rows"])}
        for name, how in ways.items():
            with database(args.db) as url:
                results[name] = timed(url, city, how)
        if results["writer"][1] != loaded["rows"]:
            raise SystemExit(f"writer inserted {results['writer'][1]}, the load {loaded['rows']}")
    for name, (seconds, rows) in results.items():
        figures[f"{name}_s"] = round(seconds, 2)
        figures[f"{name}_rows_per_s"] = round(rows / seconds)
    figures["load_cpu_s"] = round(loaded["cpu_seconds"], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

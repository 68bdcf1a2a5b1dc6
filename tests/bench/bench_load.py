"""Benchmark of bulk loading: a synthetic city loaded from CSV, validation on.

Prints one JSON line: residents, households, records, rows (rows inserted over every
table), seconds (loading only — the CSV files are written first, untimed), rows_per_s
and peak_rss_mb (of the whole process). Run from the project root, under ``nice``::

    nice .venv/bin/python tests/bench/bench_load.py --residents 260000
    nice .venv/bin/python tests/bench/bench_load.py --residents 2600000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i7

SQLite uses a file in a temporary directory. On PostgreSQL the benchmark works in a
schema of its own and drops it afterwards. ``--profile FILE`` writes a cProfile of the
load.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.load import load
from spm_core.plugins import make_plugin_manager
from spm_core.store import open_store
from spm_core.synth import create_posyandu, plan_city, write_csv


@contextmanager
def database(url: str | None, directory: Path) -> Iterator[str]:
    """Yield a database URL: a SQLite file in ``directory``, or a fresh PostgreSQL schema."""
    if url is None:
        yield f"sqlite:///{directory / 'bench.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=260_000)
    parser.add_argument("--db", default=None, help="PostgreSQL URL (default: SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--profile", default=None, help="write a cProfile of the load here")
    args = parser.parse_args()

    catalog = Catalog.build(make_plugin_manager())
    operator = Actor("bench", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    with tempfile.TemporaryDirectory(prefix="spm-bench-") as tmp:
        directory = Path(tmp)
        city = plan_city(args.residents, "32.75", args.seed, 2025)
        started = time.perf_counter()
        people, records, (residents, households, n_records) = write_csv(city, catalog, directory)
        print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with database(args.db, directory) as url:
            store = open_store(url)
            create_posyandu(store, operator, city)
            profiler = cProfile.Profile() if args.profile else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            loaded = [
                load(store, operator, "residents", people, Purpose.PENDATAAN,
                     chunk_rows=args.chunk, now=city.now),
                load(store, operator, "records", records, Purpose.PELAYANAN, catalog=catalog,
                     chunk_rows=args.chunk, now=city.now),
            ]  # fmt: skip
            seconds = time.perf_counter() - started
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            store.close()
    rows = sum(report.inserted_rows for report in loaded)
    rejected = sum(report.rejected for report in loaded)
    print(
        json.dumps(
            {
                "database": "postgresql" if args.db else "sqlite",
                "residents": residents,
                "households": households,
                "records": n_records,
                "rows": rows,
                "rejected": rejected,
                "seconds": round(seconds, 1),
                "rows_per_s": round(rows / seconds),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()

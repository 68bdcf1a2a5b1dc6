"""Benchmark of bulk loading: a synthetic city loaded from CSV, validation on.

Prints one JSON line: residents, households, records, rows (rows inserted over every
table), seconds (loading only — the CSV files are written first, untimed, by a child
process), rows_per_s, cpu_seconds (of this process: on a shared machine the wall time
also counts the time other processes held the CPU; the database server's own time
is not in it), seconds_by_kind (residents, records) and peak_rss_mb (of the loading
process). Run from the project root, under ``nice``::

    nice .venv/bin/python tests/bench/bench_load.py --residents 260000
    nice .venv/bin/python tests/bench/bench_load.py --residents 2600000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i7

SQLite uses a file in a temporary directory. On PostgreSQL the benchmark works in a
schema of its own and drops it afterwards. ``--keep`` keeps the loaded city instead —
``DIR/bench.db`` on SQLite, the schema named on PostgreSQL (analysed after the timed
load) — and ``report_bench.py --keep`` (the same name, the same ``--db``) then reports on
that very city. ``--profile FILE`` writes a cProfile of the
load.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_store import database, schema_url  # one fresh database per run, as there
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.load import load
from spm_core.plugins import make_plugin_manager
from spm_core.store import open_store
from spm_core.synth import SynthCity, create_posyandu, plan_city, write_csv
from spm_core.testing.kit import core_plugins


def generate(city: SynthCity, directory: Path, meta: Path, wanted: dict[str, int]) -> None:
    """Write the city's CSV files and a note of what they hold."""
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    directory.mkdir(parents=True, exist_ok=True)
    _, _, counts = write_csv(city, catalog, directory)
    meta.write_text(json.dumps({"city": wanted, "counts": counts}))


def note(kind: str, started: float) -> Callable[[int], None]:
    """Return a progress callback printing, every 500,000 rows read, how far and how fast."""
    last = [0]

    def progress(rows: int) -> None:
        if rows - last[0] >= 500_000:
            last[0] = rows
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"{kind}: {rows} rows read, {time.perf_counter() - started:.0f} s, "
                f"cpu {time.process_time():.0f} s, peak rss {rss} MB",
                file=sys.stderr,
                flush=True,
            )

    return progress


@contextmanager
def kept(name: str, url: str | None) -> Iterator[str]:
    """Yield the URL of a database that outlives the run: ``name/bench.db`` or a schema.

    The schema is created here and must not exist yet; its URL is the one
    ``report_bench.py --keep`` builds, so that script finds the city.
    """
    if url is None:
        Path(name).mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{Path(name) / 'bench.db'}"
        return
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    finally:
        admin.dispose()
    yield schema_url(url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=260_000)
    parser.add_argument("--db", default=None, help="PostgreSQL URL (default: SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--profile", default=None, help="write a cProfile of the load here")
    parser.add_argument(
        "--data",
        default=None,
        help="keep the generated CSV files in this directory and reuse them when they match",
    )
    parser.add_argument(
        "--keep",
        default=None,
        help="keep the loaded city: SQLite into DIR/bench.db, PostgreSQL in this schema",
    )
    args = parser.parse_args()
    if args.keep and not args.db and (Path(args.keep) / "bench.db").exists():
        parser.error(f"{Path(args.keep) / 'bench.db'} exists already; name an empty directory")

    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    operator = Actor("bench", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    with tempfile.TemporaryDirectory(prefix="spm-bench-") as tmp:
        directory = Path(args.data or tmp)
        city = plan_city(args.residents, "32.75", args.seed, 2025)
        people, records = directory / "residents.csv", directory / "records.csv"
        meta = directory / "meta.json"
        wanted = {"residents": args.residents, "seed": args.seed}
        if not (meta.exists() and json.loads(meta.read_text()).get("city") == wanted):
            # A separate process writes the files, so peak_rss_mb is the load's alone.
            started = time.perf_counter()
            child = multiprocessing.Process(target=generate, args=(city, directory, meta, wanted))
            child.start()
            child.join()
            print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        residents, households, n_records = json.loads(meta.read_text())["counts"]
        with kept(args.keep, args.db) if args.keep else database(args.db) as url:
            store = open_store(url)
            create_posyandu(store, operator, city)
            profiler = cProfile.Profile(time.process_time) if args.profile else None
            started, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            loaded = [
                load(store, operator, "residents", people, Purpose.PENDATAAN,
                     chunk_rows=args.chunk, now=city.now, progress=note("residents", started)),
                load(store, operator, "records", records, Purpose.PELAYANAN, catalog=catalog,
                     chunk_rows=args.chunk, now=city.now, progress=note("records", started)),
            ]  # fmt: skip
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            if args.keep and args.db:  # fresh statistics for the reports to come, untimed
                with store._db.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
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
                "cpu_seconds": round(cpu_seconds, 1),
                "seconds_by_kind": {r.kind: round(r.seconds, 1) for r in loaded},
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()

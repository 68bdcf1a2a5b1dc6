"""Benchmark: a kader's single writes while a large batch registers residents on SQLite.

A batch of ``--rows`` residents runs through ``Store.add_residents`` in one process while
another process registers one resident at a time until the batch ends. Printed per
``chunk_size``: the batch's seconds, the kader's write latencies (median, max) and the
errors the kader got. With one chunk the whole batch holds SQLite's write lock at once;
with bounded chunks the kader waits for one chunk at most. Then the audit chain of the
database is verified and timed. Nothing here asserts a time. Run from the project root::

    nice .venv/bin/python tests/bench/bench_contention.py --rows 40000
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import SpmError
from spm_core.store import open_store

OPERATOR = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))


def _nik(serial: int) -> str:
    return f"3275010101{90 if serial % 2 else 85:02d}{serial % 10000:04d}"


def _batch(url: str, posyandu_id: str, rows: int, chunk: int, started: Any) -> float:
    store = open_store(url)
    kader = Actor("kader-batch", Role.KADER, PosyanduScope(posyandu_id))
    data = [
        {
            "name": f"Warga {i}",
            "sex": "L",
            "birth_date": date(1990, 1, 1 + i % 28).isoformat(),
            "posyandu_id": posyandu_id,
        }
        for i in range(rows)
    ]
    started.set()
    start = time.perf_counter()
    store.add_residents(kader, data, Purpose.PENDATAAN, chunk_size=chunk)
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def _kader(url: str, posyandu_id: str, done: Any, started: Any) -> tuple[list[float], Counter[str]]:
    store = open_store(url)
    kader = Actor("kader-1", Role.KADER, PosyanduScope(posyandu_id))
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    started.wait()
    i = 0
    while not done.is_set():
        i += 1
        data = {"name": f"Satu {i}", "sex": "P", "birth_date": "2001-02-03",
                "posyandu_id": posyandu_id}  # fmt: skip
        start = time.perf_counter()
        try:
            store.add_resident(kader, data, Purpose.PENDATAAN)
        except SpmError as error:
            errors[error.code] += 1
        except Exception as error:  # a raw error is what this benchmark looks for
            errors[f"raw {type(error).__name__}"] += 1
        latencies.append(time.perf_counter() - start)
        time.sleep(0.05)
    store.close()
    return latencies, errors


def run(rows: int, chunk: int, directory: Path) -> dict[str, Any]:
    """Run one batch against a kader's writes; return the figures."""
    url = f"sqlite:///{directory / f'bench-{chunk}.db'}"
    store = open_store(url)
    posyandu = store.add_posyandu(
        OPERATOR, {"name": "Posyandu Mawar", "wilayah_code": "32.75.01.1001"}, "administrasi"
    )
    store.close()
    context = multiprocessing.get_context("fork")
    done, started = context.Event(), context.Event()
    results = context.Queue()

    def kader_job() -> None:
        results.put(("kader", _kader(url, posyandu.id, done, started)))

    def batch_job() -> None:
        results.put(("batch", _batch(url, posyandu.id, rows, chunk, started)))

    jobs = [context.Process(target=kader_job), context.Process(target=batch_job)]
    for job in jobs:
        job.start()
    found = {}
    for _ in jobs:
        name, value = results.get(timeout=600)
        found[name] = value
        if name == "batch":
            done.set()
    for job in jobs:
        job.join(timeout=60)
    seconds = found["batch"]
    latencies, errors = found["kader"]
    store = open_store(url)
    start = time.perf_counter()
    report = store.verify_audit()
    verify = time.perf_counter() - start
    store.close()
    return {
        "seconds": seconds,
        "writes": len(latencies),
        "median": statistics.median(latencies) if latencies else 0.0,
        "max": max(latencies, default=0.0),
        "errors": dict(errors),
        "audit_rows": report.checked,
        "verify": verify,
        "ok": report.ok,
    }


def main() -> None:
    """Parse the options, run the batches, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--chunks", type=int, nargs="+", default=[1000, 0])
    args = parser.parse_args()
    table = Table(title=f"SQLite: batch of {args.rows:,} residents vs. one kader's writes")
    for column in ("chunk_size", "batch s", "kader writes", "median s", "max s", "errors",
                   "audit rows", "verify s", "chain"):  # fmt: skip
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        for chunk in args.chunks:
            size = chunk or args.rows
            found = run(args.rows, size, Path(tmp))
            table.add_row(
                f"{size:,}",
                f"{found['seconds']:.1f}",
                str(found["writes"]),
                f"{found['median']:.3f}",
                f"{found['max']:.2f}",
                ", ".join(f"{k}: {v}" for k, v in found["errors"].items()) or "0",
                f"{found['audit_rows']:,}",
                f"{found['verify']:.2f}",
                "ok" if found["ok"] else "BROKEN",
            )
    Console(width=120).print(table)


if __name__ == "__main__":
    main()

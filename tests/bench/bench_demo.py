"""Benchmark of ``spm demo``: wall and CPU seconds of each step, as one JSON line.

The demo must finish in under a minute on a 2-core machine; CI checks the command's
own report of its time. This script says where the time goes. Run from the project
root (``nice`` on a shared machine; CPU seconds are the figure that load does not
inflate)::

    nice .venv/bin/python tests/bench/bench_demo.py                  # 20,000 residents
    nice .venv/bin/python tests/bench/bench_demo.py --residents 5000 --seed 3
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from spm_core.demo import run_demo
from spm_core.domain.text import Text


def main() -> None:
    """Run the demo once into a temporary folder and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    steps: dict[str, dict[str, float]] = {}

    @contextmanager
    def step(key: str, label: Text, total: int | None) -> Iterator[Callable[[int], None]]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield lambda _n: None
        steps[key] = {
            "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
        }

    with tempfile.TemporaryDirectory(prefix="spm-bench-demo-") as folder:
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_demo(
            f"sqlite:///{Path(folder) / 'demo.db'}", residents=args.residents, seed=args.seed,
            year=args.year, out=Path(folder) / "spm-report.html", steps=step,
        )  # fmt: skip
        total = {"wall_s": round(time.perf_counter() - wall, 2)}
        total["cpu_s"] = round(time.process_time() - cpu, 2)
        size = (Path(folder) / "spm-report.html").stat().st_size
    print(
        json.dumps(
            {
                "bench": "demo",
                "residents": result.residents,
                "records": result.records,
                "referrals": sum(v for k, v in result.referrals.items() if k != "overdue"),
                "html_bytes": size,
                "load_average": round(os.getloadavg()[0], 1),
                "total": total,
                "steps": steps,
            }
        )
    )


if __name__ == "__main__":
    main()

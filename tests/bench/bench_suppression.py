"""Benchmark of complementary small-cell suppression on a whole city's report table.

Draws counts for 60 villages in 12 kecamatan, both sexes and six age groups, for 60
indicators (served within counted, many small cells), and suppresses them as the store
does for a researcher's report by kelurahan and sex (:func:`spm_core.store.aggregate._roll_up`:
the whole table of areas, breakdowns and served/not served). Prints one JSON line with
the wall and CPU seconds and the share of cells withheld; asserts nothing. Run from the
project root::

    nice .venv/bin/python tests/bench/bench_suppression.py
"""

from __future__ import annotations

import argparse
import json
import random
import time

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah
from spm_core.store.aggregate import ReportLevel, _roll_up

AGES = ("0-4", "5-6", "7-15", "16-18", "19-59", "60+")


def main() -> None:
    """Draw the table, suppress it once and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    draw = random.Random(args.seed)
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    villages = [f"32.75.{k:02d}.{1000 + j}" for k in range(1, 13) for j in range(1, 6)]
    rows = []
    for village in villages:
        for sex in "LP":
            for age in AGES:
                values: list[int] = []
                for _ in range(args.indicators):
                    counted = draw.choice((0, 1, 2, 3, 5, 8, 20, 40, 80))
                    values += [draw.randint(0, counted), counted]
                rows.append((f"p-{village}", village, sex, age, *values))
    columns = tuple(c for i in range(args.indicators) for c in (f"n{i}", f"d{i}"))
    within = {f"n{i}": f"d{i}" for i in range(args.indicators)}
    wall, cpu = time.perf_counter(), time.process_time()
    counts = _roll_up(
        researcher,
        {row[0] for row in rows},
        rows,
        ReportLevel.DESA_KELURAHAN,
        ("sex", "age_group"),
        columns,
        None,
        shown_keys=("sex",),
        within=within,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cells = [v for row in counts.rows.values() for v in row]
    print(
        json.dumps(
            {
                "villages": len(villages),
                "indicators": args.indicators,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "withheld_share": round(sum(v is None for v in cells) / len(cells), 3),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Benchmark of the catalog by region and date, and of routing decisions.

Prints a table of figures; nothing here asserts a time. Run from the project root::

    .venv/bin/python tests/bench/bench_routing.py
    .venv/bin/python tests/bench/bench_routing.py --decisions 200000

It builds the catalog of the six field plugins plus the documented Kota Bekasi region
plugin (so the load-time check walks Kota Bekasi's 56 kelurahan on every validity
period), asks for region views, and times ``route`` over every kelurahan and need type.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.plugins import make_plugin_manager
from spm_core.routing import RouteContext, route, villages_of
from spm_core.testing.kit import core_plugins
from spm_core.testing.region import RegionUnderTest

REGION_PLUGIN = Path(__file__).resolve().parents[2] / "regions" / "kota-bekasi"
KOTA_BEKASI = KodeWilayah.parse("32.75")


def _load_example() -> object:
    """The Kota Bekasi region plugin, from regions/ when it is not installed."""
    return RegionUnderTest.from_project(REGION_PLUGIN).plugin


def _timed(runs: int, func: object) -> list[float]:
    assert callable(func)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--builds", type=int, default=5)
    args = parser.parse_args()

    region = _load_example()
    villages_of(KOTA_BEKASI)  # the Kepmendagri list is read once per process
    builds = _timed(
        args.builds,
        lambda: Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[region])),
    )
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[region]))

    day = date(2025, 6, 30)
    first_view = _timed(1, lambda: catalog.for_region("32.16", on=day))[0]
    cached_view = statistics.median(_timed(1000, lambda: catalog.for_region("32.75", on=day)))

    view = catalog.for_region(KOTA_BEKASI, on=day)
    needs = [n.code for n in view.need_types]
    villages = villages_of(KOTA_BEKASI)
    context = RouteContext(day, latest={"pupr.sumber-air-minum": {"source": "perpipaan"}})
    cases = [(n, v) for v in villages for n in needs]
    count = 0
    start = time.perf_counter()
    while count < args.decisions:
        for need, village in cases:
            route(view, need, village, context)
        count += len(cases)
    per_decision = (time.perf_counter() - start) / count

    table = Table(title="Catalog by region and date, routing")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row(
        "catalog build, six plugins + Kota Bekasi (median)",
        f"{statistics.median(builds) * 1e3:.1f} ms",
    )
    table.add_row("validity periods checked", str(len(catalog._boundaries) + 1))
    table.add_row("kelurahan walked by the check (Kota Bekasi)", str(len(villages)))
    table.add_row("first view of a region on a day", f"{first_view * 1e3:.2f} ms")
    table.add_row("view again, same region and period (median)", f"{cached_view * 1e6:.1f} µs")
    table.add_row("route() per decision", f"{per_decision * 1e6:.2f} µs")
    table.add_row("route() decisions per second", f"{1 / per_decision:,.0f}")
    table.add_row("decisions timed", f"{count:,}")
    Console().print(table)


if __name__ == "__main__":
    main()

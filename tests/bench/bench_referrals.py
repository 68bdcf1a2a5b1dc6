"""Benchmark of the referral engine: routing decisions and lifecycle transitions.

Prints a table of figures; nothing here asserts a time. Run from the project root::

    .venv/bin/python tests/bench/bench_referrals.py
    .venv/bin/python tests/bench/bench_referrals.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i9

Routing uses the six field plugins and the documented Kota Bekasi region plugin, over
every kelurahan of Kota Bekasi and every need type: ``route_need`` (the decision, with
the region's view on the day) and ``NeedRouter`` (the decision plus the deadline in
working days and the stored explanation — what a submission runs). Lifecycle: referrals
are submitted and routed, then walked accept → start → resolve, one transaction per
step, on a SQLite file (always) and on ``--db`` (when given; the database is emptied of
the whole ``public`` schema is dropped and made afresh first: give it a database of
its own).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date

from bench_routing import _load_example  # the same Kota Bekasi plugin, loaded once
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AgencyScope, AreaScope, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Sex
from spm_core.domain.enums import Subject
from spm_core.plugins import make_plugin_manager
from spm_core.referrals import lifecycle
from spm_core.referrals.router import NeedRouter, route_need, submit
from spm_core.routing import villages_of
from spm_core.store import ReferralContext, open_store
from spm_core.testing.kit import core_plugins

KOTA_BEKASI = KodeWilayah.parse("32.75")
DAY = date(2025, 3, 3)


def _rate(count: int, func: Callable[[int], object]) -> tuple[float, float]:
    """Run ``func(i)`` for i < count; return the rate per wall-clock and per CPU second."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        func(i)
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def _routing(catalog: Catalog, decisions: int) -> tuple[tuple[float, float], tuple[float, float]]:
    villages = villages_of(KOTA_BEKASI)
    needs = [n.code for n in catalog.for_region(KOTA_BEKASI, on=DAY).need_types]
    cases = [(n, v) for v in villages for n in needs]
    router = NeedRouter(catalog)
    contexts = [
        ReferralContext(n, v, "p", Subject.RESIDENT, date(1950, 1, 1), Sex.FEMALE, DAY)
        for n, v in cases
    ]
    for n, v in cases:  # warm the views and the holiday table
        route_need(catalog, n, v, on=DAY)

    def decide(i: int) -> object:
        need, village = cases[i % len(cases)]
        return route_need(
            catalog, need, village, on=DAY, birth_date=date(1950, 1, 1), sex=Sex.FEMALE
        )

    return _rate(decisions, decide), _rate(decisions, lambda i: router(contexts[i % len(contexts)]))


def _lifecycle(url: str, catalog: Catalog, referrals: int) -> tuple[float, float]:
    store = open_store(url)
    try:
        operator = Actor("op", Role.OPERATOR, AreaScope(KOTA_BEKASI))
        posyandu = store.add_posyandu(
            operator, {"name": "Bench", "wilayah_code": "32.75.01.1001"}, Purpose.ADMINISTRASI
        )
        kader = Actor("k", Role.KADER, PosyanduScope(posyandu.id))
        residents = [
            store.add_resident(
                kader,
                {
                    "name": f"W{i}",
                    "sex": "P",
                    "birth_date": "1950-01-01",
                    "posyandu_id": posyandu.id,
                },
                Purpose.PENDATAAN,
            )[0].id
            for i in range(referrals)
        ]
        start = time.perf_counter()
        ids = [
            submit(
                store,
                kader,
                {
                    "idempotency_key": f"bench-{i}",
                    "need_type": "sosial.alat-bantu-dengar",
                    "resident_id": residents[i],
                    "on": DAY,
                },
                catalog,
            ).referral.id
            for i in range(referrals)
        ]
        submitted = referrals / (time.perf_counter() - start)
        dinsos = Actor("o", Role.AGENCY_OFFICER, AgencyScope("kota-bekasi.dinsos", KOTA_BEKASI))
        start = time.perf_counter()
        for referral_id in ids:
            lifecycle.accept(store, dinsos, referral_id, on=DAY)
            lifecycle.start(store, dinsos, referral_id, on=DAY)
            lifecycle.resolve(store, dinsos, referral_id, "selesai", on=DAY)
        steps = 3 * referrals / (time.perf_counter() - start)
        return submitted, steps
    finally:
        store.close()


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=300)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL to measure as well")
    args = parser.parse_args()
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[_load_example()]))
    (decide, decide_cpu), (full, full_cpu) = _routing(catalog, args.decisions)
    table = Table(title="Referral engine")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("routing decisions per second (route_need)", f"{decide:,.0f}")
    table.add_row(
        "  per CPU second (what the load of the machine does not change)", f"{decide_cpu:,.0f}"
    )
    table.add_row("referral targets per second (NeedRouter: + deadline)", f"{full:,.0f}")
    table.add_row("  per CPU second", f"{full_cpu:,.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        submitted, steps = _lifecycle(f"sqlite:///{tmp}/bench.db", catalog, args.referrals)
    table.add_row("SQLite: submissions routed per second", f"{submitted:,.0f}")
    table.add_row("SQLite: lifecycle transitions per second", f"{steps:,.0f}")
    if args.db:
        # A database of its own for the benchmark: its schema is dropped and made afresh
        # (a downgrade to base is refused once the audit log holds rows, as it should be).
        engine = create_engine(args.db)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        submitted, steps = _lifecycle(args.db, catalog, args.referrals)
        table.add_row("PostgreSQL: submissions routed per second", f"{submitted:,.0f}")
        table.add_row("PostgreSQL: lifecycle transitions per second", f"{steps:,.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()

"""Benchmark of the Tim Pembina views on a synthetic city.

Loads a synthetic city (:mod:`spm_core.synth`, records of 2025) into a fresh SQLite file
or PostgreSQL database, stores a plan with one indicator commitment per kecamatan on
APS 7–15 (measured per month), one referral commitment and one activity, then times,
as a Tim Pembina of the city:

* ``status_s`` — :meth:`~spm_core.api.Registry.pembina_status` on 31 December 2025
  (twelve monthly reports at kecamatan level, the baseline month, referral counts);
* ``rollout_s`` — :meth:`~spm_core.api.Registry.pembina_rollout`;
* ``mentoring_s`` — :meth:`~spm_core.api.Registry.pembina_mentoring`.

Prints one JSON line. Loading is not timed. A PostgreSQL database must be empty (the
city is loaded into it and left there). Run from the project root, under ``nice``::

    nice .venv/bin/python tests/bench/bench_pembina.py --residents 20000
    nice .venv/bin/python tests/bench/bench_pembina.py --residents 20000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i14
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.synth import synthesize

CITY = KodeWilayah("32.75")
OPERATOR = Actor("bench", Role.OPERATOR, AreaScope(CITY))
TEAM = Actor("bench-tp", Role.TIM_PEMBINA, AreaScope(CITY))
AS_OF = date(2025, 12, 31)


def _plan(kecamatan: list[str]) -> dict[str, object]:
    commitments: list[dict[str, object]] = [
        {
            "code": f"aps-{code}",
            "kind": "indicator",
            "agency_code": "kota-bekasi.disdik",
            "indicator": "pendidikan.aps-7-15",
            "area": code,
            "target": 95,
            "due_on": "2025-12-31",
        }
        for code in kecamatan
    ]
    commitments.append(
        {
            "code": "rtlh",
            "kind": "referral",
            "agency_code": "kota-bekasi.disperkimtan",
            "need_type": "perkim.rtlh",
            "target": 80,
            "due_on": "2025-12-31",
        }
    )
    commitments.append(
        {
            "code": "pelatihan",
            "kind": "activity",
            "agency_code": "kota-bekasi.dinkes",
            "title": "Pelatihan kader",
            "due_on": "2025-06-30",
        }
    )
    return {
        "code": "bench-2025",
        "title": "Rencana aksi uji beban",
        "wilayah_code": CITY.value,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "agreed_by": ["Bappeda"],
        "agreed_on": "2025-01-02",
        "commitments": commitments,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--db", default=None, help="database URL (a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        with Registry.open(url) as registry:
            _, _, records = synthesize(
                registry.store, OPERATOR, registry.catalog, residents=args.residents, year=2025
            )
            kecamatan = sorted(
                {p.wilayah_code.value[:8] for p in registry.store.list_posyandu(TEAM)}
            )
            registry.save_action_plan(TEAM, _plan(kecamatan), Purpose.ADMINISTRASI)
            started = time.perf_counter()
            status = registry.pembina_status(TEAM, as_of=AS_OF)
            status_s = time.perf_counter() - started
            started = time.perf_counter()
            rollout = registry.pembina_rollout(TEAM, as_of=AS_OF)
            rollout_s = time.perf_counter() - started
            started = time.perf_counter()
            mentoring = registry.pembina_mentoring(TEAM, as_of=AS_OF)
            mentoring_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "database": "sqlite" if args.db is None else "postgresql",
                "residents": args.residents,
                "records": records.accepted,
                "posyandu": len(mentoring.posyandu),
                "commitments": len(status.commitments),
                "phases": len(rollout.phases),
                "status_s": round(status_s, 2),
                "rollout_s": round(rollout_s, 2),
                "mentoring_s": round(mentoring_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()

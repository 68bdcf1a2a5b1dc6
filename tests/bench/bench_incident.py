"""Benchmark of the incident query (UU PDP Ps. 46) over 10⁶ audit rows on PostgreSQL.

Also times one subject export and one erasure on the same database (T9).

Seeds residents through the store's batch path, then writes the audit log directly with
``COPY`` — hash-chained exactly as :func:`spm_core.store.chain.append_audit` would
(the chain still verifies) — spread over 200 actors and 90 days. Then asks, as an
operator: which residents and data categories did one kader touch in one month, and
did the busiest actor touch in the whole period? Prints one JSON line; asserts nothing
(target: ≤ 10 s per query). Run from the project root::

    createdb -h 127.0.0.1 -U postgres bench_incident
    nice .venv/bin/python tests/bench/bench_incident.py \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_incident

The benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench_store import database
from sqlalchemy import text

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah, children
from spm_core.store.chain import GENESIS, row_hash
from spm_core.testing.kit import core_plugins

KOTA_BEKASI = KodeWilayah.parse("32.75")
START = datetime(2026, 8, 1, tzinfo=UTC)
COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_role",
    "actor_scope",
    "action",
    "entity",
    "entity_id",
    "purpose",
    "fields",
    "wilayah_code",
    "posyandu_id",
    "row_count",
    "prev_hash",
    "row_hash",
)


def _residents(count: int, posyandu_ids: list[str], rng: random.Random) -> list[dict[str, Any]]:
    rows, used = [], set()
    while len(rows) < count:
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 75))
        sex = rng.choice("LP")
        day = birth.day + (40 if sex == "P" else 0)
        nik = f"327501{day:02d}{birth:%m%y}{rng.randrange(1, 10_000):04d}"
        if nik in used:
            continue
        used.add(nik)
        rows.append(
            {
                "nik": nik,
                "name": f"Warga {len(rows) + 1}",
                "sex": sex,
                "birth_date": birth.isoformat(),
                "posyandu_id": posyandu_ids[len(rows) % len(posyandu_ids)],
            }
        )
    return rows


def _copy_audit(
    registry: Registry,
    count: int,
    residents: list[tuple[str, str, str]],
    rng: random.Random,
) -> None:
    """Append ``count`` chained audit rows with COPY (reads, updates, exports)."""
    engine = registry.store._engine
    with engine.begin() as conn:
        last = conn.execute(
            text("SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1")
        ).first()
        start_id = 1 if last is None else int(last.id) + 1
        prev = GENESIS if last is None else str(last.row_hash)
        raw: Any = conn.connection.driver_connection
        actors = [f"kader-{i:03d}" for i in range(200)]
        weights = [20.0] + [1.0] * 199  # one busy actor with ~9 % of the log
        actions = (("read", None), ("update", None), ("export", 1))
        fields_of = {"read": ["birth_date", "name", "nik"], "update": ["rt", "rw"]}
        span = 90 * 24 * 3600
        stamps = sorted(START + timedelta(seconds=rng.randrange(span)) for _ in range(count))
        with raw.cursor().copy(f"COPY audit_log ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for offset, at in enumerate(stamps):
                rid, village, posyandu = rng.choice(residents)
                action, rows = rng.choice(actions)
                fields = fields_of.get(action, ["households", "records", "resident"])
                row = {
                    "id": start_id + offset,
                    "at": at,
                    "actor_id": rng.choices(actors, weights)[0],
                    "actor_role": "kader",
                    "actor_scope": f"posyandu:{posyandu}",
                    "action": action,
                    "entity": "resident",
                    "entity_id": rid,
                    "purpose": "pelayanan",
                    "fields": fields,
                    "wilayah_code": village,
                    "posyandu_id": posyandu,
                    "row_count": rows,
                }
                row["prev_hash"] = prev
                row["row_hash"] = prev = row_hash(row, prev)
                copy.write_row(
                    [
                        *(row[c] for c in COLUMNS[:9]),
                        json.dumps(fields),
                        *(row[c] for c in COLUMNS[10:]),
                    ]
                )
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), :v)"),
            {"v": start_id + count - 1},
        )
        conn.execute(text("ANALYZE audit_log"))


def run(url: str, residents: int, audit_rows: int) -> dict[str, Any]:
    """Seed, query, and return the figures."""
    rng = random.Random(13)
    with database(url) as db_url, Registry.open(db_url, allow=core_plugins()) as registry:
        store = registry.store
        operator = Actor("bench-operator", Role.OPERATOR, AreaScope(KOTA_BEKASI))
        villages = [v.code for k in children(KOTA_BEKASI) for v in children(k.code)][:20]
        posyandu_ids = [
            store.add_posyandu(
                operator, {"name": f"Posyandu {i}", "wilayah_code": str(v)}, Purpose.ADMINISTRASI
            ).id
            for i, v in enumerate(villages)
        ]
        started = time.perf_counter()
        made = store.add_residents(
            operator, _residents(residents, posyandu_ids, rng), Purpose.PENDATAAN
        )
        seeded_residents = time.perf_counter() - started
        people = [(r.id, r.wilayah_code.value, r.posyandu_id) for r in made.residents]
        started = time.perf_counter()
        _copy_audit(registry, audit_rows, people, rng)
        seeded_audit = time.perf_counter() - started

        started = time.perf_counter()
        month = registry.incident_report(
            operator,
            who="kader-007",
            since=START + timedelta(days=30),
            until=START + timedelta(days=60),
        )
        one_month = time.perf_counter() - started
        started = time.perf_counter()
        busy = registry.incident_report(operator, who="kader-000")
        busiest = time.perf_counter() - started
        # Subject rights on the same database (test plan T9: each call <= 2 s).
        subject = people[len(people) // 2][0]
        started = time.perf_counter()
        exported = registry.export_subject(operator, subject)
        export_seconds = time.perf_counter() - started
        started = time.perf_counter()
        registry.erase_subject(operator, subject, "bench")
        erase_seconds = time.perf_counter() - started
        with store._engine.connect() as conn:
            total = int(conn.scalar(text("SELECT count(*) FROM audit_log")) or 0)
    return {
        "benchmark": "incident_query",
        "database": "postgresql",
        "audit_rows": total,
        "residents": residents,
        "seconds_one_actor_one_month": round(one_month, 3),
        "residents_one_actor_one_month": len(month.residents),
        "lines_one_actor_one_month": month.lines,
        "seconds_busiest_actor_90_days": round(busiest, 3),
        "residents_busiest_actor": len(busy.residents),
        "lines_busiest_actor": busy.lines,
        "categories": list(busy.categories),
        "seconds_export_subject": round(export_seconds, 3),
        "export_log_lines": len(exported.processing_log),
        "seconds_erase_subject": round(erase_seconds, 3),
        "seed_seconds_residents": round(seeded_residents, 1),
        "seed_seconds_audit_copy": round(seeded_audit, 1),
        "target_seconds": 10,
    }


def main() -> None:
    """Parse arguments, run, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--db", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_incident"
    )
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(json.dumps(run(args.db, args.residents, args.audit_rows)))


if __name__ == "__main__":
    main()

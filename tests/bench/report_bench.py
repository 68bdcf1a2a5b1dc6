"""Benchmark of the full report against hand-written SQL and a pandas script.

On a synthetic city (:mod:`spm_core.synth`) it times, for one year at kelurahan level:

(a) ``library_s`` — the library's full report: every installed indicator, through
    :func:`spm_core.indicators.report.compute_report` (counts, targets, quality inputs,
    the achievement index);
(b) ``handwritten_sql_s`` — one plain SQL query per indicator, as a competent analyst
    would write them against the same tables and the same population rule;
(c) ``pandas_s`` — a pandas script that reads the same tables with ``read_sql`` and
    computes the same (the reading is timed too, as a researcher's would be);

checks that the three agree exactly (served and denominator per indicator and
kelurahan) and prints one JSON line: residents, records, library_s, handwritten_sql_s,
pandas_s, ratio_vs_sql, ratio_vs_pandas, peak_rss_mb. Loading the city is not timed.
Run from the project root, under ``nice``::

    nice .venv/bin/python tests/bench/report_bench.py --residents 100000
    nice .venv/bin/python tests/bench/report_bench.py --residents 2600000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i8

SQLite uses a file in a temporary directory (``--keep DIR`` keeps and reuses it). On
PostgreSQL the city is loaded into a schema of its own, dropped afterwards unless
``--keep`` names it. Needs pandas (``pip install spm-core[dataframes]``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, Role
from spm_core.api import Registry
from spm_core.domain import AgeUnit, KodeWilayah, Period
from spm_core.indicators.ages import birth_range
from spm_core.synth import synthesize

YEAR = 2025
PERIOD = Period.whole_year(YEAR)
START, END = PERIOD.start, PERIOD.end
OPERATOR = Actor("bench", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
Counts = dict[tuple[str, str], tuple[int, int]]

IMPROVED = ("perpipaan", "kran-umum", "hidran-umum", "terminal-air", "air-hujan")
GROUNDWATER = ("sumur-bor-pompa", "sumur-terlindung", "mata-air-terlindung")
TREATED = ("tangki-septik", "spald-t")
SCHOOL = ("sd", "smp", "sma", "smk", "slb")
PAKET = ("paket-a", "paket-b", "paket-c")


@contextmanager
def database(url: str | None, keep: str | None) -> Iterator[tuple[str, bool]]:
    """Yield (URL, fresh): a SQLite file, or a PostgreSQL schema of its own."""
    if url is None:
        with tempfile.TemporaryDirectory() as tmp:
            where = Path(keep or tmp) / "bench.db"
            where.parent.mkdir(parents=True, exist_ok=True)
            fresh = not where.exists()
            yield f"sqlite:///{where}", fresh
        return
    schema = keep or f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        fresh = not connection.execute(
            text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"), {"s": schema}
        ).first()
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}", fresh
    finally:
        if keep is None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --------------------------------------------------------------------------- (a) library


def library(registry: Registry) -> Counts:
    report = registry.compute_report(OPERATOR, PERIOD, "kelurahan")
    return {(r.indicator, r.area): (r.numerator or 0, int(r.denominator or 0)) for r in report.rows}


# --------------------------------------------------------------------------- (b) SQL


def _ages(low: int, high: int | None, unit: AgeUnit) -> dict[str, Any]:
    earliest, latest = birth_range(low, high, unit, END)
    return {"b_lo": earliest or date(1, 1, 1), "b_hi": latest}


class Dialect:
    """The few places SQLite and PostgreSQL differ for the analyst's queries."""

    def __init__(self, name: str) -> None:
        self.pg = name == "postgresql"

    def txt(self, field: str, alias: str = "x") -> str:
        return (
            f"{alias}.value->>'{field}'" if self.pg else f"json_extract({alias}.value, '$.{field}')"
        )

    def num(self, field: str, alias: str = "x") -> str:
        return f"({alias}.value->>'{field}')::float" if self.pg else self.txt(field, alias)

    def true(self, field: str, alias: str = "x") -> str:
        return (
            f"({alias}.value->>'{field}') = 'true'" if self.pg else f"{self.txt(field, alias)} = 1"
        )

    def false(self, field: str, alias: str = "x") -> str:
        return (
            f"({alias}.value->>'{field}') = 'false'" if self.pg else f"{self.txt(field, alias)} = 0"
        )


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


POP = """
pop AS (
  SELECT r.id, d.wilayah_code, r.birth_date
  FROM resident r JOIN domicile d ON d.resident_id = r.id
  WHERE d.since <= :end AND (d.until IS NULL OR d.until >= :end)
    AND r.birth_date <= :end AND (r.died_on IS NULL OR r.died_on > :end)
    AND r.restricted = :no
)"""

HOMES = (
    POP
    + """,
mem AS (
  SELECT m.household_id, m.resident_id, m.relationship, p.wilayah_code
  FROM membership m JOIN pop p ON p.id = m.resident_id
  WHERE m.start_date <= :end AND (m.end_date IS NULL OR m.end_date >= :end)
),
ranked AS (
  SELECT household_id, wilayah_code,
         ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY relationship, resident_id) AS k,
         COUNT(*) OVER (PARTITION BY household_id) AS persons
  FROM mem
),
homes AS (SELECT household_id AS id, wilayah_code, persons FROM ranked WHERE k = 1)"""
)


def _latest(subject: str, record_type: str, since: bool) -> str:
    window = "AND observed_on >= :start" if since else ""
    return f"""(
  SELECT {subject} AS sid, value, ROW_NUMBER() OVER (
      PARTITION BY {subject} ORDER BY observed_on DESC, created_at DESC, id DESC) AS k
  FROM record
  WHERE record_type = '{record_type}' AND voided_at IS NULL AND observed_on <= :end {window}
)"""


def handwritten(engine: Any) -> Counts:
    d = Dialect(engine.dialect.name)
    queries: dict[str, tuple[str, dict[str, Any]]] = {}

    def screened(package: str) -> str:
        return f"""WITH {POP}
SELECT p.wilayah_code,
  SUM(CASE WHEN p.id IN (SELECT x.resident_id FROM record x WHERE
        x.record_type = 'kesehatan.skrining' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end AND {d.txt("package")} = '{package}')
      THEN 1 ELSE 0 END), COUNT(*)
FROM pop p WHERE p.birth_date BETWEEN :b_lo AND :b_hi GROUP BY p.wilayah_code"""

    queries["kesehatan.usia-produktif"] = (screened("usia-produktif"), _ages(15, 59, AgeUnit.YEARS))
    queries["kesehatan.usia-lanjut"] = (screened("usia-lanjut"), _ages(60, None, AgeUnit.YEARS))
    queries["kesehatan.balita"] = (
        f"""WITH {POP},
w AS (SELECT x.resident_id, COUNT(*) AS n,
             SUM(CASE WHEN {d.num("height_cm")} > 0 THEN 1 ELSE 0 END) AS h
      FROM record x WHERE x.record_type = 'kesehatan.penimbangan' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end GROUP BY x.resident_id)
SELECT p.wilayah_code, SUM(CASE WHEN w.n >= 8 AND w.h >= 2 THEN 1 ELSE 0 END), COUNT(*)
FROM pop p LEFT JOIN w ON w.resident_id = p.id
WHERE p.birth_date BETWEEN :b_lo AND :b_hi GROUP BY p.wilayah_code""",
        _ages(0, 59, AgeUnit.MONTHS),
    )
    school = _latest("resident_id", "pendidikan.status-sekolah", since=True)
    status = d.txt("status", "s")
    for code, low, high, served, counted in (
        ("pendidikan.aps-5-6", 5, 6, ("paud", "sd", "slb"), None),
        ("pendidikan.aps-7-15", 7, 15, SCHOOL + PAKET, None),
        ("pendidikan.aps-kesetaraan-7-18", 7, 18, PAKET, PAKET),
    ):
        den = "1 = 1"
        if counted is not None:
            den = (
                f"s.sid IS NOT NULL AND ({status} IN {_in(counted)} OR ({status} = 'tidak-sekolah'"
                f" AND {d.txt('reason_not_in_school', 's')} <> 'tamat-pendidikan-menengah'))"
            )
        queries[code] = (
            f"""WITH {POP}, s AS (SELECT * FROM {school} t WHERE k = 1)
SELECT p.wilayah_code,
  SUM(CASE WHEN ({den}) AND {status} IN {_in(served)} THEN 1 ELSE 0 END),
  SUM(CASE WHEN {den} THEN 1 ELSE 0 END)
FROM pop p LEFT JOIN s ON s.sid = p.id
WHERE p.birth_date BETWEEN :b_lo AND :b_hi GROUP BY p.wilayah_code""",
            _ages(low, high, AgeUnit.YEARS),
        )
    for code, record_type, group, ages in (
        ("sosial.disabilitas-telantar", "sosial.disabilitas", "disabilitas", (0, None)),
        ("sosial.lansia-telantar", "sosial.lansia-telantar", "lanjut-usia", (60, None)),
    ):
        queries[code] = (
            f"""WITH {POP}, n AS (SELECT * FROM {_latest("resident_id", record_type, False)} t
                    WHERE k = 1 AND {d.true("neglected", "t")})
SELECT p.wilayah_code,
  SUM(CASE WHEN p.id IN (SELECT x.resident_id FROM record x WHERE
        x.record_type = 'sosial.rehabilitasi-sosial' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end AND {d.txt("group")} = '{group}'
        AND {d.txt("setting")} = 'luar-panti') THEN 1 ELSE 0 END), COUNT(*)
FROM pop p JOIN n ON n.sid = p.id
WHERE p.birth_date BETWEEN :b_lo AND :b_hi GROUP BY p.wilayah_code""",
            _ages(ages[0], ages[1], AgeUnit.YEARS),
        )
    water = _latest("household_id", "pupr.sumber-air-minum", False)
    src = d.txt("source", "w")
    queries["pupr.air-minum"] = (
        f"""WITH {HOMES}, w AS (SELECT * FROM {water} t WHERE k = 1)
SELECT h.wilayah_code,
  SUM(CASE WHEN {src} IN {_in(IMPROVED)} OR ({src} IN {_in(GROUNDWATER)}
                AND {d.false("waste_pit_within_10m", "w")}) THEN h.persons ELSE 0 END),
  SUM(h.persons)
FROM homes h LEFT JOIN w ON w.sid = h.id GROUP BY h.wilayah_code""",
        {},
    )
    toilet = _latest("household_id", "pupr.sanitasi", False)
    queries["pupr.air-limbah"] = (
        f"""WITH {HOMES}, s AS (SELECT * FROM {toilet} t WHERE k = 1)
SELECT h.wilayah_code,
  SUM(CASE WHEN {d.txt("disposal", "s")} IN {_in(TREATED)} THEN h.persons ELSE 0 END),
  SUM(h.persons)
FROM homes h LEFT JOIN s ON s.sid = h.id GROUP BY h.wilayah_code""",
        {},
    )
    queries["perkim.rumah-korban-bencana"] = (
        f"""WITH {HOMES}
SELECT h.wilayah_code,
  SUM(CASE WHEN h.id IN (SELECT x.household_id FROM record x WHERE
        x.record_type = 'perkim.penanganan-rumah' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end AND {d.txt("reason")} = 'bencana'
        AND {d.true("completed")}) THEN 1 ELSE 0 END), COUNT(*)
FROM homes h WHERE h.id IN (SELECT x.household_id FROM record x WHERE
        x.record_type = 'perkim.dampak-bencana' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end)
GROUP BY h.wilayah_code""",
        {},
    )
    zone = _latest("household_id", "trantibum.rawan-bencana", False)
    for code, service in (
        ("trantibum.informasi-rawan-bencana", "informasi-rawan-bencana"),
        ("trantibum.kesiapsiagaan-bencana", "pencegahan-kesiapsiagaan"),
    ):
        queries[code] = (
            f"""WITH {HOMES},
z AS (SELECT * FROM {zone} t WHERE k = 1 AND {d.true("in_hazard_zone", "t")})
SELECT h.wilayah_code,
  SUM(CASE WHEN h.id IN (SELECT x.household_id FROM record x WHERE
        x.record_type = 'trantibum.layanan-bencana' AND x.voided_at IS NULL
        AND x.observed_on BETWEEN :start AND :end AND {d.txt("service")} = '{service}')
      THEN 1 ELSE 0 END), COUNT(*)
FROM homes h JOIN z ON z.sid = h.id GROUP BY h.wilayah_code""",
            {},
        )
    out: Counts = {}
    with engine.connect() as connection:
        for code, (sql, params) in queries.items():
            bound = {"start": START, "end": END, "no": False, **params}
            for area, served, counted in connection.execute(text(sql), bound):
                if served or counted:
                    out[(code, area)] = (int(served or 0), int(counted))
    return out


# --------------------------------------------------------------------------- (c) pandas


def pandas_script(engine: Any) -> Counts:
    with engine.connect() as connection:
        people = pd.read_sql(
            text("SELECT id, birth_date, died_on, restricted FROM resident"), connection
        )
        stays = pd.read_sql(
            text("SELECT resident_id, wilayah_code, since, until FROM domicile"), connection
        )
        members = pd.read_sql(
            text("SELECT household_id, resident_id, relationship, start_date, end_date "
                 "FROM membership"), connection
        )  # fmt: skip
        records = pd.read_sql(
            text("SELECT id, record_type, resident_id, household_id, observed_on, created_at, "
                 "value FROM record WHERE voided_at IS NULL"), connection
        )  # fmt: skip
    end, start = pd.Timestamp(END), pd.Timestamp(START)
    for frame, columns in (
        (people, ("birth_date", "died_on")),
        (stays, ("since", "until")),
        (members, ("start_date", "end_date")),
        (records, ("observed_on",)),
    ):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column])
    if records["value"].map(type).eq(str).any():
        records["value"] = records["value"].map(json.loads)
    records = records[records["observed_on"] <= end]
    alive = people[
        (people.birth_date <= end)
        & (people.died_on.isna() | (people.died_on > end))
        & ~people.restricted.astype(bool)
    ]
    here = stays[(stays.since <= end) & (stays.until.isna() | (stays.until >= end))]
    pop = alive.merge(here, left_on="id", right_on="resident_id")[
        ["id", "birth_date", "wilayah_code"]
    ]
    mem = members[
        (members.start_date <= end) & (members.end_date.isna() | (members.end_date >= end))
    ]
    mem = mem.merge(pop, left_on="resident_id", right_on="id")
    mem = mem.sort_values(["household_id", "relationship", "resident_id"])
    homes = mem.groupby("household_id").agg(
        wilayah_code=("wilayah_code", "first"), persons=("resident_id", "size")
    )

    def of(kind: str, code: str) -> pd.DataFrame:
        chosen = records[records.record_type == code]
        return chosen[chosen[kind].notna()]

    def field(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame["value"].map(lambda v: v.get(name))

    def latest(kind: str, code: str, since: bool) -> pd.DataFrame:
        chosen = of(kind, code)
        if since:
            chosen = chosen[chosen.observed_on >= start]
        chosen = chosen.sort_values(["observed_on", "created_at", "id"])
        return chosen.groupby(kind).tail(1).set_index(kind)

    def in_period(kind: str, code: str) -> pd.DataFrame:
        chosen = of(kind, code)
        return chosen[chosen.observed_on >= start]

    def ages(low: int, high: int | None, unit: AgeUnit) -> pd.DataFrame:
        earliest, latest_day = birth_range(low, high, unit, END)
        keep = pop.birth_date <= pd.Timestamp(latest_day)
        if earliest is not None:
            keep &= pop.birth_date >= pd.Timestamp(earliest)
        return pop[keep].set_index("id")

    out: Counts = {}

    def tally(
        code: str, base: pd.DataFrame, counted: pd.Series, served: pd.Series, weight: Any = 1
    ) -> None:
        frame = pd.DataFrame(
            {
                "w": base["wilayah_code"],
                "d": counted.astype(bool),
                "n": (counted & served).astype(bool),
            }
        )
        frame["weight"] = weight
        grouped = frame.assign(d=frame.d * frame.weight, n=frame.n * frame.weight).groupby("w")
        for area, row in grouped[["n", "d"]].sum().iterrows():
            if row.n or row.d:
                out[(code, str(area))] = (int(row.n), int(row.d))

    screening = in_period("resident_id", "kesehatan.skrining")
    for code, package, low, high in (
        ("kesehatan.usia-produktif", "usia-produktif", 15, 59),
        ("kesehatan.usia-lanjut", "usia-lanjut", 60, None),
    ):
        base = ages(low, high, AgeUnit.YEARS)
        done = set(screening[field(screening, "package") == package].resident_id)
        tally(code, base, pd.Series(True, index=base.index), base.index.to_series().isin(done))
    base = ages(0, 59, AgeUnit.MONTHS)
    weigh = in_period("resident_id", "kesehatan.penimbangan")
    heights = field(weigh, "height_cm")
    measured = weigh[heights.notna() & (pd.to_numeric(heights, errors="coerce") > 0)]
    n = weigh.groupby("resident_id").size()
    h = measured.groupby("resident_id").size()
    ok = (n.reindex(base.index, fill_value=0) >= 8) & (h.reindex(base.index, fill_value=0) >= 2)
    tally("kesehatan.balita", base, pd.Series(True, index=base.index), ok)
    school = latest("resident_id", "pendidikan.status-sekolah", True)
    status = field(school, "status")
    reason = field(school, "reason_not_in_school")
    for code, low, high, served, counted in (
        ("pendidikan.aps-5-6", 5, 6, ("paud", "sd", "slb"), None),
        ("pendidikan.aps-7-15", 7, 15, SCHOOL + PAKET, None),
        ("pendidikan.aps-kesetaraan-7-18", 7, 18, PAKET, PAKET),
    ):
        base = ages(low, high, AgeUnit.YEARS)
        st = status.reindex(base.index)
        if counted is None:
            den = pd.Series(True, index=base.index)
        else:
            rs = reason.reindex(base.index)
            den = st.isin(counted) | (
                (st == "tidak-sekolah") & rs.notna() & (rs != "tamat-pendidikan-menengah")
            )
        tally(code, base, den, st.isin(served))
    rehab = in_period("resident_id", "sosial.rehabilitasi-sosial")
    for code, record_type, group, low in (
        ("sosial.disabilitas-telantar", "sosial.disabilitas", "disabilitas", 0),
        ("sosial.lansia-telantar", "sosial.lansia-telantar", "lanjut-usia", 60),
    ):
        base = ages(low, None, AgeUnit.YEARS)
        neglected = field(latest("resident_id", record_type, False), "neglected")
        den = neglected.reindex(base.index).eq(True)
        helped = set(
            rehab[
                (field(rehab, "group") == group) & (field(rehab, "setting") == "luar-panti")
            ].resident_id
        )
        tally(code, base, den, base.index.to_series().isin(helped))
    water = latest("household_id", "pupr.sumber-air-minum", False)
    source = field(water, "source").reindex(homes.index)
    pit = field(water, "waste_pit_within_10m").reindex(homes.index)
    good = source.isin(IMPROVED) | (source.isin(GROUNDWATER) & pit.eq(False))
    everyone = pd.Series(True, index=homes.index)
    tally("pupr.air-minum", homes, everyone, good, homes.persons)
    toilet = field(latest("household_id", "pupr.sanitasi", False), "disposal").reindex(homes.index)
    tally("pupr.air-limbah", homes, everyone, toilet.isin(TREATED), homes.persons)
    hit = set(in_period("household_id", "perkim.dampak-bencana").household_id)
    housed = in_period("household_id", "perkim.penanganan-rumah")
    housed = housed[(field(housed, "reason") == "bencana") & field(housed, "completed").eq(True)]
    tally("perkim.rumah-korban-bencana", homes, homes.index.to_series().isin(hit),
          homes.index.to_series().isin(set(housed.household_id)))  # fmt: skip
    zone = field(latest("household_id", "trantibum.rawan-bencana", False), "in_hazard_zone")
    in_zone = zone.reindex(homes.index).eq(True)
    service = in_period("household_id", "trantibum.layanan-bencana")
    for code, kind in (
        ("trantibum.informasi-rawan-bencana", "informasi-rawan-bencana"),
        ("trantibum.kesiapsiagaan-bencana", "pencegahan-kesiapsiagaan"),
    ):
        got = set(service[field(service, "service") == kind].household_id)
        tally(code, homes, in_zone, homes.index.to_series().isin(got))
    return out


# --------------------------------------------------------------------------- main


def _timed(work: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work(*args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2_600_000)
    parser.add_argument("--db", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", help="SQLite directory or PostgreSQL schema to keep and reuse")
    args = parser.parse_args()
    with database(args.db, args.keep) as (url, fresh), Registry.open(url) as registry:
        if fresh:
            started = time.perf_counter()
            synthesize(registry.store, OPERATOR, registry.catalog, residents=args.residents,
                       seed=args.seed, year=YEAR)  # fmt: skip
            print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        engine = registry.store._db.engine
        with engine.connect() as connection:
            records = connection.execute(text("SELECT COUNT(*) FROM record")).scalar_one()
            residents = connection.execute(text("SELECT COUNT(*) FROM resident")).scalar_one()
        library_s, ours = _timed(library, registry)
        sql_s, theirs = _timed(handwritten, engine)
        pandas_s, frames = _timed(pandas_script, engine)
    ours = {k: v for k, v in ours.items() if v != (0, 0)}
    for name, other in (("handwritten SQL", theirs), ("pandas", frames)):
        if other != ours:
            diff = sorted(set(other.items()) ^ set(ours.items()))[:10]
            sys.exit(f"the library and {name} disagree: {diff}")
    print(
        json.dumps(
            {
                "residents": residents,
                "records": records,
                "library_s": round(library_s, 3),
                "handwritten_sql_s": round(sql_s, 3),
                "pandas_s": round(pandas_s, 3),
                "ratio_vs_sql": round(library_s / sql_s, 3),
                "ratio_vs_pandas": round(library_s / pandas_s, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

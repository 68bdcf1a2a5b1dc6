"""Benchmark of the full report against hand-written SQL and a pandas script.

On a synthetic city (:mod:`spm_core.synth`) it times, for one year at kelurahan level:

(a) ``library_s`` — the library's full report: every installed indicator, through
    :func:`spm_core.indicators.report.compute_report` (counts, targets, quality inputs,
    the achievement index) with the SQL engine;
(b) ``handwritten_sql_s`` — the same indicators in plain SQL, as a competent analyst
    would write them against the same tables and the same population rule: one query
    per subject type (residents, households), each record type grouped once per subject
    and left-joined to the population, ``SUM(CASE …)`` per indicator;
(c) ``pandas_s`` — a pandas script that reads the same tables with ``read_sql`` and
    computes the same (the reading is timed too, as a researcher's would be);
(d) ``columnar_s`` — the library's full report with the columnar engine
    (``engine="columnar"``), reading the tables into polars included;

checks that the four agree exactly (served and denominator per indicator and
kelurahan) and prints one JSON line: residents, records, library_s, handwritten_sql_s,
pandas_s, ratio_vs_sql, ratio_vs_pandas, peak_rss_mb (the process's peak right after
(a)), columnar_s, columnar_ratio_vs_pandas, columnar_peak_rss_mb (right after (d)),
database. Loading the city is not timed; load it in a first run with ``--keep`` so the
peak memory of the timed run is the report's, not the loader's. Run from the project
root, under ``nice``::

    nice .venv/bin/python tests/bench/report_bench.py --residents 260000 --keep /tmp/city
    nice .venv/bin/python tests/bench/report_bench.py --residents 260000 --keep /tmp/city
    createdb -h 127.0.0.1 -U postgres bench
    nice .venv/bin/python tests/bench/report_bench.py --residents 260000 --keep city \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

To time PostgreSQL on the very city a SQLite run kept, without synthesising it again,
copy it (untimed, ``COPY``)::

    nice .venv/bin/python tests/bench/report_bench.py --residents 2600000 --keep city26 \
        --from-sqlite /tmp/city26 --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

SQLite uses a file in a temporary directory (``--keep DIR`` keeps and reuses it). On
PostgreSQL the city is loaded into a schema of its own (and analysed), dropped
afterwards unless ``--keep`` names it. Needs pandas and polars
(``pip install spm-core[dataframes]``).
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
from bench_store import schema_url
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, Role
from spm_core.api import Registry
from spm_core.definitions import LastMonths, PeriodAndAfter
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
FORMAL = ("paud", "sd", "smp", "sma", "smk", "slb")
FACILITY = ("rumah-sakit", "puskesmas", "klinik", "praktik-mandiri-bidan")
SKILLED = ("dokter", "bidan")
INDICATOR_TARGETS = {
    "kesehatan.diabetes-melitus": "kesehatan.penderita-diabetes",
    "kesehatan.hipertensi": "kesehatan.penderita-hipertensi",
    "kesehatan.odgj-berat": "kesehatan.odgj-berat",
    "kesehatan.risiko-hiv": "kesehatan.berisiko-hiv",
    "kesehatan.terduga-tbc": "kesehatan.terduga-tbc",
}


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
    try:
        yield schema_url(url, schema), fresh
    finally:
        if keep is None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def copy_city(source: Path, engine: Any) -> None:
    """Copy every table of a kept SQLite city into a freshly migrated PostgreSQL schema.

    The rows are the same rows (ids, keys, audit chain and all), written with ``COPY``;
    into a table the migrations already seeded, through a temporary table merged with
    ``ON CONFLICT DO NOTHING``, so its rows stay. Quicker than synthesising the city again
    through the loader; the loading is not timed either way.
    """
    import sqlite3

    from spm_core.store.base import Base

    reader = sqlite3.connect(source)
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table in Base.metadata.sorted_tables:
            columns = [column.name for column in table.columns]
            names = ", ".join(f'"{name}"' for name in columns)
            seeded = cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")').fetchone()
            into = f"copy_{table.name}" if seeded and seeded[0] else table.name
            if into != table.name:
                cursor.execute(f'CREATE TEMP TABLE "{into}" (LIKE "{table.name}") ON COMMIT DROP')
            started, count = time.perf_counter(), 0
            rows = reader.execute(f'SELECT {names} FROM "{table.name}"')
            with cursor.copy(f'COPY "{into}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            if into != table.name:
                cursor.execute(
                    f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{into}" '
                    "ON CONFLICT DO NOTHING"
                )
            print(
                f"copied {table.name}: {count} rows in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    reader.close()


# --------------------------------------------------------------------------- (a) library


def library(registry: Registry, engine: str = "sql") -> Counts:
    report = registry.compute_report(OPERATOR, PERIOD, "kelurahan", engine=engine)
    return {(r.indicator, r.area): (r.numerator or 0, int(r.denominator or 0)) for r in report.rows}


def columnar(registry: Registry) -> Counts:
    """(d) The library's full report with the columnar engine, reading the tables included."""
    return library(registry, "columnar")


# --------------------------------------------------------------------------- (b) SQL

MONTHS_12 = LastMonths(12).bounds(END)[0]
MONTHS_36 = LastMonths(36).bounds(END)[0]
AFTER_3 = PeriodAndAfter(3).bounds(START, END)[1]


class Dialect:
    """The few places SQLite and PostgreSQL differ for the analyst's queries."""

    def __init__(self, name: str) -> None:
        self.pg = name == "postgresql"

    def txt(self, field: str, alias: str = "x") -> str:
        return (
            f"{alias}.value->>'{field}'" if self.pg else f"json_extract({alias}.value, '$.{field}')"
        )

    def num(self, field: str, alias: str = "x") -> str:
        if self.pg:
            return (
                f"CASE WHEN jsonb_typeof({alias}.value->'{field}') = 'number'"
                f" THEN ({alias}.value->>'{field}')::float END"
            )
        return self.txt(field, alias)

    def yes(self, field: str, alias: str = "x") -> str:
        return f"{self.txt(field, alias)} = 'true'" if self.pg else f"{self.txt(field, alias)} = 1"

    def no(self, field: str, alias: str = "x") -> str:
        return f"{self.txt(field, alias)} = 'false'" if self.pg else f"{self.txt(field, alias)} = 0"

    def month(self, column: str) -> str:
        return f"date_trunc('month', {column})" if self.pg else f"strftime('%Y-%m', {column})"

    def days(self, first: str, second: str) -> str:
        """Whole days from ``first`` to ``second``."""
        return f"({second} - {first})" if self.pg else f"(julianday({second}) - julianday({first}))"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


POP = """
pop AS (
  SELECT r.id, d.wilayah_code, r.birth_date, r.sex
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


def _records(
    subject: str, record_type: str, since: str | None, until: str = ":end", join: str = ""
) -> str:
    low = f" AND x.observed_on >= {since}" if since else ""
    return (
        f"FROM record x {join} WHERE x.record_type = '{record_type}' AND x.voided_at IS NULL"
        f" AND x.{subject} IS NOT NULL AND x.observed_on <= {until}{low}"
    )


BORN = "JOIN resident b ON b.id = x.resident_id"


def _any(
    subject: str, record_type: str, since: str | None, until: str = ":end", **flags: str
) -> str:
    """One row per subject with records of the type; a 0/1 column per condition."""
    cols = "".join(
        f", MAX(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}" for name, cond in flags.items()
    )
    return (
        f"SELECT x.{subject} AS id{cols} {_records(subject, record_type, since, until)}"
        f" GROUP BY x.{subject}"
    )


def _latest(subject: str, record_type: str, since: str | None, **fields: str) -> str:
    """The latest record per subject (by date, creation time, id) and some of its fields.

    The outer ``GROUP BY`` (one row per subject already) lets SQLite index the result
    for the join, as it does every other per-subject table here.
    """
    cols = "".join(f", {expr} AS {name}" for name, expr in fields.items())
    outer = "".join(f", MAX({name}) AS {name}" for name in fields)
    return f"""SELECT id{outer} FROM (
  SELECT x.{subject} AS id{cols}, ROW_NUMBER() OVER (PARTITION BY x.{subject}
      ORDER BY x.observed_on DESC, x.created_at DESC, x.id DESC) AS k
  {_records(subject, record_type, since)}) t WHERE k = 1 GROUP BY id"""


def _flag(alias: str, column: str = "id") -> str:
    return f"{alias}.{column} IS NOT NULL" if column == "id" else f"{alias}.{column} = 1"


def resident_query(d: Dialect) -> tuple[str, list[tuple[str, str | None, str, str]]]:
    """One query for every resident indicator: each record type grouped once per person."""
    r = "resident_id"
    txt, num, yes = d.txt, d.num, d.yes
    ctes = {
        "weigh": f"SELECT x.{r} AS id, COUNT(DISTINCT {d.month('x.observed_on')}) AS months,"
        f" SUM(CASE WHEN {num('height_cm')} > 0 THEN 1 ELSE 0 END) AS measured"
        f" {_records(r, 'kesehatan.penimbangan', ':start')} GROUP BY x.{r}",
        "neo": f"SELECT x.{r} AS id,"
        f" MAX(CASE WHEN x.observed_on >= :start AND {txt('visit')} = 'kn1'"
        f" AND {num('hours_after_birth')} >= 6 AND {num('hours_after_birth')} <= 48"
        f" THEN 1 ELSE 0 END) AS kn1,"
        f" MAX(CASE WHEN {txt('visit')} = 'kn2' AND {d.days('b.birth_date', 'x.observed_on')}"
        f" BETWEEN 3 AND 7 THEN 1 ELSE 0 END) AS kn2,"
        f" MAX(CASE WHEN {txt('visit')} = 'kn3' AND {d.days('b.birth_date', 'x.observed_on')}"
        f" BETWEEN 8 AND 28 THEN 1 ELSE 0 END) AS kn3"
        f" {_records(r, 'kesehatan.kunjungan-neonatal', None, join=BORN)}"
        f" AND b.birth_date >= :start GROUP BY x.{r}",
        "sick": _any(
            r,
            "kesehatan.pelayanan-penyakit",
            ":start",
            dm=f"{txt('condition')} = 'diabetes-melitus' AND {yes('to_standard')}",
            ht=f"{txt('condition')} = 'hipertensi' AND {yes('to_standard')}",
            odgj=f"{txt('condition')} = 'odgj-berat' AND {yes('to_standard')}",
        ),
        "deliv": _any(
            r,
            "kesehatan.persalinan",
            ":start",
            good=f"{txt('place')} IN {_in(FACILITY)} AND {txt('attendant')} IN {_in(SKILLED)}",
        ),
        "anc": f"SELECT x.{r} AS id, COUNT(*) AS n,"
        f" SUM(CASE WHEN {txt('examiner')} = 'dokter' THEN 1 ELSE 0 END) AS doctor,"
        f" SUM(CASE WHEN {yes('ultrasound')} THEN 1 ELSE 0 END) AS usg"
        f" {_records(r, 'kesehatan.pemeriksaan-kehamilan', None)}"
        f" AND EXISTS (SELECT 1 FROM record a WHERE a.record_type = 'kesehatan.persalinan'"
        f" AND a.{r} = x.{r} AND a.voided_at IS NULL AND a.observed_on <= :end"
        f" AND {d.days('x.observed_on', 'a.observed_on')} BETWEEN 0 AND 300)"
        f" GROUP BY x.{r}",
        "hiv": _any(r, "kesehatan.tes-hiv", ":start"),
        "tbc": _any(r, "kesehatan.pemeriksaan-tbc", ":start", ok=yes("to_standard")),
        "screen": _any(
            r,
            "kesehatan.skrining",
            ":start",
            **{
                k.replace("-", "_"): f"{txt('package')} = '{k}'"
                for k in ("usia-lanjut", "usia-pendidikan-dasar", "usia-produktif")
            },
        ),
        "school": _latest(
            r,
            "pendidikan.status-sekolah",
            ":start",
            status=txt("status"),
            reason=txt("reason_not_in_school"),
        ),
        "child": _latest(
            r,
            "sosial.anak-telantar",
            ":m12",
            neglected=f"CASE WHEN {yes('neglected')} THEN 1 ELSE 0 END",
        ),
        "rehab": _any(
            r,
            "sosial.rehabilitasi-sosial",
            ":m12",
            **{
                g.replace("-", "_"): f"x.observed_on >= :start AND {txt('group')} = '{g}'"
                f" AND {txt('setting')} = 'luar-panti'"
                for g in ("anak", "disabilitas", "gelandangan-pengemis", "lanjut-usia")
            },
            disab12=f"{txt('group')} = 'disabilitas'",
        ),
        "disab": _any(r, "sosial.disabilitas", None),
        "disab_now": _latest(
            r,
            "sosial.disabilitas",
            ":m12",
            neglected=f"CASE WHEN {yes('neglected')} THEN 1 ELSE 0 END",
        ),
        "beggar": _any(r, "sosial.gelandangan-pengemis", ":start"),
        "victim": _any(r, "sosial.korban-bencana", ":start"),
        "relief": _any(r, "sosial.perlindungan-bencana", ":start", ok=yes("basic_needs_met")),
        "elder": _latest(
            r,
            "sosial.lansia-telantar",
            ":m12",
            neglected=f"CASE WHEN {yes('neglected')} THEN 1 ELSE 0 END",
        ),
        "order_": _any(r, "trantibum.terdampak-ketertiban", ":start", ok=yes("served")),
        "rescue": _any(r, "trantibum.korban-bencana", ":start", ok=yes("rescued_evacuated")),
    }
    age = {
        "balita": "p.birth_date BETWEEN :a0_59m_lo AND :a0_59m_hi",
        "15+": "p.birth_date <= :a15_hi",
        "60+": "p.birth_date <= :a60_hi",
        "7-15": "p.birth_date BETWEEN :a7_15_lo AND :a7_15_hi",
        "15-59": "p.birth_date BETWEEN :a15_59_lo AND :a15_59_hi",
        "5-6": "p.birth_date BETWEEN :a5_6_lo AND :a5_6_hi",
        "7-18": "p.birth_date BETWEEN :a7_18_lo AND :a7_18_hi",
        "0-17": "p.birth_date BETWEEN :a0_17_lo AND :a0_17_hi",
    }
    not_done = "COALESCE(school.reason, '') <> 'tamat-pendidikan-menengah'"
    # (code, denominator or None for a target, numerator)
    indicators: list[tuple[str, str | None, str]] = [
        ("kesehatan.balita", age["balita"], "weigh.months >= 8 AND weigh.measured >= 2"),
        (
            "kesehatan.bayi-baru-lahir",
            "p.birth_date >= :start",
            "neo.kn1 = 1 AND neo.kn2 = 1 AND neo.kn3 = 1",
        ),
        ("kesehatan.diabetes-melitus", None, f"{age['15+']} AND sick.dm = 1"),
        ("kesehatan.hipertensi", None, f"{age['15+']} AND sick.ht = 1"),
        ("kesehatan.ibu-bersalin", "p.sex = 'P' AND deliv.id IS NOT NULL", "deliv.good = 1"),
        (
            "kesehatan.ibu-hamil",
            "p.sex = 'P' AND deliv.id IS NOT NULL",
            "anc.n >= 6 AND anc.doctor >= 2 AND anc.usg >= 1",
        ),
        ("kesehatan.odgj-berat", None, "sick.odgj = 1"),
        ("kesehatan.risiko-hiv", None, "hiv.id IS NOT NULL"),
        ("kesehatan.terduga-tbc", None, "tbc.ok = 1"),
        ("kesehatan.usia-lanjut", age["60+"], "screen.usia_lanjut = 1"),
        ("kesehatan.usia-pendidikan-dasar", age["7-15"], "screen.usia_pendidikan_dasar = 1"),
        ("kesehatan.usia-produktif", age["15-59"], "screen.usia_produktif = 1"),
        ("pendidikan.aps-5-6", age["5-6"], f"school.status IN {_in(('paud', 'sd', 'slb'))}"),
        ("pendidikan.aps-7-15", age["7-15"], f"school.status IN {_in(SCHOOL + PAKET)}"),
        (
            "pendidikan.aps-kesetaraan-7-18",
            f"{age['7-18']} AND COALESCE(school.status, '') NOT IN {_in(FORMAL)} AND {not_done}",
            f"school.status IN {_in(PAKET)}",
        ),
        ("pendidikan.ats-7-18", age["7-18"], f"school.status = 'tidak-sekolah' AND {not_done}"),
        ("sosial.anak-telantar", f"{age['0-17']} AND child.neglected = 1", "rehab.anak = 1"),
        (
            "sosial.disabilitas-tanpa-layanan",
            "disab.id IS NOT NULL",
            "COALESCE(rehab.disab12, 0) = 0",
        ),
        ("sosial.disabilitas-telantar", "disab_now.neglected = 1", "rehab.disabilitas = 1"),
        ("sosial.gelandangan-pengemis", "beggar.id IS NOT NULL", "rehab.gelandangan_pengemis = 1"),
        ("sosial.korban-bencana", "victim.id IS NOT NULL", "relief.ok = 1"),
        (
            "sosial.lansia-telantar",
            f"{age['60+']} AND elder.neglected = 1",
            "rehab.lanjut_usia = 1",
        ),
        ("trantibum.ketertiban-umum", "order_.id IS NOT NULL", "order_.ok = 1"),
        ("trantibum.penyelamatan-evakuasi-bencana", "rescue.id IS NOT NULL", "rescue.ok = 1"),
    ]
    return _one_query(POP, "pop", ctes, indicators, "1")


def household_query(d: Dialect) -> tuple[str, list[tuple[str, str | None, str]]]:
    """One query for every household indicator."""
    h = "household_id"
    txt, num, yes = d.txt, d.num, d.yes
    ctes = {
        "house": _latest(
            h,
            "perkim.kondisi-rumah",
            None,
            floor=txt("floor_material"),
            wall=txt("wall_material"),
            roof=txt("roof_material"),
            no_mck=f"CASE WHEN {d.no('has_mck')} THEN 1 ELSE 0 END",
        ),
        "hit": _any(h, "perkim.dampak-bencana", ":start"),
        "moved": _any(h, "perkim.terkena-relokasi", ":start"),
        "rebuilt": _any(
            h,
            "perkim.penanganan-rumah",
            ":start",
            ":after3",
            disaster=f"{txt('reason')} = 'bencana' AND {yes('completed')}",
            relocation=f"{txt('reason')} = 'relokasi-program' AND {yes('completed')}",
        ),
        "toilet": _latest(h, "pupr.sanitasi", None, disposal=txt("disposal"), toilet=txt("toilet")),
        "emptied": _any(h, "pupr.penyedotan-tinja", ":m36"),
        "water": _latest(
            h,
            "pupr.sumber-air-minum",
            None,
            source=txt("source"),
            pit_far=f"CASE WHEN {d.no('waste_pit_within_10m')} THEN 1 ELSE 0 END",
        ),
        "zone": _latest(
            h,
            "trantibum.rawan-bencana",
            None,
            hazard=f"CASE WHEN {yes('in_hazard_zone')} THEN 1 ELSE 0 END",
        ),
        "served": _any(
            h,
            "trantibum.layanan-bencana",
            ":start",
            info=f"{txt('service')} = 'informasi-rawan-bencana'",
            ready=f"{txt('service')} = 'pencegahan-kesiapsiagaan'",
        ),
        "fire": _any(
            h,
            "trantibum.kejadian-kebakaran",
            ":start",
            ok=f"{txt('handled_by')} IN {_in(('damkar', 'relawan-kebakaran'))}"
            f" AND {num('response_minutes')} <= 15",
        ),
    }
    persons = "p.persons"
    uninhabitable = (
        f"house.floor IN {_in(('tanah', 'bambu'))}"
        f" OR house.wall IN {_in(('anyaman-bambu', 'seng'))}"
        f" OR house.roof IN {_in(('jerami-ijuk-rumbia', 'bambu'))} OR house.no_mck = 1"
    )
    water = (
        f"water.source IN {_in(IMPROVED)} OR (water.source IN {_in(GROUNDWATER)}"
        " AND water.pit_far = 1)"
    )
    indicators = [
        ("perkim.penduduk-rtlh", "1 = 1", uninhabitable, persons),
        ("perkim.rumah-korban-bencana", "hit.id IS NOT NULL", "rebuilt.disaster = 1", "1"),
        ("perkim.rumah-relokasi", "moved.id IS NOT NULL", "rebuilt.relocation = 1", "1"),
        (
            "pupr.air-limbah",
            "1 = 1",
            "toilet.disposal = 'spald-t' OR "
            "(toilet.disposal = 'tangki-septik' AND emptied.id IS NOT NULL)",
            persons,
        ),
        ("pupr.air-minum", "1 = 1", water, persons),
        ("pupr.penduduk-tanpa-jamban", "1 = 1", "toilet.toilet = 'tidak-ada'", persons),
        ("trantibum.informasi-rawan-bencana", "zone.hazard = 1", "served.info = 1", persons),
        ("trantibum.kebakaran", "fire.id IS NOT NULL", "fire.ok = 1", "1"),
        ("trantibum.kesiapsiagaan-bencana", "zone.hazard = 1", "served.ready = 1", persons),
    ]
    return _one_query(HOMES, "homes", ctes, indicators)


def _one_query(
    head: str, base: str, ctes: dict[str, str], indicators: list[Any], weight: str = "1"
) -> tuple[str, list[tuple[str, str | None, str]]]:
    withs = head + "".join(f",\n{name} AS ({sql})" for name, sql in ctes.items())
    joins = "".join(f"\nLEFT JOIN {name} ON {name}.id = p.id" for name in ctes)
    sums = []
    for item in indicators:
        den, num = item[1:3]
        w = item[3] if len(item) > 3 else weight
        if den is None:
            sums.append(f"SUM(CASE WHEN {num} THEN {w} ELSE 0 END), 0")
        else:
            sums.append(
                f"SUM(CASE WHEN ({den}) AND ({num}) THEN {w} ELSE 0 END),"
                f" SUM(CASE WHEN {den} THEN {w} ELSE 0 END)"
            )
    sql = (
        f"WITH {withs}\nSELECT p.wilayah_code, "
        + ",\n  ".join(sums)
        + f"\nFROM {base} p{joins}\nGROUP BY p.wilayah_code"
    )
    return sql, [(i[0], i[1]) for i in indicators]


AGES = {
    "a0_59m": (0, 59, AgeUnit.MONTHS),
    "a15": (15, None, AgeUnit.YEARS),
    "a60": (60, None, AgeUnit.YEARS),
    "a7_15": (7, 15, AgeUnit.YEARS),
    "a15_59": (15, 59, AgeUnit.YEARS),
    "a5_6": (5, 6, AgeUnit.YEARS),
    "a7_18": (7, 18, AgeUnit.YEARS),
    "a0_17": (0, 17, AgeUnit.YEARS),
}


def _params() -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": START, "end": END, "no": False, "m12": MONTHS_12, "m36": MONTHS_36,
        "after3": AFTER_3,
    }  # fmt: skip
    for name, (low, high, unit) in AGES.items():
        earliest, latest = birth_range(low, high, unit, END)
        out[f"{name}_lo"], out[f"{name}_hi"] = earliest or date(1, 1, 1), latest
    return out


def handwritten(engine: Any) -> Counts:
    d = Dialect(engine.dialect.name)
    out: Counts = {}
    with engine.connect() as connection:
        goal: dict[str, dict[str, int]] = {}
        for code, area, value in connection.execute(
            text("SELECT code, wilayah_code, value FROM target WHERE year = :y"), {"y": YEAR}
        ):
            goal.setdefault(code, {})[area] = int(float(value))
        for sql, indicators in (resident_query(d), household_query(d)):
            for row in connection.execute(text(sql), _params()):
                area = row[0]
                for i, (code, den) in enumerate(indicators):
                    served, counted = int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0)
                    if den is None:
                        counted = goal.get(INDICATOR_TARGETS[code], {}).get(area, 0)
                    if served or counted:
                        out[(code, area)] = (served, counted)
    return out


# --------------------------------------------------------------------------- (c) pandas


def pandas_script(engine: Any) -> Counts:
    with engine.connect() as connection:
        people = pd.read_sql(
            text("SELECT id, birth_date, sex, died_on, restricted FROM resident"), connection
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
        targets = pd.read_sql(
            text("SELECT code, wilayah_code, value FROM target WHERE year = :y"),
            connection,
            params={"y": YEAR},
        )
    end, start = pd.Timestamp(END), pd.Timestamp(START)
    m12, m36, after3 = pd.Timestamp(MONTHS_12), pd.Timestamp(MONTHS_36), pd.Timestamp(AFTER_3)
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
    alive = people[
        (people.birth_date <= end)
        & (people.died_on.isna() | (people.died_on > end))
        & ~people.restricted.astype(bool)
    ]
    here = stays[(stays.since <= end) & (stays.until.isna() | (stays.until >= end))]
    pop = alive.merge(here, left_on="id", right_on="resident_id")[
        ["id", "birth_date", "sex", "wilayah_code"]
    ].set_index("id")
    mem = members[
        (members.start_date <= end) & (members.end_date.isna() | (members.end_date >= end))
    ]
    mem = mem.merge(pop, left_on="resident_id", right_index=True)
    mem = mem.sort_values(["household_id", "relationship", "resident_id"])
    homes = mem.groupby("household_id").agg(
        wilayah_code=("wilayah_code", "first"), persons=("resident_id", "size")
    )
    by_type = {code: frame for code, frame in records.groupby("record_type")}
    empty = records.iloc[:0]

    def of(kind: str, code: str, since: Any = None, until: Any = end) -> pd.DataFrame:
        chosen = by_type.get(code, empty)
        chosen = chosen[chosen[kind].notna() & (chosen.observed_on <= until)]
        if since is not None:
            chosen = chosen[chosen.observed_on >= since]
        return chosen

    def field(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame["value"].map(lambda v: v.get(name))

    def number(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame["value"].map(
            lambda v: (
                float(v[name])
                if isinstance(v.get(name), int | float) and not isinstance(v.get(name), bool)
                else float("nan")
            )
        )

    def yes(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame["value"].map(lambda v: v.get(name) is True)

    def latest(kind: str, code: str, since: Any = None) -> pd.DataFrame:
        chosen = of(kind, code, since).sort_values(["observed_on", "created_at", "id"])
        return chosen.groupby(kind).tail(1).set_index(kind)

    def ids(frame: pd.DataFrame, kind: str) -> set[str]:
        return set(frame[kind])

    out: Counts = {}
    goal = {code: dict(zip(t.wilayah_code, t.value, strict=True))
            for code, t in targets.groupby("code")}  # fmt: skip

    def tally(code: str, base: pd.DataFrame, den: Any, num: Any, weight: Any = 1) -> None:
        index = base.index
        counted = pd.Series(den, index=index).astype(bool) if den is not None else None
        served = pd.Series(num, index=index).astype(bool)
        frame = pd.DataFrame({"w": base["wilayah_code"]})
        frame["weight"] = weight
        frame["n"] = (served if counted is None else served & counted) * frame.weight
        frame["d"] = 0 if counted is None else counted * frame.weight
        for area, row in frame.groupby("w")[["n", "d"]].sum().iterrows():
            d = int(row.d)
            if counted is None:
                found = goal.get(INDICATOR_TARGETS[code], {}).get(area)
                d = 0 if found is None else int(float(found))
            if row.n or d:
                out[(code, str(area))] = (int(row.n), d)

    r, h = "resident_id", "household_id"
    rid = pop.index.to_series()
    birth = pop.birth_date

    def age(low: int, high: int | None, unit: AgeUnit = AgeUnit.YEARS) -> pd.Series:
        earliest, latest_day = birth_range(low, high, unit, END)
        keep = birth <= pd.Timestamp(latest_day)
        if earliest is not None:
            keep &= birth >= pd.Timestamp(earliest)
        return keep

    def having(frame: pd.DataFrame, kind: str = r) -> pd.Series:
        return rid.isin(ids(frame, kind))

    # health
    weigh = of(r, "kesehatan.penimbangan", start)
    months = weigh.groupby(r).observed_on.agg(lambda d: d.dt.to_period("M").nunique())
    measured = weigh[number(weigh, "height_cm") > 0].groupby(r).size()
    tally("kesehatan.balita", pop, age(0, 59, AgeUnit.MONTHS),
          (months.reindex(pop.index, fill_value=0) >= 8)
          & (measured.reindex(pop.index, fill_value=0) >= 2))  # fmt: skip
    neo = of(r, "kesehatan.kunjungan-neonatal")
    neo = neo.assign(days=(neo.observed_on - neo[r].map(birth)).dt.days, visit=field(neo, "visit"))
    hours = number(neo, "hours_after_birth")
    kn1 = neo[(neo.observed_on >= start) & (neo.visit == "kn1") & (hours >= 6) & (hours <= 48)]
    kn2 = neo[(neo.visit == "kn2") & neo.days.between(3, 7)]
    kn3 = neo[(neo.visit == "kn3") & neo.days.between(8, 28)]
    tally("kesehatan.bayi-baru-lahir", pop, birth >= start,
          having(kn1) & having(kn2) & having(kn3))  # fmt: skip
    sick = of(r, "kesehatan.pelayanan-penyakit", start)
    sick = sick[yes(sick, "to_standard")]
    condition = field(sick, "condition")
    for code, name, adult in (
        ("kesehatan.diabetes-melitus", "diabetes-melitus", True),
        ("kesehatan.hipertensi", "hipertensi", True),
        ("kesehatan.odgj-berat", "odgj-berat", False),
    ):
        got = having(sick[condition == name])
        tally(code, pop, None, (age(15, None) & got) if adult else got)
    deliv = of(r, "kesehatan.persalinan", start)
    good = deliv[field(deliv, "place").isin(FACILITY) & field(deliv, "attendant").isin(SKILLED)]
    mothers = (pop.sex == "P") & having(deliv)
    tally("kesehatan.ibu-bersalin", pop, mothers, having(good))
    anc = of(r, "kesehatan.pemeriksaan-kehamilan")
    anchors = of(r, "kesehatan.persalinan")[[r, "observed_on"]]
    pairs = anc[["id", r, "observed_on", "value"]].merge(anchors, on=r, suffixes=("", "_a"))
    gap = (pairs.observed_on_a - pairs.observed_on).dt.days
    anc = pairs[gap.between(0, 300)].drop_duplicates("id")
    visits = anc.groupby(r).size().reindex(pop.index, fill_value=0)
    doctor = anc[field(anc, "examiner") == "dokter"].groupby(r).size()
    usg = anc[yes(anc, "ultrasound")].groupby(r).size()
    tally("kesehatan.ibu-hamil", pop, mothers,
          (visits >= 6) & (doctor.reindex(pop.index, fill_value=0) >= 2)
          & (usg.reindex(pop.index, fill_value=0) >= 1))  # fmt: skip
    tally("kesehatan.risiko-hiv", pop, None, having(of(r, "kesehatan.tes-hiv", start)))
    tbc = of(r, "kesehatan.pemeriksaan-tbc", start)
    tally("kesehatan.terduga-tbc", pop, None, having(tbc[yes(tbc, "to_standard")]))
    screen = of(r, "kesehatan.skrining", start)
    package = field(screen, "package")
    for code, name, low, high in (
        ("kesehatan.usia-lanjut", "usia-lanjut", 60, None),
        ("kesehatan.usia-pendidikan-dasar", "usia-pendidikan-dasar", 7, 15),
        ("kesehatan.usia-produktif", "usia-produktif", 15, 59),
    ):
        tally(code, pop, age(low, high), having(screen[package == name]))
    # education
    school = latest(r, "pendidikan.status-sekolah", start)
    status = field(school, "status").reindex(pop.index)
    reason = field(school, "reason_not_in_school").reindex(pop.index)
    not_done = reason != "tamat-pendidikan-menengah"
    tally("pendidikan.aps-5-6", pop, age(5, 6), status.isin(("paud", "sd", "slb")))
    tally("pendidikan.aps-7-15", pop, age(7, 15), status.isin(SCHOOL + PAKET))
    tally("pendidikan.aps-kesetaraan-7-18", pop, age(7, 18) & ~status.isin(FORMAL) & not_done,
          status.isin(PAKET))  # fmt: skip
    tally("pendidikan.ats-7-18", pop, age(7, 18), (status == "tidak-sekolah") & not_done)
    # social
    rehab = of(r, "sosial.rehabilitasi-sosial", m12)
    group, setting = field(rehab, "group"), field(rehab, "setting")
    outside = rehab[(rehab.observed_on >= start) & (setting == "luar-panti")]

    def helped(name: str) -> pd.Series:
        return having(outside[field(outside, "group") == name])

    def neglected(code: str) -> pd.Series:
        found = latest(r, code, m12)
        return yes(found, "neglected").reindex(pop.index, fill_value=False)

    tally("sosial.anak-telantar", pop, age(0, 17) & neglected("sosial.anak-telantar"),
          helped("anak"))  # fmt: skip
    tally("sosial.disabilitas-tanpa-layanan", pop, having(of(r, "sosial.disabilitas")),
          ~having(rehab[group == "disabilitas"]))  # fmt: skip
    tally("sosial.disabilitas-telantar", pop, neglected("sosial.disabilitas"),
          helped("disabilitas"))  # fmt: skip
    tally("sosial.gelandangan-pengemis", pop, having(of(r, "sosial.gelandangan-pengemis", start)),
          helped("gelandangan-pengemis"))  # fmt: skip
    relief = of(r, "sosial.perlindungan-bencana", start)
    tally("sosial.korban-bencana", pop, having(of(r, "sosial.korban-bencana", start)),
          having(relief[yes(relief, "basic_needs_met")]))  # fmt: skip
    tally("sosial.lansia-telantar", pop, age(60, None) & neglected("sosial.lansia-telantar"),
          helped("lanjut-usia"))  # fmt: skip
    # public order
    for code, record_type, name in (
        ("trantibum.ketertiban-umum", "trantibum.terdampak-ketertiban", "served"),
        ("trantibum.penyelamatan-evakuasi-bencana", "trantibum.korban-bencana",
         "rescued_evacuated"),
    ):  # fmt: skip
        found = of(r, record_type, start)
        tally(code, pop, having(found), having(found[yes(found, name)]))
    # households
    hid = homes.index.to_series()
    persons = homes.persons

    def has(frame: pd.DataFrame) -> pd.Series:
        return hid.isin(ids(frame, h))

    def last(code: str) -> pd.DataFrame:
        return latest(h, code)

    everyone = pd.Series(True, index=homes.index)
    house = last("perkim.kondisi-rumah")
    bad = (
        field(house, "floor_material").isin(("tanah", "bambu"))
        | field(house, "wall_material").isin(("anyaman-bambu", "seng"))
        | field(house, "roof_material").isin(("jerami-ijuk-rumbia", "bambu"))
        | field(house, "has_mck").map(lambda v: v is False)
    )
    tally("perkim.penduduk-rtlh", homes, everyone, bad.reindex(homes.index, fill_value=False),
          persons)  # fmt: skip
    rebuilt = of(h, "perkim.penanganan-rumah", start, after3)
    rebuilt = rebuilt[yes(rebuilt, "completed")]
    why = field(rebuilt, "reason")
    tally("perkim.rumah-korban-bencana", homes, has(of(h, "perkim.dampak-bencana", start)),
          has(rebuilt[why == "bencana"]))  # fmt: skip
    tally("perkim.rumah-relokasi", homes, has(of(h, "perkim.terkena-relokasi", start)),
          has(rebuilt[why == "relokasi-program"]))  # fmt: skip
    toilet = last("pupr.sanitasi")
    disposal = field(toilet, "disposal").reindex(homes.index)
    emptied = has(of(h, "pupr.penyedotan-tinja", m36))
    tally("pupr.air-limbah", homes, everyone,
          (disposal == "spald-t") | ((disposal == "tangki-septik") & emptied), persons)  # fmt: skip
    water = last("pupr.sumber-air-minum")
    source = field(water, "source").reindex(homes.index)
    far = field(water, "waste_pit_within_10m").map(lambda v: v is False)
    far = far.reindex(homes.index, fill_value=False)
    tally("pupr.air-minum", homes, everyone,
          source.isin(IMPROVED) | (source.isin(GROUNDWATER) & far), persons)  # fmt: skip
    without = field(toilet, "toilet").reindex(homes.index) == "tidak-ada"
    tally("pupr.penduduk-tanpa-jamban", homes, everyone, without, persons)
    zone = last("trantibum.rawan-bencana")
    hazard = yes(zone, "in_hazard_zone").reindex(homes.index, fill_value=False)
    service = of(h, "trantibum.layanan-bencana", start)
    kind = field(service, "service")
    tally("trantibum.informasi-rawan-bencana", homes, hazard,
          has(service[kind == "informasi-rawan-bencana"]), persons)  # fmt: skip
    tally("trantibum.kesiapsiagaan-bencana", homes, hazard,
          has(service[kind == "pencegahan-kesiapsiagaan"]), persons)  # fmt: skip
    fire = of(h, "trantibum.kejadian-kebakaran", start)
    quick = field(fire, "handled_by").isin(("damkar", "relawan-kebakaran")) & (
        number(fire, "response_minutes") <= 15
    )
    tally("trantibum.kebakaran", homes, has(fire), has(fire[quick]))
    return out


# --------------------------------------------------------------------------- main


def _peak() -> float:
    """The process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


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
    parser.add_argument(
        "--from-sqlite",
        help="with --db: fill a fresh schema by copying this kept SQLite city (a --keep DIR)",
    )
    args = parser.parse_args()
    with database(args.db, args.keep) as (url, fresh), Registry.open(url) as registry:
        if fresh and args.from_sqlite and args.db:
            started = time.perf_counter()
            copy_city(Path(args.from_sqlite) / "bench.db", registry.store._db.engine)
            print(f"copied in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        elif fresh:
            started = time.perf_counter()
            synthesize(registry.store, OPERATOR, registry.catalog, residents=args.residents,
                       seed=args.seed, year=YEAR)  # fmt: skip
            print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        engine = registry.store._db.engine
        if fresh and engine.dialect.name == "postgresql":
            with engine.begin() as connection:  # fresh statistics, as after any bulk load
                connection.execute(text("ANALYZE"))
        with engine.connect() as connection:
            records = connection.execute(text("SELECT COUNT(*) FROM record")).scalar_one()
            residents = connection.execute(text("SELECT COUNT(*) FROM resident")).scalar_one()
        library_s, ours = _timed(library, registry)
        peak_library = _peak()
        columnar_s, columns = _timed(columnar, registry)
        peak_columnar = _peak()
        sql_s, theirs = _timed(handwritten, engine)
        pandas_s, frames = _timed(pandas_script, engine)
    ours = {k: v for k, v in ours.items() if v != (0, 0)}
    columns = {k: v for k, v in columns.items() if v != (0, 0)}
    others = (("columnar engine", columns), ("handwritten SQL", theirs), ("pandas", frames))
    for name, other in others:
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
                "peak_rss_mb": peak_library,
                "columnar_s": round(columnar_s, 3),
                "columnar_ratio_vs_pandas": round(columnar_s / pandas_s, 3),
                "columnar_peak_rss_mb": peak_columnar,
                "database": engine.dialect.name,
            }
        )
    )


if __name__ == "__main__":
    main()

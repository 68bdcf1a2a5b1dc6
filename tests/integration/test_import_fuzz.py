"""An Excel import of generated residents with every kind of damage a kader's file has.

A workbook of households (one to three members each) is generated; some rows get one
damage from :data:`DAMAGE` — bad NIK forms, a NIK as a number cell or in scientific
notation, impossible and future dates, unknown codes, a second kepala keluarga, a NIK
used twice, empty required cells, control characters, text too long, a bad KK — and
some good rows get harmless mess a loader must accept (spaces and zero-width
characters in a NIK, day-month-year dates). The import must reject every damaged row
naming its row and column, reject the rest of that household (a household is never
stored in part) and nothing else, and store exactly the accepted rows.

Size: ``SPM_IMPORT_FUZZ_ROWS`` rows (default 3,000, so the normal suite stays fast);
``.ci/run`` sets it to 100,000 in a step of its own, on both databases. A second part
imports memberships with a member of two households on one day and two heads.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from store_helpers import make_nik, operator

from spm_core.domain import Sex
from spm_core.load import load
from spm_core.sheets import ERROR_COLUMNS, write_rejects
from spm_core.store import Store, open_store
from spm_core.store._keys import stable_id
from spm_core.store.transactions import make_engine
from spm_core.synth import SynthCity, create_posyandu, plan_city

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
ROWS = int(os.environ.get("SPM_IMPORT_FUZZ_ROWS", "3000"))
NOW = datetime(2026, 1, 1, tzinfo=UTC)
COLUMNS = (
    "household", "nomor_kk", "relationship", "nik", "name", "sex", "birth_date",
    "posyandu_id", "rt", "rw", "address", "since", "died_on",
)  # fmt: skip
GHOST_POSYANDU = "00000000-0000-4000-8000-000000000000"

# Each damage: the column it breaks and the value put there (None: computed per row).
DAMAGE: dict[str, tuple[str, Any]] = {
    "nik-too-short": ("nik", "327501010190001"),
    "nik-letter-o": ("nik", "327501010190000O"),
    "nik-day-32": ("nik", "3275013201900001"),
    "nik-month-13": ("nik", "3275010113900001"),
    "nik-serial-0000": ("nik", "3275010101900000"),
    "nik-province-00": ("nik", "0075010101900001"),
    "nik-scientific-text": ("nik", "3.27501E+15"),
    "nik-number-cell": ("nik", 3275010101900001),
    "nik-float-cell": ("nik", 3275010101900001.0),
    "nik-float-text": ("nik", "3275010101900001.0"),
    "nik-duplicate": ("nik", None),
    "birth-impossible": ("birth_date", "2023-02-30"),
    "birth-future": ("birth_date", "2999-01-01"),
    "birth-words": ("birth_date", "kemarin"),
    "birth-empty": ("birth_date", ""),
    "birth-before-1900": ("birth_date", "1090-01-01"),
    "sex-unknown": ("sex", "X"),
    "sex-empty": ("sex", ""),
    "name-blank": ("name", "   "),
    "name-too-long": ("name", "A" * 201),
    "name-bidi-override": ("name", "Siti \u202eAminah"),
    "name-c1-escape": ("name", "Siti\x9b31mAminah"),
    "rt-000": ("rt", "000"),
    "rt-four-digits": ("rt", "1234"),
    "posyandu-unknown": ("posyandu_id", GHOST_POSYANDU),
    "relationship-12": ("relationship", "12"),
    "relationship-words": ("relationship", "tetangga"),
    "second-head": ("relationship", "1"),
    "kk-short": ("nomor_kk", "123"),
    "kk-number-cell": ("nomor_kk", 3275011203180007),
    "kk-letters": ("nomor_kk", "KK3275011203180"),
    "since-before-birth": ("since", "1900-01-01"),
    "died-in-future": ("died_on", "2999-12-31"),
    "died-impossible": ("died_on", "31/02/2020"),
}
# Harmless mess on good rows: the loader must accept each of these.
MESS: dict[str, tuple[str, Any]] = {
    "nik-spaces": ("nik", None),
    "nik-zero-width": ("nik", None),
    "name-double-spaces": ("name", "Siti  Aminah"),
    "birth-dmy": ("birth_date", None),
    "rt-short": ("rt", "7"),
}
assert len(DAMAGE) >= 20


def _city() -> SynthCity:
    return plan_city(40, "32.75.01", seed=3, year=2025)


@pytest.fixture(params=DATABASES)
def fuzz_store(
    request: pytest.FixtureRequest, tmp_path: Path, make_database: Any
) -> Iterator[tuple[Store, SynthCity, str]]:
    with make_database(request.param, tmp_path) as url:
        store = open_store(url)
        city = _city()
        create_posyandu(store, operator(), city)
        try:
            yield store, city, url
        finally:
            store.close()


def _plan(rows: int, seed: int) -> list[list[str | None]]:
    """Households as lists of what happens to each member: a damage, a mess or None."""
    rng = random.Random(seed)
    damages, messes = sorted(DAMAGE), sorted(MESS)
    out: list[list[str | None]] = []
    total = 0
    while total < rows:
        size = min(rng.randint(1, 3), rows - total)
        members: list[str | None] = []
        for m in range(size):
            roll = rng.random()
            if roll < 0.12:
                choice = rng.choice(damages)
                # A second head is damage only when the first row names a head.
                if choice == "second-head" and (
                    m == 0 or members[0] in ("relationship-12", "relationship-words")
                ):
                    choice = "rt-000"
                members.append(choice)
            elif roll < 0.2:
                members.append("mess:" + rng.choice(messes))
            else:
                members.append(None)
        out.append(members)
        total += size
    return out


def _generate(
    city: SynthCity, rows: int, seed: int, used: set[str] | None = None
) -> tuple[list[list[Any]], dict[int, str], dict[int, str]]:
    """Return the rows, the damaged row numbers → column, and row number → household key.

    The names of the damages actually made are added to ``used``.
    """
    plan = _plan(rows, seed)
    data: list[list[Any]] = []
    damaged: dict[int, str] = {}
    household_of: dict[int, str] = {}
    stored_niks: list[str] = []  # heads of clean households, stored once the load ends
    start = date(1950, 1, 1)
    for h, members in enumerate(plan):
        key = f"fz-{seed}-{h}"
        clean = all(m is None or m.startswith("mess:") for m in members)
        for m, what in enumerate(members):
            number = len(data) + 1
            # A unique NIK: the birth date walks through the days, the serial through
            # 1..9999, and the region prefix through five kecamatan.
            birth = start + timedelta(days=(number * 7) % 24000)
            serial = number % 9999 + 1
            prefix = f"3275{(number // 9999) % 5 + 1:02d}"
            sex = Sex.FEMALE if number % 2 else Sex.MALE
            nik = make_nik(serial, birth, sex, prefix=prefix)
            row: dict[str, Any] = {
                "household": key,
                "nomor_kk": f"3275{(h % 90) + 10:02d}1203{h % 100:02d}{(h // 100) % 9999 + 1:04d}"
                if m == 0 else None,
                "relationship": "1" if m == 0 else "4",
                "nik": nik,
                "name": f"Warga {number}",
                "sex": sex.value,
                "birth_date": birth.isoformat(),
                "posyandu_id": city.posyandu[h % len(city.posyandu)].id,
                "rt": "003",
                "rw": "004",
                "address": f"Jl. Uji No. {number}",
                "since": None,
                "died_on": None,
            }  # fmt: skip
            if what is not None and what.startswith("mess:"):
                mess = what.removeprefix("mess:")
                column, value = MESS[mess]
                if mess == "nik-spaces":
                    value = f" {nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]} "
                elif mess == "nik-zero-width":
                    value = nik[:6] + "\u200b" + nik[6:]
                elif mess == "birth-dmy":
                    value = birth.strftime("%d-%m-%Y")
                row[column] = value
            elif what is not None:
                column, value = DAMAGE[what]
                if what == "nik-duplicate":
                    if not stored_niks:
                        column, value = DAMAGE["nik-too-short"]
                    else:
                        value = stored_niks[number % len(stored_niks)]
                row[column] = value
                damaged[number] = column
                if used is not None:
                    used.add(what if column == DAMAGE[what][0] else "nik-too-short")
            if m == 0 and clean:
                stored_niks.append(nik)
            household_of[number] = key
            data.append([row[c] for c in COLUMNS])
    return data, damaged, household_of


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("residents")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_damaged_workbook_rejects_exactly_the_damaged_households(
    fuzz_store: tuple[Store, SynthCity, str], tmp_path: Path
) -> None:
    store, city, url = fuzz_store
    used: set[str] = set()
    rows, damaged, household_of = _generate(city, ROWS, seed=12, used=used)
    assert len(used) >= 20, sorted(used)
    path = tmp_path / "warga.xlsx"
    _write_xlsx(path, rows)

    report = load(store, operator(), "residents", path, now=NOW, chunk_rows=5000)

    by_row: dict[int, set[str]] = {}
    for issue in report.issues:
        assert issue.row is not None, issue
        assert issue.code, issue
        assert issue.message_id, issue
        assert issue.message_en, issue
        by_row.setdefault(issue.row, set()).add(issue.field)
    for number, column in damaged.items():
        assert column in by_row.get(number, set()), (number, column, rows[number - 1])
    broken = {household_of[n] for n in damaged}
    rejected = {n for n, key in household_of.items() if key in broken}
    assert set(by_row) == rejected  # no good row of a clean household is rejected
    assert report.rows == len(rows)
    assert report.accepted == len(rows) - len(rejected)
    # Number cells and spreadsheet-damaged text get their own code.
    for number, column in damaged.items():
        value = rows[number - 1][COLUMNS.index(column)]
        if column in ("nik", "nomor_kk") and (
            isinstance(value, int | float) or "E+" in str(value) or str(value).endswith(".0")
        ):
            codes = {i.code for i in report.issues if i.row == number and i.field == column}
            assert codes == {"identifier-as-number"}, (number, value, codes)

    # Nothing half-written: each household whole or absent, and exactly the good rows.
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            residents = connection.scalar(text("SELECT count(*) FROM resident"))
            members = dict(
                connection.execute(
                    text("SELECT household_id, count(*) FROM membership GROUP BY household_id")
                ).all()
            )
    finally:
        engine.dispose()
    assert residents == report.accepted
    sizes: dict[str, int] = {}
    for key in household_of.values():
        sizes[key] = sizes.get(key, 0) + 1
    for key, size in sizes.items():
        assert members.get(stable_id("household", key), 0) == (0 if key in broken else size)

    # The error file holds exactly the rejected rows, with the input's columns first.
    errors = tmp_path / "warga-perbaiki.xlsx"
    assert write_rejects(path, report, errors) == len(rejected)
    sheet = load_workbook(errors, read_only=True).worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    assert next(lines) == (*COLUMNS, *ERROR_COLUMNS)
    assert {line[len(COLUMNS)] for line in lines} == rejected

    # Importing the same workbook again creates nothing new.
    again = load(store, operator(), "residents", path, now=NOW, chunk_rows=5000)
    assert again.inserted_rows == 0
    assert again.accepted == report.accepted


def test_memberships_of_two_households_on_one_day_and_two_heads_are_rejected(
    fuzz_store: tuple[Store, SynthCity, str], tmp_path: Path
) -> None:
    store, city, _ = fuzz_store
    rows, damaged, _ = _generate(city, 60, seed=5)
    clean = [r for n, r in enumerate(rows, start=1) if n not in damaged]
    people = tmp_path / "lone.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("residents")
    sheet.append([c for c in COLUMNS if c not in ("household", "nomor_kk", "relationship")])
    keep = [i for i, c in enumerate(COLUMNS) if c not in ("household", "nomor_kk", "relationship")]
    for r in clean[:6]:
        sheet.append([r[i] for i in keep])
    book.save(people)
    loaded = load(store, operator(), "residents", people, now=NOW)
    assert loaded.issues == ()
    homes = [
        {"household": f"rumah-{i}", "posyandu_id": city.posyandu[0].id, "rt": "1", "rw": "2"}
        for i in range(2)
    ]
    assert load(store, operator(), "households", homes, now=NOW).issues == ()
    niks = [r[COLUMNS.index("nik")] for r in clean[:6]]
    memberships = [
        ("rumah-0", niks[0], "1", "2020-01-01", None),  # 1 head of rumah-0
        ("rumah-0", niks[1], "4", "2020-01-01", None),  # 2 child
        ("rumah-1", niks[1], "4", "2021-06-01", None),  # 3 child of two households at once
        ("rumah-0", niks[2], "1", "2022-01-01", None),  # 4 a second head of rumah-0
        ("rumah-1", niks[3], "1", "2020-01-01", "2020-12-31"),  # 5 head of rumah-1 in 2020
        ("rumah-1", niks[4], "1", "2021-01-01", None),  # 6 the next head: fine
        ("rumah-0", niks[5], "4", "2024-01-01", "2023-01-01"),  # 7 an end before its start
        ("rumah-0", 3275010101900001, "4", "2020-01-01", None),  # 8 a NIK as a number
    ]
    sheet_path = tmp_path / "anggota.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("memberships")
    sheet.append(["household", "nik", "relationship", "start", "end"])
    for line in memberships:
        sheet.append(list(line))
    book.save(sheet_path)
    report = load(store, operator(), "memberships", sheet_path, now=NOW)
    found = {(i.row, i.field, i.code) for i in report.issues}
    assert found == {
        (3, "start", "overlapping-membership"),
        (4, "relationship", "second-kepala-keluarga"),
        (7, "end", "end-before-start"),
        (8, "nik", "identifier-as-number"),
    }, found
    assert report.accepted == 4
    assert report.inserted == {"membership": 4}

"""Spreadsheets in and out, on both databases.

A synthetic slice of Kota Bekasi is exported to Excel, read back with openpyxl as a kader
would open it, and imported into a second, empty database: every NIK and KK arrives
byte-identical, and importing the same files into the first database creates nothing.
Cells that a spreadsheet would run as a formula are neutralised on the way out and
restored on the way in; an import with bad rows writes them to an error file that,
once fixed, imports cleanly.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from store_helpers import make_nik, operator

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.cli import main
from spm_core.domain import KodeWilayah, Sex
from spm_core.load import load
from spm_core.sheets import ERROR_COLUMNS, write_table
from spm_core.store import Store, open_store
from spm_core.synth import SynthCity, create_posyandu, plan_city, synthesize

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
KINDS = ("households", "residents", "memberships", "records")


@pytest.fixture(params=DATABASES)
def two_cities(
    request: pytest.FixtureRequest, tmp_path: Path, make_database: Any, catalog: Catalog
) -> Iterator[tuple[Store, Store, SynthCity]]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        make_database(request.param, tmp_path / "a") as first,
        make_database(request.param, tmp_path / "b") as second,
    ):
        source, target = open_store(first), open_store(second)
        city, people, _ = synthesize(
            source, operator(), catalog, residents=150, wilayah="32.75.01", seed=4, year=2025
        )
        assert people.issues == ()
        create_posyandu(target, operator(), city)  # the same posyandu, by id
        try:
            yield source, target, city
        finally:
            source.close()
            target.close()


def _sheet(path: Path) -> tuple[list[str], list[tuple[Any, ...]], Any]:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    return [str(c) for c in lines[0]], lines[1:], sheet


def test_excel_round_trip_keeps_every_nik_and_kk(
    two_cities: tuple[Store, Store, SynthCity], tmp_path: Path, catalog: Catalog
) -> None:
    source, target, _ = two_cities
    op = operator()
    files = {}
    for kind in KINDS:
        table = getattr(source, f"export_{kind}")(op, Purpose.PELAPORAN)
        files[kind] = tmp_path / f"{kind}.xlsx"
        assert write_table(table.columns, table.rows, "xlsx", files[kind]) == len(table.rows)
    # As Excel sees it: every NIK and KK is a text cell formatted as text.
    names, lines, sheet = _sheet(files["residents"])
    nik = names.index("nik")
    niks = [line[nik] for line in lines if line[nik] is not None]
    assert niks
    assert all(isinstance(v, str) and len(v) == 16 for v in niks)
    for cell in sheet.iter_cols(min_col=nik + 1, max_col=nik + 1, min_row=2):
        for item in cell:
            if item.value is not None:
                assert item.number_format == "@"
                assert item.data_type == "s"
    kk_names, kk_lines, _ = _sheet(files["households"])
    kks = [line[kk_names.index("nomor_kk")] for line in kk_lines]
    assert all(v is None or isinstance(v, str) for v in kks)

    for kind in KINDS:
        report = load(
            target, op, kind, files[kind], Purpose.PELAYANAN if kind == "records"
            else Purpose.PENDATAAN, catalog=catalog,
        )  # fmt: skip
        assert report.issues == (), (kind, report.issues[:3])
        again = load(
            source, op, kind, files[kind], Purpose.PELAYANAN if kind == "records"
            else Purpose.PENDATAAN, catalog=catalog,
        )  # fmt: skip
        assert again.issues == ()
        assert again.inserted_rows == 0, kind  # importing into the source creates nothing
    for kind in KINDS:
        before = getattr(source, f"export_{kind}")(op, Purpose.PELAPORAN)
        after = getattr(target, f"export_{kind}")(op, Purpose.PELAPORAN)
        if kind == "records":  # a record imported with its key gets an id of its own
            assert sorted(r[1:] for r in after.rows) == sorted(r[1:] for r in before.rows)
        else:
            assert after.rows == before.rows, kind  # byte-identical, NIK and KK included


def test_formula_cells_are_neutralised_and_restored(
    two_cities: tuple[Store, Store, SynthCity], tmp_path: Path
) -> None:
    source, target, city = two_cities
    op = operator()
    posyandu = city.posyandu[0].id
    nasty = {
        '=HYPERLINK("http://x.example","klik")': "=1+2",
        "+62 812 555": "@SUM(A1:A9)",
        "-Budi": "-1",
        "@Siti": "Jl. Mawar",
    }
    made = []
    for i, (name, address) in enumerate(nasty.items()):
        resident, _ = source.add_resident(
            op,
            {"nik": make_nik(9000 + i, source_day(i), Sex.MALE, prefix="327501"),
             "name": name, "sex": "L", "birth_date": source_day(i), "posyandu_id": posyandu,
             "address": address},
            Purpose.PENDATAAN,
        )  # fmt: skip
        made.append(resident)
    table = source.export_residents(op, purpose=Purpose.PELAYANAN)
    out = io.BytesIO()
    write_table(table.columns, table.rows, "csv", out)
    lines = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"))))
    for row in lines[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert sorted(c for row in lines for c in row if c in ("'=1+2", "'@SUM(A1:A9)", "'-1")) == [
        "'-1",
        "'=1+2",
        "'@SUM(A1:A9)",
    ]
    path = tmp_path / "warga.xlsx"
    write_table(table.columns, table.rows, "xlsx", path)
    _, _, sheet = _sheet(path)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"  # no cell is a formula
            if isinstance(cell.value, str):
                assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r")
    # Back in through the importer, every value is what it was.
    csv_path = tmp_path / "warga.csv"
    csv_path.write_bytes(out.getvalue())
    for file in (csv_path, path):
        report = load(target, op, "residents", file, load_id=f"formula-{file.suffix}")
        assert report.issues == ()
    back = {
        r.nik: (r.name, r.address) for r in target.list_residents(op, purpose=Purpose.PELAYANAN)
    }
    for resident in made:
        assert back[resident.nik] == (resident.name, resident.address)


def source_day(i: int) -> date:
    return date(1980 + i, i + 1, 10 + i)


def test_a_negative_number_in_a_numeric_column_is_not_mangled(tmp_path: Path) -> None:
    columns = ("indicator", "numerator", "change", "note")
    rows = [("kesehatan.balita", 12, -3, "-3"), ("pupr.air-minum", 0, -0.5, "=A1")]
    out = io.BytesIO()
    write_table(columns, rows, "csv", out)
    assert out.getvalue().decode("utf-8").splitlines() == [
        "indicator,numerator,change,note",
        "kesehatan.balita,12,-3,'-3",
        "pupr.air-minum,0,-0.5,'=A1",
    ]
    path = tmp_path / "r.xlsx"
    write_table(columns, rows, "xlsx", path)
    _, lines, _ = _sheet(path)
    assert lines == [("kesehatan.balita", 12, -3, "'-3"), ("pupr.air-minum", 0, -0.5, "'=A1")]


def test_every_export_is_audited_with_its_row_count(
    two_cities: tuple[Store, Store, SynthCity],
) -> None:
    source, _, city = two_cities
    op = operator()
    kader = Actor("kader-1", Role.KADER, PosyanduScope(city.posyandu[0].id))
    everyone = source.export_residents(op, purpose=Purpose.PELAYANAN)
    own = source.export_residents(kader)
    assert 0 < len(own.rows) < len(everyone.rows)
    assert {r["posyandu_id"] for r in own.as_dicts()} == {city.posyandu[0].id}
    pembina = Actor("tp-1", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75")))
    assert (
        source.export_records(pembina, purpose=Purpose.PELAYANAN).rows == ()
    )  # counts only, never rows
    audit = {a.entity_id: a for a in source.list_audit(op, entity="export")}
    assert audit[everyone.audit_id].fields == (f"residents:{len(everyone.rows)}",)
    assert audit[own.audit_id].fields == (f"residents:{len(own.rows)}",)
    assert audit[own.audit_id].action == "export"


# ------------------------------------------------------------------ the CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(params=DATABASES)
def cli_db(
    request: pytest.FixtureRequest, tmp_path: Path, make_database: Any
) -> Iterator[tuple[str, SynthCity]]:
    with make_database(request.param, tmp_path) as url:
        store = open_store(url)
        city = plan_city(40, "32.75.01", seed=3, year=2025)
        create_posyandu(store, operator(), city)
        store.close()
        yield url, city


def test_spm_import_writes_an_error_file_that_imports_once_fixed(
    cli_db: tuple[str, SynthCity], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, city = cli_db
    posyandu = city.posyandu[0].id
    path = tmp_path / "warga.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw"])
    good = make_nik(1, source_date(), Sex.FEMALE)
    sheet.append([good, "Siti Aminah", "P", "1990-08-05", posyandu, "1", "2"])
    sheet.append([3275014508900012, "Budi", "L", "1991-01-01", posyandu, "1", "2"])
    sheet.append(["3.27501E+15", "Joko", "L", "1992-02-02", posyandu, "1", "2"])
    sheet.append([make_nik(3, source_date(), Sex.MALE), "Ani", "X", "1993-03-03", posyandu,
                  "1", "2"])  # fmt: skip
    book.save(path)

    status, out, err = run(capsys, "import", "residents", str(path), "--db", url,
                           "--format", "json")  # fmt: skip
    assert status == 1
    report = json.loads(out)
    assert (report["rows"], report["accepted"], report["rejected"]) == (4, 1, 3)
    assert [(i["row"], i["field"]) for i in report["issues"]] == [
        (2, "nik"), (3, "nik"), (4, "sex"),
    ]  # fmt: skip
    assert [i["code"] for i in report["issues"][:2]] == ["identifier-as-number"] * 2
    errors = tmp_path / "warga-perbaiki.xlsx"
    assert str(errors) in err
    names, lines, sheet = _sheet(errors)
    assert names == ["nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw",
                     *ERROR_COLUMNS]  # fmt: skip
    assert [line[len(names) - 5] for line in lines] == [2, 3, 4]
    assert lines[0][names.index("code")] == "identifier-as-number"
    assert "Text" in lines[0][names.index("message_en")]
    assert "Teks" in lines[0][names.index("message_id")]
    # The kader retypes the NIKs as text and fixes the sex, then imports the error file.
    nik_cells = {2: make_nik(2, source_date(), Sex.MALE), 3: make_nik(4, source_date(), Sex.MALE)}
    for row in sheet.iter_rows(min_row=2):
        reported = row[names.index("row")].value
        if reported in nik_cells:
            row[0].value = nik_cells[reported]
        row[names.index("sex")].value = "L"
    sheet.parent.save(errors)
    status, out, _ = run(capsys, "import", "residents", str(errors), "--db", url,
                         "--format", "json")  # fmt: skip
    assert status == 0, out
    assert json.loads(out)["inserted"]["resident"] == 3
    # Importing either file again creates nothing new.
    for file in (path, errors):
        status, out, _ = run(capsys, "import", "residents", str(file), "--db", url,
                             "--format", "json")  # fmt: skip
        assert json.loads(out)["inserted"].get("resident", 0) == 0


def source_date() -> date:
    return date(1990, 8, 5)


def test_spm_export_and_template(
    cli_db: tuple[str, SynthCity], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, city = cli_db
    people = tmp_path / "warga.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw"])
        out.writerow([make_nik(7, source_date(), Sex.FEMALE), "=cmd|' /C calc'!A0", "P",
                      "1990-08-05", city.posyandu[0].id, "1", "2"])  # fmt: skip
    status, _, _ = run(capsys, "import", "residents", str(people), "--db", url)
    assert status == 0
    # An operator names why the rows leave the system; without a purpose nothing is read.
    status, out, err = run(capsys, "--lang", "en", "export", "residents", "--db", url,
                           "--area", "32.75")  # fmt: skip
    assert (status, out) == (3, "")
    assert "[purpose-required]" in err
    status, out, _ = run(capsys, "export", "residents", "--db", url, "--area", "32.75",
                         "--purpose", "pelaporan")  # fmt: skip
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    store = open_store(url)
    try:
        everyone = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))
        exported = store.list_audit(everyone, action="export")[-1]
        assert (exported.purpose, exported.row_count) == ("pelaporan", len(rows))
    finally:
        store.close()
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["nik"] == make_nik(7, source_date(), Sex.FEMALE)
    status, out, _ = run(capsys, "export", "residents", "--db", url, "--posyandu",
                         city.posyandu[1].id, "--format", "json")  # fmt: skip
    assert (status, json.loads(out)) == (0, [])  # another posyandu's kader sees nobody
    target = tmp_path / "warga.parquet"
    status, _, _ = run(capsys, "export", "residents", "--db", url, "--area", "32.75",
                       "--purpose", "pelaporan", "--format", "parquet",
                       "--out", str(target))  # fmt: skip
    pyarrow = pytest.importorskip("pyarrow.parquet")
    assert pyarrow.read_table(target).column("nik").to_pylist() == [rows[0]["nik"]]
    status, _, err = run(capsys, "export", "residents", "--db", url, "--area", "32.75",
                         "--format", "xlsx")  # fmt: skip
    assert status == 2
    assert "--out" in err
    template = tmp_path / "templat.xlsx"
    status, _, _ = run(capsys, "template", "residents", "--out", str(template))
    assert status == 0
    names, _, sheet = _sheet(template)
    assert sheet.cell(row=1, column=names.index("nik") + 1).comment is not None
    assert sheet.cell(row=2, column=names.index("nik") + 1).number_format == "@"


def test_a_report_export_is_audited_with_its_row_count(
    cli_db: tuple[str, SynthCity], capsys: pytest.CaptureFixture[str]
) -> None:
    """``spm export report`` hands out rows like every export: one audit row, counted."""
    url, _ = cli_db
    status, out, _ = run(capsys, "export", "report", "--db", url, "--area", "32.75",
                         "--period", "2025", "--level", "kabupaten_kota",
                         "--format", "json")  # fmt: skip
    assert status == 0
    rows = json.loads(out)
    store = open_store(url)
    try:
        everyone = Actor("op-jabar", Role.OPERATOR, AreaScope(KodeWilayah("32")))
        (line,) = store.list_audit(everyone, action="export")
    finally:
        store.close()
    assert (line.entity, line.purpose, line.row_count) == ("export", "pelaporan", len(rows))
    assert line.entity_id.startswith("report-")
    assert line.fields == (f"report:{len(rows)}",)


def test_an_excel_template_without_the_excel_extra_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pip install spm-core`` alone has no openpyxl: an error naming the extra, no file."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    target = tmp_path / "templat.xlsx"
    status = main(["--lang", "en", "template", "residents", "--out", str(target)])
    err = capsys.readouterr().err
    assert status == 3
    assert err.startswith("[input-error]")
    assert "Writing Excel files needs the extra: pip install 'spm-core[excel]'." in err
    assert "Traceback" not in err
    assert not target.exists()

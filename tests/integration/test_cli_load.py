"""``spm synth`` and ``spm load`` end to end, in process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_synth import dump

from spm_core import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    out, _ = capsys.readouterr()
    return status, out


def test_spm_synth_with_the_same_seed_gives_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dumps = []
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        status, out = run(
            capsys, "synth", "--residents", "600", "--wilayah", "32.75.01", "--seed", str(seed),
            "--year", "2025", "--db", f"sqlite:///{tmp_path / name}.db", "--format", "json",
        )  # fmt: skip
        assert status == 0, out
        dumps.append(dump(tmp_path / f"{name}.db"))
    assert dumps[0] == dumps[1] != dumps[2]


def test_spm_load_reports_bad_rows_and_writes_the_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'spm.db'}"
    status, _ = run(capsys, "synth", "--residents", "50", "--wilayah", "32.75.01.1001",
                    "--seed", "1", "--year", "2025", "--db", url, "--format", "json")  # fmt: skip
    assert status == 0
    import sqlite3

    (posyandu,) = (
        sqlite3.connect(tmp_path / "spm.db").execute("SELECT id FROM posyandu LIMIT 1").fetchone()
    )
    people = tmp_path / "warga.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw"])
        out.writerow(["3275014508900012", "Siti Aminah", "P", "1990-08-05", posyandu, "1", "2"])
        out.writerow(["3.27E+15", "Budi", "L", "1991-01-01", posyandu, "1", "2"])
    issues = tmp_path / "masalah.csv"
    status, out = run(capsys, "load", "residents", str(people), "--db", url, "--area", "32.75",
                      "--format", "json", "--issues", str(issues), "--lang", "en")  # fmt: skip
    report = json.loads(out)
    assert status == 1
    assert (report["rows"], report["accepted"], report["rejected"]) == (2, 1, 1)
    assert report["inserted"]["resident"] == 1
    assert [(i["row"], i["field"], i["code"]) for i in report["issues"]] == [
        (2, "nik", "identifier-as-number")
    ]
    assert "spreadsheet" in report["issues"][0]["message"]
    with issues.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["row"] == "2"
    assert "spreadsheet" in rows[0]["message_en"]
    status, out = run(capsys, "load", "residents", str(people), "--db", url, "--area", "32.75",
                      "--format", "json")  # fmt: skip
    assert json.loads(out)["inserted"]["resident"] == 0  # the same file again adds nothing
    # Piped, the report is tab-separated rows under a "#" title, one figure per line.
    status, out = run(capsys, "--lang", "en", "load", "residents", str(people), "--db", url,
                      "--area", "32.75")  # fmt: skip
    lines = out.splitlines()
    assert lines[0].startswith("# Load ")
    assert lines[1] == "figure\tvalue"
    assert "rows read\t2" in lines
    assert "rows rejected\t1" in lines
    assert "new resident rows\t0" in lines
    # In Indonesian every figure, the tables' names included, is Indonesian.
    status, out = run(capsys, "--lang", "id", "load", "residents", str(people), "--db", url,
                      "--area", "32.75")  # fmt: skip
    lines = out.splitlines()
    assert "baris warga baru\t0" in lines
    assert "baris keanggotaan rumah tangga baru\t0" in lines
    assert not [line for line in lines[1:] if "resident" in line or "membership" in line]


def test_spm_load_of_a_missing_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'spm.db'}"
    missing = tmp_path / "warga.csv"
    status = cli.main(["--lang", "en", "load", "residents", str(missing), "--db", url,
                       "--area", "32.75"])  # fmt: skip
    _, err = capsys.readouterr()
    assert status == 3
    assert err.startswith(
        f"[invalid-value] Value '{missing}' is not valid: the file cannot be read (no such file)"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "spm.db").exists()
    # In Indonesian the reason is Indonesian too, not the operating system's English.
    status = cli.main(["load", "residents", str(tmp_path), "--db", url, "--area", "32.75"])
    _, err = capsys.readouterr()
    assert status == 3
    assert "berkas tidak dapat dibaca (itu sebuah direktori, bukan berkas)" in err
    assert "directory" not in err

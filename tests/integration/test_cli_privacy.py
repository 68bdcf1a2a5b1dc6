"""``spm subject …``, ``spm extract`` and ``spm audit incident`` on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from store_helpers import World

from spm_core.access import Purpose
from spm_core.cli import main

KEY = "kunci-proyek-cli-bekasi-2026"


def _run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", "--db", url, *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_subject_is_exported_restricted_and_erased(
    world: World, db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    siti = world.resident("mawar", name="Siti Cli")
    status, out, err = _run(capsys, db_url, "subject", "export", siti.id, "--area", "32.75")
    assert status == 0, err
    exported = json.loads(out)
    assert exported["resident"]["name"] == "Siti Cli"
    assert exported["processing_log"][-1]["action"] == "export"
    target = tmp_path / "siti.json"
    assert (
        _run(capsys, db_url, "subject", "export", siti.id, "--area", "32.75", "-o", str(target))[0]
        == 0
    )
    assert json.loads(target.read_text(encoding="utf-8"))["resident"]["id"] == siti.id
    status, out, _ = _run(capsys, db_url, "subject", "restrict", siti.id, "--area", "32.75")
    assert status == 0
    assert "restriction" in out
    status, out, _ = _run(
        capsys, db_url, "subject", "requests", "--area", "32.75", "--format", "json"
    )
    assert [r["kind"] for r in json.loads(out)] == ["restriction"]
    status, out, _ = _run(capsys, db_url, "subject", "requests", "--area", "32.75", "--overdue")
    assert status == 0
    assert siti.id not in out  # done at once, never overdue
    status, out, _ = _run(
        capsys, db_url, "subject", "erase", siti.id, "--area", "32.75", "--reason", "permintaan"
    )
    assert status == 0
    assert f"Resident {siti.id} erased" in out
    assert world.store.get_resident(world.operator, siti.id, purpose=Purpose.PELAYANAN).name == "-"
    # Another kab/kota's operator finds no such resident: a data error (exit 3).
    status, _, err = _run(capsys, db_url, "subject", "export", siti.id, "--area", "32.16")
    assert status == 3
    assert "not-found" in err


def test_extract_writes_csv_and_parquet_and_the_incident_finds_it(
    world: World,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [world.resident(("mawar", "anggrek")[i % 2]) for i in range(12)]
    key_file = tmp_path / "kunci.txt"
    key_file.write_text(KEY, encoding="utf-8")
    base = ("extract", "--area", "32.75", "--on", "2025-06-30", "--project", "uji-cli")
    status, out, err = _run(
        capsys, db_url, *base, "--key-file", str(key_file), "--level", "kecamatan"
    )
    assert status == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == 12
    assert {r["area"] for r in rows} == {"32.75.01"}
    assert all(p.nik not in out and p.name not in out for p in people)
    fingerprint = err.strip().rsplit(" ", 1)[-1].rstrip(".")
    monkeypatch.setenv("SPM_RESEARCH_KEY", KEY)
    target = tmp_path / "x.parquet"
    status, _, err = _run(capsys, db_url, *base, "--format", "parquet", "-o", str(target))
    assert status == 0, err
    table = pq.read_table(target).to_pylist()
    assert {r["pseudonym"] for r in table} == {r["pseudonym"] for r in rows}
    status, out, err = _run(capsys, db_url, *base, "--table", "sex", "--threshold", "5")
    assert status == 0
    assert "total" in out
    assert "no file written" in err
    assert " to -" not in err
    # In Indonesian the table's own headings are Indonesian too.
    status = main(["--db", db_url, *base, "--table", "sex"])
    captured = capsys.readouterr()
    assert status == 0
    assert "wilayah" in captured.out
    assert "jumlah" in captured.out
    assert "total" not in captured.out
    assert "area" not in captured.out
    assert "tidak ada berkas yang ditulis" in captured.err
    status, out, err = _run(
        capsys,
        db_url,
        "audit",
        "incident",
        "--area",
        "32.75",
        "--key-fingerprint",
        fingerprint,
        "--format",
        "json",
    )
    assert status == 0, err
    report = json.loads(out)
    assert [e["rows"] for e in report["extracts"]] == [12, 12, 12, 12]
    status, out, err = _run(
        capsys, db_url, "audit", "incident", "--area", "32.75", "--who", "kader-mawar"
    )
    assert status == 0, err
    assert people[0].id in out
    status, _, err = _run(capsys, db_url, "extract", "--area", "32.75", "--format", "parquet")
    assert status != 0


def test_rls_is_installed_and_removed_from_the_command_line(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import uuid

    from sqlalchemy import text

    from spm_core.store import open_store

    store = open_store(db_url)
    role = f"spm_cli_{uuid.uuid4().hex[:8]}"
    postgres = store.dialect == "postgresql"
    if postgres:
        with store._engine.begin() as connection:
            connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    try:
        status, out, err = _run(capsys, db_url, "rls", "--app-role", role)
        assert status == 0, err
        if not postgres:
            assert "SQLite has no row-level security" in out
            return
        assert "installed on 8 tables" in out
        with store._engine.connect() as connection:
            enabled = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relrowsecurity"
                )
            )
        assert enabled == 8
        assert _run(capsys, db_url, "rls", "--remove")[0] == 0
        with store._engine.connect() as connection:
            enabled = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relrowsecurity"
                )
            )
        assert enabled == 0
    finally:
        if postgres:
            with store._engine.begin() as connection:
                connection.execute(text(f"DROP OWNED BY {role}"))
                connection.execute(text(f"DROP ROLE {role}"))
        store.close()

"""``spm demo`` on a small city: the summary says what happened, the page shows it all.

The demo is the library's whole job on one database: a synthetic slice of Kota Bekasi,
needs found in its records and routed to the city's agencies, the agencies' answers over
the year, the SPM report and its HTML page. These tests run it on 600 residents.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from pathlib import Path

import pytest

from spm_core.cli import main
from spm_core.definitions import BANDS
from spm_core.demo import KECAMATAN, DemoResult, run_demo
from spm_core.domain import SpmField

RESIDENTS = 600
YEAR = 2025
# CI and the development set-up install the Kota Bekasi plugin; without it the demo
# routes to generic agencies (``<role>@32.75``) and says so.
REGION = importlib.util.find_spec("spm_kota_bekasi") is not None


def _check(result: DemoResult) -> None:
    assert result.residents == RESIDENTS
    assert result.records > RESIDENTS
    assert result.region_plugin is REGION
    # Needs were found, some raised, and the agencies' answers cover the lifecycle.
    assert result.needs_suggested > result.needs_raised > 0
    for state in ("routed", "in_progress", "resolved", "rejected", "overdue"):
        assert result.referrals.get(state, 0) > 0, state
    # The index of every field in each kecamatan and the city, each with its band.
    index = result.field_index()
    areas = {row.area for row in index}
    assert areas == {*KECAMATAN, "32.75"}
    for area in areas:
        fields = {row.field for row in index if row.area == area and row.index is not None}
        assert fields == {*(f.value for f in SpmField), None}, area
    assert all(row.band_id for row in index if row.index is not None)
    # Referrals reached the city's agencies (generic ones without the region plugin),
    # with deadlines kept or not.
    assert result.performance
    for row in result.performance:
        code = row.agency_code or ""
        assert code.startswith("kota-bekasi.") if REGION else code.endswith("@32.75"), code
    assert any(p.resolved_on_time is not None for p in result.performance)
    assert sum(p.overdue for p in result.performance) == result.referrals["overdue"]


def _check_page(page: str, result: DemoResult) -> None:
    for field in SpmField:
        assert field.label.id in page, field
        assert field.label.en in page, field
    for band in BANDS:
        assert band.label.id in page, band
    for row in result.performance:
        assert row.agency_name.id in page, row.agency_code
    for name in ("Bekasi Timur", "Rawalumbu", "Jatiasih"):
        assert name in page
    assert page.count("<svg") == 2 * (len(KECAMATAN) + 1)  # each area, in both languages


def test_the_demo_on_a_small_city(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_demo(db_url, residents=RESIDENTS, seed=5, year=YEAR, out=out)
    _check(result)
    assert result.html_path == out
    _check_page(out.read_text(encoding="utf-8"), result)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_spm_demo_prints_the_summary_and_the_same_seed_gives_the_same_page(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, page = tmp_path / "demo.db", tmp_path / "demo.html"
    args = ["demo", "--residents", str(RESIDENTS), "--seed", "5", "--year", str(YEAR)]
    assert main([*args, "--db", str(database), "--out", str(page)]) == 0
    out = capsys.readouterr().out
    assert f"Kota sintetis {YEAR} (benih 5): {RESIDENTS} warga" in out
    assert "Kebutuhan: " in out
    # Indonesian digit grouping in the Indonesian summary: "2.291 catatan", not "2,291"
    made = next(line for line in out.splitlines() if line.startswith("Kota sintetis"))
    assert re.search(r" \d{1,3}\.\d{3} catatan", made), made
    assert not re.search(r"\d,\d{3}", made), made
    assert "# Capaian SPM 2025 per bidang dan kecamatan" in out
    for line in ("Bekasi Timur\t", "Rawalumbu\t", "Jatiasih\t", "Kota Bekasi\t"):
        assert line in out
    assert "# Rujukan 2025 per perangkat daerah" in out
    assert ("Dinas Sosial Kota Bekasi\tsosial\t" in out) is REGION
    assert ("Plugin wilayah Kota Bekasi tidak dimuat" in out) is not REGION
    assert f"Laporan HTML: {page}" in out
    with sqlite3.connect(database) as connection:
        (residents,) = connection.execute("SELECT count(*) FROM resident").fetchone()
    assert residents == RESIDENTS
    # The same seed and year give the same page, byte for byte (built on another database).
    again = run_demo(db_url, residents=RESIDENTS, seed=5, year=YEAR, out=tmp_path / "b.html")
    assert (tmp_path / "b.html").read_bytes() == page.read_bytes()
    _check(again)
    # A database that holds data is never overwritten: the command refuses, nothing changes.
    before = database.stat().st_mtime_ns
    assert main([*args, "--db", str(database), "--out", str(tmp_path / "c.html")]) == 3
    assert "sudah berisi data" in capsys.readouterr().err
    assert database.stat().st_mtime_ns == before
    assert not (tmp_path / "c.html").exists()


def test_the_page_subtitle_writes_the_count_for_each_language() -> None:
    from spm_core.demo import _subtitle

    subtitle = _subtitle(2025, 20_000, region_plugin=True)
    assert subtitle.id.startswith("Data sintetis (demo): 20.000 warga")
    assert subtitle.en.startswith("Synthetic data (demo): 20,000 residents")

"""``spm report`` and ``spm explain`` on a small synthetic city."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from spm_core.access import Actor, AreaScope, Role
from spm_core.api import Registry
from spm_core.cli import main
from spm_core.cli._output import Output
from spm_core.domain import KodeWilayah
from spm_core.store.tables import RecordRow
from spm_core.synth import synthesize

OPERATOR = Actor("op", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'city.db'}"
    with Registry.open(url) as registry:
        synthesize(registry.store, OPERATOR, registry.catalog, residents=400, seed=3, year=2025)
        with registry.store._db.engine.connect() as connection:
            child = connection.execute(
                select(RecordRow.resident_id).where(
                    RecordRow.record_type == "kesehatan.penimbangan"
                )
            ).first()
    assert child is not None
    return url, str(child[0])


def test_spm_report_as_csv_and_json(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = city
    args = ["report", "--db", url, "--period", "2025", "--level", "kecamatan", "--area", "32.75"]
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["indicator"] for r in rows} >= {"kesehatan.balita", "pupr.air-minum"}
    assert all(r["area"].startswith("32.75.") for r in rows)
    assert main([*args, "--format", "json", "--field", "kesehatan"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["field"] for r in data["rows"]} == {"kesehatan"}
    assert data["index"]
    assert main([*args, "--format", "csv", "--engine", "columnar"]) == 0
    by_columns = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert by_columns == rows


def test_spm_report_table_fits_the_terminal(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(Output, "terminal", property(lambda self: True))  # as on a terminal
    url, _ = city
    args = ["--lang", "en", "report", "--db", url, "--period", "2025", "--level", "kabupaten_kota",
            "--area", "32.75", "--field", "kesehatan"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "kesehatan.balita" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_spm_report_table_on_a_terminal_writes_numbers_for_its_reader(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In Bahasa Indonesia the percentages read 62,0 (decimal comma), in English 62.0."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(Output, "terminal", property(lambda self: True))  # as on a terminal
    url, _ = city
    args = ["report", "--db", url, "--period", "2025", "--level", "kabupaten_kota",
            "--area", "32.75", "--field", "kesehatan"]  # fmt: skip

    def percents(lang: str) -> list[str]:
        assert main(["--lang", lang, *args]) == 0
        out = capsys.readouterr().out
        rows = [line for line in out.splitlines() if "kesehatan." in line]
        return [re.split(r"[│|]", row)[-2].strip() for row in rows]

    indonesian, english = percents("id"), percents("en")
    shown = [(i, e) for i, e in zip(indonesian, english, strict=True) if e]
    assert shown
    for id_, en in shown:
        assert re.fullmatch(r"\d+,\d", id_), id_
        assert re.fullmatch(r"\d+\.\d", en), en
        assert id_ == en.replace(".", ",")


def test_spm_report_table_in_a_pipe_is_tab_separated(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Piped to ``head`` or a file, the table is rows a script can cut, like other commands."""
    url, _ = city
    args = ["--lang", "en", "report", "--db", url, "--period", "2025", "--level", "kecamatan",
            "--area", "32.75", "--field", "kesehatan"]  # fmt: skip
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "# SPM indicators 2025"
    assert lines[1].split("\t") == ["indicator", "area", "served", "to serve", "%"]
    balita = [line.split("\t") for line in lines if line.startswith("kesehatan.balita\t")]
    assert balita
    assert all(len(cells) == 5 for cells in balita)
    assert not any(ch in "\n".join(lines) for ch in "┃│━")


def test_a_breakdown_by_age_lists_the_groups_youngest_first(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = city
    args = ["report", "--db", url, "--period", "2025", "--level", "kabupaten_kota",
            "--area", "32.75", "--field", "kesehatan", "--by", "sex", "--by", "age_group",
            "--format", "csv"]  # fmt: skip
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    balita = [(r["sex"], r["age_group"]) for r in rows if r["indicator"] == "kesehatan.balita"]
    ages = ["0-4", "5-6", "7-15", "16-18", "19-59", "60+"]
    assert [age for sex, age in balita if sex == "P"] == ages
    assert [sex for sex, _ in balita] == ["L"] * 6 + ["P"] * 6


def test_spm_explain(city: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    url, resident = city
    args = ["--lang", "en", "explain", "kesehatan.balita", "--db", url, "--resident", resident,
            "--period", "2025", "--area", "32.75"]  # fmt: skip
    assert main(args) == 3  # an operator names why they read a resident's records
    assert "[purpose-required]" in capsys.readouterr().err
    assert main([*args, "--purpose", "pelayanan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"kesehatan.balita 2025 — {resident}: denominator ")
    assert "kesehatan.penimbangan" in out


def test_spm_report_needs_a_scope(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = city
    assert (
        main(["report", "--db", url, "--period", "2025"]) == 3
    )  # a data error (InvalidValue): exit status 3
    err = capsys.readouterr().err
    assert "--area" in err


def test_spm_report_refuses_an_area_not_on_the_region_list(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped kab/kota is an error, not an empty report that looks like no data."""
    url, _ = city
    args = ["--lang", "en", "report", "--db", url, "--period", "2025", "--area", "32.99"]
    assert main(args) == 3
    captured = capsys.readouterr()
    assert captured.err.startswith("[unknown-region] Region code '32.99' is not in the list")
    assert captured.out == ""


def test_spm_report_as_an_html_page(
    city: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, _ = city
    page = tmp_path / "report.html"
    args = ["--lang", "en", "report", "--db", url, "--period", "2025", "--area", "32.75"]
    assert main([*args, "--format", "html", "--out", str(page)]) == 0
    assert f"Report written to {page}" in capsys.readouterr().err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<svg" in html  # the charts
    assert "Kota Bekasi" in html
    # --out is for files of data or pages; a table goes to the terminal.
    assert main([*args, "--format", "table", "--out", str(tmp_path / "t.txt")]) == 2
    assert "--out applies to --format json, csv or html" in capsys.readouterr().err

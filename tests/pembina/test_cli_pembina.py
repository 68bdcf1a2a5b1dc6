"""``spm pembina plan|status|rollout|mentoring`` from the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from pembina_helpers import add_children, add_status, build_city

from spm_core import cli
from spm_core.api import Registry

PLAN = {
    "code": "tp-cli",
    "title": "Rencana aksi uji",
    "wilayah_code": "32.75",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "agreed_by": ["Disdik"],
    "agreed_on": "2026-01-20",
    "commitments": [
        {
            "code": "aps",
            "kind": "indicator",
            "agency_code": "kota-bekasi.disdik",
            "indicator": "pendidikan.aps-7-15",
            "area": "32.75.01",
            "target": 95,
            "measure_period": "quarter",
            "due_on": "2026-12-31",
        },
        {
            "code": "rapat",
            "kind": "activity",
            "agency_code": "kota-bekasi.dinsos",
            "title": "Rapat koordinasi <triwulan>",
            "due_on": "2026-03-31",
            "done_on": "2026-03-20",
        },
    ],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'spm.db'}"
    with Registry.open(url) as registry:
        city = build_city(registry, {"mawar": [{"field": "pendidikan", "since": "2026-01-01"}]})
        children = add_children(city, "mawar", "mw", 4, date(2016, 3, 1))
        add_status(city, "mawar", children[:2], date(2025, 12, 10))
        add_status(city, "mawar", children[:3], date(2026, 3, 10))
    return url


def test_a_plan_from_yaml_is_stored_revised_and_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    status, out, _ = run(
        capsys, "pembina", "plan", "--file", str(path), "--db", database, "--lang", "en"
    )
    assert (status, out) == (0, "Plan tp-cli version 1 stored (2 commitments).\n")
    revised = dict(PLAN, note="Target APS diturunkan")
    revised["commitments"] = [dict(PLAN["commitments"][0], target=90), PLAN["commitments"][1]]
    json_path = tmp_path / "plan.json"
    json_path.write_text(json.dumps(revised), encoding="utf-8")
    status, out, _ = run(
        capsys,
        "pembina",
        "plan",
        "--file",
        str(json_path),
        "--expected-version",
        "1",
        "--purpose",
        "koreksi",
        "--db",
        database,
        "--lang",
        "en",
    )
    assert "version 2" in out
    status, out, _ = run(
        capsys,
        "pembina",
        "plan",
        "--show",
        "tp-cli",
        "--history",
        "--wilayah",
        "32.75",
        "--db",
        database,
        "--lang",
        "en",
    )
    lines = out.splitlines()
    assert lines[0] == "# History of plan tp-cli"
    assert lines[2:] == ["1\t2026-01-20\t2\t", "2\t2026-01-20\t2\tTarget APS diturunkan"]
    status, out, _ = run(
        capsys,
        "pembina",
        "plan",
        "--file",
        str(json_path),
        "--expected-version",
        "1",
        "--db",
        database,
    )
    assert status == 3  # a stale revision is a data error; nothing is stored


def test_status_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN), encoding="utf-8")
    run(capsys, "pembina", "plan", "--file", str(path), "--db", database)
    common = ("--wilayah", "32.75", "--as-of", "2026-04-01", "--db", database)
    status, out, err = run(capsys, "pembina", "status", *common, "--lang", "en")
    assert status == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[2][:2] == ["aps", "kota-bekasi.disdik"]
    # 2 of 4 children enrolled in 2025-Q4 (50 %), 3 of 4 in 2026-Q1 (75 %); the path on
    # 31 March is 50 + 45 × 89/364 = 61.0 %, so 75 % is on track.
    assert rows[2][-2] == "on track"
    assert "straight path" in err
    status, out, _ = run(capsys, "pembina", "status", *common, "--format", "json")
    data = json.loads(out)
    aps = data["commitments"][0]
    assert (aps["baseline"], aps["latest"], aps["latest_period"]) == (50.0, 75.0, "2026-Q1")
    status, out, _ = run(
        capsys, "pembina", "status", *common, "--format", "csv", "--agency", "kota-bekasi.dinsos"
    )
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["commitment"], row["status_label"]) == ("rapat", "tercapai")
    status, out, _ = run(capsys, "pembina", "status", *common, "--format", "html", "--lang", "en")
    assert out.startswith("<!DOCTYPE html>")
    assert "Rapat koordinasi &lt;triwulan&gt;" in out
    assert '<tr class="met">' in out


def test_rollout_and_mentoring(capsys: pytest.CaptureFixture[str], database: str) -> None:
    common = ("--wilayah", "32.75", "--as-of", "2026-04-01", "--db", database)
    status, out, _ = run(capsys, "pembina", "rollout", *common, "--format", "json")
    (phase,) = json.loads(out)["phases"]
    assert (phase["period"], phase["fields"], phase["residents_covered"]) == (
        "2026-01",
        {"pendidikan": 1},
        4,
    )
    status, out, _ = run(capsys, "pembina", "mentoring", *common, "--top", "1", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["rank"], row["name"], row["residents"], row["records"]) == (
        "1",
        "Posyandu Mawar",
        "4",
        "5",
    )
    status, out, _ = run(capsys, "pembina", "mentoring", "--db", database)
    assert status == 2


def test_the_html_report_adds_the_tim_pembina_section_on_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN), encoding="utf-8")
    run(capsys, "pembina", "plan", "--file", str(path), "--db", database)
    common = ("report", "--period", "2026-Q1", "--level", "kecamatan", "--area", "32.75")
    common += ("--role", "tim_pembina", "--format", "html", "--db", database)
    status, plain, _ = run(capsys, *common)
    assert status == 0
    assert 'id="tim-pembina"' not in plain
    status, page, _ = run(capsys, *common, "--pembina")
    assert status == 0
    assert 'id="tim-pembina"' in page
    assert "Rapat koordinasi &lt;triwulan&gt;" in page

"""``spm route`` and ``spm referrals`` from the command line.

The commands load the six field plugins only (``SPM_PLUGINS``), so that no region plugin
installed beside them names an agency: Kota and Kabupaten Bekasi are unconfigured here.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from referral_helpers import officer
from store_helpers import build_world, kader

from spm_core import cli
from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager
from spm_core.referrals import lifecycle
from spm_core.referrals.router import submit
from spm_core.store import open_store
from spm_core.testing.kit import core_plugins


@pytest.fixture(autouse=True)
def _core_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answer the same whatever region plugins are installed: the six field plugins."""
    monkeypatch.setenv("SPM_PLUGINS", ",".join(core_plugins()))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_route_json_names_each_agency_by_code_and_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys, "route", "sosial.alat-bantu-dengar", "--wilayah", "3216012001", "--format", "json"
    )
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    assert data["rule"] == "sosial.alat-bantu-dengar.default"
    assert data["agencies"] == [
        {
            "code": "dinas-sosial@32.16",
            "role": "dinas-sosial",
            "name": {
                "id": "Dinas Sosial (32.16, generik)",
                "en": "Social affairs office (32.16, generic)",
            },
            "generic": True,
        }
    ]
    assert data["generic"] is True


def test_route_table_explains_in_one_language(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "--lang", "en", "route", "perkim.rtlh", "--wilayah", "32.75.01.1001",
        "--age", "40", "--sex", "F",
    )  # fmt: skip
    assert status == 0
    assert "perkim.rtlh.default" in out
    assert "generic" in out
    assert "generik" not in out


@pytest.mark.parametrize(
    ("argv", "expected", "code"),
    [
        # An unknown need type or region is bad data (3); a bad --sex, a usage error (2).
        (["route", "sosial.tidak-ada", "--wilayah", "32.75.01.1001"], "sosial.tidak-ada", 3),
        (["route", "perkim.rtlh", "--wilayah", "32.75.01.1001", "--sex", "X"], "F, M, P", 2),
        (["route", "perkim.rtlh", "--wilayah", "99.99.99"], "99.99.99", 3),
    ],
)
def test_route_errors_name_the_value(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str, code: int
) -> None:
    status, _out, err = run(capsys, *argv)
    assert status == code
    assert expected in err


@pytest.fixture
def referral_db(tmp_path: Path) -> str:
    """A SQLite database with three referrals in Kota Bekasi, routed by the field plugins."""
    url = f"sqlite:///{tmp_path / 'spm.db'}"
    catalog = Catalog.build(
        make_plugin_manager(
            allow=["kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"]
        )
    )
    store = open_store(url)
    try:
        world = build_world(store, catalog)
        made = []
        for i in range(3):
            resident = world.resident("mawar")
            made.append(
                submit(
                    store,
                    world.kader("mawar"),
                    {
                        "idempotency_key": f"cli-{i}",
                        "need_type": "sosial.alat-bantu-dengar",
                        "resident_id": resident.id,
                        "on": date(2025, 3, 3),
                    },
                    catalog,
                ).referral
            )
        generic = officer("dinas-sosial@32.75")
        lifecycle.reject(store, generic, made[0].id, "bukan kewenangan", on=date(2025, 3, 4))
    finally:
        store.close()
    return url


def test_referrals_csv_and_json_for_the_tim_pembina(
    capsys: pytest.CaptureFixture[str], referral_db: str
) -> None:
    status, out, _ = run(
        capsys, "referrals", "--db", referral_db, "--wilayah", "32.75", "--format", "csv"
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    row = rows[0]
    assert row["agency_code"] == "dinas-sosial@32.75"
    assert (row["total"], row["open"], row["rejected"]) == ("3", "2", "1")
    assert row["agency_name"] == "Dinas Sosial (32.75, generik)"
    status, out, _ = run(
        capsys, "referrals", "--db", referral_db, "--wilayah", "32.75", "--period", "2025-Q2",
        "--format", "json",
    )  # fmt: skip
    assert (status, json.loads(out)) == (0, [])


def test_referrals_needs_an_area(
    capsys: pytest.CaptureFixture[str], referral_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPM_WILAYAH", raising=False)
    status, _, err = run(capsys, "--lang", "en", "referrals", "--db", referral_db)
    assert status == 2
    assert "--wilayah" in err
    monkeypatch.setenv("SPM_WILAYAH", "32.75")
    status, out, _ = run(capsys, "--lang", "en", "referrals", "--db", referral_db)
    assert status == 0
    assert "dinas-sosial@32.75" in out


@pytest.fixture
def school_db(tmp_path: Path) -> tuple[str, str, str]:
    """A child of ten at Posyandu Mawar whose latest school status is "not in school"."""
    url = f"sqlite:///{tmp_path / 'spm.db'}"
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    store = open_store(url)
    try:
        world = build_world(store, catalog)
        child = world.resident("mawar", birth_date=date(2015, 3, 1))
        world.resident("mawar", birth_date=date(2015, 4, 1))  # no school record: not shown
        store.add_record(
            world.kader("mawar"),
            {
                "record_type": "pendidikan.status-sekolah",
                "resident_id": child.id,
                "observed_on": "2025-06-02",
                "value": {
                    "status": "tidak-sekolah",
                    "reason_not_in_school": "biaya",
                    "dropped_out": True,
                },
            },
            Purpose.PELAYANAN,
            catalog,
        )
        return url, world.posyandu["mawar"].id, child.id
    finally:
        store.close()


def test_referrals_suggest_lists_then_raises_once(
    capsys: pytest.CaptureFixture[str], school_db: tuple[str, str, str]
) -> None:
    url, posyandu, child = school_db
    base = ["referrals", "suggest", "--db", url, "--wilayah", "32.75.01.1001"]
    base += ["--period", "2025-06", "--posyandu", posyandu]
    status, out, _ = run(capsys, *base, "--format", "json")
    assert status == 0
    (found,) = json.loads(out)
    assert (found["need_type"], found["subject_id"]) == ("pendidikan.anak-tidak-sekolah", child)
    # Piped, the table is tab-separated rows under a "#" title line.
    status, out, err = run(capsys, "--lang", "en", *base)
    lines = out.splitlines()
    assert lines[0].startswith("# Needs from the records")
    assert lines[1].split("\t")[:3] == ["need type", "subject", "subject ID"]
    assert lines[2].split("\t")[:3] == ["pendidikan.anak-tidak-sekolah", "resident", child]
    assert "1 needs." in err
    status, out, _ = run(capsys, *base, "--raise", "--on", "2025-07-01", "--format", "json")
    assert status == 0
    (raised,) = json.loads(out)
    assert raised["replayed"] is False
    assert len(raised["referrals"]) == 1
    # The referral is open now: nothing left to suggest, and raising again adds nothing.
    status, out, _ = run(capsys, *base, "--raise", "--format", "csv")
    assert (status, out.splitlines()[1:]) == (0, [])
    store = open_store(url)
    try:
        assert len(store.list_referrals(kader(posyandu))) == 1
    finally:
        store.close()


def test_referrals_suggest_refuses_a_need_raised_by_hand(
    capsys: pytest.CaptureFixture[str], school_db: tuple[str, str, str]
) -> None:
    url, _, _ = school_db
    status, _, err = run(
        capsys, "--lang", "en", "referrals", "suggest", "--db", url, "--wilayah", "32.75",
        "--period", "2025-06", "--need", "kesehatan.gizi-buruk", "--purpose", "rujukan",
    )  # fmt: skip
    assert status == 3
    assert "kesehatan.gizi-buruk" in err


def test_route_and_referrals_tables_are_tab_separated_rows_in_a_pipe(
    capsys: pytest.CaptureFixture[str], referral_db: str
) -> None:
    status, out, _ = run(
        capsys, "--lang", "en", "route", "perkim.rtlh", "--wilayah", "32.16.01.2001"
    )
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == "# Routing of perkim.rtlh in 32.16.01.2001"
    assert lines[1] == "agency code\tagency\trole\tgeneric"
    assert lines[2].split("\t") == [
        "dinas-perkim@32.16",
        "Housing and settlements office (32.16, generic)",
        "dinas-perkim",
        "yes",
    ]
    status, out, _ = run(
        capsys, "--lang", "en", "referrals", "--db", referral_db, "--wilayah", "32.75"
    )
    lines = out.splitlines()
    assert status == 0
    assert lines[0].startswith("# Referrals per agency")
    assert lines[2].split("\t")[0] == "dinas-sosial@32.75"

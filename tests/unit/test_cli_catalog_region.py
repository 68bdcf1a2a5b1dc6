"""``spm catalog --region CODE [--on DATE]``: one region's view of the catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spm_core import cli
from spm_core.cli import catalog as catalog_command
from spm_core.plugins import SpmPluginManager, make_plugin_manager
from spm_core.testing.kit import inline_plugin
from spm_core.testing.region import RegionUnderTest

KOTA_BEKASI = Path(__file__).resolve().parents[2] / "regions" / "kota-bekasi"
FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


def _deadlines(adjuster: Any) -> None:
    adjuster.set_sla("perkim.rtlh", 60)
    adjuster.set_sla("sosial.alat-bantu-dengar", 30)


# Deadlines the city could set (the reference gives Kota Bekasi none), beside its plugin.
LOCAL_DEADLINES = inline_plugin(name="kota-bekasi-tenggat", region="32.75", adjust=_deadlines)


@pytest.fixture(autouse=True)
def _with_kota_bekasi(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the Kota Bekasi plugin and local deadlines beside the field plugins."""
    region = RegionUnderTest.from_project(KOTA_BEKASI).plugin
    for name in ("SPM_PLUGINS", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)

    def manager(_args: object) -> SpmPluginManager:
        return make_plugin_manager(
            allow=FIELD_PLUGINS, extra={"kota-bekasi": region, "tenggat": LOCAL_DEADLINES}
        )

    monkeypatch.setattr(catalog_command, "plugin_manager", manager)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = _run(capsys, *argv, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def test_region_view_says_what_is_national_replaced_adjusted_or_added(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _json(capsys, "catalog", "--region", "32.75", "--on", "2025-06-30")
    assert (data["region"], data["on"]) == ("32.75", "2025-06-30")
    origin = {(d["kind"], d["code"]): d["origin"] for d in data["definitions"]}
    rtlh = origin[("need_type", "perkim.rtlh")]
    assert rtlh["status"] == "national"
    assert [(a["plugin"], a["action"], a["detail"]) for a in rtlh["adjustments"]] == [
        ("kota-bekasi-tenggat", "set_sla", "None → 60")
    ]
    assert origin[("agency", "kota-bekasi.bpbd")]["status"] == "added"
    assert origin[("agency", "kota-bekasi.bpbd")]["provenance"]["plugin"] == "kota-bekasi"
    assert origin[("indicator", "kesehatan.balita")]["status"] == "national"
    assert sorted(a["code"] for a in data["adjustments"]) == [
        "perkim.rtlh",
        "perkim.rumah-rusak-bencana.default",
        "sosial.alat-bantu-dengar",
    ]
    flood = origin[("routing_rule", "perkim.rumah-rusak-bencana.default")]
    assert [(a["plugin"], a["action"]) for a in flood["adjustments"]] == [
        ("kota-bekasi", "retarget")
    ]


def test_another_region_sees_the_national_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "catalog", "--region", "32.16")
    codes = {d["code"] for d in data["definitions"]}
    assert "kota-bekasi.bpbd" not in codes
    rtlh = next(d for d in data["definitions"] if d["code"] == "perkim.rtlh")
    assert rtlh["sla_days"] is None
    assert rtlh["origin"]["adjustments"] == []
    assert data["adjustments"] == []


def test_the_date_picks_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    def regulations(day: str) -> set[str]:
        data = _json(capsys, "catalog", "--region", "32.75", "--on", day, "--kind", "service_type")
        service = next(d for d in data["definitions"] if d["code"] == "kesehatan.ibu-hamil")
        return {lb["regulation"] for lb in service["legal_basis"]}

    assert "Permenkes 4/2019" in regulations("2023-06-30")
    assert "Permenkes 6/2024" in regulations("2025-06-30")


def test_region_table_lists_local_definitions_first(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "--lang", "en", "catalog", "--region", "32.75")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "# Catalog of regency/city 32.75 on the latest versions"
    assert lines[1] == "kind\tcode\tstatus\tplugin"
    rows = [line.split("\t") for line in lines[2 : lines.index("# Adjustments in this region")]]
    assert all(len(row) == 4 for row in rows), rows
    assert rows[0] == ["agency", "kota-bekasi.bappelitbangda", "added", "kota-bekasi"]
    statuses = [row[2] for row in rows]
    assert statuses.index("national") > max(
        i for i, status in enumerate(statuses) if status != "national"
    )
    assert ["need_type", "perkim.rtlh", "national, adjusted", "perkim, kota-bekasi-tenggat"] in rows
    # the summary is a count about the output: standard error in a pipe
    assert err.splitlines()[0] == "207 national, 0 replaced, 27 added, 3 adjusted, 0 disabled."
    assert lines[lines.index("# Adjustments in this region") + 1] == "plugin\taction\tcode\tdetail"
    indonesian = _run(capsys, "catalog", "--region", "32.75")[1]
    assert "\tditambah\t" in indonesian
    assert "jenis\tkode\tstatus\tplugin" in indonesian
    assert "# Penyesuaian di wilayah ini" in indonesian


def test_region_view_in_a_pipe_is_rows_without_box_drawing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # docs/cli.md: in a pipe every table is tab-separated rows, so `cut -f2` gives codes;
    # this view drew a box table into pipes and files.
    _, out, _ = _run(capsys, "--lang", "en", "catalog", "--region", "32.01", "--kind", "field")
    assert out.splitlines() == [
        "# Catalog of regency/city 32.01 on the latest versions",
        "kind\tcode\tstatus\tplugin",
        *(f"field\t{f}\tnational\t{f}" for f in sorted(FIELD_PLUGINS)),
    ]
    assert not any(c in out for c in "─━│┃")


def test_a_region_without_agencies_names_the_generic_roles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bogor = _run(capsys, "--lang", "en", "catalog", "--region", "32.01")[2]
    line = next(x for x in bogor.splitlines() if x.startswith("Roles with no agency"))
    assert "dinas-perkim" in line
    assert "dinas-bina-marga" in line
    bekasi = _run(capsys, "--lang", "en", "catalog", "--region", "32.75")[1]
    assert "Roles with no agency" not in bekasi


@pytest.mark.parametrize("bad", [["--on", "30-06-2025"], ["--region", "32.7x"]])
def test_bad_region_or_date_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], bad: list[str]
) -> None:
    argv = ["catalog", "--region", "32.75", *bad]
    status, out, err = _run(capsys, *argv)
    assert status != 0
    assert out == ""
    assert ("30-06-2025" in err) or ("32.7x" in err)

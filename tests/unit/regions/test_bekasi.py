"""The Kota Bekasi and Kabupaten Bekasi region plugins, served by one deployment.

A kader's need in a kelurahan of the city and in a desa of the regency goes to each
government's own OPD; a third region falls back to the national defaults and says so.
Both plugins' compliance suites run here too, so the core's suite fails when a change
breaks them, installed or not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, WilayahLevel
from spm_core.domain.wilayah import children
from spm_core.plugins import make_plugin_manager
from spm_core.routing import RouteContext, route, villages_of
from spm_core.testing.kit import core_plugins
from spm_core.testing.region import RegionUnderTest

ROOT = Path(__file__).resolve().parents[3]
REGIONS = {"kota-bekasi": "spm_kota_bekasi", "kabupaten-bekasi": "spm_kabupaten_bekasi"}
DAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def plugins() -> dict[str, ModuleType]:
    """The two region plugin modules, imported from regions/ when not installed."""
    found = {}
    for folder in REGIONS:
        plugin = RegionUnderTest.from_project(ROOT / "regions" / folder).plugin
        assert isinstance(plugin, ModuleType)
        found[folder] = plugin
    return found


@pytest.fixture(scope="module")
def catalog(plugins: dict[str, ModuleType]) -> Catalog:
    """One deployment: the six field plugins and both Bekasi plugins."""
    return Catalog.build(make_plugin_manager(allow=core_plugins(), extra=plugins))


def _route(catalog: Catalog, need: str, village: str, **context: object) -> tuple[str | None, ...]:
    code = KodeWilayah.parse(village)
    decision = route(catalog.for_region(code, on=DAY), need, code, RouteContext(DAY, **context))  # type: ignore[arg-type]
    return decision.agency_codes


@pytest.mark.parametrize(
    ("need", "village", "agencies"),
    [
        ("sosial.alat-bantu-dengar", "32.75.01.1001", ("kota-bekasi.dinsos",)),
        ("perkim.rtlh", "32.75.01.1001", ("kota-bekasi.disperkimtan",)),
        ("sosial.alat-bantu-dengar", "32.16.06.2004", ("kabupaten-bekasi.dinsos",)),
        ("perkim.rtlh", "32.16.06.2004", ("kabupaten-bekasi.disperkimtan",)),
        # A desa code from the examples that the 2025 list no longer holds (Jatimulya is
        # now kelurahan 32.16.06.1001) still routes inside its kab/kota.
        ("perkim.rtlh", "32.16.06.2001", ("kabupaten-bekasi.disperkimtan",)),
        ("pupr.tanpa-jamban", "32.75.01.1001", ("kota-bekasi.dbmsda",)),
        ("pupr.tanpa-jamban", "32.16.06.2004", ("kabupaten-bekasi.dcktr",)),
        # Roads: DBMSDA in the city, SDABMBK in the regency.
        ("pupr.jalan-rusak", "32.75.01.1001", ("kota-bekasi.dbmsda",)),
        ("pupr.jalan-rusak", "32.16.06.2004", ("kabupaten-bekasi.sdabmbk",)),
        ("pupr.drainase", "32.16.06.2004", ("kabupaten-bekasi.sdabmbk",)),
        ("pupr.pelanggaran-tata-ruang", "32.16.06.2004", ("kabupaten-bekasi.dcktr",)),
        (
            "perkim.rumah-rusak-bencana",
            "32.75.08.1001",
            ("kota-bekasi.disperkimtan", "kota-bekasi.bpbd"),
        ),
        (
            "perkim.rumah-rusak-bencana",
            "32.16.17.2001",
            ("kabupaten-bekasi.disperkimtan", "kabupaten-bekasi.bpbd"),
        ),
        ("kesehatan.gizi-buruk", "32.75.12.1001", ("kota-bekasi.puskesmas.12",)),
        ("kesehatan.gizi-buruk", "32.16.23.2001", ("kabupaten-bekasi.puskesmas.23",)),
    ],
)
def test_one_deployment_routes_each_region_to_its_own_agency(
    catalog: Catalog, need: str, village: str, agencies: tuple[str, ...]
) -> None:
    assert _route(catalog, need, village) == agencies


def test_a_third_region_falls_back_to_the_national_defaults_and_says_so(catalog: Catalog) -> None:
    bogor = KodeWilayah.parse("32.01.01.1001")  # Kabupaten Bogor: no region plugin
    decision = route(
        catalog.for_region(bogor, on=DAY), "sosial.alat-bantu-dengar", bogor, RouteContext(DAY)
    )
    assert decision.generic
    assert decision.agency_codes == (None,)
    assert decision.rule.code == "sosial.alat-bantu-dengar.default"
    assert "generic: no agency configured" in decision.explain().en
    assert "Dinas Sosial (32.01, generik)" in decision.explain().id
    flood = route(
        catalog.for_region(bogor, on=DAY), "perkim.rumah-rusak-bencana", bogor, RouteContext(DAY)
    )
    assert [t.role for t in flood.targets] == ["dinas-perkim"]  # the city's overlay stays home


@pytest.mark.parametrize(
    ("folder", "kecamatan", "kelurahan", "desa"),
    [("kota-bekasi", 12, 56, 0), ("kabupaten-bekasi", 23, 8, 179)],
)
def test_kecamatan_and_villages_match_the_kepmendagri_list(
    plugins: dict[str, ModuleType], folder: str, kecamatan: int, kelurahan: int, desa: int
) -> None:
    plugin = plugins[folder]
    listed = {(str(info.code), info.name) for info in children(plugin.REGION)}
    assert set(plugin.KECAMATAN) == listed
    assert len(plugin.KECAMATAN) == kecamatan
    villages = villages_of(plugin.REGION)
    kinds = [v.village_kind.value if v.village_kind else "?" for v in villages]
    assert (kinds.count("kelurahan"), kinds.count("desa")) == (kelurahan, desa)
    # One health-centre agency per kecamatan, serving exactly that kecamatan.
    areas = sorted(str(a.area) for a in plugin.PUSKESMAS)
    assert areas == sorted(code for code, _ in plugin.KECAMATAN)
    assert all(a.area.level == WilayahLevel.KECAMATAN for a in plugin.PUSKESMAS)


@pytest.mark.parametrize(
    ("folder", "unconfirmed"),
    [
        (
            "kota-bekasi",
            {"dbmsda", "tirta-patriot", "bappelitbangda", "distaru", "kcd-pendidikan-jabar"},
        ),
        ("kabupaten-bekasi", {"dcktr", "damkar", "dp3a", "kcd-pendidikan-jabar"}),
    ],
)
def test_what_the_reference_leaves_open_is_flagged_unconfirmed(
    plugins: dict[str, ModuleType], folder: str, unconfirmed: set[str]
) -> None:
    agencies = {a.code.removeprefix(f"{folder}."): a for a in plugins[folder].AGENCIES}
    flagged = {code for code, a in agencies.items() if not a.confirmed}
    assert flagged == unconfirmed | {code for code in agencies if code.startswith("puskesmas.")}
    for code in flagged:
        assert any(lb.note for lb in agencies[code].legal_basis if not lb.confirmed), code


def test_the_steward_differs_dp3a_in_the_city_dpmd_in_the_regency(
    plugins: dict[str, ModuleType],
) -> None:
    city = {a.short_name for a in plugins["kota-bekasi"].AGENCIES}
    regency = {a.short_name for a in plugins["kabupaten-bekasi"].AGENCIES}
    assert "DP3A" in city
    assert "DPMD" not in city  # Kota Bekasi has no desa
    assert "DPMD" in regency
    assert {"DBMSDA", "Disperkimtan"} <= city
    assert {"SDABMBK", "DCKTR", "Disperkimtan", "Tirta Bhagasasi"} <= regency


@pytest.mark.parametrize("folder", sorted(REGIONS))
def test_the_region_passes_its_compliance_suite(folder: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "regions" / folder)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT / "regions" / folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "7 passed" in result.stdout


def _installed() -> set[str]:
    import importlib.metadata as md

    return {ep.name for ep in md.entry_points(group="spm")}


@pytest.mark.skipif(
    not set(REGIONS) <= _installed(),
    reason="spm route loads installed plugins: pip install -e regions/kota-bekasi "
    "-e regions/kabupaten-bekasi (CI does)",
)
@pytest.mark.parametrize(
    ("need", "village", "agency", "generic"),
    [
        ("sosial.alat-bantu-dengar", "32.75.01.1001", "kota-bekasi.dinsos", False),
        ("perkim.rtlh", "32.75.01.1001", "kota-bekasi.disperkimtan", False),
        ("pupr.tanpa-jamban", "32.75.01.1001", "kota-bekasi.dbmsda", False),
        ("pupr.tanpa-jamban", "32.16.06.2004", "kabupaten-bekasi.dcktr", False),
        ("pupr.jalan-rusak", "32.75.01.1001", "kota-bekasi.dbmsda", False),
        ("pupr.jalan-rusak", "32.16.06.2004", "kabupaten-bekasi.sdabmbk", False),
        ("sosial.alat-bantu-dengar", "32.16.06.2004", "kabupaten-bekasi.dinsos", False),
        ("sosial.alat-bantu-dengar", "32.01.01.1001", "dinas-sosial@32.01", True),
    ],
)
def test_spm_route_serves_both_regions_and_flags_a_third(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    need: str,
    village: str,
    agency: str,
    generic: bool,
) -> None:
    import json

    from spm_core.cli import main

    monkeypatch.delenv("SPM_PLUGINS", raising=False)
    assert (
        main(["route", need, "--wilayah", village, "--on", "2025-06-30", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [a["code"] for a in data["agencies"]] == [agency]
    assert data["generic"] is generic
    if generic:
        assert "generic" in data["explanation"]["en"]


def test_the_split_roles_reach_each_region_s_own_opd(plugins: dict[str, ModuleType]) -> None:
    """Roads, drainage and spatial planning, the posyandu steward, family planning and
    the registry are separate roles, so each region names its own OPD for each."""

    def holder(folder: str, role: str) -> set[str]:
        return {a.short_name for a in plugins[folder].AGENCIES if role in a.roles}

    assert holder("kota-bekasi", "pembina-posyandu") == {"DP3A"}
    assert holder("kabupaten-bekasi", "pembina-posyandu") == {"DPMD"}
    assert holder("kota-bekasi", "dinas-bina-marga") == holder("kota-bekasi", "dinas-sda")
    assert holder("kota-bekasi", "dinas-sda") == {"DBMSDA"}
    assert holder("kabupaten-bekasi", "dinas-sda") == {"SDABMBK"}
    assert holder("kabupaten-bekasi", "dinas-tata-ruang") == {"DCKTR"}
    for folder in ("kota-bekasi", "kabupaten-bekasi"):
        assert holder(folder, "dppkb") == {"DPPKB"}
        assert holder(folder, "disdukcapil") == {"Disdukcapil"}

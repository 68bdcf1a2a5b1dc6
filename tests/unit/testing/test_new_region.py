"""``spm new-region``: the generated plugin passes the compliance suite, and the suite fails
it as soon as a region leaves a role without an agency or a worked case goes wrong."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spm_core.catalog import Catalog
from spm_core.cli import main
from spm_core.cli.new_region import render_region
from spm_core.errors import InvalidValue, UnknownRegion
from spm_core.plugins import make_plugin_manager
from spm_core.testing.kit import core_plugins


def _suite(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(allow=core_plugins()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen") / "spm-kabupaten-bogor"
    assert main(["new-region", "kabupaten-bogor", "--wilayah", "32.01", "--dir", str(folder)]) == 0
    return folder


def test_generated_plugin_passes_the_suite_unchanged(generated: Path) -> None:
    result = _suite(generated)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "7 passed" in result.stdout


def test_generated_agencies_are_placeholders_flagged_unconfirmed(
    generated: Path, catalog: Catalog
) -> None:
    module = (generated / "spm_kabupaten_bogor" / "__init__.py").read_text(encoding="utf-8")
    roles = {r.code for r in catalog.agency_roles}
    assert module.count("# FILL IN:") == len(roles)
    assert module.count("        PLACEHOLDER,") == len(roles)
    assert "confirmed=False" in module
    assert 'kabupaten-bogor = "spm_kabupaten_bogor"' in (generated / "pyproject.toml").read_text(
        encoding="utf-8"
    )
    tests = (generated / "tests" / "test_compliance.py").read_text(encoding="utf-8")
    assert tests == "from spm_core.testing.suite import *  # noqa: F403\n"


def _copy_with(generated: Path, tmp_path: Path, edit: object) -> Path:
    sources = [p for p in generated.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files = {p.relative_to(generated): p.read_text(encoding="utf-8") for p in sources}
    folder = tmp_path / "edited"
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit(str(relative), text), encoding="utf-8")  # type: ignore[operator]
    return folder


def test_the_suite_fails_a_region_that_leaves_a_role_without_agency(
    generated: Path, tmp_path: Path
) -> None:
    def drop_dinsos(relative: str, text: str) -> str:
        if not relative.endswith("__init__.py"):
            return text
        return re.sub(r"    # FILL IN: [^\n]*Social affairs office\.\n    _opd\(.*?\n    \),\n",
                      "", text, flags=re.DOTALL)  # fmt: skip

    result = _suite(_copy_with(generated, tmp_path, drop_dinsos))
    assert result.returncode == 1
    assert "FAILED tests/test_compliance.py::test_every_need_type_routes" in result.stdout
    assert "dinas-sosial" in result.stdout


def test_the_suite_fails_a_wrong_worked_case(generated: Path, tmp_path: Path) -> None:
    def misroute(relative: str, text: str) -> str:
        if not relative.endswith(".yaml"):
            return text
        return text.replace("[kabupaten-bogor.dinas-sosial]", "[kabupaten-bogor.bpbd]", 1)

    result = _suite(_copy_with(generated, tmp_path, misroute))
    assert result.returncode == 1
    assert "FAILED tests/test_compliance.py::test_worked_cases_pass" in result.stdout
    assert "expected ['kabupaten-bogor.bpbd']" in result.stdout
    assert "1 failed, 6 passed" in result.stdout


@pytest.mark.parametrize(
    ("name", "wilayah", "error"),
    [
        ("Kota_Depok", "32.76", InvalidValue),
        ("kota-depok", "32", InvalidValue),
        ("kota-depok", "32.76.01", InvalidValue),
        ("kota-antah", "32.99", UnknownRegion),
    ],
)
def test_bad_name_or_region_is_refused(
    catalog: Catalog, name: str, wilayah: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        render_region(name, wilayah, catalog)
    assert (name if error is InvalidValue and "_" in name else wilayah) in str(caught.value)


def test_nothing_is_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    status = main(["new-region", "kota-depok", "--wilayah", "32.76", "--dir", str(tmp_path)])
    assert status != 0
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "pyproject.toml").exists()
    assert "invalid-value" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "wilayah", "province", "kabkota"),
    [
        ("kota-depok", "32.76", "Jawa Barat", "Kota Depok"),
        ("kabupaten-sleman", "34.04", "Daerah Istimewa Yogyakarta", "Kabupaten Sleman"),
    ],
)
def test_a_provincial_placeholder_is_named_after_the_province(
    catalog: Catalog, name: str, wilayah: str, province: str, kabkota: str
) -> None:
    # SMA, SMK and SLB are the province's: the placeholder names Jawa Barat's office
    # serving Kota Depok, never a "Dinas Pendidikan Provinsi Kota Depok".
    package = "spm_" + name.replace("-", "_")
    module = render_region(name, wilayah, catalog)[f"{package}/__init__.py"]
    assert f"Provinsi {kabkota}" not in module
    assert f'"Dinas Pendidikan Provinsi {province} (wilayah {kabkota})"' in module
    assert f'"Provincial education office, {province} (serving {kabkota})"' in module
    # the kab/kota's own office keeps the kab/kota's name
    assert f'"Dinas Pendidikan {kabkota}"' in module
    # the region is described once, with its province
    assert f'"""{kabkota}, {province} ({wilayah})."""' in module

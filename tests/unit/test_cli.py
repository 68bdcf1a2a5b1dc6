"""The ``spm`` command: in-process through ``main`` and once through the installed script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spm_core import cli
from spm_core.catalog import Catalog
from spm_core.cli import _common as cli_common
from spm_core.errors import InputError, Issue, PluginLoadError
from spm_core.plugins import make_plugin_manager

FIELD_PLUGINS = {"kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SPM_DATABASE_URL", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    # Only the six field plugins, whatever else is installed in the environment.
    monkeypatch.setenv("SPM_PLUGINS", ",".join(sorted(FIELD_PLUGINS)))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return json.loads(out)


# ------------------------------------------------------------------------------ plugins


def test_plugins_json_lists_the_six_field_plugins(capsys: pytest.CaptureFixture[str]) -> None:
    plugins = run_json(capsys, "plugins", "--format", "json")
    by_name = {p["name"]: p for p in plugins}
    assert set(by_name) >= FIELD_PLUGINS
    for name in FIELD_PLUGINS:
        plugin = by_name[name]
        assert plugin["level"] == "national"
        assert plugin["distribution"] == "spm-core"
        assert plugin["version"]
        assert "spm_plugin_info" in plugin["hooks"]
        assert plugin["title"]["id"]
        assert plugin["title"]["en"]


def test_plugins_table_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    status, out_id, _ = run(capsys, "plugins")
    assert status == 0
    assert "nama" in out_id
    assert "tingkat" in out_id
    assert "Nasional" in out_id
    status, out_en, _ = run(capsys, "--lang", "en", "plugins")
    assert status == 0
    assert "name" in out_en
    assert "level" in out_en
    assert "National" in out_en
    for name in FIELD_PLUGINS:
        assert name in out_id
        assert name in out_en


def test_allow_and_deny_choose_plugins(capsys: pytest.CaptureFixture[str]) -> None:
    names = {
        p["name"] for p in run_json(capsys, "--allow", "sosial", "plugins", "--format", "json")
    }
    assert names == {"sosial"}
    names = {p["name"] for p in run_json(capsys, "plugins", "--deny", "sosial", "--format", "json")}
    assert "sosial" not in names
    assert FIELD_PLUGINS - {"sosial"} <= names


def test_spm_plugins_environment_is_an_allow_list(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPM_PLUGINS", "kesehatan, pupr")
    assert {p["name"] for p in run_json(capsys, "plugins", "--format", "json")} == {
        "kesehatan",
        "pupr",
    }
    # --allow wins over the environment.
    names = {
        p["name"] for p in run_json(capsys, "--allow", "sosial", "plugins", "--format", "json")
    }
    assert names == {"sosial"}
    monkeypatch.setenv("SPM_PLUGINS", "")
    assert run_json(capsys, "plugins", "--format", "json") == []


# ------------------------------------------------------------------------------ catalog


def test_catalog_json_has_every_definition_with_provenance(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    data = run_json(capsys, "catalog", "--format", "json")
    assert data == json.loads(json.dumps(catalog.to_dict()))
    listed = {(d["kind"], d["code"]) for d in data["definitions"]}
    assert listed == {(d.kind, d.code) for d in catalog}
    assert len(data["definitions"]) == len(list(catalog.definitions())) > len(catalog) > 0
    for definition in data["definitions"]:
        assert definition["provenance"]["plugin"]
        assert definition["provenance"]["level"] in {"national", "province", "region"}
        assert isinstance(definition["legal_basis"], list)
        assert isinstance(definition["confirmed"], bool)
    assert {p["name"] for p in data["plugins"]} >= FIELD_PLUGINS
    assert "overrides" in data
    assert "adjustments" in data


def test_catalog_filters_by_kind_and_field(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "catalog", "--format", "json", "--kind", "indicator", "--field", "kesehatan"
    )
    assert data["definitions"]
    for definition in data["definitions"]:
        assert definition["kind"] == "indicator"
        assert definition["field"] == "kesehatan"
    routes = run_json(capsys, "catalog", "--format", "json", "--kind", "routing_rule")
    assert {d["kind"] for d in routes["definitions"]} == {"routing_rule"}


def test_catalog_field_filter_follows_references(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    # Routing rules carry no field of their own: the field is their need type's.
    data = run_json(
        capsys, "catalog", "--format", "json", "--kind", "routing_rule", "--field", "pupr"
    )
    expected = {
        r.code for r in catalog.routing_rules if catalog.need_type(r.need_type).field == "pupr"
    }
    assert {d["code"] for d in data["definitions"]} == expected
    assert expected


def test_catalog_table_shows_every_code_and_flags_unconfirmed(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    status, out, err = run(capsys, "--lang", "en", "catalog")
    assert status == 0
    rows = [line.split("\t") for line in out.splitlines()[2:]]
    assert {(row[0], row[1]) for row in rows} == {(d.kind, d.code) for d in catalog}
    flagged = {row[1] for row in rows if row[-1] == "!"}
    assert flagged == {d.code for d in catalog if not d.confirmed}
    assert f"{len(catalog)} definition(s)." in err
    status, wide, _ = run(capsys, "--lang", "en", "catalog", "--wide")
    assert "provenance" in wide
    assert "legal basis" in wide
    if any(not d.confirmed for d in catalog):
        assert "(UNCONFIRMED)" in wide
        status, out_id, _ = run(capsys, "catalog", "--wide")
        assert "(BELUM TERKONFIRMASI)" in out_id
        assert "dasar hukum" in out_id


def test_catalog_with_no_match_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "--allow", "sosial", "--lang", "en", "catalog", "--field", "pupr"
    )
    assert status == 0
    assert out == ""
    assert "No definition matches." in err


def test_no_color_removes_colour(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    if all(d.confirmed for d in catalog):
        pytest.skip("no unconfirmed definition is shown in colour")
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then draws tables, as on a terminal
    _, coloured, _ = run(capsys, "catalog")
    assert "\x1b[33m" in coloured  # unconfirmed rows are yellow
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run(capsys, "catalog")
    assert "\x1b[33m" not in plain


# ------------------------------------------------------------------------------ schema


def test_schema_list_names_every_boundary_model(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    status, out, _ = run(capsys, "schema", "--list")
    assert status == 0
    names = out.split()
    assert {"resident", "household", "membership", "record", "posyandu"} <= set(names)
    for record_type in catalog.record_types:
        assert f"record:{record_type.code}" in names


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str], catalog: Catalog) -> None:
    resident = run_json(capsys, "schema", "resident")
    assert resident["type"] == "object"
    assert resident["properties"]
    code = catalog.record_types[0].code
    record = run_json(capsys, "schema", f"record:{code}")
    assert record["type"] == "object"


def test_unknown_schema_is_an_error_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err_id = run(capsys, "schema", "tidak-ada")
    assert status == cli_common.EXIT_DATA
    assert out == ""
    _, _, err_en = run(capsys, "--lang", "en", "schema", "tidak-ada")
    [line_id] = err_id.strip().splitlines()
    [line_en] = err_en.strip().splitlines()
    assert line_id.startswith("[invalid-value] Nilai 'tidak-ada' tidak valid")
    assert line_en.startswith("[invalid-value] Value 'tidak-ada' is not valid")
    assert "Traceback" not in err_id + err_en


def test_error_language_follows_lang(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err_id = run(capsys, "--allow", "nope", "plugins")
    assert status == cli_common.EXIT_PLUGIN
    _, _, err_en = run(capsys, "--lang", "en", "--allow", "nope", "plugins")
    [first_id] = err_id.strip().splitlines()
    [first_en] = err_en.strip().splitlines()
    assert first_en.startswith("[plugin-load-error] ")
    assert "could not be loaded" in first_en
    assert "tidak dapat dimuat" in first_id


def test_schema_without_a_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--lang", "en", "schema")
    assert status == 2
    assert "usage error" in err
    assert "--list" in err


# ------------------------------------------------------------------------------ errors


def test_input_error_lists_every_issue(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    issues = [
        Issue("invalid-nik", "nik", "123", "NIK harus 16 digit.", "A NIK has 16 digits.", row=2),
        Issue("required", "name", None, "Nama wajib diisi.", "The name is required.", row=5),
    ]

    def fail(_args: object) -> int:
        raise InputError(issues)

    monkeypatch.setattr(cli.plugins, "_cmd_plugins", fail)
    status, _, err = run(capsys, "--lang", "en", "plugins")
    assert status == cli_common.EXIT_DATA
    lines = err.strip().splitlines()
    assert lines[0].startswith("[input-error] Invalid input (2 problems)")
    assert "  - row 2, field 'nik' = '123': A NIK has 16 digits." in lines
    assert "  - row 5, field 'name' = None: The name is required." in lines
    assert len(lines) == 3
    _, _, err_id = run(capsys, "plugins")
    lines = err_id.strip().splitlines()
    assert lines[0].startswith("[input-error] Masukan tidak valid (2 masalah)")
    assert "  - baris 2, kolom 'nik' = '123': NIK harus 16 digit." in lines


def test_expected_errors_never_show_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_args: object) -> int:
        raise PluginLoadError(plugin="x", reason_id="rusak", reason_en="broken")

    monkeypatch.setattr(cli.catalog, "_cmd_catalog", fail)
    status, _, err = run(capsys, "catalog")
    assert status == cli_common.EXIT_PLUGIN
    assert "Traceback" not in err
    assert err == "[plugin-load-error] Plugin 'x' tidak dapat dimuat: rusak.\n"


def test_usage_errors_exit_2_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "nonsense")
    assert status == cli_common.EXIT_USAGE == 2
    assert "spm: kesalahan penggunaan: argumen COMMAND: pilihan tidak valid: 'nonsense'" in err
    assert "usage error" not in err
    status, _, err = run(capsys, "--lang", "en", "catalgo")
    assert status == 2
    assert "spm: usage error: argument COMMAND: invalid choice: 'catalgo'" in err
    assert "did you mean 'catalog'?" in err
    status, _, err = run(capsys, "--lang", "xx", "plugins")
    assert status == 2


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "penggunaan: spm" in out
    assert "init" in out
    status, out, _ = run(capsys, "--lang", "en", "--help")
    assert "usage: spm" in out
    assert "list the loaded plugins" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.startswith("spm-core ")


# ------------------------------------------------------------------------------ init


def test_init_creates_the_sqlite_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "baru" / "spm.db"
    path.parent.mkdir()
    status, out, err = run(capsys, "--lang", "en", "--db", f"sqlite:///{path}", "init")
    assert status == 0, err
    assert path.is_file()
    assert path.stat().st_size > 0
    assert "Database ready:" in out
    assert str(path) in out.replace("\n", "")
    assert "Schema revision:" in out
    # Running it again upgrades nothing and succeeds.
    status, again, _ = run(capsys, "--lang", "en", "--db", f"sqlite:///{path}", "init")
    assert status == 0
    assert again == out


def test_init_reads_the_database_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("SPM_DATABASE_URL", f"sqlite:///{path}")
    status, out, err = run(capsys, "init")
    assert status == 0, err
    assert path.is_file()
    assert "Basis data siap:" in out
    assert "Revisi skema:" in out


def test_init_on_an_unreachable_database_is_a_bilingual_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-dir" / "spm.db"
    status, _, err = run(capsys, "--lang", "en", "--db", f"sqlite:///{missing}", "init")
    assert status == cli_common.EXIT_ENVIRONMENT
    [line] = err.strip().splitlines()
    assert line.startswith("[store-error] Storage error: the database")
    assert "Traceback" not in err
    assert not missing.exists()
    status, _, err = run(capsys, "init", "--db", f"sqlite:///{missing}")
    assert status == cli_common.EXIT_ENVIRONMENT
    assert err.startswith("[store-error] Kesalahan penyimpanan: basis data")
    status, _, err = run(capsys, "--db", "not a url", "init")
    assert status == cli_common.EXIT_ENVIRONMENT
    assert err.startswith("[store-error] ")


def test_init_never_prints_a_password(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://spm:rahasia@127.0.0.1:1/spm"  # nothing listens on port 1
    status, _, err = run(capsys, "--db", url, "init")
    assert status == cli_common.EXIT_ENVIRONMENT
    assert "rahasia" not in err
    assert "***" in err


# ------------------------------------------------------------------------------ process


def _spm_script() -> str:
    script = Path(sys.executable).with_name("spm")
    found = str(script) if script.is_file() else shutil.which("spm")
    if found is None:
        pytest.fail("the spm console script is not installed (pip install -e .)")
    return found


def test_installed_console_script(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SPM_PLUGINS", "NO_COLOR"}}
    result = subprocess.run(
        [_spm_script(), "--lang", "en", "plugins", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {p["name"] for p in json.loads(result.stdout)} >= FIELD_PLUGINS

    failed = subprocess.run(
        [_spm_script(), "--lang", "en", "schema", "tidak-ada"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert failed.returncode == cli_common.EXIT_DATA
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("[invalid-value] Value 'tidak-ada' is not valid")


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spm_core", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("spm-core ")


def test_default_database_is_the_store_default() -> None:
    from spm_core.store import DEFAULT_URL

    assert cli.DEFAULT_DB_URL == DEFAULT_URL

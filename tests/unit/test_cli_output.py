"""``spm`` output: 80-column tables, plain rows in a pipe, one definition in full, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spm_core import cli
from spm_core.catalog import Catalog
from spm_core.cli import _common as cli_common
from spm_core.cli._app import exit_status
from spm_core.errors import (
    AccessDenied,
    ConcurrentUpdate,
    InputError,
    InvalidNik,
    Issue,
    MigrationError,
    NotFound,
    PluginSpecError,
    SpmError,
    StoreError,
    UnknownCode,
    UnresolvedReference,
    all_error_classes,
)
from spm_core.plugins import make_plugin_manager
from spm_core.testing.kit import inline_plugin
from spm_core.testing.region import RegionUnderTest

FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BOX = set("│┃┏┓┗┛┡┩└┘┌┐├┤┼━═║╭╮╰╯")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SPM_DATABASE_URL", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    # Only the six field plugins, whatever else is installed in the environment.
    monkeypatch.setenv("SPM_PLUGINS", ",".join(FIELD_PLUGINS))


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rich treat standard output as an 80-column terminal without colour."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, ANSI.sub("", out), err


# ------------------------------------------------------------------------------ 80 columns


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "argv", [["--help"], ["catalog"], ["plugins"], ["catalog", "--wide"], ["plugins", "--wide"]]
)
def test_every_line_fits_80_columns(
    capsys: pytest.CaptureFixture[str], terminal: None, lang: str, argv: list[str]
) -> None:
    status, out, _ = run(capsys, "--lang", lang, *argv)
    assert status == 0
    assert out.strip()
    long = [line for line in out.splitlines() if len(line.rstrip()) > 80]
    assert not long, long[:3]


def test_catalog_at_80_columns_shows_every_code_whole(
    capsys: pytest.CaptureFixture[str], terminal: None, catalog: Catalog
) -> None:
    _, out, _ = run(capsys, "catalog")
    first_cells = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {d.code for d in catalog} <= first_cells
    # A kind is a table title, not a column cut to "jen…".
    assert "jenis pelayanan dasar (" in out
    assert "…" in out  # long titles are shortened, visibly


def test_plugins_at_80_columns_keep_names_and_levels(
    capsys: pytest.CaptureFixture[str], terminal: None
) -> None:
    _, out, _ = run(capsys, "--lang", "en", "plugins")
    rows = [line.split() for line in out.splitlines()]
    names = {row[0] for row in rows if row}
    assert set(FIELD_PLUGINS) <= names
    assert "National" in out
    assert "spm_plugin_info" not in out  # hooks only with --wide
    _, wide, _ = run(capsys, "--lang", "en", "plugins", "--wide")
    assert "spm_plugin_info" in wide.replace("\n", " ")
    assert "spm-core" in wide


def test_help_lists_init_first_and_states_the_default_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "--lang", "en", "--help")
    commands = out.split("commands:", 1)[1]
    listed = [line.split()[0] for line in commands.splitlines()[2:] if line.strip()]
    assert listed[0] == "init"
    assert set(listed) >= {"init", "plugins", "catalog", "schema"}
    assert "output language: id or en (default: id)" in out
    assert "--db" not in out


@pytest.mark.parametrize("command", ["plugins", "catalog", "schema"])
def test_db_is_offered_only_by_commands_that_open_a_database(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    _, out, _ = run(capsys, "--lang", "en", command, "--help")
    assert "--db" not in out
    status, _, err = run(capsys, "--lang", "en", command, "--db", "sqlite:///x.db")
    assert status == cli_common.EXIT_USAGE
    assert "unrecognized arguments: --db" in err
    extra = ["--list"] if command == "schema" else []
    status, _, err = run(capsys, "--lang", "en", "--db", "sqlite:///x.db", command, *extra)
    assert status == cli_common.EXIT_USAGE
    assert f"the {command} command opens no database" in err


def test_init_offers_db(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--lang", "en", "init", "--help")
    assert "--db URL" in out
    assert "database options" in out


# ------------------------------------------------------------------------------ pipes


def test_piped_catalog_is_plain_tab_separated_rows(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    status, out, err = run(capsys, "--lang", "en", "catalog", "--wide")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "# Catalog"
    assert lines[1].split("\t") == [
        "kind", "code", "title", "field", "provenance", "legal basis", "!"
    ]  # fmt: skip
    assert not BOX & set(out)
    rows = [line.split("\t") for line in lines[2:]]
    assert len(rows) == len(catalog)
    assert all(len(row) == 7 for row in rows)
    by_code = {(row[0], row[1]): row for row in rows}
    balita = by_code[("indicator", "kesehatan.balita")]
    assert balita[2] == catalog.indicator("kesehatan.balita").title.en  # never shortened
    assert f"{len(catalog)} definition(s)." in err  # counts go to standard error


def test_piped_plugins_are_plain_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--lang", "en", "plugins", "--wide")
    rows = [line.split("\t") for line in out.splitlines()[2:]]
    assert [row[0] for row in rows] == sorted(FIELD_PLUGINS)
    assert all(len(row) == 7 for row in rows)
    assert all("spm_plugin_info" in row[6] for row in rows)


def test_broken_pipe_exits_quietly() -> None:
    env = {**os.environ, "SPM_PLUGINS": ",".join(FIELD_PLUGINS)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "spm_core", "catalog", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader goes away, as `| true` does
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == cli_common.EXIT_BROKEN_PIPE == 141
    assert err == ""


def test_broken_pipe_through_a_shell_pipeline() -> None:
    spm = Path(sys.executable).with_name("spm")
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"'{spm}' catalog --format json | true"],
        capture_output=True,
        text=True,
        env={**os.environ, "SPM_PLUGINS": ",".join(FIELD_PLUGINS)},
        timeout=120,
        check=False,
    )
    assert result.stderr == ""
    assert result.returncode in (0, 141)  # 0 when all output fit in the pipe first


# ------------------------------------------------------------------------------ catalog


@pytest.mark.parametrize("spelling", ["routing-rule", "routing_rule", "Routing-Rule"])
def test_kind_accepts_hyphens_and_underscores(
    capsys: pytest.CaptureFixture[str], spelling: str, catalog: Catalog
) -> None:
    status, out, _ = run(capsys, "catalog", "--format", "json", "--kind", spelling)
    assert status == 0
    codes = {d["code"] for d in json.loads(out)["definitions"]}
    assert codes == {r.code for r in catalog.routing_rules}


def test_unknown_kind_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--lang", "en", "catalog", "--kind", "indicatr")
    assert status == cli_common.EXIT_USAGE
    assert "invalid choice: 'indicatr'" in err
    assert "did you mean 'indicator'?" in err


def test_one_definition_in_full(capsys: pytest.CaptureFixture[str], catalog: Catalog) -> None:
    rule = catalog.routing_rules[0]
    status, out, _ = run(capsys, "--lang", "en", "catalog", rule.code)
    assert status == 0
    attributes = dict(line.split("\t", 1) for line in out.splitlines()[2:])
    assert attributes["code"] == rule.code
    assert attributes["kind"] == "routing rule"
    assert attributes["title"] == rule.title.en
    assert attributes["need type"] == rule.need_type
    assert attributes["roles"] == " ".join(rule.roles)
    assert attributes["priority"] == str(rule.priority)
    status, out, _ = run(capsys, "catalog", rule.code, "--format", "json")
    [data] = json.loads(out)
    assert data["need_type"] == rule.need_type


def test_one_code_of_several_kinds_shows_each(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    status, out, _ = run(capsys, "catalog", "kesehatan.balita", "--format", "json")
    assert status == 0
    kinds = {d["kind"] for d in json.loads(out)}
    assert kinds == {d.kind for d in catalog if d.code == "kesehatan.balita"}
    assert len(kinds) > 1
    _, narrowed, _ = run(
        capsys, "catalog", "kesehatan.balita", "--kind", "indicator", "--format", "json"
    )
    # One entry per dated version: Permenkes 4/2019 and Permenkes 6/2024.
    assert [d["kind"] for d in json.loads(narrowed)] == ["indicator", "indicator"]


def test_unknown_code_suggests_and_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--lang", "en", "catalog", "kesehatan.balit")
    assert status == cli_common.EXIT_DATA == 3
    assert out == ""
    assert err.startswith("[unknown-code] There is no definition with code 'kesehatan.balit'")
    assert "Did you mean 'kesehatan.balita'" in err
    _, _, err_id = run(capsys, "catalog", "kesehatan.balit")
    assert err_id.startswith("[unknown-code] Tidak ada definisi dengan kode 'kesehatan.balit'")
    assert "Mungkin maksudnya 'kesehatan.balita'" in err_id


@pytest.fixture
def with_kota_bekasi(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Kota Bekasi plugin, and a local deadline for unfit houses beside it."""
    region = RegionUnderTest.from_project(EXAMPLES.parents[1] / "regions" / "kota-bekasi").plugin
    deadline = inline_plugin(
        name="kota-bekasi-tenggat", region="32.75", adjust=lambda a: a.set_sla("perkim.rtlh", 60)
    )

    def manager(_args: object) -> Any:
        return make_plugin_manager(
            allow=FIELD_PLUGINS, extra={"kota-bekasi": region, "tenggat": deadline}
        )

    monkeypatch.setattr(cli.catalog, "plugin_manager", manager)


def test_adjustments_follow_kind_and_field(
    capsys: pytest.CaptureFixture[str], with_kota_bekasi: None
) -> None:
    _, out, _ = run(capsys, "--lang", "en", "catalog")
    assert "# Adjustments by region plugins" in out
    adjusted = out.split("# Adjustments by region plugins", 1)[1]
    assert "perkim.rtlh" in adjusted
    for argv in (["--kind", "indicator"], ["--field", "kesehatan"]):
        _, out, _ = run(capsys, "--lang", "en", "catalog", *argv)
        assert "Adjustments by region plugins" not in out, argv
        data = json.loads(run(capsys, "catalog", "--format", "json", *argv)[1])
        assert data["adjustments"] == []
    _, out, _ = run(capsys, "--lang", "en", "catalog", "--kind", "need-type", "--field", "perkim")
    assert "perkim.rtlh" in out.split("# Adjustments by region plugins", 1)[1]


# ------------------------------------------------------------------------------ exit codes

STATUS_OF = [
    (InputError([Issue("x", "f", "v", "pesan", "message")]), 3),
    (InvalidNik(value="1", reason_id="a", reason_en="b"), 3),
    (UnknownCode(kind="indicator", value="x"), 3),
    (NotFound(entity="resident", value="r"), 3),
    (ConcurrentUpdate(entity="resident", value="r"), 3),
    (PluginSpecError(plugin="p", value="h", reason_id="a", reason_en="b"), 4),
    (UnresolvedReference(kind="k", owner="o", plugin="p", target_kind="t", value="v"), 4),
    (StoreError(reason_id="a", reason_en="b"), 5),
    (MigrationError(value="0001", reason_id="a", reason_en="b"), 5),
    (AccessDenied(role="r", action="a"), 6),
    (SpmError(), 1),
]


@pytest.mark.parametrize(("error", "status"), STATUS_OF, ids=lambda v: getattr(v, "code", v))
def test_each_kind_of_error_has_its_exit_status(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: SpmError,
    status: int,
) -> None:
    def fail(_args: object) -> int:
        raise error

    monkeypatch.setattr(cli.plugins, "_cmd_plugins", fail)
    got, out, err = run(capsys, "plugins")
    assert got == status
    assert out == ""
    assert err.startswith(f"[{error.code}] ")


def test_every_error_class_maps_to_a_documented_status() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    table = page.split("## Exit status", 1)[1]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    for cls in all_error_classes():
        if cls.__module__.startswith("spm_core"):
            assert exit_status(cls.__new__(cls)) in documented, cls
    assert {0, 2, 141} <= documented


def test_one_code_finds_a_region_definition(
    capsys: pytest.CaptureFixture[str], with_kota_bekasi: None
) -> None:
    status, out, _ = run(capsys, "--lang", "en", "catalog", "kota-bekasi.dinsos")
    assert status == 0
    attributes = dict(line.split("\t", 1) for line in out.splitlines()[2:])
    assert attributes["provenance"] == "kota-bekasi (Regency/City)"
    assert attributes["area"] == "32.75"


def test_adjustments_fit_80_columns_with_codes_whole(
    capsys: pytest.CaptureFixture[str], terminal: None, with_kota_bekasi: None
) -> None:
    _, out, _ = run(capsys, "--lang", "en", "catalog")
    assert not [line for line in out.splitlines() if len(line.rstrip()) > 80]
    adjusted = out.split("Adjustments by region plugins", 1)[1]
    assert "perkim.rumah-rusak-bencana.default " in adjusted
    assert "kota-bekasi: retarget (routing rule)" in adjusted


def test_a_drawn_table_prints_square_brackets_in_data_as_written(
    terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from spm_core.cli._output import Column, Output

    Output().table("t", [Column("name")], [["[bold]Mawar[/bold] [l 0-4]"]])
    printed = ANSI.sub("", capsys.readouterr().out)
    assert "[bold]Mawar[/bold] [l 0-4]" in printed


def test_one_input_problem_is_printed_once(capsys: pytest.CaptureFixture[str]) -> None:
    from spm_core.cli._app import _report_error

    _report_error(
        InputError([Issue("required", "name", None, "Nama wajib.", "Name needed.")]), "en"
    )
    printed = capsys.readouterr().err.splitlines()
    assert len(printed) == 1
    assert printed[0].startswith("[input-error] Invalid input (1 problem): ")

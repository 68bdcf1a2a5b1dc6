"""The import contracts in ``.importlinter`` cover every module and every plugin package.

``lint-imports`` (run in CI) checks the contracts; these tests check that the contracts
keep up with the tree: a new top-level module must take its place in the layers, and a
new plugin package must be a root package whose imports are checked.
"""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "src" / "spm_core"

# Modules outside the layer order on purpose: the package itself, its ``-m`` entry point,
# the plugin-facing surface and the test kit (each has its own contract).
OUTSIDE_LAYERS = {"__init__", "__main__", "plugin_api", "testing"}


def _config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    assert parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _top_level_modules() -> set[str]:
    names = {p.stem for p in CORE.glob("*.py")}
    names |= {p.name for p in CORE.iterdir() if (p / "__init__.py").is_file()}
    return names - OUTSIDE_LAYERS


def _plugin_packages() -> set[str]:
    return {p.parent.name for p in (ROOT / "plugins").glob("*/spm_*/__init__.py")}


def _region_packages() -> set[str]:
    return {p.parent.name for p in (ROOT / "regions").glob("*/spm_*/__init__.py")}


def _layer_modules() -> list[str]:
    layers = _lines(_config()["importlinter:contract:layers"]["layers"])
    modules = []
    for layer in layers:
        for part in layer.replace(":", "|").split("|"):
            modules.append(part.strip().strip("()"))
    return modules


def test_every_top_level_module_has_a_layer() -> None:
    declared = {m.removeprefix("spm_core.") for m in _layer_modules()}
    missing = _top_level_modules() - declared
    assert not missing, f"add these to the layers contract in .importlinter: {sorted(missing)}"


def test_layers_follow_the_architecture_order() -> None:
    required = [
        "spm_core.cli",
        "spm_core.api",
        "spm_core.store",
        "spm_core.schemas",
        "spm_core.access",
        "spm_core.catalog",
        "spm_core.routing",
        "spm_core.plugins",
        "spm_core.hookspecs",
        "spm_core.definitions",
        "spm_core.domain",
        "spm_core.errors",
    ]
    declared = _layer_modules()
    positions = [declared.index(module) for module in required]
    assert positions == sorted(positions)


def test_every_plugin_package_is_a_root_package() -> None:
    roots = set(_lines(_config()["importlinter"]["root_packages"]))
    assert "spm_core" in roots
    assert _plugin_packages() <= roots
    assert len(_plugin_packages()) >= 6


def test_plugin_contracts_name_every_plugin_package() -> None:
    config = _config()
    protected = _lines(
        config["importlinter:contract:plugin-api-for-plugins-only"]["allowed_importers"]
    )
    ignored = config["importlinter:contract:plugins-through-plugin-api"]["ignore_imports"]
    forbidden = _lines(
        config["importlinter:contract:core-never-imports-plugins"]["forbidden_modules"]
    )
    for package in _plugin_packages():
        assert package in protected
        assert f"{package}.** -> spm_core.plugin_api" in ignored
        assert package in forbidden


def test_region_contracts_name_every_region_package() -> None:
    parser = configparser.ConfigParser()
    assert parser.read(ROOT / "regions" / ".importlinter", encoding="utf-8")
    assert set(_lines(parser["importlinter"]["root_packages"])) == {"spm_core"} | (
        _region_packages()
    )
    ignored = parser["importlinter:contract:regions-through-plugin-api"]["ignore_imports"]
    forbidden = _lines(
        parser["importlinter:contract:core-never-imports-regions"]["forbidden_modules"]
    )
    assert len(_region_packages()) >= 2
    for package in _region_packages():
        assert f"{package}.** -> spm_core.plugin_api" in ignored
        assert package in forbidden

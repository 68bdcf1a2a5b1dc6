"""The documentation keeps up with the code: every hook, every error code, every example.

In the manner of datasette's documentation tests: a hook without a documented section,
an error code missing from the errors page, or an example that no longer runs fails the
suite, not only the documentation build.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from spm_core import hookspecs
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah
from spm_core.errors import all_error_classes
from spm_core.plugin_api import PluginLevel
from spm_core.plugins import make_plugin_manager
from spm_core.routing import RouteContext, route

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hook_names() -> list[str]:
    return [
        name
        for name, obj in vars(hookspecs).items()
        if callable(obj) and hasattr(obj, f"{hookspecs.PROJECT_NAME}_spec")
    ]


# ------------------------------------------------------------------------------ hooks


def test_there_are_hooks() -> None:
    assert "spm_plugin_info" in _hook_names()
    assert "spm_adjust_catalog" in _hook_names()


@pytest.mark.parametrize("hook", _hook_names())
def test_every_hook_has_a_docstring(hook: str) -> None:
    doc = (getattr(hookspecs, hook).__doc__ or "").strip()
    assert doc, f"{hook} has no docstring"
    assert not doc.split("\n", 1)[0].startswith(("Returns", "This ")), "start with a verb"


@pytest.mark.parametrize("hook", _hook_names())
def test_every_hook_has_a_section_in_the_hook_reference(hook: str) -> None:
    page = (DOCS / "plugins" / "hooks.md").read_text(encoding="utf-8")
    assert f"## `{hook}` {{#{hook}}}" in page
    assert f"::: spm_core.hookspecs.{hook}\n" in page
    assert f':{hook}"' in page, f"{hook} has no example on the page"


def test_hook_reference_documents_no_removed_hook() -> None:
    page = (DOCS / "plugins" / "hooks.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: spm_core\.hookspecs\.(\w+)$", page, re.MULTILINE))
    assert documented == set(_hook_names())


# ------------------------------------------------------------------------------ errors


@pytest.fixture(scope="module")
def errors_page() -> str:
    hook = _load(DOCS / "hooks" / "errors_page.py", "spm_docs_errors_page")
    page = (DOCS / hook.ERRORS_PAGE).read_text(encoding="utf-8")
    assert hook.MARKER in page

    class _File:
        src_uri = hook.ERRORS_PAGE

    class _Page:
        file = _File()

    rendered: str = hook.on_page_markdown(page, page=_Page(), config=None, files=None)
    return rendered


def library_errors() -> list[type]:
    return [cls for cls in all_error_classes() if cls.__module__.startswith("spm_core")]


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_every_error_code_is_an_anchor_on_the_errors_page(cls: type, errors_page: str) -> None:
    assert f"## `{cls.code}` {{#{cls.code}}}" in errors_page
    assert cls.template_id.replace("|", "\\|") in errors_page
    assert cls.template_en.replace("|", "\\|") in errors_page


def test_errors_page_lists_no_unknown_code(errors_page: str) -> None:
    anchors = set(re.findall(r"^## `([a-z-]+)` \{#", errors_page, re.MULTILINE))
    assert anchors == {cls.code for cls in library_errors()}


def test_doc_links_to_error_anchors_exist(errors_page: str) -> None:
    codes = {cls.code for cls in library_errors()}
    for page in DOCS.rglob("*.md"):
        for code in re.findall(r"errors\.md#([a-z-]+)", page.read_text(encoding="utf-8")):
            assert code in codes, f"{page.relative_to(ROOT)} links to unknown error {code}"


# ------------------------------------------------------------------------------ pages


def _nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in _nav_files(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in _nav_files(value)]
    return []


def _mkdocs_config() -> dict[str, object]:
    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !ENV and similar tags; they do not matter here.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        data = yaml.load(f, Loader=_Loader)
    assert isinstance(data, dict)
    return data


def test_every_page_is_in_the_navigation_and_exists() -> None:
    nav = set(_nav_files(_mkdocs_config()["nav"]))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert nav == pages


def test_reference_pages_cover_the_library_modules() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (DOCS / "reference").glob("*.md"))
    for module in (
        "errors",
        "domain",
        "definitions",
        "plugins",
        "catalog",
        "routing",
        "schemas",
        "access",
        "store",
        "audit",
        "api",
    ):
        assert f"::: spm_core.{module}\n" in text, module


def test_concepts_glossary_is_bilingual() -> None:
    page = (DOCS / "concepts.md").read_text(encoding="utf-8")
    glossary = page.split("## Glossary", 1)[1]
    assert "| Bahasa Indonesia | English |" in glossary
    for term in ("posyandu", "kader", "sasaran", "mutu", "Kartu Keluarga", "rujukan"):
        assert term in glossary


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)


def test_concepts_examples_run() -> None:
    blocks = [b for b in _python_blocks(DOCS / "concepts.md") if ">>>" in b]
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, object] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"concepts[{i}]", "concepts.md", 0)
        runner.run(test)
    assert runner.failures == 0
    assert runner.tries > 0


# ------------------------------------------------------------------------------ examples


def test_miniature_field_plugin_contributes_every_kind_but_agency() -> None:
    plugin = _load(EXAMPLES / "field_plugin.py", "field_plugin")
    catalog = Catalog.build(make_plugin_manager(entry_points=False, extra=[plugin]))
    kinds = {d.kind for d in catalog}
    assert kinds == {
        "field",
        "service_type",
        "record_type",
        "indicator",
        "need_type",
        "agency_role",
        "routing_rule",
        "validator",
    }
    assert {d.provenance.plugin for d in catalog if d.provenance} == {"mini-sosial"}
    check = catalog.validators_for("mini.disabilitas")[0].check
    value = {"ragam": "fisik", "telantar": True, "butuh_alat_bantu_dengar": True}
    assert [n.code for n in check(value)] == ["hearing-aid-without-sensory"]
    assert not list(check({**value, "ragam": "sensorik"}))


def test_region_plugin_example_builds_with_the_field_plugins() -> None:
    plugin = _load(EXAMPLES / "kota_bekasi.py", "kota_bekasi")
    catalog = Catalog.build(make_plugin_manager(extra=[plugin]))
    view = catalog.for_region("32.75", on=date(2025, 6, 30))
    agencies = [a for a in view.agencies if a.provenance and a.provenance.plugin == "kota-bekasi"]
    assert agencies
    assert all(a.provenance and a.provenance.level is PluginLevel.REGION for a in agencies)
    assert catalog.agencies == ()  # the national view has no agency of any region
    # Every agency role of the field plugins is filled in the region.
    filled = {role for agency in agencies for role in agency.roles}
    assert filled == {role.code for role in view.agency_roles}
    assert view.routing_rule("kota-bekasi.rtlh").roles == ("dinas-perkim",)
    assert view.need_type("perkim.rtlh").sla_days == 60
    assert catalog.need_type("perkim.rtlh").sla_days is None
    assert {a.action for a in catalog.adjustments} == {"set_sla"}
    flood = route(
        view,
        "perkim.rumah-rusak-bencana",
        KodeWilayah.parse("32.75.01.1001"),
        RouteContext(date(2025, 6, 30)),
    )
    assert flood.agency_codes == ("kota-bekasi.disperkimtan", "kota-bekasi.bpbd")


def test_region_plugin_example_tests_pass() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(EXAMPLES),
            str(EXAMPLES / "test_kota_bekasi.py"),
        ],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_getting_started_example_runs(tmp_path: Path) -> None:
    example = _load(EXAMPLES / "quickstart.py", "quickstart")
    url = f"sqlite:///{tmp_path / 'quickstart.db'}"
    example.main(url)
    assert (tmp_path / "quickstart.db").is_file()


# ------------------------------------------------------------------------------ README


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|console|bash)\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_is_two_one_line_commands() -> None:
    first, second = _quick_start_commands()
    assert first.startswith("python3 -m venv .venv && ")
    assert "spm init" in first
    assert "spm catalog" in first
    assert second.endswith("pytest")


def test_ci_runs_the_readme_commands() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assignments = dict(re.findall(r'^([A-Z_]+)="(.*)"$', script, re.MULTILINE))
    assert _quick_start_commands() == [assignments["QUICK_START_RUN"], assignments["TEST_COMMAND"]]
    assert 'bash -c "$TEST_COMMAND"' in script
    assert 'bash -c "$QUICK_START_RUN"' in script

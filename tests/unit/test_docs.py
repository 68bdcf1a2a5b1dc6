"""The documentation keeps up with the code: every hook, every error code, every example.

In the manner of datasette's documentation tests: a hook without a documented section,
an error code missing from the errors page, or an example that no longer runs fails the
suite, not only the documentation build.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from spm_core import hookspecs
from spm_core.catalog import Catalog
from spm_core.errors import all_error_classes
from spm_core.plugins import make_plugin_manager

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
        "joint_leave_day",
    }
    assert {d.provenance.plugin for d in catalog if d.provenance} == {"mini-sosial"}
    check = catalog.validators_for("mini.disabilitas")[0].check
    value = {"ragam": "fisik", "telantar": True, "butuh_alat_bantu_dengar": True}
    assert [n.code for n in check(value)] == ["hearing-aid-without-sensory"]
    assert not list(check({**value, "ragam": "sensorik"}))


def test_getting_started_example_runs_and_runs_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _load(EXAMPLES / "quickstart.py", "quickstart")
    url = f"sqlite:///{tmp_path / 'quickstart.db'}"
    example.main(url)
    first = capsys.readouterr().out.splitlines()
    assert first[0] == "saved kesehatan.penimbangan for Rina on 2025-03-10"
    assert "Head of household - Siti Aminah 1990-07-05" in first
    # A second run on the database the first one made (the quick start's spm.db) finds
    # what is there and reads it back: no duplicate NIK, no second weighing.
    example.main(url)
    second = capsys.readouterr().out.splitlines()
    assert second[0] == "found Posyandu Mawar from an earlier run; reading it back"
    assert second[1:] == first[1:]


# ------------------------------------------------------------------------------ README


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|console|bash)\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_is_two_one_line_commands() -> None:
    first, second = _quick_start_commands()
    assert first.startswith("python3 -m venv .venv && ")
    assert first.endswith(".venv/bin/spm demo")  # the demo is the first thing one sees
    assert second.endswith("pytest")


def test_ci_runs_the_readme_commands() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assignments = dict(re.findall(r'^([A-Z_]+)="(.*)"$', script, re.MULTILINE))
    assert _quick_start_commands() == [assignments["QUICK_START_RUN"], assignments["TEST_COMMAND"]]
    assert 'bash -c "$TEST_COMMAND"' in script
    assert 'bash -c "$QUICK_START_RUN"' in script


# ------------------------------------------------------------------------------ catalog


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catalog_pages_list_every_definition_in_their_language(
    spm_catalog: Catalog, lang: str
) -> None:
    """The generated catalogue names every service, indicator, need type and role, with
    the formula in words and the unconfirmed facts flagged, in the page's language."""
    hook = _load(DOCS / "hooks" / "catalog_pages.py", "spm_docs_catalog_pages")
    uri = next(u for u, language in hook.PAGES.items() if language == lang)
    page = (DOCS / uri).read_text(encoding="utf-8")
    assert hook.MARKER in page

    class _File:
        src_uri = uri

    class _Page:
        file = _File()

    rendered: str = hook.on_page_markdown(page, page=_Page(), config=None, files=None)
    for definition in (
        *spm_catalog.service_types,
        *spm_catalog.indicators,
        *spm_catalog.need_types,
        *spm_catalog.agency_roles,
    ):
        assert f"`{definition.code}`" in rendered, definition.code
    balita = spm_catalog.indicator("kesehatan.balita")
    formula = balita.numerator.describe()
    words = formula.id if lang == "id" else formula.en
    assert words.replace("_", "\\_").replace(">", "\\>") in rendered
    flag = "BELUM TERKONFIRMASI" if lang == "id" else "UNCONFIRMED"
    assert flag in rendered
    assert ("sejak 2024-01-01" if lang == "id" else "from 2024-01-01") in rendered

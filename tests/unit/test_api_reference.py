"""The API reference lists the public surface completely, and the internals not at all.

The site is built once for this module (``mkdocs build``, without ``--strict``: CI runs
the strict build separately). Every module the reference pages render with ``:::`` is
checked: each name in its ``__all__`` has an entry, and so has each public method,
property and attribute of each exported class — inherited ones included, as a reader
of ``Store`` or ``Agency`` expects. Nothing outside ``__all__`` (the tables' column
types, the migration scripts) has one.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"

# Members every pydantic model or enum has from its framework, not from this library.
FRAMEWORK = {"model_config"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the documentation site once for this module; return its directory."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def anchors(site: Path) -> set[str]:
    """Return the ids of every rendered API entry in the built site."""
    found: set[str] = set()
    for page in (site / "reference").rglob("index.html"):
        found |= set(re.findall(r'id="(spm_core[\w.]*)"', page.read_text(encoding="utf-8")))
    return found


def documented_modules() -> list[str]:
    """Return the modules the reference pages render with their members."""
    modules = []
    for page in sorted(REFERENCE.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for module in re.findall(r"^::: (spm_core[\w.]*)$", text, re.MULTILINE):
            block = text.split(f"::: {module}\n", 1)[1].split(":::", 1)[0]
            if "members: false" not in block:
                modules.append(module)
    return modules


def _defined_here(cls: type, name: str) -> bool:
    """Whether ``name`` comes from a class of this library (not object, Enum, BaseModel…)."""
    for base in cls.__mro__:
        if name in vars(base):
            return base.__module__.startswith("spm_core")
    return False


def public_members(cls: type) -> list[str]:
    """Return the public methods, properties and attributes of ``cls``."""
    names = set(dir(cls)) | set(getattr(cls, "__annotations__", {}))
    return sorted(
        name
        for name in names
        if not name.startswith("_") and name not in FRAMEWORK and _defined_here(cls, name)
    )


def expected_entries() -> list[str]:
    entries = []
    for module_name in documented_modules():
        module: ModuleType = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            entries.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                entries += [f"{module_name}.{name}.{m}" for m in public_members(obj)]
    return entries


def test_the_reference_renders_the_library_modules() -> None:
    modules = set(documented_modules())
    for name in ("store", "definitions", "domain", "api", "catalog", "errors", "schemas"):
        assert f"spm_core.{name}" in modules


def test_every_public_name_method_and_attribute_has_an_entry(anchors: set[str]) -> None:
    expected = expected_entries()
    assert len(expected) > 500
    missing = [entry for entry in expected if entry not in anchors]
    assert not missing, f"{len(missing)} public entries are not rendered: {missing[:20]}"


@pytest.mark.parametrize(
    "entry",
    [
        "spm_core.store.Store.add_resident",
        "spm_core.store.Store.list_residents",
        "spm_core.store.Store.find_resident_by_nik",
        "spm_core.store.Store.update_resident",
        "spm_core.store.Store.list_audit",
        "spm_core.definitions.Agency.roles",
        "spm_core.definitions.Agency.area",
        "spm_core.definitions.Agency.short_name",
        "spm_core.definitions.RoutingRule.priority",
        "spm_core.definitions.RoutingRule.when",
    ],
)
def test_the_entries_a_newcomer_looks_for(anchors: set[str], entry: str) -> None:
    assert entry in anchors


def test_internals_have_no_entry(anchors: set[str]) -> None:
    internal = [
        a
        for a in anchors
        if re.search(r"process_bind_param|migrations|\.tables\.|\._[a-z]|\.base\.", a)
    ]
    assert not internal, internal[:20]
    assert "spm_core.store.Store.engine" not in anchors


def test_each_definition_is_rendered_once(anchors: set[str]) -> None:
    # One entry per class: under the package that exports it, not again per submodule.
    assert "spm_core.definitions.Agency" in anchors
    assert not any(a.startswith("spm_core.definitions.agencies.") for a in anchors)
    assert not any(a.startswith("spm_core.domain.nik.") for a in anchors)


def test_cross_references_render_as_links(site: Path) -> None:
    page = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert 'href="../store/#spm_core.store.Store.add_record"' in page
    assert "&lt;spm_core." not in page  # no literal reStructuredText target left


def test_changelog_continuation_lines_stay_in_their_item(site: Path) -> None:
    # A wrapped line starting with "+ 40" became a bullet of its own.
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for line in changelog.splitlines():
        if line.startswith("  ") and not line.lstrip().startswith("- "):
            assert not re.match(r"\s+([+*]\s|\d+[.)]\s)", line), line
    page = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "<li>40;" not in page

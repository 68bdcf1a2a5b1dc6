"""A light pytest plugin for plugin authors, loaded through the ``pytest11`` entry point.

Fixtures:

* ``spm_plugins`` — the entry-point plugins the fixtures load: the ``spm_plugins`` ini
  option, or every installed plugin when it is not set. A test suite that must pass
  whatever else is installed names the plugins it builds on
  (``spm_plugins = ["kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"]``);
* ``spm_catalog_factory`` — build a validated :class:`~spm_core.catalog.Catalog` from the
  installed plugins plus any plugin objects a test passes in;
* ``spm_catalog`` — the catalog of the installed plugins alone;
* ``spm_db_url`` — the URL of an empty database: a SQLite file by default, or a fresh
  schema on the PostgreSQL server given with ``--spm-db URL`` (dropped afterwards);
* ``spm_store`` — a :class:`~spm_core.store.Store` on that database, at the current
  schema revision;
* ``spm_region`` — the region plugin under test (:class:`~spm_core.testing.region.RegionUnderTest`),
  found from the ``pyproject.toml`` above the test file; the compliance suite
  (:mod:`spm_core.testing.suite`) uses it.

A plugin object passed to the factory that is also installed — the plugin under test,
installed with ``pip install -e`` — is registered once, so the same test works whether
the plugin is installed or not.

Example (in a region plugin's tests)::

    def test_my_rule_routes(spm_catalog_factory):
        catalog = spm_catalog_factory(MyRegionPlugin())
        view = catalog.for_region("32.75")
        assert view.routing_rule("kota-bekasi.rumah-rusak-bencana").roles == (
            "dinas-perkim", "bpbd")
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import pytest

from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store, open_store
from spm_core.testing.database import temporary_database
from spm_core.testing.region import RegionUnderTest

__all__ = [
    "pytest_addoption",
    "spm_catalog",
    "spm_catalog_factory",
    "spm_db_url",
    "spm_plugins",
    "spm_region",
    "spm_store",
]

INI_OPTION = "spm_plugins"
"""The ini option naming the entry-point plugins the fixtures load."""

CatalogFactory = Callable[..., Catalog]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--spm-db URL`` and the ``spm_plugins`` ini option."""
    parser.addini(
        INI_OPTION,
        type="args",
        default=None,
        help="entry-point plugins the spm-core fixtures load (default: every installed one)",
    )
    parser.addoption(
        "--spm-db",
        default=None,
        metavar="URL",
        help="database for the spm_store fixture: a PostgreSQL URL (a fresh schema per "
        "test) or sqlite (a temporary file, the default)",
    )


@pytest.fixture
def spm_plugins(request: pytest.FixtureRequest) -> tuple[str, ...] | None:
    """Return the entry-point plugins the fixtures load, from ``spm_plugins`` (None: all)."""
    names = request.config.getini(INI_OPTION)
    return None if not names else tuple(names)


@pytest.fixture
def spm_catalog_factory(spm_plugins: tuple[str, ...] | None) -> CatalogFactory:
    """Return a function that builds a catalog from the installed plugins plus extras.

    Call it with plugin objects (modules, classes or instances with hook
    implementations); pass ``entry_points=False`` to leave the installed plugins out, or
    ``allow=[...]`` to load only those installed plugins (default: the ``spm_plugins``
    ini option, else all of them).
    """

    def build(
        *extra: object, entry_points: bool = True, allow: Collection[str] | None = None
    ) -> Catalog:
        chosen = spm_plugins if allow is None else tuple(allow)
        return Catalog.build(
            make_plugin_manager(entry_points=entry_points, allow=chosen, extra=extra)
        )

    return build


@pytest.fixture
def spm_catalog(spm_catalog_factory: CatalogFactory) -> Catalog:
    """Return the catalog of the installed plugins."""
    return spm_catalog_factory()


@pytest.fixture
def spm_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of an empty database (``--spm-db``, else a SQLite file)."""
    with temporary_database(request.config.getoption("--spm-db"), tmp_path) as url:
        yield url


@pytest.fixture
def spm_store(spm_db_url: str) -> Iterator[Store]:
    """Return a store on ``spm_db_url`` at the current schema revision."""
    store = open_store(spm_db_url)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def spm_region(request: pytest.FixtureRequest) -> RegionUnderTest:
    """Return the region plugin declared in the ``pyproject.toml`` above the test file."""
    return RegionUnderTest.from_test_file(Path(request.path))

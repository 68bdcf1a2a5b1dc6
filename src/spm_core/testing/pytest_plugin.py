"""A light pytest plugin for plugin authors, loaded through the ``pytest11`` entry point.

It adds two fixtures:

* ``spm_catalog_factory`` — build a validated :class:`~spm_core.catalog.Catalog` from the
  installed plugins plus any plugin objects a test passes in;
* ``spm_catalog`` — the catalog of the installed plugins alone.

and one ini option, ``spm_plugins``: the entry-point plugins the fixtures load (all
installed ones when it is not set). A test suite that must pass whatever else is
installed in its environment names the plugins it builds on::

    [tool.pytest.ini_options]
    spm_plugins = ["kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"]

A plugin object passed to the factory that is also installed — the plugin under test,
installed with ``pip install -e`` — is registered once, so the same test works whether
the plugin is installed or not.

Example (in a region plugin's tests)::

    def test_my_rule_routes(spm_catalog_factory):
        catalog = spm_catalog_factory(spm_kota_bekasi)
        view = catalog.for_region("32.75")
        assert view.routing_rule("kota-bekasi.rtlh").roles == ("dinas-perkim",)
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import pytest

from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager

__all__ = ["pytest_addoption", "spm_catalog", "spm_catalog_factory", "spm_plugins"]

CatalogFactory = Callable[..., Catalog]

INI_OPTION = "spm_plugins"
"""The ini option naming the entry-point plugins the fixtures load."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ``spm_plugins`` ini option."""
    parser.addini(
        INI_OPTION,
        type="args",
        default=None,
        help="entry-point plugins the spm-core fixtures load (default: every installed one)",
    )


@pytest.fixture
def spm_plugins(request: pytest.FixtureRequest) -> tuple[str, ...] | None:
    """Return the entry-point plugins the fixtures load, from ``spm_plugins`` (None: all)."""
    names = request.config.getini(INI_OPTION)
    return None if names is None or names == [] else tuple(names)


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

"""A light pytest plugin for plugin authors, loaded through the ``pytest11`` entry point.

It adds two fixtures:

* ``spm_catalog_factory`` — build a validated :class:`~spm_core.catalog.Catalog` from the
  installed plugins plus any plugin objects a test passes in;
* ``spm_catalog`` — the catalog of the installed plugins alone.

Example (in a region plugin's tests)::

    def test_my_rule_routes(spm_catalog_factory):
        catalog = spm_catalog_factory(MyRegionPlugin())
        view = catalog.for_region("32.75")
        assert view.routing_rule("kota-bekasi.rtlh").roles == ("dinas-perkim",)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager

__all__ = ["spm_catalog", "spm_catalog_factory"]

CatalogFactory = Callable[..., Catalog]


@pytest.fixture
def spm_catalog_factory() -> CatalogFactory:
    """Return a function that builds a catalog from the installed plugins plus extras.

    Call it with plugin objects (modules, classes or instances with hook
    implementations); pass ``entry_points=False`` to leave the installed plugins out.
    """

    def build(*extra: object, entry_points: bool = True) -> Catalog:
        return Catalog.build(make_plugin_manager(entry_points=entry_points, extra=extra))

    return build


@pytest.fixture
def spm_catalog(spm_catalog_factory: CatalogFactory) -> Catalog:
    """Return the catalog of the installed plugins."""
    return spm_catalog_factory()

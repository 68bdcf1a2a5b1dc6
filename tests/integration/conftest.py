"""Fixtures for store tests: the test plugin's catalog and a small seeded world."""

from __future__ import annotations

import pytest
from store_helpers import StoreTestPlugin, World, build_world

from spm_core.catalog import Catalog
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog of the store test plugin alone."""
    return Catalog.build(make_plugin_manager(entry_points=False, extra=[StoreTestPlugin()]))


@pytest.fixture
def world(store: Store, catalog: Catalog) -> World:
    """A store seeded with three posyandu, on each database."""
    return build_world(store, catalog)


@pytest.fixture(scope="session")
def referral_catalog() -> Catalog:
    """The catalog of the store test plugin and the referral test plugin."""
    from referral_helpers import ReferralTestPlugin

    plugins = [StoreTestPlugin(), ReferralTestPlugin()]
    return Catalog.build(make_plugin_manager(entry_points=False, extra=plugins))


@pytest.fixture
def rworld(store: Store, referral_catalog: Catalog) -> World:
    """The seeded world of :func:`world`, with the referral test catalog."""
    return build_world(store, referral_catalog)

"""Build plugins and registries inside a test: :func:`inline_plugin`, :func:`make_registry`."""

from __future__ import annotations

import importlib.metadata as md
from collections.abc import Callable, Iterable
from typing import Any

from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.definitions import CatalogAdjuster, Definition, PluginInfo, PluginLevel
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.hookspecs import hookimpl
from spm_core.plugins import ENTRY_POINT_GROUP, make_plugin_manager
from spm_core.store import open_store

__all__ = ["InlinePlugin", "core_plugins", "inline_plugin", "make_registry"]


def core_plugins() -> tuple[str, ...]:
    """Return the names of the plugins the spm-core distribution registers itself.

    These are the six national field plugins. A test that must give the same answer
    whatever region plugins are installed beside spm-core loads only these:
    ``make_plugin_manager(allow=core_plugins())``.

    Example:
        >>> core_plugins()
        ('kesehatan', 'pendidikan', 'perkim', 'pupr', 'sosial', 'trantibum')
    """
    entry_points = md.distribution("spm-core").entry_points
    return tuple(sorted(ep.name for ep in entry_points if ep.group == ENTRY_POINT_GROUP))


class InlinePlugin:
    """A plugin made of values, built by :func:`inline_plugin`."""

    def __init__(
        self,
        info: PluginInfo,
        definitions: tuple[Definition, ...],
        adjust: Callable[[CatalogAdjuster], None] | None,
    ) -> None:
        self.info = info
        self.definitions = definitions
        self.adjust = adjust

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        """Return the plugin's self-description."""
        return self.info

    @hookimpl
    def spm_definitions(self) -> Iterable[Definition]:
        """Return the definitions given to :func:`inline_plugin`."""
        return self.definitions

    @hookimpl
    def spm_adjust_catalog(self, adjuster: CatalogAdjuster) -> None:
        """Call the ``adjust`` function given to :func:`inline_plugin`, if any."""
        if self.adjust is not None:
            self.adjust(adjuster)

    def __repr__(self) -> str:
        return f"InlinePlugin({self.info.name!r}, {len(self.definitions)} definitions)"


def inline_plugin(
    *definitions: Definition,
    name: str = "inline",
    region: KodeWilayah | str | None = None,
    title: Text | None = None,
    adjust: Callable[[CatalogAdjuster], None] | None = None,
) -> InlinePlugin:
    """Return a plugin contributing ``definitions``, defined in a test in a few lines.

    The level follows ``region``: none is a national plugin, a province code a province
    plugin, a kab/kota code a region plugin. ``adjust`` receives the catalog adjuster
    (the late ``spm_adjust_catalog`` hook).

    Example:
        >>> from spm_core.definitions import RoutingRule
        >>> cimahi = inline_plugin(
        ...     RoutingRule(code="kota-cimahi.rtlh", need_type="perkim.rtlh",
        ...                 roles=("dinas-perkim", "dinas-sosial"), area=KodeWilayah("32.77"),
        ...                 title=Text("RTLH → perkim + sosial", "Unfit house → housing + social")),
        ...     name="kota-cimahi", region="32.77",
        ...     adjust=lambda adjuster: adjuster.set_sla("sosial.alat-bantu-dengar", 14))
        >>> catalog = Catalog.build(make_plugin_manager(extra=[cimahi]))
        >>> view = catalog.for_region("32.77")
        >>> view.need_type("sosial.alat-bantu-dengar").sla_days, view.routing_rule(
        ...     "kota-cimahi.rtlh").roles
        (14, ('dinas-perkim', 'dinas-sosial'))
    """
    code = None if region is None else KodeWilayah.parse(str(region))
    level = PluginLevel.NATIONAL
    if code is not None:
        level = PluginLevel.PROVINCE if code.level == WilayahLevel.PROVINSI else PluginLevel.REGION
    info = PluginInfo(name=name, title=title or Text(name, name), level=level, region=code)
    return InlinePlugin(info, definitions, adjust)


def make_registry(
    *plugins: object,
    db_url: str = "sqlite://",
    entry_points: bool = True,
    allow: Iterable[str] | None = None,
    deny: Iterable[str] = (),
) -> Registry:
    """Return a :class:`~spm_core.api.Registry` over the installed plugins plus ``plugins``.

    Args:
        plugins: plugin objects (modules, classes, :func:`inline_plugin` results).
        db_url: the database; by default an in-memory SQLite database. Pass a temporary
            file or schema (see :func:`~spm_core.testing.database.temporary_database`, or
            the ``spm_db_url`` fixture) to test on PostgreSQL.
        entry_points: also load the installed plugins (the six field plugins and any
            region plugin installed); ``False`` gives ``plugins`` alone.
        allow: load only these installed plugins.
        deny: leave these installed plugins out.

    Close the registry when done (it is a context manager).

    Example:
        >>> with make_registry(inline_plugin(name="empty")) as registry:
        ...     "empty" in {p.name for p in registry.catalog.plugins}
        True
    """
    kwargs: dict[str, Any] = {"entry_points": entry_points, "deny": tuple(deny), "extra": plugins}
    if allow is not None:
        kwargs["allow"] = tuple(allow)
    pm = make_plugin_manager(**kwargs)
    catalog = Catalog.build(pm)
    return Registry(pm, catalog, open_store(db_url))

"""The region plugin under test: found from its ``pyproject.toml``, loaded beside the others.

The compliance suite (:mod:`spm_core.testing.suite`) asks for a :class:`RegionUnderTest`
through the ``spm_region`` fixture. The plugin is the one entry point of the ``spm``
group declared in the nearest ``pyproject.toml`` above the test file, so a region
plugin's test needs no configuration; it need not be installed (its folder on
``sys.path`` is enough, as ``pythonpath = ["."]`` in its pytest settings gives).
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import importlib.util
import sys
import tomllib
from datetime import date
from functools import cached_property
from pathlib import Path

from spm_core.catalog import Catalog, CatalogView
from spm_core.definitions import PluginInfo, PluginLevel
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import PluginLoadError
from spm_core.plugins import ENTRY_POINT_GROUP, SpmPluginManager, make_plugin_manager, plugin_infos

__all__ = ["RegionUnderTest", "find_region_plugin"]

THIRD_REGIONS = ("32.01", "31.71", "35.78", "51.71")
"""Kab/kota a region's changes must not reach (the first one that is not the region)."""


def find_region_plugin(start: Path) -> tuple[str, str, Path]:
    """Return (entry-point name, module, project folder) of the plugin above ``start``.

    Raises:
        PluginLoadError: no ``pyproject.toml`` above ``start`` declares exactly one entry
            point in the ``spm`` group.
    """
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if not pyproject.is_file():
            continue
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        group = data.get("project", {}).get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
        if len(group) == 1:
            ((name, target),) = group.items()
            return str(name), str(target), folder
        break
    raise PluginLoadError(
        plugin=str(start),
        reason_id="tidak ada pyproject.toml di atasnya yang menyatakan tepat satu entry point "
        f"di grup {ENTRY_POINT_GROUP!r}",
        reason_en="no pyproject.toml above it declares exactly one entry point in the "
        f"{ENTRY_POINT_GROUP!r} group",
    )


def _load(target: str, folder: Path | None = None) -> object:
    """Import ``module[:attr]``, from ``folder`` when it is not installed."""
    module_name, _, attr = target.partition(":")
    if folder is not None and importlib.util.find_spec(module_name.split(".")[0]) is None:
        sys.path.append(str(folder))
    module: object = importlib.import_module(module_name)
    for part in filter(None, attr.split(".")):
        module = getattr(module, part)
    return module


def _manager(name: str, plugin: object | None) -> SpmPluginManager:
    """Return the installed plugins, without other region plugins, plus ``plugin``."""
    installed = {ep.name for ep in md.entry_points(group=ENTRY_POINT_GROUP)}
    deny = [name] if name in installed else []
    extra = {} if plugin is None else {name: plugin}
    pm = make_plugin_manager(deny=deny, extra=extra)
    for reg, info in plugin_infos(pm).items():
        if info.level is PluginLevel.REGION and reg != name:
            pm.unregister(name=reg)
    return pm


class RegionUnderTest:
    """A region plugin and the catalogs the compliance suite checks it with.

    :attr:`catalog` holds the installed national and province plugins and this plugin
    (other region plugins are left out, so that one region's mistake never fails
    another's suite); :attr:`baseline` the same without this plugin.
    """

    def __init__(self, name: str, plugin: object, folder: Path | None = None) -> None:
        self.name = name
        self.plugin = plugin
        self.folder = folder

    @classmethod
    def from_test_file(cls, path: Path) -> RegionUnderTest:
        """Find and import the plugin declared in the ``pyproject.toml`` above ``path``."""
        return cls.from_project(path.parent)

    @classmethod
    def from_project(cls, folder: Path) -> RegionUnderTest:
        """Import the plugin of the project at (or above) ``folder``, installed or not.

        Example: ``RegionUnderTest.from_project(Path("regions/kota-bekasi")).plugin`` is
        the Kota Bekasi plugin module.
        """
        name, target, project = find_region_plugin(folder)
        return cls(name, _load(target, project), project)

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog with this plugin."""
        return Catalog.build(_manager(self.name, self.plugin))

    @cached_property
    def baseline(self) -> Catalog:
        """The same catalog without this plugin."""
        return Catalog.build(_manager(self.name, None))

    @cached_property
    def info(self) -> PluginInfo:
        """What the plugin says of itself."""
        for info in self.catalog.plugins:
            if info.name == self.name:
                return info
        raise PluginLoadError(
            plugin=self.name,
            reason_id="plugin tidak menamai dirinya seperti entry point-nya",
            reason_en="the plugin does not name itself as its entry point does",
        )

    @property
    def region(self) -> KodeWilayah:
        """The plugin's kab/kota (the suite checks there is one)."""
        assert self.info.region is not None, f"{self.name} names no region"
        return self.info.region

    @property
    def third_region(self) -> KodeWilayah:
        """A kab/kota outside this plugin's region, where nothing of it may show."""
        for code in THIRD_REGIONS:
            candidate = KodeWilayah.parse(code)
            if not candidate.contains(self.region) and not self.region.contains(candidate):
                return candidate
        raise AssertionError("unreachable: the candidates lie in two provinces")

    @property
    def cases_folder(self) -> Path | None:
        """The ``cases/`` folder beside the plugin's module, if the plugin is a package."""
        file = getattr(self.plugin, "__file__", None)
        return None if file is None else Path(file).parent / "cases"

    def view(self, on: date | None = None) -> CatalogView:
        """Return the view of the plugin's region on ``on`` (today by default)."""
        return self.catalog.for_region(self.region, on=on or date.today())

    def __repr__(self) -> str:
        return f"RegionUnderTest({self.name!r})"
